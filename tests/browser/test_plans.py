"""Drafting a win-back plan in a real browser: the picker, action items, the tone check, a
conflict shown in place, and picking evidence without JavaScript."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_evidence, make_plan, make_reason, make_user
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.plans import services
from winback_app.plans.models import Plan

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("PLAN_SCREENSHOTS")


def test_draft_a_plan_pick_evidence_and_tick_an_action_done(page, app_ctx):
    make_user(name="Rita Rep", email="rita@example.com")
    reason = make_reason("Service", "Late deliveries")
    account = make_account(
        name="Harbor Logistics", customer=[reason], sales_history="Eight years of weekly orders."
    )
    make_evidence(title="Stock held by the competitor")
    make_evidence(
        reasons=[reason],
        title="New routing software",
        metric_name="late deliveries",
        metric_before=12,
        metric_after=1,
        metric_unit="%",
    )
    log_in(page, "rita@example.com")
    page.goto(f"/accounts/{account.id}")
    page.get_by_role("button", name="Draft a win-back plan").click()
    expect(page.locator("h1")).to_contain_text("Win-back plan for Harbor Logistics")
    expect(page.locator("#field-relationship_summary")).to_have_value(
        "Eight years of weekly orders."
    )
    mark_page(page)

    solutions = page.locator("#plan-solutions")
    page.locator("#solution-text").fill("Deliveries arrive when promised")
    solutions.get_by_role("button", name="Pick evidence").click()
    picks = page.locator(".evidence-pick")
    expect(picks.first).to_contain_text("New routing software")
    expect(picks.first).to_contain_text("answers 1 reason")
    # What was typed before opening the picker is still there.
    expect(page.locator("#solution-text")).to_have_value("Deliveries arrive when promised")
    picks.first.locator("input").check()
    page.get_by_role("button", name="Add solution").click()
    expect(page.locator(".solution-list")).to_contain_text("Evidence: New routing software")

    page.locator("#field-commitment").fill("Frankly, you are wrong about our drivers.")
    expect(page.locator("#tone-commitment")).to_contain_text("you are wrong")

    actions = page.locator("#plan-actions")
    actions.get_by_label("What").fill("Send the delivery report")
    actions.get_by_label("Due").fill("2026-12-01")
    actions.get_by_role("button", name="Add action item").click()
    expect(page.locator(".action-list")).to_contain_text("Send the delivery report")
    page.locator("#plan-actions").get_by_role("button", name="Mark done").click()
    expect(page.locator(".action-list .badge")).to_have_text("Done")

    if SCREENSHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SCREENSHOTS}/plan-{width}.png", full_page=True)
    assert still_same_page(page)
    assert page.console_errors == []
    db.session.expire_all()
    plan = db.session.query(Plan).one()
    assert plan.solutions[0].evidence.title == "New routing software"
    assert db.session.query(ActionItem).filter_by(plan_id=plan.id).one().done_at is not None


def test_a_conflict_is_shown_in_place_with_my_text_kept(page, app, app_ctx):
    rita = make_user(name="Rita Rep", email="rita@example.com")
    plan = make_plan(sponsor=rita, author=rita, offer="Three months at last year's prices.")
    log_in(page, "rita@example.com")
    page.goto(f"/plans/{plan.id}")
    mark_page(page)
    # Someone else saves the offer while the page is open.
    services.update_section(
        plan, "offer", {"offer": "A free delivery van."}, plan.version, make_user(name="Ola Other")
    )
    page.locator("#field-offer").fill("Six months at last year's prices.")
    page.get_by_role("button", name="Save The offer").click()
    offer = page.locator("#plan-offer")
    expect(offer.get_by_role("alert")).to_contain_text("Someone else changed this")
    expect(offer.get_by_role("alert")).to_contain_text("Ola Other")
    expect(page.locator("#field-offer")).to_have_value("Six months at last year's prices.")
    page.get_by_role("button", name="Save The offer").click()
    expect(offer.get_by_role("status")).to_have_text("Saved")
    assert still_same_page(page)
    # Chromium reports the 409 itself as a console error; nothing else may fail.
    assert [e for e in page.console_errors if "status of 409" not in e] == []
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).offer == "Six months at last year's prices."


def test_without_javascript_evidence_is_picked_with_the_typing_kept(
    browser, live_server, app, app_ctx
):
    make_user(name="Rita Rep", email="rita@example.com")
    plan = make_plan()
    make_evidence(title="New routing software")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, "rita@example.com")
        page.goto(f"/plans/{plan.id}")
        page.locator("#solution-text").fill("Deliveries arrive when promised")
        page.get_by_role("button", name="Pick evidence").click()
        expect(page.locator("#solution-text")).to_have_value("Deliveries arrive when promised")
        page.get_by_label("New routing software").check()
        page.get_by_role("button", name="Add solution").click()
        expect(page.locator("#flash")).to_contain_text("Solution added.")
        expect(page.locator(".solution-list")).to_contain_text("Evidence: New routing software")
    finally:
        context.close()
