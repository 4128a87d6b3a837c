"""The outreach panel on the account page: logging attempts and handling call-backs."""

from datetime import date, timedelta

import pytest

from tests.factories import make_account, make_contact
from tests.helpers import PARTIAL
from winback_app.accounts.models import Account
from winback_app.extensions import db
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks import services as schedule
from winback_app.outreach.callbacks.models import Callback

# Call-backs are due, snoozed and refused by the days around today.
pytestmark = pytest.mark.usefixtures("frozen_today")


def test_panel_is_on_the_account_page(member_client, app):
    account = make_account()
    body = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert 'id="outreach"' in body and "Log an attempt" in body and "No attempts yet" in body


def test_logging_an_attempt_returns_the_panel(member_client, member, app):
    account = make_account(status="new")
    contact = make_contact(account, name="Ann Lee")
    data = {
        "contact_id": str(contact.id),
        "channel": "phone",
        "outcome": "reached",
        "notes": "Open to a call next month",
        "duration_minutes": "12",
    }
    response = member_client.post(f"/accounts/{account.id}/attempts", data=data, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Open to a call next month" in body and "100%" in body
    assert "accountChanged" in response.headers["HX-Trigger"]
    db.session.expire_all()
    assert db.session.get(Account, account.id).status == "contacting"
    attempt = db.session.query(Attempt).one()
    assert (attempt.user_id, attempt.contact_id, attempt.duration_minutes) == (
        member.id,
        contact.id,
        12,
    )


def test_logging_without_javascript_redirects_to_the_panel(member_client, app):
    account = make_account()
    response = member_client.post(
        f"/accounts/{account.id}/attempts", data={"channel": "email", "outcome": "email_sent"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/accounts/{account.id}#outreach"


def test_bad_attempts_are_422_in_place(member_client, app):
    account = make_account(do_not_contact=True)
    url = f"/accounts/{account.id}/attempts"
    response = member_client.post(
        url,
        data={
            "channel": "phone",
            "outcome": "reached",
            "duration_minutes": "999",
            "at": "not a date",
        },
        headers=PARTIAL,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "between 0 and 600" in body and "Not a valid datetime value" in body
    dnc = member_client.post(url, data={"channel": "phone", "outcome": "reached"}, headers=PARTIAL)
    assert dnc.status_code == 422 and "marked do not contact" in dnc.get_data(as_text=True)
    future = (date.today() + timedelta(days=2)).isoformat() + "T10:00"
    ahead = member_client.post(
        url,
        data={
            "channel": "phone",
            "outcome": "reached",
            "at": future,
            "confirm_do_not_contact": "y",
        },
        headers=PARTIAL,
    )
    assert ahead.status_code == 422 and "cannot be in the future" in ahead.get_data(as_text=True)
    assert db.session.query(Attempt).count() == 0
    ok = member_client.post(
        url,
        data={"channel": "phone", "outcome": "reached", "confirm_do_not_contact": "y"},
        headers=PARTIAL,
    )
    assert ok.status_code == 200


def test_callbacks_added_snoozed_and_done_from_the_panel(member_client, member, app):
    account = make_account()
    base = f"/accounts/{account.id}/callbacks"
    member_client.post(
        base, data={"weeks": "2", "note": "Ask about the new depot"}, headers=PARTIAL
    )
    callback = db.session.query(Callback).one()
    assert callback.due_on == date.today() + timedelta(weeks=2)
    assert callback.user_id == member.id and callback.note == "Ask about the new depot"
    past = member_client.post(
        f"{base}/{callback.id}/snooze",
        data={"until": (date.today() - timedelta(days=1)).isoformat()},
        headers=PARTIAL,
    )
    assert past.status_code == 422 and "after today" in past.get_data(as_text=True)
    member_client.post(f"{base}/{callback.id}/snooze", data={"until": ""}, headers=PARTIAL)
    db.session.expire_all()
    assert db.session.get(Callback, callback.id).due_on == date.today() + timedelta(weeks=3)
    done = member_client.post(f"{base}/{callback.id}/done", headers=PARTIAL)
    assert "No call-backs planned." in done.get_data(as_text=True)
    bad = member_client.post(base, data={"due_on": "2001-01-01"}, headers=PARTIAL)
    assert bad.status_code == 422 and "today or a later date" in bad.get_data(as_text=True)
    none = member_client.post(base, data={}, headers=PARTIAL)
    assert none.status_code == 422


def test_callback_of_another_account_is_404(member_client, app):
    account, other = make_account(), make_account()
    callback = schedule.add_callback(other, None, date.today())
    url = f"/accounts/{account.id}/callbacks/{callback.id}/done"
    assert member_client.post(url).status_code == 404
    assert member_client.post("/accounts/999/attempts", data={}).status_code == 404
