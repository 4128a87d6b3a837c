"""Typed text survives every in-place action on the same page: moving or removing a survey
question keeps a half-written new question; adding it empties the box."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_survey, make_user

pytestmark = pytest.mark.browser


def test_a_half_written_question_survives_moving_and_removing_others(page, app, app_ctx):
    make_user(name="Rita Rep", email="rita@example.com")
    survey = make_survey(
        [{"kind": "text", "text": "What did we do well?"}, {"kind": "text", "text": "What not?"}],
        status="draft",
    )
    log_in(page, "rita@example.com")
    page.goto(f"/discovery/surveys/{survey.id}")
    mark_page(page)
    typed = "How likely are you to work with us again?"
    page.locator("#new-text").fill(typed)
    page.locator("#survey-questions").get_by_role("button", name="Move question 2 up").click()
    expect(page.locator(".survey-question").first).to_contain_text("What not?")
    expect(page.locator("#new-text")).to_have_value(typed)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#survey-questions").get_by_role("button", name="Remove").last.click()
    expect(page.locator(".survey-question")).to_have_count(1)
    expect(page.locator("#new-text")).to_have_value(typed)
    page.locator("#add-question").click()
    expect(page.locator(".survey-question")).to_have_count(2)
    expect(page.locator("#new-text")).to_have_value("")
    assert still_same_page(page)
    assert page.console_errors == []
