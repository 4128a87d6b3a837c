"""The calendar feed: secret addresses, regeneration, and the .ics read back with icalendar."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.factories import make_callback, make_user
from tests.helpers import PARTIAL
from tests.test_today import harbor_account
from winback_app.auth import services as users
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.outreach.calendar import services as feed
from winback_app.outreach.calendar.models import CalendarFeed
from winback_app.outreach.callbacks import services as schedule

# The feed's events are dated some days from today.
pytestmark = pytest.mark.usefixtures("frozen_today")

FEED_URL = re.compile(r'value="http://localhost(/calendar/[A-Za-z0-9_-]+\.ics)"')


def _day(offset: int):
    return today_local() + timedelta(days=offset)


def _events(client, path) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def call_backs(member):
    """Two open call-backs of the member's, one done, and one of someone else's."""
    account = harbor_account()
    first = make_callback(account, member, _day(-2), note="Ask about the new trucks")
    second = make_callback(account, member, _day(10), kind="nurture")
    done = make_callback(account, member, _day(1))
    done.done_at = datetime.now(UTC)
    make_callback(account, make_user(), _day(0))
    db.session.commit()
    return first, second


def test_a_token_is_random_and_only_its_hash_is_stored(app, member):
    token = feed.issue_token(member)
    assert len(token) >= 43  # 32 random bytes
    stored = db.session.query(CalendarFeed).one()
    assert stored.user_id == member.id and token not in stored.token_hash
    assert len(stored.token_hash) == 64
    assert feed.user_for_token(token) == member
    assert feed.issue_token(member) != token
    assert feed.user_for_token(token) is None
    assert db.session.query(CalendarFeed).count() == 1


def test_the_feed_serves_open_call_backs_as_all_day_events(client, member, call_backs):
    first, second = call_backs
    token = feed.issue_token(member)
    response = client.get(f"/calendar/{token}.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response.headers["Cache-Control"]
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == f"Winback — {member.name}"
    events = _events(client, f"/calendar/{token}.ics")
    assert sorted(events) == [f"callback-{first.id}@winback", f"callback-{second.id}@winback"]
    event = events[f"callback-{first.id}@winback"]
    assert event.start == _day(-2) and event.end == _day(-1)  # a date: all day
    assert str(event["SUMMARY"]) == "Call Harbor Logistics"
    description = str(event["DESCRIPTION"])
    assert "Call-back: Ask about the new trucks" in description
    assert "Price › Too high" in description and "Delivery › Late trucks" in description
    assert "Ann Lee · +44 20 7946 0000 · ann@harbor.example" in description
    assert "http://localhost/accounts/" in description
    assert str(event["URL"]).startswith("http://localhost/accounts/")
    assert "Keep in touch" in str(events[f"callback-{second.id}@winback"]["DESCRIPTION"])


def test_uids_stay_the_same_across_requests_and_snoozes(client, member, call_backs):
    first, _ = call_backs
    token = feed.issue_token(member)
    before = _events(client, f"/calendar/{token}.ics")
    schedule.snooze(first, _day(5), today=today_local())
    after = _events(client, f"/calendar/{token}.ics")
    assert sorted(before) == sorted(after)
    assert after[f"callback-{first.id}@winback"].start == _day(5)


def test_a_wrong_replaced_or_deactivated_token_is_404(client, member, call_backs):
    old = feed.issue_token(member)
    new = feed.issue_token(member)
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 500}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    users.set_active(member, False)
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_other_domains_add_events_through_providers(client, member, monkeypatch):
    def action_items(user, link):
        yield feed.FeedEvent(
            uid="action-7@winback",
            day=_day(3),
            summary=f"Send the proposal ({user.name})",
            url=link("today.index"),
        )

    monkeypatch.setattr(feed, "PROVIDERS", [*feed.PROVIDERS, action_items])
    token = feed.issue_token(member)
    events = _events(client, f"/calendar/{token}.ics")
    assert str(events["action-7@winback"]["SUMMARY"]) == f"Send the proposal ({member.name})"
    assert str(events["action-7@winback"]["URL"]) == "http://localhost/today"


def test_making_an_address_from_today_shows_it_once(member_client, member, call_backs):
    page = member_client.get("/today").get_data(as_text=True)
    assert "Make my calendar address" in page and "Subscribe from web" in page
    response = member_client.post("/calendar/new", headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 201 and body.lstrip().startswith('<section id="calendar-feed"')
    path = FEED_URL.search(body).group(1)
    assert "data-select-on-focus" in body and "readonly" in body
    assert "The earlier address no longer works" not in body
    assert member_client.get(path).status_code == 200
    page = member_client.get("/today").get_data(as_text=True)
    assert "Make a new address" in page and path not in page
    # Without JavaScript: the whole page, with the new address; the old one is gone.
    again = member_client.post("/calendar/new")
    assert again.status_code == 201 and "<html" in again.get_data(True)
    assert "The earlier address no longer works" in again.get_data(True)
    assert member_client.get(path).status_code == 404
    assert member_client.get(FEED_URL.search(again.get_data(True)).group(1)).status_code == 200


def test_viewers_cannot_make_an_address(viewer_client):
    assert viewer_client.post("/calendar/new").status_code == 403
