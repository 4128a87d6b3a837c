"""The customer's words of a plan in a real browser: suggest, preview and save them in place,
then find them on the print view, with the warnings on screen only."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_plan, make_user
from winback_app.extensions import db
from winback_app.plans import services
from winback_app.plans.models import Plan

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("PLAN_SCREENSHOTS")


def _screenshots(page, name: str) -> None:
    if SCREENSHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_type_preview_save_and_print_the_customers_words(page, app, app_ctx):
    rita = make_user(name="Rita Rep", email="rita@example.com")
    plan = make_plan(
        make_account(name="Harbour Print Ltd"),
        author=rita,
        offer="Internal: margin allows 10% off for three months.",
        customer_offer="",
        customer_commitment="A weekly delivery report, every Monday.",
    )
    services.set_status(plan, "ready", rita)
    log_in(page, "rita@example.com")
    page.goto(f"/plans/{plan.id}/print")
    warnings = page.locator(".doc-warnings")
    expect(warnings).to_contain_text("“Our offer” is empty")
    _screenshots(page, "print-warning")
    page.emulate_media(media="print")
    expect(warnings).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto(f"/plans/{plan.id}")
    mark_page(page)
    offer = page.locator("#plan-offer")
    expect(offer.locator(".customer-warning")).to_contain_text("will see nothing")
    readiness = page.locator("#plan-readiness")
    expect(readiness).to_contain_text("Marked ready, but the customer would see the offer empty")

    # The suggestion fills the box for editing; it is not saved.
    page.locator("#field-offer").fill("Internal: 12% off is our floor.")
    offer.get_by_role("button", name="Suggest from our notes for The offer").click()
    expect(page.locator("#field-customer_offer")).to_have_value("Internal: 12% off is our floor.")
    expect(offer).to_contain_text("not saved")
    expect(page.locator("#field-offer")).to_have_value("Internal: 12% off is our floor.")

    page.locator("#field-customer_offer").fill("Three months at 12% off, on us.")
    offer.get_by_role("button", name="Preview The offer").click()
    preview = page.locator("#preview-offer")
    expect(preview).to_contain_text("What the customer will see (not saved yet)")
    expect(preview).to_contain_text("Our offer")
    expect(preview).to_contain_text("Three months at 12% off, on us.")
    expect(page.locator("#field-customer_offer")).to_have_value("Three months at 12% off, on us.")

    offer.get_by_role("button", name="Save The offer").click()
    expect(offer.get_by_role("status").first).to_have_text("Saved")
    expect(preview).not_to_contain_text("not saved")
    expect(offer.locator(".customer-warning")).to_have_count(0)
    # The status card follows in the same response.
    expect(readiness).not_to_contain_text("Marked ready")
    _screenshots(page, "plan-customer")
    assert still_same_page(page)
    assert page.console_errors == []

    page.goto(f"/plans/{plan.id}/print")
    expect(page.locator("body")).to_contain_text("Three months at 12% off, on us.")
    expect(page.locator("body")).not_to_contain_text("Internal:")
    expect(warnings).to_have_count(0)
    _screenshots(page, "print-customer")
    db.session.expire_all()
    saved = db.session.get(Plan, plan.id)
    assert saved.customer_offer == "Three months at 12% off, on us."
    assert saved.offer == "Internal: 12% off is our floor."
