"""Surveys in a real browser: former customers answer without logging in, with JavaScript and
without it; the team sees their responses on the account page and builds surveys in place."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import (
    EVERY_KIND,
    make_account,
    make_contact,
    make_invitation,
    make_reason,
    make_survey,
    make_user,
)

pytestmark = pytest.mark.browser


def _errors(page) -> list[str]:
    # A form sent back with its messages is a 422, which the browser logs like any 4xx page.
    return [e for e in page.console_errors if "status of 422" not in e]


def _group(page, question: str):
    return page.get_by_role("group", name=re.compile(re.escape(question)))


def test_former_customers_answer_with_and_without_javascript(browser, live_server, page, app_ctx):
    make_reason("Price", "Price too high")
    make_reason("Delivery problems", "Late deliveries")
    make_user(name="Max Member", email="max@example.com")
    account = make_account(name="Harbor Dental")
    survey = make_survey(EVERY_KIND, title="Why did you leave us?", thank_you="Thanks a lot!")
    _, anna = make_invitation(survey, make_contact(account, name="Anna Berg"))
    _, ben = make_invitation(survey, make_contact(account, name="Ben Okafor"))

    # With JavaScript, in a fresh browser that never logged in.
    page.goto(f"/s/{anna}")
    expect(page.get_by_role("heading", name="Why did you leave us?")).to_be_visible()
    expect(page.get_by_text("Hi Anna,")).to_be_visible()
    expect(page.get_by_text("Harbor Dental")).to_have_count(0)
    page.get_by_label(re.compile("Anything else")).fill("Deliveries were late.")
    page.get_by_role("button", name="Send my answers").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Question 1: Choose a number from 1 to 5.")
    expect(summary).to_be_focused()
    expect(page.get_by_label(re.compile("Anything else"))).to_have_value("Deliveries were late.")
    summary.get_by_role("link").click()
    expect(_group(page, "How was our service?").get_by_role("radio", name="1")).to_be_focused()
    # The scale works from the keyboard: arrow keys move the choice.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(_group(page, "How was our service?").get_by_role("radio", name="3")).to_be_checked()
    _group(page, "How likely are you to come back?").get_by_text("8", exact=True).click()
    page.get_by_label("Monthly").check()
    page.get_by_label("Late deliveries").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you, Anna")).to_be_visible()
    expect(page.get_by_text("Thanks a lot!")).to_be_visible()
    assert _errors(page) == []

    # Without JavaScript, another invitation: the server checks the answers and keeps them.
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = plain.new_page()
    tab.goto(f"/s/{ben}")
    expect(tab.get_by_text("Hi Ben,")).to_be_visible()
    tab.get_by_label("Price too high").check()
    tab.get_by_role("button", name="Send my answers").click()
    expect(tab.locator(".error-summary")).to_contain_text("Choose a number from 1 to 5.")
    expect(tab.get_by_label("Price too high")).to_be_checked()
    _group(tab, "How was our service?").get_by_text("2", exact=True).click()
    tab.get_by_role("button", name="Send my answers").click()
    expect(tab.get_by_role("heading", name="Thank you, Ben")).to_be_visible()
    # The link, opened again, thanks instead of asking twice.
    tab.goto(f"/s/{ben}")
    expect(tab.get_by_role("heading", name="Thank you, Ben")).to_be_visible()
    tab.goto(f"/s/{ben}/unsubscribe")
    tab.get_by_role("button", name="Unsubscribe").click()
    expect(tab.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    plain.close()

    # The team sees both responses on the account page, and the reasons in the customer's view.
    log_in(page, "max@example.com")
    page.goto(f"/accounts/{account.id}")
    panel = page.locator("#survey-responses")
    expect(panel.locator("article")).to_have_count(2)
    expect(panel).to_contain_text("Anna Berg")
    expect(panel).to_contain_text("Ben Okafor")
    expect(panel).to_contain_text("Deliveries were late.")
    expect(panel).to_contain_text("3 of 5")
    view = page.locator("#section-customer_view")
    expect(view).to_contain_text("Late deliveries")
    expect(view).to_contain_text("from survey")
    assert _errors(page) == []


def test_questions_are_added_moved_and_edited_in_place(page, app_ctx):
    make_reason("Price", "Price too high")
    make_user(name="Max Member", email="max@example.com")
    survey = make_survey([{"kind": "rating", "text": "How was our service?"}], status="draft")
    log_in(page, "max@example.com")
    page.goto(f"/discovery/surveys/{survey.id}")
    mark_page(page)

    page.get_by_label("Question", exact=True).fill("Why did you leave?")
    page.get_by_label("Type").select_option(label="Multiple choice")
    page.get_by_label(re.compile("Use the loss reasons as options")).check()
    page.get_by_role("button", name="Add question").click()
    questions = page.locator(".survey-questions > li")
    expect(questions).to_have_count(2)
    expect(questions.nth(1)).to_contain_text("Why did you leave?")
    expect(questions.nth(1)).to_contain_text("Loss reasons")
    expect(page.get_by_label("Question", exact=True)).to_be_focused()
    expect(page.get_by_label("Question", exact=True)).to_have_value("")

    page.get_by_role("button", name="Move question 2 up").click()
    expect(questions.nth(0)).to_contain_text("Why did you leave?")
    expect(page.get_by_role("button", name="Move question 1 up")).to_be_disabled()

    page.get_by_role("link", name="Edit question 2").click()
    editing = page.locator("#question-1 form")
    expect(editing.get_by_label("Question", exact=True)).to_be_focused()
    editing.get_by_label("Question", exact=True).fill("How was our service, overall?")
    page.get_by_role("button", name="Save question").click()
    expect(questions.nth(1)).to_contain_text("How was our service, overall?")

    # A bad question comes back with its message, in place.
    page.get_by_label("Type").select_option(label="Single choice")
    page.get_by_label("Question", exact=True).fill("Pick one")
    page.get_by_role("button", name="Add question").click()
    expect(page.locator("#survey-questions")).to_contain_text("at least two options")
    expect(page.get_by_label("Question", exact=True)).to_have_value("Pick one")
    assert still_same_page(page)
    assert _errors(page) == []

    page.get_by_role("button", name="Open survey").click()
    expect(page.get_by_text("The survey is open.")).to_be_visible()
    expect(page.get_by_text("The questions are fixed")).to_be_visible()


def test_a_reason_question_fits_a_phone_in_the_customer_words(
    browser, live_server, app, tmp_path, app_ctx
):
    from winback_app.accounts.models import LossReason
    from winback_app.accounts.taxonomy import defaults
    from winback_app.core.settings import services as team_settings
    from winback_app.extensions import db

    defaults.ensure_defaults()
    reasons = list(db.session.scalars(db.select(LossReason).order_by(LossReason.id)))
    chosen = [reason.id for reason in reasons if reason.name != "Other"][-8:]
    why = {
        "kind": "multiple",
        "text": "Why did you choose as you did?",
        "reasons": True,
        "reason_ids": chosen,
    }
    contact = make_contact(make_account(kind="lost_deal"))
    _, token = make_invitation(make_survey([why], title="Help us do better"), contact)

    # A phone without JavaScript: the page must work as plain HTML.
    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        java_script_enabled=False,
    )
    tab = phone.new_page()
    tab.goto(f"/s/{token}")
    question = _group(tab, "Why did you choose as you did?")
    expect(question.get_by_role("checkbox")).to_have_count(8)
    expect(question.get_by_text("We decided not to change anything")).to_be_visible()
    expect(tab.get_by_text("Stayed with the status quo")).to_have_count(0)
    expect(tab.get_by_text("No decision", exact=True)).to_have_count(0)
    expect(tab.get_by_text("you considered Test Company for your business")).to_be_visible()
    height = tab.evaluate("document.documentElement.scrollHeight")
    width = tab.evaluate("document.documentElement.scrollWidth")
    shot = os.environ.get("WINBACK_SCREENSHOTS") or str(tmp_path / "reason-question.png")
    tab.screenshot(path=shot, full_page=True)
    assert width <= 390, width  # nothing sideways
    assert height < 1200, height  # 24 checkboxes under 12 headings were 3,244 px

    # With a donation offered, the charity is picked on the phone too; the thank-you names it.
    team_settings.update(charities="WaterAid\nThe local food bank")
    _, token = make_invitation(make_survey([why]), contact)
    tab.goto(f"/s/{token}")
    tab.get_by_label("We decided not to change anything").check()
    tab.get_by_label("Another:").check()
    tab.get_by_role("button", name="Send my answers").click()
    expect(tab.locator(".error-summary")).to_contain_text("write the name of the charity")
    expect(tab.get_by_label("We decided not to change anything")).to_be_checked()
    tab.get_by_label("Another charity").fill("Red Cross")
    tab.get_by_role("button", name="Send my answers").click()
    expect(tab.get_by_text("we will make our donation to Red Cross")).to_be_visible()
    phone.close()
