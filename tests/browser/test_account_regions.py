"""The account page never lies: after every in-place action, every region that shows what
changed is current without a reload, and the page equals a fresh load of its URL.

Each case does one action in a real browser, checks the regions a user would look at, then
reads every region's text and compares it with the same page opened anew in another tab.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import (
    make_account,
    make_callback,
    make_competitor,
    make_contact,
    make_reason,
    make_user,
)
from winback_app.accounts import panels
from winback_app.formatting import format_date_short, today_local

pytestmark = pytest.mark.browser


def _region_ids(app) -> list[str]:
    with app.app_context():
        return [region.element_id for region in panels.declared().values()]


def _regions(page, ids) -> dict[str, str]:
    """Each region's visible text, white space folded (hidden regions read as empty)."""
    texts = {}
    for element_id in ids:
        region = page.locator(f"#{element_id}")
        text = region.inner_text() if region.count() and region.is_visible() else ""
        texts[element_id] = re.sub(r"\s+", " ", text).strip()
    return texts


def _assert_equals_fresh_load(page, app) -> None:
    ids = _region_ids(app)
    shown = _regions(page, ids)
    fresh = page.context.new_page()
    fresh.goto(page.url)
    try:
        assert shown == _regions(fresh, ids)
    finally:
        fresh.close()


@pytest.fixture
def setup(app, page, app_ctx):
    """A rep on the page of a lost deal with a contact, a competitor and reasons to pick."""
    rep = make_user(name="Rita Rep", email="rita@example.com")
    make_competitor("Northpeak")
    make_reason("Price", "Too expensive")
    make_reason("Service", "Slow support")
    account = make_account(name="Harbor Logistics", status="new", owner=rep)
    make_contact(account, name="Ann Lee", email="ann@harbor.example")
    log_in(page, "rita@example.com")
    page.goto(f"/accounts/{account.id}")
    mark_page(page)
    return account


def _edit(page, section: str):
    region = page.locator(f"#section-{section}")
    region.get_by_role("link", name="Edit").click()
    expect(region.locator("form")).to_be_visible()
    return region


def _save(region) -> None:
    region.get_by_role("button", name="Save").click()
    expect(region.locator("form")).to_have_count(0)


def test_saving_facts_updates_header_facts_and_history(page, app, setup, app_ctx):
    region = _edit(page, "facts")
    region.get_by_label("Win-back status").select_option("researching")
    region.get_by_label("Annual value lost").fill("48000")
    _save(region)
    expect(page.locator("#account-header")).to_contain_text("Researching")
    expect(page.locator("#account-header")).to_contain_text("48,000")
    expect(page.locator("#account-history")).to_contain_text("New → Researching")
    assert still_same_page(page)
    _assert_equals_fresh_load(page, app)


def test_saving_the_contract_updates_the_call_backs_and_the_header(page, app, setup, app_ctx):
    expect(page.locator("#outreach")).to_contain_text("No call-backs planned")
    region = _edit(page, "contract")
    region.get_by_label("Lost to").select_option(label="Northpeak")
    start = today_local() - timedelta(days=200)
    region.get_by_label("Contract start").fill(start.isoformat())
    region.get_by_label("Term in months").fill("36")
    _save(region)
    expect(page.locator("#account-header")).to_contain_text("Northpeak")
    # A 36-month contract started 200 days ago: call at months 18, 24 and 30.
    expect(page.locator("#outreach .callback-list li[id^=callback-]")).to_have_count(3)
    assert still_same_page(page)
    _assert_equals_fresh_load(page, app)


def test_saving_a_view_of_why_updates_the_header_and_history(page, app, setup, app_ctx):
    region = _edit(page, "customer_view")
    region.get_by_label("Too expensive").check()
    region.get_by_label("Primary reason").select_option(label="Too expensive")
    _save(region)
    expect(page.locator("#section-customer_view")).to_contain_text("Too expensive")
    region = _edit(page, "team_view")
    region.get_by_label("Slow support").check()
    region.get_by_label("Primary reason").select_option(label="Slow support")
    _save(region)
    expect(page.locator("#account-header")).to_contain_text("Views disagree")
    assert still_same_page(page)
    _assert_equals_fresh_load(page, app)


def test_saving_the_summary_updates_history(page, app, setup, app_ctx):
    region = _edit(page, "summary")
    region.get_by_label("Sales-history summary").fill("Six years of pallets, two late winters.")
    _save(region)
    expect(page.locator("#section-summary")).to_contain_text("Six years of pallets")
    expect(page.locator("#account-history")).to_contain_text("Sales-history summary")
    _assert_equals_fresh_load(page, app)


def test_adding_a_contact_reaches_every_form_that_lists_contacts(page, app, setup, app_ctx):
    contacts = page.locator("#contacts")
    contacts.get_by_text("Add a contact").click()
    contacts.get_by_label("Name").fill("Bo Chen")
    contacts.get_by_label("Email", exact=True).fill("bo@harbor.example")
    contacts.get_by_role("button", name="Add contact").click()
    expect(page.locator("#contacts")).to_contain_text("Bo Chen")
    expect(
        page.locator("#outreach select[name=contact_id] option", has_text="Bo Chen")
    ).to_have_count(1)
    expect(
        page.locator("#incentives select[name=contact_id] option", has_text="Bo Chen")
    ).to_have_count(1)
    assert still_same_page(page)
    _assert_equals_fresh_load(page, app)


@pytest.mark.parametrize(
    ("channel", "outcome", "status"),
    [
        ("phone", "reached", "Contacting"),
        ("voicemail", "left_voicemail", "Contacting"),
        ("email", "email_sent", "Contacting"),
        ("meeting", "reached", "Contacting"),
    ],
)
def test_logging_an_attempt_updates_status_everywhere(
    page, app, setup, channel, outcome, status, app_ctx
):
    panel = page.locator("#outreach")
    panel.get_by_label("Channel").select_option(channel)
    panel.get_by_label("Outcome").select_option(outcome)
    panel.get_by_role("button", name="Log attempt").click()
    expect(page.locator("#outreach .timeline li")).to_have_count(1)
    expect(page.locator("#account-header")).to_contain_text(status)
    expect(page.locator("#section-facts")).to_contain_text(status)
    expect(page.locator("#account-history")).to_contain_text(f"New → {status}")
    assert still_same_page(page)
    _assert_equals_fresh_load(page, app)


def test_call_backs_added_snoozed_and_done_in_place(page, app, setup, app_ctx):
    callbacks = page.locator("#outreach .callback-list li[id^=callback-]")
    page.locator("#outreach").get_by_role("button", name="In 1 week").click()
    expect(callbacks).to_have_count(1)
    _assert_equals_fresh_load(page, app)
    page.locator("#outreach .callback-list").get_by_role("button", name="Snooze a week").click()
    in_two_weeks = today_local() + timedelta(weeks=2)
    expect(callbacks.first).to_contain_text(format_date_short(in_two_weeks))
    _assert_equals_fresh_load(page, app)
    page.locator("#outreach .callback-list").get_by_role("button", name="Done").click()
    expect(callbacks).to_have_count(0)
    assert still_same_page(page)
    _assert_equals_fresh_load(page, app)


def test_completing_a_due_call_back_by_logging_the_call(page, app, setup, app_ctx):
    with app.app_context():
        make_callback(setup, due_on=today_local())
    page.reload()
    mark_page(page)
    callbacks = page.locator("#outreach .callback-list li[id^=callback-]")
    expect(callbacks).to_have_count(1)
    panel = page.locator("#outreach")
    panel.get_by_label("Outcome").select_option("no_answer")
    panel.get_by_role("button", name="Log attempt").click()
    expect(callbacks).to_have_count(0)
    _assert_equals_fresh_load(page, app)


def test_promising_a_thank_you_in_place(page, app, setup, app_ctx):
    panel = page.locator("#incentives")
    panel.get_by_text("Promise a thank-you").click()
    panel.get_by_label("Amount").fill("50")
    panel.get_by_label("Charity").fill("The local food bank")
    panel.get_by_role("button", name="Save thank-you").click()
    expect(page.locator("#incentives")).to_contain_text("The local food bank")
    assert still_same_page(page)
    _assert_equals_fresh_load(page, app)


def test_an_open_editor_keeps_what_is_typed_while_other_regions_refresh(page, app, setup, app_ctx):
    region = _edit(page, "facts")
    region.get_by_label("Notes").fill("Typed before logging the call")
    panel = page.locator("#outreach")
    panel.get_by_label("Notes").fill("Left a message with reception")
    panel.get_by_label("Outcome").select_option("no_answer")
    panel.get_by_role("button", name="Log attempt").click()
    expect(page.locator("#account-header")).to_contain_text("Contacting")
    expect(page.locator("#section-facts").get_by_label("Notes")).to_have_value(
        "Typed before logging the call"
    )


def test_typed_text_in_a_panel_survives_a_refresh_from_another_region(page, app, setup, app_ctx):
    panel = page.locator("#outreach")
    panel.get_by_label("Notes").fill("Half-written note about the call")
    contacts = page.locator("#contacts")
    contacts.get_by_text("Add a contact").click()
    contacts.get_by_label("Name").fill("Bo Chen")
    contacts.get_by_role("button", name="Add contact").click()
    expect(
        page.locator("#outreach select[name=contact_id] option", has_text="Bo Chen")
    ).to_have_count(1)
    expect(page.locator("#outreach").get_by_label("Notes")).to_have_value(
        "Half-written note about the call"
    )
    assert page.console_errors == []
