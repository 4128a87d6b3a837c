"""Running an interview in a real browser: notes saved as they are typed and still there after
a reload, the clock ticking, nothing lost when the tab closes, failed saves shown beside
their box, the notes form without JavaScript, and closing the interview."""

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_contact, make_guide, make_interview, make_user
from winback_app.discovery.interviews import services as interviews
from winback_app.discovery.interviews.models import Interview, InterviewNote
from winback_app.extensions import db

pytestmark = pytest.mark.browser

SAVED = re.compile(r"^Saved \d\d:\d\d$")


@pytest.fixture
def rep(app_ctx):
    return make_user(name="Rita Rep", email="rita@example.com")


@pytest.fixture
def interview(app, rep):
    account = make_account(name="Harbor Logistics")
    make_contact(account, name="Dana Cole")
    guide = make_guide(("warm_up", "core", "sensitive"), name="Lost deal")
    return make_interview(account, interviewer=rep, guide=guide)


def _notes(interview_id: int) -> dict[int, str]:
    db.session.expire_all()
    found = db.session.scalars(
        select(InterviewNote).where(InterviewNote.interview_id == interview_id)
    )
    return {note.question_id: note.text for note in found}


def _wait_for_note(interview_id: int, question_id: int, done, seconds: float = 5) -> str:
    """The note's text once ``done(text)`` holds (saves arrive a moment after typing)."""
    deadline = time.monotonic() + seconds
    while True:
        text = _notes(interview_id).get(question_id, "")
        if done(text) or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def _question(interview, index: int):
    return interview.guide.items[index].question


def _open(page, interview):
    log_in(page, "rita@example.com")
    page.goto(f"/discovery/interviews/{interview.id}")


def test_notes_are_saved_as_typed_and_found_after_a_reload(page, interview):
    _open(page, interview)
    mark_page(page)
    elapsed = page.locator("#interview-clock [data-elapsed]")
    expect(elapsed).to_have_text(re.compile(r"^00:0\d$"))
    shown = elapsed.text_content()
    expect(elapsed).not_to_have_text(shown, timeout=3000)  # the clock ticks

    question = _question(interview, 1)
    box = page.get_by_label(question.text)
    box.click()
    box.press_sequentially("They left over late deliveries.", delay=20)
    expect(page.locator(f"#note-{question.id}-status")).to_have_text(SAVED)
    typed = "They left over late deliveries."
    assert _wait_for_note(interview.id, question.id, lambda text: text == typed) == typed
    assert still_same_page(page)

    page.reload()
    expect(page.get_by_label(question.text)).to_have_value("They left over late deliveries.")
    expect(page.locator(f"#note-{question.id}-status")).to_have_text(SAVED)
    ticking = page.locator("#interview-clock [data-elapsed]")
    shown = ticking.text_content()
    assert re.fullmatch(r"\d\d:\d\d", shown)
    expect(ticking).not_to_have_text(shown, timeout=3000)
    expect(page.locator("#interview-clock [data-left]")).to_contain_text("left")
    assert page.console_errors == []


def test_closing_the_tab_loses_nothing_typed_more_than_a_second_ago(page, interview):
    _open(page, interview)
    question = _question(interview, 0)
    box = page.get_by_label(question.text)
    box.click()
    # About three seconds of typing without the pause that the debounced save waits for.
    text = "Price was never the reason, the deliveries were. " * 2
    box.press_sequentially(text, delay=30)
    page.close(run_before_unload=True)

    typed_a_second_before = len(text) - 1000 // 30
    saved = _wait_for_note(interview.id, question.id, lambda t: len(t) >= typed_a_second_before)
    assert text.startswith(saved)
    assert len(saved) >= typed_a_second_before


def test_a_save_that_fails_says_so_beside_its_box(page, interview):
    _open(page, interview)
    first, second = _question(interview, 0), _question(interview, 1)

    page.route(f"**/notes/{first.id}", lambda route: route.abort())
    page.get_by_label(first.text).fill("Lost in transit")
    status = page.locator(f"#note-{first.id}-status")
    expect(status).to_have_text(re.compile("Not saved: Winback could not be reached"))
    expect(status).to_have_class(re.compile(r"\bis-error\b"))

    interviews.cancel(db.session.get(Interview, interview.id))
    page.get_by_label(second.text).fill("Too late")
    refused = page.locator(f"#note-{second.id}-status")
    expect(refused).to_have_text(re.compile("cancelled"))
    expect(refused).to_have_attribute("role", "alert")
    assert _notes(interview.id) == {}


def test_without_javascript_the_notes_are_saved_with_the_button(browser, live_server, interview):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        _open(page, interview)
        first, second = _question(interview, 0), _question(interview, 2)
        page.get_by_label(first.text).fill("Happy for six years")
        page.get_by_label(second.text).fill("About 8% cheaper")
        page.get_by_role("button", name="Save notes").click()
        expect(page.locator("#flash")).to_contain_text("Notes saved.")
        expect(page.get_by_label(second.text)).to_have_value("About 8% cheaper")
        assert _notes(interview.id) == {
            first.id: "Happy for six years",
            _question(interview, 1).id: "",
            second.id: "About 8% cheaper",
        }
    finally:
        context.close()


def test_closing_the_interview(page, interview):
    _open(page, interview)
    mark_page(page)
    page.get_by_role("button", name="Close the interview").click()
    expect(page.locator("#close-interview")).to_contain_text(
        "Write a short summary of what you heard."
    )
    assert still_same_page(page)
    page.get_by_label("Summary").fill("Late deliveries, not price.")
    page.get_by_label("Yes: a friendly loss").check()
    page.get_by_role("button", name="Close the interview").click()
    expect(page.locator("#flash")).to_contain_text("The interview was closed.")
    expect(page.get_by_role("heading", name="What we learnt")).to_be_visible()
    db.session.expire_all()
    closed = db.session.get(Interview, interview.id)
    assert closed.status == "held" and closed.account.friendly
    assert [e for e in page.console_errors if "422" not in e] == []


def test_the_guide_editor_reorders_in_place_and_warns_about_the_order(page, rep):
    guide = make_guide(("warm_up", "sensitive"), name="Lost deal")
    sensitive = guide.items[1]
    log_in(page, "rita@example.com")
    page.goto(f"/discovery/guides/{guide.id}")
    mark_page(page)
    warning = page.locator(".order-warnings")
    expect(warning).to_have_count(0)
    page.get_by_role("button", name="Move question 2 up").click()
    expect(warning).to_contain_text("is sensitive but comes before the warm-up question")
    expect(page.locator(f"#item-{sensitive.id}")).to_have_class(re.compile(r"\bis-flagged\b"))
    page.get_by_role("button", name="Move question 1 down").click()
    expect(warning).to_have_count(0)
    page.locator("summary", has_text="Write a new question").click()
    page.get_by_label("Question", exact=True).fill("Where did we fall short?")
    page.get_by_role("button", name="Add to the guide").click()
    expect(page.locator("#guide-items")).to_contain_text("Where did we fall short?")
    expect(page.locator(".budget-words")).to_contain_text("6 min of a 15-minute budget")
    assert still_same_page(page)
    assert page.console_errors == []


def test_typing_goes_on_while_notes_save_and_the_close_form_opens(page, interview):
    _open(page, interview)
    mark_page(page)
    first, second = _question(interview, 0), _question(interview, 1)
    box = page.get_by_label(first.text)
    box.press_sequentially("Happy for six years", delay=15)
    # Keep typing while the first autosave is on its way and after it lands.
    box.press_sequentially(", then the invoices went wrong", delay=15)
    page.get_by_label(second.text).fill("Nobody called back")
    expect(page.locator(f"#note-{first.id}-status")).to_contain_text("Saved")
    page.get_by_role("button", name="Close the interview").click()
    expect(page.locator("#close-interview")).to_be_visible()
    expect(box).to_have_value("Happy for six years, then the invoices went wrong")
    expect(page.get_by_label(second.text)).to_have_value("Nobody called back")
    assert still_same_page(page)
    expect(page.locator(f"#note-{second.id}-status")).to_contain_text("Saved")
