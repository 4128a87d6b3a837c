"""Logging an attempt from the account page, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_contact, make_user
from winback_app.extensions import db
from winback_app.outreach.attempts.models import Attempt

pytestmark = pytest.mark.browser


def test_log_an_attempt_and_see_timeline_and_hit_ratio_change(page, app_ctx):
    make_user(name="Rita Rep", email="rita@example.com")
    account = make_account(name="Harbor Logistics", status="new")
    make_contact(account, name="Ann Lee")
    log_in(page, "rita@example.com")
    page.goto(f"/accounts/{account.id}")
    mark_page(page)
    panel = page.locator("#outreach")
    expect(panel).to_contain_text("No attempts yet")

    panel.get_by_label("Channel").select_option("phone")
    panel.get_by_label("Outcome").select_option("no_answer")
    panel.get_by_role("button", name="Log attempt").click()
    expect(page.locator("#outreach .timeline")).to_contain_text("No answer")
    expect(page.locator("#outreach .ratio")).to_contain_text("1 attempt")
    expect(page.locator("#outreach .ratio")).to_contain_text("0%")
    expect(page.locator("#account-header")).to_contain_text("Contacting")

    panel = page.locator("#outreach")
    panel.get_by_label("Outcome").select_option("reached")
    panel.get_by_label("Notes").fill("Open to a 15-minute call next week.")
    panel.get_by_role("button", name="Log attempt").click()
    expect(page.locator("#outreach .timeline li").first).to_contain_text("Reached")
    expect(page.locator("#outreach .timeline li").first).to_contain_text("Open to a 15-minute call")
    expect(page.locator("#outreach .ratio")).to_contain_text("2 attempts")
    expect(page.locator("#outreach .ratio")).to_contain_text("50%")
    expect(page.locator("#account-history")).to_contain_text("New → Contacting")
    assert still_same_page(page)
    assert page.console_errors == []
    db.session.expire_all()
    assert db.session.query(Attempt).filter_by(account_id=account.id).count() == 2
