"""Today in a real browser: snooze, done and log an attempt, each updating its row in place."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_callback, make_contact, make_user
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.outreach.callbacks.models import Callback

# Overdue, due today and this week are counted from today.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("frozen_today")]


def _day(offset: int):
    return today_local() + timedelta(days=offset)


@pytest.fixture
def rep(app_ctx):
    return make_user(name="Rita Rep", email="rita@example.com")


def _callback(callback_id: int) -> Callback:
    db.session.expire_all()
    return db.session.get(Callback, callback_id)


def test_snooze_and_complete_from_today_without_a_reload(page, rep):
    late = make_callback(make_account(name="Harbor Logistics"), rep, _day(-2))
    due = make_callback(make_account(name="Orion Print"), rep, _day(0))
    log_in(page, "rita@example.com")
    expect(page).to_have_url(re.compile(r"/today$"))
    mark_page(page)

    late_row = page.locator(f"#callback-{late.id}")
    late_row.get_by_role("button", name="Snooze a week").click()
    expect(page.locator(f"#callback-{late.id}")).to_contain_text("snoozed to")
    expect(page.locator("#flash")).to_contain_text("Harbor Logistics snoozed to")
    assert _callback(late.id).due_on == _day(7)

    page.locator(f"#callback-{due.id}").get_by_role("button", name="Done").click()
    expect(page.locator(f"#callback-{due.id}")).to_contain_text("done")
    expect(page.locator(f"#callback-{due.id}")).to_have_class(re.compile(r"\bis-done\b"))
    expect(page.locator("#flash")).to_contain_text("Orion Print: call-back done.")
    assert _callback(due.id).done_at is not None
    assert still_same_page(page)
    assert page.console_errors == []


def test_snoozing_into_the_past_is_refused_in_the_row(page, rep):
    callback = make_callback(make_account(name="Harbor Logistics"), rep, _day(1))
    log_in(page, "rita@example.com")
    page.goto("/today")
    mark_page(page)
    row = page.locator(f"#callback-{callback.id}")
    row.get_by_label("Snooze Harbor Logistics to").fill(_day(-1).isoformat())
    row.get_by_role("button", name="Snooze to…").click()
    expect(page.locator(f"#callback-{callback.id} .error")).to_have_text(
        "Snooze to a date after today."
    )
    row = page.locator(f"#callback-{callback.id}")
    row.get_by_label("Snooze Harbor Logistics to").fill(_day(12).isoformat())
    row.get_by_role("button", name="Snooze to…").click()
    expect(page.locator(f"#callback-{callback.id}")).to_contain_text("snoozed to")
    assert _callback(callback.id).due_on == _day(12)
    assert still_same_page(page)
    # The 422 response is logged by the browser as a failed resource; nothing else may be.
    assert [e for e in page.console_errors if "422" not in e] == []


def test_log_an_attempt_from_the_row(page, rep):
    account = make_account(name="Harbor Logistics")
    make_contact(account, name="Ann Lee", phone="+44 20 7946 0000", is_primary=True)
    callback = make_callback(account, rep, _day(0))
    log_in(page, "rita@example.com")
    page.goto("/today")
    mark_page(page)
    expect(page.locator(f"#callback-{callback.id}")).to_contain_text("+44 20 7946 0000")
    page.get_by_role("link", name="Log attempt for Harbor Logistics").click()
    row = page.locator(f"#callback-{callback.id}")
    expect(row.get_by_label("Outcome")).to_be_visible()
    expect(row.get_by_label("Contact")).to_have_value(str(account.contacts[0].id))
    row.get_by_label("Outcome").select_option("reached")
    row.get_by_label("Notes").fill("Open to a 15-minute call next week.")
    row.get_by_role("button", name="Save and complete").click()
    expect(page.locator(f"#callback-{callback.id}")).to_contain_text("done — reached (call)")
    expect(page.locator("#flash")).to_contain_text("Harbor Logistics: reached, logged.")
    saved = _callback(callback.id)
    assert saved.done_at is not None and saved.attempt.notes.startswith("Open to")
    assert still_same_page(page)
    assert page.console_errors == []


def test_today_works_without_javascript(browser, live_server, rep):
    callback = make_callback(make_account(name="Harbor Logistics"), rep, _day(0))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, "rita@example.com")
        page.goto("/today?period=90")
        page.get_by_role("button", name="Snooze a week").click()
        expect(page.locator("#flash")).to_contain_text("Harbor Logistics snoozed to")
        expect(page).to_have_url(re.compile(r"/today\?period=90$"))
        assert _callback(callback.id).due_on == _day(7)
        page.get_by_label("Over the last").select_option("365")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"period=365"))
        expect(page.get_by_label("Over the last")).to_have_value("365")
    finally:
        context.close()


def test_the_hit_ratio_period_changes_in_place_and_in_the_url(page, rep):
    make_callback(make_account(name="Harbor Logistics"), rep, _day(0))
    log_in(page, "rita@example.com")
    page.goto("/today")
    mark_page(page)
    page.get_by_label("Over the last").select_option("90")
    expect(page).to_have_url(re.compile(r"/today\?period=90$"))
    expect(page.get_by_label("Over the last")).to_have_value("90")
    expect(page.locator("#today-body")).to_contain_text("Harbor Logistics")
    assert still_same_page(page)
    assert page.console_errors == []


def test_the_counts_follow_a_row_action_without_a_reload(page, rep):
    late = make_callback(make_account(name="Harbor Logistics"), rep, _day(-2))
    make_callback(make_account(name="Orion Print"), rep, _day(0))
    account = make_account(name="Lumen Works")
    make_contact(account, name="Lu Chen")
    reach = make_callback(account, rep, _day(2))
    log_in(page, "rita@example.com")
    mark_page(page)
    summary, overdue = (
        page.locator("#today-summary"),
        page.locator(f"#today-count-{rep.id}-overdue"),
    )
    expect(summary).to_contain_text("You have 1 overdue, 1 due today and 1 more this week.")
    page.locator(f"#callback-{late.id}").get_by_role("button", name="Done").click()
    expect(summary).to_contain_text("You have 0 overdue, 1 due today and 1 more this week.")
    expect(overdue).to_have_text("0")
    page.locator(f"#callback-{reach.id}").get_by_role(
        "link", name=re.compile("Log attempt")
    ).click()
    row = page.locator(f"#callback-{reach.id}")
    row.get_by_label("Outcome").select_option("reached")
    row.get_by_role("button", name="Save and complete").click()
    expect(page.locator("#today-stats")).to_contain_text("1 of 1 account")
    expect(summary).to_contain_text("You have 0 overdue, 1 due today and 0 more this week.")
    assert still_same_page(page)
    # The counts now read as on a fresh load of the page.
    shown = [page.locator(f"#{key}").inner_text() for key in ("today-summary", "today-stats")]
    page.reload()
    assert [
        page.locator(f"#{key}").inner_text() for key in ("today-summary", "today-stats")
    ] == shown
    assert page.console_errors == []
