"""Invite a contact through the pages, read the link from the email a real SMTP server got,
and answer the survey in a fresh browser with nobody logged in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_contact, make_survey, make_user
from winback_app.discovery.invitations.models import Invitation
from winback_app.extensions import db
from winback_app.mail import outbox

pytestmark = pytest.mark.browser


@pytest.fixture
def app(mail_app):
    """The served app, sending through the test's SMTP server."""
    return mail_app


def test_invite_through_the_pages_and_answer_from_the_email(app, page, browser, smtp, live_server):
    with app.app_context():
        make_user(name="Rita Rep", email="rita@example.com")
        survey = make_survey(
            [
                {"kind": "rating", "text": "How was our service?", "required": True},
                {"kind": "text", "text": "What should we change?"},
            ],
            title="Why did you leave us?",
            thank_you="Thank you for your time.",
        )
        survey_id = survey.id
        harbor = make_account(name="Harbor Dental")
        make_contact(harbor, name="Jane Doe", email="jane@harbor.example")
        make_contact(make_account(name="Quiet Quarry"), name="Quinn Q", email="")

    log_in(page, "rita@example.com")
    page.goto(f"/discovery/surveys/{survey_id}/invite")
    mark_page(page)
    page.get_by_label("Search").press_sequentially("harbor", delay=20)
    expect(page.locator("#invite-preview")).to_contain_text("1 contact will be invited")
    expect(page.locator("#invite-preview")).to_contain_text("Jane Doe")
    assert still_same_page(page)
    # Let the search box's last refresh finish first: a request still in flight when the
    # form posts could load a page of its own and take the flash message with it.
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Send 1 invitation").click()
    page.wait_for_url(re.compile(rf"/discovery/surveys/{survey_id}/invitations$"))
    expect(page.locator("#flash")).to_contain_text("1 invitation queued")
    expect(page.locator(".invitations-table")).to_contain_text("Queued")

    with app.app_context():
        assert outbox.send_due().sent == 1
    (email,) = smtp.inbox.messages()
    assert email["To"] == "Jane Doe <jane@harbor.example>"
    text = email.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}/s/[A-Za-z0-9_-]+(?=\s)", text).group(0)
    assert email["List-Unsubscribe"] == f"<{link}/unsubscribe>"

    stranger = browser.new_context()
    try:
        public = stranger.new_page()
        public.goto(link)
        expect(public.get_by_text("Hi Jane,")).to_be_visible()
        expect(public.get_by_role("heading", name="Why did you leave us?")).to_be_visible()
        public.get_by_role("button", name="Send my answers").click()
        expect(public.locator(".error-summary")).to_be_visible()  # the rating is required
        public.locator("label.scale-point", has_text="4").click()
        public.get_by_label("What should we change?").fill("Deliver on time.")
        public.get_by_role("button", name="Send my answers").click()
        expect(public.get_by_text("Thank you for your time.")).to_be_visible()
    finally:
        stranger.close()

    with app.app_context():
        invitation = db.session.query(Invitation).one()
        assert invitation.answered_at is not None and invitation.opened_at is not None
        assert invitation.account.name == "Harbor Dental"
    page.reload()
    expect(page.locator(".invitations-table")).to_contain_text("Answered")
    assert page.console_errors == []


def test_ticked_accounts_go_from_the_list_to_the_invite_page(app, page):
    with app.app_context():
        make_user(name="Rita Rep", email="rita@example.com")
        survey_id = make_survey([{"kind": "text", "text": "Why?"}], title="Only survey").id
        for name in ("Alpha Ltd", "Beta Ltd", "Gamma Ltd"):
            make_contact(make_account(name=name), name=f"{name[:5]} Person")

    log_in(page, "rita@example.com")
    page.goto("/accounts/")
    page.get_by_label("Select Alpha Ltd").check()
    page.get_by_label("Select Gamma Ltd").check()
    page.get_by_role("button", name="Invite to a survey").click()
    page.wait_for_url(re.compile(rf"/discovery/surveys/{survey_id}/invite\?ids="))
    preview = page.locator("#invite-preview")
    expect(preview).to_contain_text("2 contacts will be invited")
    expect(preview).to_contain_text("Alpha Person")
    expect(preview).not_to_contain_text("Beta Person")
    assert page.console_errors == []
