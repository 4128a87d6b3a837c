"""Interviews: scheduling, the autosaved notes, closing (and closing twice), action items on
Today and in the calendar feed, the account page's panel, the Discovery overview, demo data."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_account,
    make_contact,
    make_guide,
    make_interview,
    make_reason,
    make_user,
)
from tests.helpers import PARTIAL, QueryCounter
from winback_app.accounts.models import Account, AccountChange
from winback_app.discovery import action_items
from winback_app.discovery.guides import services as guides
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.interviews import notes
from winback_app.discovery.interviews import routes as interview_routes
from winback_app.discovery.interviews import services as interviews
from winback_app.discovery.interviews.models import ActionItem, Interview, InterviewNote
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.models import utcnow
from winback_app.outreach.calendar import services as feed
from winback_app.rules import RuleViolation

# Interviews are scheduled ahead and action items fall due by the days around today.
pytestmark = pytest.mark.usefixtures("frozen_today")


def _fresh(model, item_id):
    db.session.expire_all()
    return db.session.get(model, item_id)


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _note_url(interview, question_id=None) -> str:
    question_id = question_id or interview.guide.items[0].question_id
    return f"/discovery/interviews/{interview.id}/notes/{question_id}"


# --- Scheduling ---------------------------------------------------------------------------


def test_schedule_checks_contact_guide_people_and_date(app_ctx):
    account = make_account()
    contact = make_contact(account)
    stranger = make_contact(make_account())
    guide = make_guide()
    rep, partner = make_user(), make_user()
    values = {
        "contact_id": contact.id,
        "guide_id": guide.id,
        "interviewer": rep,
        "partner": partner,
        "when": utcnow() + timedelta(days=1),
    }
    refusals = [
        ({"contact_id": stranger.id}, "contact_id"),
        ({"guide_id": 999}, "guide_id"),
        ({"interviewer": make_user(role="viewer")}, "interviewer_id"),
        ({"partner": rep}, "partner_id"),
        ({"when": utcnow() + timedelta(days=800)}, "when"),
    ]
    for change, field in refusals:
        with pytest.raises(RuleViolation) as refused:
            interviews.schedule(account, **{**values, **change})
        assert refused.value.field == field
    guides.set_guide_retired(guide, True)
    with pytest.raises(RuleViolation):
        interviews.schedule(account, **values)
    assert _count(Interview) == 0


def test_a_do_not_contact_account_needs_the_box_ticked(app_ctx):
    account = make_account(do_not_contact=True)
    with pytest.raises(RuleViolation) as refused:
        make_interview(account)
    assert refused.value.field == "confirm_do_not_contact"
    assert make_interview(account, confirm_do_not_contact=True).status == "in_progress"


def test_starting_twice_keeps_the_first_start(app_ctx):
    interview = make_interview(start=False)
    assert interview.status == "scheduled" and interview.started_at is None
    started = interviews.start(interview).started_at
    assert interviews.start(interview).started_at == started
    assert interview.status == "in_progress"


def test_new_interview_page_asks_for_the_account_first(member_client, app):
    make_account(name="Harbor Logistics")
    make_account(name="Orion Print")
    page = member_client.get("/discovery/interviews/new").get_data(as_text=True)
    assert "Which account?" in page
    found = member_client.get("/discovery/interviews/new?q=harb", headers=PARTIAL)
    assert "Harbor Logistics" in found.get_data(as_text=True)
    assert "Orion" not in found.get_data(as_text=True)
    assert member_client.get("/discovery/interviews/new?account_id=999").status_code == 404
    assert member_client.get("/discovery/interviews/new?account_id=x").status_code == 404


def test_scheduling_from_the_form(member_client, member, app):
    account = make_account()
    contact = make_contact(account)
    guide = make_guide()
    partner = make_user(name="Pat Partner")
    url = f"/discovery/interviews/new?account_id={account.id}"
    page = member_client.get(url).get_data(as_text=True)
    assert f'<option selected value="{member.id}">' in page
    data = {
        "contact_id": str(contact.id),
        "guide_id": str(guide.id),
        "interviewer_id": str(member.id),
        "partner_id": str(partner.id),
        "when": "2026-03-04T14:30",
    }
    bad = member_client.post(url, data={**data, "when": "next tuesday"}, headers=PARTIAL)
    assert bad.status_code == 422 and "Enter the date and time" in bad.get_data(as_text=True)
    same = member_client.post(url, data={**data, "partner_id": str(member.id)}, headers=PARTIAL)
    assert same.status_code == 422
    assert "someone other than the interviewer" in same.get_data(as_text=True)
    assert _count(Interview) == 0

    response = member_client.post(url, data={**data, "action": "start"})
    interview = db.session.scalar(select(Interview))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/discovery/interviews/{interview.id}"
    assert interview.status == "in_progress" and interview.partner_id == partner.id

    # The same form posted again leads to the interview already there.
    again = member_client.post(url, data={**data, "action": "start"})
    assert again.headers["Location"] == f"/discovery/interviews/{interview.id}"
    page = member_client.get(again.headers["Location"]).get_data(as_text=True)
    assert "This interview was already scheduled." in page
    assert _count(Interview) == 1


def test_viewers_cannot_schedule(viewer_client, app):
    account = make_account()
    assert (
        viewer_client.get(f"/discovery/interviews/new?account_id={account.id}").status_code == 403
    )


# --- Notes: autosave ----------------------------------------------------------------------


def test_autosave_is_an_idempotent_upsert(app_ctx):
    interview = make_interview()
    question_id = interview.guide.items[0].question_id
    first = notes.save_note(interview, question_id, "They chose on price")
    saved_at = first.updated_at
    again = notes.save_note(interview, question_id, "They chose on price")
    assert again.id == first.id and again.updated_at == saved_at
    changed = notes.save_note(interview, question_id, "They chose on price, they said")
    assert changed.text == "They chose on price, they said"
    assert _count(InterviewNote) == 1


def test_autosave_route_answers_with_the_saved_status(member_client, app):
    interview = make_interview()
    url = _note_url(interview)
    field = url.rsplit("/", 1)[1]
    for _ in range(3):
        response = member_client.post(
            url, data={f"note-{field}": "Late deliveries"}, headers=PARTIAL
        )
        assert response.status_code == 200
    status = response.get_data(as_text=True).strip()
    assert re.fullmatch(
        rf'<p id="note-{field}-status" class="autosave-status">Saved \d\d:\d\d</p>', status
    )
    note = db.session.scalar(select(InterviewNote))
    assert _count(InterviewNote) == 1 and note.text == "Late deliveries"


def test_autosave_refusals_say_why_and_store_nothing(member_client, app):
    interview = make_interview()
    url = _note_url(interview)
    field = f"note-{url.rsplit('/', 1)[1]}"
    too_long = member_client.post(url, data={field: "x" * 5001}, headers=PARTIAL)
    assert too_long.status_code == 422
    assert "Not saved: notes are limited to 5000 characters" in too_long.get_data(as_text=True)
    missing = member_client.post(url, data={"something": "else"}, headers=PARTIAL)
    assert missing.status_code == 422 and "did not arrive" in missing.get_data(as_text=True)
    assert _count(InterviewNote) == 0

    other_question = make_guide(("core",)).items[0].question_id
    assert member_client.post(_note_url(interview, other_question), data={}).status_code == 404
    assert member_client.post("/discovery/interviews/999/notes/1", data={}).status_code == 404

    interviews.cancel(interview)
    cancelled = member_client.post(url, data={field: "Too late"}, headers=PARTIAL)
    assert cancelled.status_code == 422 and "cancelled" in cancelled.get_data(as_text=True)
    assert _count(InterviewNote) == 0


def test_viewers_cannot_write_notes(viewer_client, app):
    interview = make_interview()
    response = viewer_client.post(_note_url(interview), data={}, headers=PARTIAL)
    assert response.status_code == 403
    page = viewer_client.get(f"/discovery/interviews/{interview.id}").get_data(as_text=True)
    assert "<textarea" not in page and "Close the interview" not in page


def test_without_javascript_the_notes_form_saves_every_box(member_client, app):
    interview = make_interview()
    first, second = (item.question_id for item in interview.guide.items[:2])
    url = f"/discovery/interviews/{interview.id}/notes"
    data = {f"note-{first}": "Easy start", f"note-{second}": "The real reason"}
    response = member_client.post(url, data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/discovery/interviews/{interview.id}#notes"
    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Notes saved." in page and "The real reason</textarea>" in page

    # All or nothing: one box over the limit keeps everything as it was, typing shown again.
    data = {f"note-{first}": "Changed start", f"note-{second}": "y" * 5001}
    refused = member_client.post(url, data=data)
    assert refused.status_code == 422
    assert "Changed start</textarea>" in refused.get_data(as_text=True)
    texts = {n.question_id: n.text for n in db.session.scalars(select(InterviewNote))}
    assert texts == {first: "Easy start", second: "The real reason"}
    assert member_client.post(url, data={"note-999999": "x"}).status_code == 404


def test_the_page_closing_saves_quietly(member_client, app):
    interview = make_interview()
    question = interview.guide.items[0].question_id
    url = f"/discovery/interviews/{interview.id}/notes"
    response = member_client.post(url, data={f"note-{question}": "Last words", "quiet": "1"})
    assert response.status_code == 204
    assert db.session.scalar(select(InterviewNote.text)) == "Last words"


def test_the_run_view(member_client, app):
    interview = make_interview(
        guide=make_guide(("warm_up", "core", "sensitive"), budget_minutes=12)
    )
    page = member_client.get(f"/discovery/interviews/{interview.id}").get_data(as_text=True)
    started = interview.started_at.isoformat()
    assert f'data-started-at="{started}"' in page and 'data-budget-seconds="720"' in page
    assert re.search(r"<span data-elapsed>00:0\d</span>", page)
    assert "ask later" in page and 'hx-trigger="input changed delay:800ms' in page
    assert page.count("data-autosave") == 3
    assert "Close the interview" in page
    scheduled = make_interview(start=False)
    page = member_client.get(f"/discovery/interviews/{scheduled.id}").get_data(as_text=True)
    assert "Start the interview" in page and "data-started-at" not in page
    clock = member_client.post(f"/discovery/interviews/{scheduled.id}/start", headers=PARTIAL)
    assert clock.status_code == 200
    assert clock.get_data(as_text=True).lstrip().startswith('<section id="interview-clock"')
    assert "data-started-at" in clock.get_data(as_text=True)


# --- Closing ------------------------------------------------------------------------------


@pytest.fixture
def held_setup(app, member):
    late = make_reason("Delivery problems", "Late deliveries")
    price = make_reason("Price", "Too high")
    account = make_account(customer=[price])
    interview = make_interview(account, interviewer=member)
    return interview, late, price


def _close_data(late, owner, **extra) -> dict:
    data = {
        "summary": "They left over late deliveries, not price.",
        "key_quotes": "“We stopped trusting the deliveries.”",
        "reasons": [str(late.id)],
        "primary": str(late.id),
        "words": "Three late deliveries in a month.",
        "follow_up_permission": "yes",
        "action_items-0-what": "Send the on-time figures",
        "action_items-0-owner_id": str(owner.id),
        "action_items-0-due_on": (today_local() + timedelta(days=3)).isoformat(),
        "incentive_status": "pledged",
        "charity": "WaterAid",
        "amount": "50",
    }
    data.update(extra)
    return data


def test_closing_records_everything_and_reaches_the_account(member_client, member, held_setup):
    interview, late, _ = held_setup
    url = f"/discovery/interviews/{interview.id}/close"
    response = member_client.post(url, data=_close_data(late, member), headers=PARTIAL)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/discovery/interviews/{interview.id}"

    interview = _fresh(Interview, interview.id)
    assert interview.status == "held" and interview.ended_at is not None
    assert interview.follow_up_permission is True
    assert interview.key_quotes == "“We stopped trusting the deliveries.”"
    account = db.session.get(Account, interview.account_id)
    assert account.friendly
    assert account.customer_primary_id == late.id
    assert account.customer_words == "Three late deliveries in a month."
    choice = account.reasons_for("customer")[0]
    assert (choice.source, choice.noted_on) == ("interview", today_local())
    fields = set(db.session.scalars(select(AccountChange.field)))
    assert {"customer_reasons", "customer_words", "friendly"} <= fields
    item = db.session.scalar(select(ActionItem))
    assert (item.what, item.owner_id, item.interview_id) == (
        "Send the on-time figures",
        member.id,
        interview.id,
    )
    incentive = db.session.scalar(select(Incentive))
    assert (incentive.status, incentive.amount, incentive.charity) == (
        "pledged",
        Decimal("50.00"),
        "WaterAid",
    )
    assert incentive.contact_id == interview.contact_id and incentive.pledged_at is not None

    page = member_client.get(f"/discovery/interviews/{interview.id}").get_data(as_text=True)
    assert "What we learnt" in page and "Send the on-time figures" in page
    assert "Close the interview" not in page


def test_closing_twice_changes_nothing(member_client, member, held_setup):
    interview, late, _ = held_setup
    url = f"/discovery/interviews/{interview.id}/close"
    assert member_client.post(url, data=_close_data(late, member)).status_code == 303
    ended = _fresh(Interview, interview.id).ended_at
    again = member_client.post(url, data=_close_data(late, member, summary="Another"))
    assert again.status_code == 303
    page = member_client.get(again.headers["Location"]).get_data(as_text=True)
    assert "This interview was already closed." in page
    assert _count(ActionItem) == 1 and _count(Incentive) == 1
    interview = _fresh(Interview, interview.id)
    assert interview.summary.startswith("They left") and interview.ended_at == ended
    with pytest.raises(interviews.AlreadyClosed):
        interviews.close(interview, interviews.Closing(summary="Third"), None, today_local())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"summary": ""}, "Write a short summary of what you heard."),
        ({"summary": "x" * 5001}, "Use at most 5000 characters."),
        ({"action_items-0-due_on": ""}, "Give it a due date."),
        ({"action_items-0-owner_id": ""}, "Choose who will do it."),
        ({"action_items-0-due_on": "2099-01-01"}, "Choose a due date within three years"),
        ({"action_items-0-what": "w" * 301}, "Use at most 300 characters."),
        ({"amount": ""}, "Enter the amount promised."),
        ({"amount": "-5"}, "Enter an amount above 0"),
        ({"amount": "lots"}, "Enter an amount such as 12500"),
        ({"incentive_status": "paid"}, "Not a valid choice."),
        ({"reasons": ["99999"]}, "is not a valid choice"),
        ({"reasons": [], "primary": ""}, None),  # clearing the reasons is allowed
    ],
)
def test_bad_closings_get_422_and_store_nothing(member_client, member, held_setup, change, message):
    interview, late, price = held_setup
    url = f"/discovery/interviews/{interview.id}/close"
    response = member_client.post(url, data=_close_data(late, member, **change), headers=PARTIAL)
    if message is None:
        assert response.status_code == 200
        assert _fresh(Account, interview.account_id).customer_primary_id is None
        return
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert message in page
    assert page.lstrip().startswith('<section id="close-interview"')
    assert _fresh(Interview, interview.id).status == "in_progress"
    assert _count(ActionItem) == 0 and _count(Incentive) == 0
    account = db.session.get(Account, interview.account_id)
    assert account.customer_primary_id == price.id and not account.friendly


def test_a_refused_action_item_is_shown_on_its_own_row(member_client, member, held_setup):
    interview, late, _ = held_setup
    due = (today_local() + timedelta(days=3)).isoformat()
    # Row 0 is fine, row 1 left empty, row 2 refused by the rules (not by the form).
    data = _close_data(
        late,
        member,
        **{
            "action_items-1-what": "",
            "action_items-1-due_on": "",
            "action_items-2-what": "Call their buyer",
            "action_items-2-owner_id": str(member.id),
            "action_items-2-partner_id": str(member.id),
            "action_items-2-due_on": due,
        },
    )
    url = f"/discovery/interviews/{interview.id}/close"
    response = member_client.post(url, data=data, headers=PARTIAL)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    error = re.search(r'<p class="error" id="action_items-(\d)-partner_id-error">([^<]*)', page)
    assert error.groups() == ("2", "The partner must be someone other than the owner.")
    assert page.count('class="error"') == 1
    assert _count(ActionItem) == 0


def test_the_service_names_the_form_row_of_a_refused_action_item(app, member, held_setup):
    interview, _, _ = held_setup
    bad = ("Call their buyer", member, member, today_local())
    closing = interviews.Closing(summary="Heard them out.", action_items=[None, bad])
    with pytest.raises(RuleViolation) as refused:
        interviews.close(interview, closing, member, today_local())
    assert refused.value.field == "action_items-1-partner_id"


def test_closing_after_someone_changed_the_customer_view_is_a_conflict(
    member_client, member, held_setup
):
    interview, late, price = held_setup
    page = member_client.get(f"/discovery/interviews/{interview.id}").get_data(as_text=True)
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)
    from winback_app.accounts import services

    account = db.session.get(Account, interview.account_id)
    services.set_view(account, "customer", [price.id], price.id, "Changed meanwhile", None, None)
    url = f"/discovery/interviews/{interview.id}/close"
    response = member_client.post(
        url, data=_close_data(late, member, version=version), headers=PARTIAL
    )
    assert response.status_code == 409
    assert "Someone else changed the customer&#39;s view" in response.get_data(as_text=True)
    assert _fresh(Interview, interview.id).status == "in_progress"
    assert _count(ActionItem) == 0
    assert _fresh(Account, interview.account_id).customer_words == "Changed meanwhile"


def test_a_cancelled_interview_cannot_be_closed(member_client, member, held_setup):
    interview, late, _ = held_setup
    response = member_client.post(f"/discovery/interviews/{interview.id}/cancel")
    assert response.status_code == 303
    assert _fresh(Interview, interview.id).status == "cancelled"
    closed = member_client.post(
        f"/discovery/interviews/{interview.id}/close",
        data=_close_data(late, member),
        headers=PARTIAL,
    )
    assert closed.status_code == 422 and "cancelled" in closed.get_data(as_text=True)
    assert _count(ActionItem) == 0


# --- Action items: Today, the feed, Done --------------------------------------------------


def _item(account, owner, days: int, what="Send the figures", done=False) -> ActionItem:
    item = action_items.create(
        account.id, what, owner, today_local() + timedelta(days=days), today_local()
    )
    return action_items.complete(item) if done else item


def test_today_lists_my_open_items_overdue_and_this_week(member_client, member, app):
    account = make_account(name="Harbor Logistics")
    _item(account, member, -2, "Overdue item")
    _item(account, member, 0, "Due today item")
    _item(account, member, 7, "End of next week item")
    _item(account, member, 8, "Too far ahead")
    _item(account, member, 0, "Already done", done=True)
    _item(account, make_user(), 0, "Someone else's")
    page = member_client.get("/today").get_data(as_text=True)
    group = page[page.index('id="group-action-items"') :]
    assert 'Action items <span class="count">3</span>' in group
    for shown in ("Overdue item", "Due today item", "End of next week item"):
        assert shown in group
    for hidden in ("Too far ahead", "Already done", "Someone else's"):
        assert hidden not in page
    assert "2 days overdue" in group
    team = member_client.get("/today?view=team").get_data(as_text=True)
    assert 'id="group-action-items"' not in team


def test_today_runs_the_same_queries_for_any_number_of_items(member_client, member, app):
    def count():
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            assert member_client.get("/today").status_code == 200
        return counter.count

    _item(make_account(), member, 0)
    one = count()
    for days in range(-3, 6):
        _item(make_account(), member, days)
    assert count() == one


def test_done_updates_the_row_in_place(member_client, member, app):
    item = _item(make_account(name="Harbor Logistics"), member, 0, "Send the figures")
    url = f"/discovery/action-items/{item.id}/done"
    response = member_client.post(url, data={"next": "/today"}, headers=PARTIAL)
    row = response.get_data(as_text=True)
    assert response.status_code == 200
    assert row.lstrip().startswith(f'<li id="action-item-{item.id}" class="action-item is-done"')
    assert "Done: Send the figures" in response.headers["HX-Trigger"]
    done_at = _fresh(ActionItem, item.id).done_at
    assert done_at is not None
    # A second click is harmless.
    assert member_client.post(url, headers=PARTIAL).status_code == 200
    assert _fresh(ActionItem, item.id).done_at == done_at
    assert 'id="group-action-items"' not in member_client.get("/today").get_data(as_text=True)


def test_done_without_javascript_goes_back_safely(member_client, member, app):
    account = make_account()
    first, second = _item(account, member, 0), _item(account, member, 1)
    back = member_client.post(
        f"/discovery/action-items/{first.id}/done", data={"next": f"/accounts/{account.id}"}
    )
    assert back.headers["Location"] == f"/accounts/{account.id}"
    evil = member_client.post(
        f"/discovery/action-items/{second.id}/done", data={"next": "https://evil.example/"}
    )
    assert evil.headers["Location"] == "/today"
    assert member_client.post("/discovery/action-items/999/done").status_code == 404


def test_the_calendar_feed_has_each_open_item_with_a_stable_uid(member_client, member, app):
    account = make_account(name="Harbor Logistics")
    item = _item(account, member, 2, "Send the figures")
    _item(account, member, 3, "Finished", done=True)
    token = feed.issue_token(member)
    body = member_client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert f"UID:action-{item.id}@winback" in body
    assert "SUMMARY:Send the figures (Harbor Logistics)" in body
    assert "Finished" not in body
    due = (today_local() + timedelta(days=2)).strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{due}" in body


# --- The account page, the lists and the overview -----------------------------------------


def test_the_account_page_shows_its_interviews(member_client, member, held_setup):
    interview, late, _ = held_setup
    account_id = interview.account_id
    page = member_client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert f'href="/discovery/interviews/{interview.id}"' in page
    assert f'href="/discovery/interviews/new?account_id={account_id}"' in page
    assert "Schedule an interview" in page
    member_client.post(
        f"/discovery/interviews/{interview.id}/close", data=_close_data(late, member)
    )
    page = member_client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert "May call again" in page and "Open action items" in page


def test_the_interviews_list_and_the_overview(member_client, member, app):
    upcoming = make_interview(make_account(name="Orion Print"), start=False)
    held = make_interview(make_account(name="Harbor Logistics"))
    interviews.close(held, interviews.Closing(summary="Price was not it."), member, today_local())
    listing = member_client.get("/discovery/interviews/").get_data(as_text=True)
    assert "Orion Print" in listing and "Harbor Logistics" not in listing
    listing = member_client.get("/discovery/interviews/?show=held").get_data(as_text=True)
    assert "Harbor Logistics" in listing and "Orion Print" not in listing
    everything = member_client.get("/discovery/interviews/?show=nonsense&page=-3")
    assert everything.status_code == 200
    hub = member_client.get("/discovery/").get_data(as_text=True)
    assert f"/discovery/interviews/{upcoming.id}" in hub and "Price was not it." in hub
    assert "Schedule an interview" in hub


def test_the_interviews_list_pages_and_a_page_past_the_end_shows_the_last(
    member_client, app, monkeypatch
):
    monkeypatch.setattr(interview_routes, "PER_PAGE", 2)
    for name in ("Alpha", "Beta", "Gamma"):
        make_interview(make_account(name=name), start=False)
    first = member_client.get("/discovery/interviews/?show=all").get_data(as_text=True)
    assert 'href="/discovery/interviews/?show=all&amp;page=2" rel="next"' in first
    beyond = member_client.get("/discovery/interviews/?show=all&page=9").get_data(as_text=True)
    assert beyond.count('class="account-link"') == 1 and "Page 2 of 2" in beyond
    assert '<span class="count">3</span>' in beyond
    assert 'href="/discovery/interviews/?show=all" rel="prev"' in beyond


def test_the_overview_runs_the_same_queries_whatever_the_data(member_client, member, app):
    def count():
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            assert member_client.get("/discovery/").status_code == 200
        return counter.count

    make_interview(interviewer=member)
    _item(make_account(), member, 1)
    one = count()
    for _ in range(4):
        make_interview(start=False)
        _item(make_account(), member, 2)
    make_guide()
    assert count() == one


def test_discovery_demo_data_is_idempotent(app_ctx):
    from winback_app import demo

    demo.seed()
    counts = (_count(Interview), _count(InterviewNote), _count(ActionItem))
    from_interviews = db.session.scalar(
        select(func.count(ActionItem.id)).where(ActionItem.interview_id.is_not(None))
    )
    assert counts[0] == 2 and counts[1] > 0 and from_interviews == 2
    held = db.session.scalar(select(Interview).where(Interview.status == "held"))
    assert held.summary and held.ended_at - held.started_at == timedelta(minutes=16)
    names = set(db.session.scalars(select(func.lower(Account.name))))
    assert "harbor logistics" in names
    demo.seed()
    assert (_count(Interview), _count(InterviewNote), _count(ActionItem)) == counts


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("new", "discovery"),
        ("contacting", "discovery"),
        ("nurture", "discovery"),
        ("plan_drafted", "plan_drafted"),
        ("won_back", "won_back"),
        ("closed", "closed"),
    ],
)
def test_holding_an_interview_moves_the_account_to_discovery(app, member, before, after):
    account = make_account(status=before)
    interview = make_interview(account, interviewer=member)
    interviews.close(interview, interviews.Closing(summary="Heard them."), member, today_local())
    db.session.expire_all()
    assert db.session.get(Account, account.id).status == after
    moved = db.session.scalar(
        select(func.count(AccountChange.id)).where(
            AccountChange.account_id == account.id, AccountChange.field == "status"
        )
    )
    assert moved == (1 if before != after else 0)
