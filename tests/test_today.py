"""Today (the reps' home page), its row actions, the team view and friendly losses."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_account, make_callback, make_contact, make_reason, make_user
from tests.helpers import PARTIAL, QueryCounter
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.outreach.today import services as today

# Overdue, due today and this week are counted from today, and hit ratios over days back.
pytestmark = pytest.mark.usefixtures("frozen_today")


def _day(offset: int):
    return today_local() + timedelta(days=offset)


def _reload(callback) -> Callback:
    db.session.expire_all()
    return db.session.get(Callback, callback.id)


def _flash(response) -> str:
    return json.loads(response.headers["HX-Trigger"])["flash"]["message"]


def harbor_account(owner=None):
    """Harbor Logistics: both views of why it left, and Ann Lee as its primary contact."""
    account = make_account(
        name="Harbor Logistics",
        owner_id=owner.id if owner else None,
        customer=[make_reason("Price", "Too high")],
        team=[make_reason("Delivery", "Late trucks")],
    )
    make_contact(account, name="Zed Other", email="zed@harbor.example")
    make_contact(
        account,
        name="Ann Lee",
        phone="+44 20 7946 0000",
        email="ann@harbor.example",
        is_primary=True,
    )
    return account


@pytest.fixture
def harbor(member):
    """The member's Harbor Logistics, called (no answer) yesterday."""
    account = harbor_account(member)
    attempts.log_attempt(
        account, member, channel="phone", outcome="no_answer", at=datetime.now(UTC) - timedelta(1)
    )
    return account


# The service


def test_call_backs_split_into_overdue_today_and_this_week(app, member):
    account = make_account()
    overdue = make_callback(account, member, _day(-3))
    due_today = make_callback(account, member, _day(0))
    this_week = [make_callback(account, member, _day(n)) for n in (1, 7)]
    make_callback(account, member, _day(8))  # beyond the coming week
    make_callback(account, make_user(), _day(0))  # someone else's
    done = make_callback(account, member, _day(-1))
    done.done_at = datetime.now(UTC)
    db.session.commit()
    mine = today.my_list(member, today_local())
    ids = {group.key: [row.callback.id for row in group.rows] for group in mine.groups}
    assert ids == {
        "overdue": [overdue.id],
        "today": [due_today.id],
        "week": [c.id for c in this_week],
    }
    assert (mine.count("overdue"), mine.count("today"), mine.count("week"), mine.total) == (
        1,
        1,
        2,
        4,
    )


def test_a_row_has_reasons_last_attempt_and_primary_contact(app, member, harbor):
    make_callback(harbor, member, _day(0))
    (row,) = today.my_list(member, today_local()).groups[1].rows
    assert row.account.customer_primary.name == "Too high"
    assert row.account.team_primary.category.name == "Delivery"
    assert row.contact.name == "Ann Lee"
    assert (row.last_attempt.outcome, row.last_attempt.user.name) == ("no_answer", member.name)


def test_groups_show_a_limited_number_of_rows_but_count_them_all(app, member, monkeypatch):
    monkeypatch.setattr(today, "MINE_LIMIT", 2)
    account = make_account()
    for offset in (-5, -4, -3, 1):
        make_callback(account, member, _day(offset))
    overdue, _, week = today.my_list(member, today_local()).groups
    assert (len(overdue.rows), overdue.total) == (2, 3)
    assert [row.days_overdue for row in overdue.rows] == [5, 4]
    assert (len(week.rows), week.total) == (1, 1)


def test_team_list_is_by_person_with_unassigned_last(app, member):
    bea, cal = make_user(name="Bea Brown"), make_user(name="Cal Clark")
    account = make_account()
    make_callback(account, cal, _day(-1))
    make_callback(account, bea, _day(0))
    make_callback(account, None, _day(2))
    other = make_account()
    attempts.log_attempt(other, member, channel="phone", outcome="reached")
    people = today.team_list(today_local(), datetime.now(UTC) - timedelta(days=30))
    names = [p.user.name if p.user else None for p in people]
    assert names == ["Bea Brown", "Cal Clark", member.name, None]
    assert [p.total for p in people] == [1, 1, 0, 1]
    assert people[2].ratio.percent == "100%"
    assert people[0].ratio.attempted == 0 and people[3].ratio is None


# The page


def test_home_sends_reps_to_today(member_client):
    response = member_client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/today")


def test_today_shows_each_row_with_what_the_call_needs(member_client, member, harbor):
    make_callback(harbor, member, _day(-2), note="Ask about the new trucks")
    make_callback(harbor, member, _day(0), kind="nurture")
    make_callback(harbor, member, _day(3))
    body = member_client.get("/today").get_data(as_text=True)
    assert "Good " in body and "You have 1 overdue, 1 due today and 1 more this week." in body
    assert "Overdue" in body and "Due today" in body and "This week" in body
    assert "2 days overdue" in body and "Ask about the new trucks" in body
    assert "Keep in touch" in body
    assert "Too high" in body and "Late trucks" in body
    assert "Call · No answer" in body
    assert 'href="tel:+442079460000"' in body and 'href="mailto:ann@harbor.example"' in body
    assert "Log attempt" in body and "Snooze a week" in body and "Done" in body


def test_a_contract_call_back_says_when_the_contract_ends(member_client, member):
    start = today_local().replace(day=1) - timedelta(days=400)
    account = make_account(owner_id=member.id, contract_start=start, contract_term_months=36)
    make_callback(account, member, _day(0), kind="contract")
    body = member_client.get("/today").get_data(as_text=True)
    assert "Contract timing" in body and "contract ends in" in body


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_today_is_the_team_s_local_date(config, member_client, member, zone):
    # UTC+14 and UTC−12: at any hour, at least one of them is on another date than UTC.
    config["WINBACK_TIMEZONE"] = zone
    make_callback(make_account(name="Local Day"), member, today_local())
    body = member_client.get("/today").get_data(as_text=True)
    assert "You have 0 overdue, 1 due today" in body


def test_an_empty_today_explains_where_call_backs_come_from(member_client):
    body = member_client.get("/today").get_data(as_text=True)
    assert "Nothing due this week" in body
    assert "Contract timing" in body and "nurture" in body and "call planner" in body


@pytest.fixture
def ratios(member):
    """Member: reached 10 days ago, no answer 60 days ago; someone else reached 200 days ago."""
    someone = make_user()

    def attempt(user, outcome, days):
        at = datetime.now(UTC) - timedelta(days=days)
        attempts.log_attempt(make_account(), user, channel="phone", outcome=outcome, at=at)

    attempt(member, "reached", 10)
    attempt(member, "no_answer", 60)
    attempt(someone, "reached", 200)


@pytest.mark.parametrize(
    ("query", "mine", "team"),
    [
        ("", "1 of 1 account", "1 of 1 account"),
        ("?period=90", "1 of 2 accounts", "1 of 2 accounts"),
        ("?period=365", "1 of 2 accounts", "2 of 3 accounts"),
        ("?period=7", "1 of 1 account", "1 of 1 account"),
        ("?period=lots", "1 of 1 account", "1 of 1 account"),
    ],
)
def test_hit_ratio_for_the_chosen_period(member_client, ratios, query, mine, team):
    body = member_client.get(f"/today{query}").get_data(as_text=True)
    you, _, rest = body.partition("<dt>You</dt>")
    assert mine in rest.partition("<dt>Team</dt>")[0]
    assert team in rest.partition("<dt>Team</dt>")[2]


def test_changing_the_period_swaps_the_body_only(member_client, ratios):
    response = member_client.get("/today?period=90", headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<div id="today-body"') and "50%" in body
    assert '<option selected value="90">' in body
    assert "HX-Request-Type" in response.headers["Vary"]


def test_team_view_shows_each_person_counts_and_hit_ratio(member_client, member, ratios):
    bea = make_user(name="Bea Brown")
    account = make_account(name="Orion Print")
    make_callback(account, bea, _day(-1))
    make_callback(account, None, _day(1))
    body = member_client.get("/today?view=team&period=90").get_data(as_text=True)
    assert "By person" in body and "Bea Brown" in body and "Unassigned" in body
    assert member.name in body and "50%" in body
    assert "1 overdue · 0 today · 0 this week" in body
    assert "Orion Print" in body
    assert 'action="/today/callbacks/1/snooze?view=team&amp;period=90"' in body


def test_viewers_read_today_without_actions(viewer_client, viewer):
    make_callback(make_account(name="Read Only"), viewer, _day(0))
    body = viewer_client.get("/today").get_data(as_text=True)
    assert "Read Only" in body
    assert "Snooze a week" not in body and "Your calendar" not in body
    assert viewer_client.post("/today/callbacks/1/done").status_code == 403


# Row actions


def test_the_log_form_opens_in_the_row(member_client, member, harbor):
    callback = make_callback(harbor, member, _day(0))
    url = f"/today/callbacks/{callback.id}/attempt"
    fragment = member_client.get(url, headers=PARTIAL).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<li id="callback-{callback.id}"')
    assert "<form" in fragment and 'name="outcome"' in fragment and "Cancel" in fragment
    assert "Log it anyway" not in fragment
    page = member_client.get(url).get_data(as_text=True)
    assert "<html" in page and f'id="cb{callback.id}-outcome"' in page
    row = member_client.get(f"/today/callbacks/{callback.id}", headers=PARTIAL)
    assert 'class="today-log"' not in row.get_data(True) and "Snooze a week" in row.get_data(True)
    assert member_client.get(f"/today/callbacks/{callback.id}").status_code == 302


def test_logging_an_attempt_completes_the_call_back_in_place(member_client, member, harbor):
    callback = make_callback(harbor, member, _day(-1))
    ann = harbor.contacts[0]
    response = member_client.post(
        f"/today/callbacks/{callback.id}/attempt",
        data={"contact_id": ann.id, "channel": "phone", "outcome": "reached", "notes": "Keen"},
        headers=PARTIAL,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "is-done" in body and "done</strong> — reached (call)" in body
    assert _flash(response) == "Harbor Logistics: reached, logged. Call-back done."
    saved = _reload(callback)
    assert saved.done_at is not None
    assert (saved.attempt.outcome, saved.attempt.contact_id, saved.attempt.notes) == (
        "reached",
        ann.id,
        "Keen",
    )


def test_logging_without_javascript_goes_back_to_today(member_client, member, harbor):
    callback = make_callback(harbor, member, _day(0))
    response = member_client.post(
        f"/today/callbacks/{callback.id}/attempt?view=team&period=90",
        data={"channel": "email", "outcome": "email_sent"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/today?view=team&period=90"
    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Harbor Logistics: email sent, logged. Call-back done." in page


def test_do_not_contact_needs_the_log_anyway_box(member_client, member):
    account = make_account(name="Keep Away", do_not_contact=True)
    callback = make_callback(account, member, _day(0))
    url = f"/today/callbacks/{callback.id}/attempt"
    assert "Log it anyway" in member_client.get(url, headers=PARTIAL).get_data(as_text=True)
    data = {"channel": "phone", "outcome": "no_answer", "notes": "Tried once"}
    refused = member_client.post(url, data=data, headers=PARTIAL)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "marked do not contact" in body
    assert "Tried once" in body and "<html" not in body
    assert db.session.query(Attempt).count() == 0 and _reload(callback).done_at is None
    accepted = member_client.post(url, data=data | {"confirm_do_not_contact": "y"}, headers=PARTIAL)
    assert accepted.status_code == 200 and _reload(callback).done_at is not None


def test_a_bad_attempt_is_a_422_in_the_row_or_on_the_page(member_client, member, harbor):
    callback = make_callback(harbor, member, _day(0))
    url = f"/today/callbacks/{callback.id}/attempt"
    data = {"channel": "fax", "outcome": "reached", "notes": "x" * 6000}
    partial = member_client.post(url, data=data, headers=PARTIAL)
    assert partial.status_code == 422 and "Not a valid choice" in partial.get_data(True)
    page = member_client.post(url, data=data)
    assert page.status_code == 422 and "<html" in page.get_data(True)
    assert _reload(callback).done_at is None


def test_snooze_a_week_or_to_a_date(member_client, member, harbor):
    callback = make_callback(harbor, member, _day(-2))
    url = f"/today/callbacks/{callback.id}/snooze"
    response = member_client.post(url, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "is-snoozed" in body and "snoozed to" in body
    assert _reload(callback).due_on == _day(7) and _reload(callback).snoozed_from == _day(-2)
    assert "snoozed to" in _flash(response)
    response = member_client.post(url, data={"until": _day(20).isoformat()})
    assert response.status_code == 303 and response.headers["Location"] == "/today"
    assert _reload(callback).due_on == _day(20) and _reload(callback).snoozed_from == _day(-2)


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (-1, "Snooze to a date after today."),
        (0, "Snooze to a date after today."),
        ("31/12/2030", "Enter a date after today, such as"),
        ("2030-02-30", "Enter a date after today, such as"),
    ],
)
def test_snoozing_into_the_past_or_to_no_date_is_refused_in_place(
    member_client, member, harbor, until, message
):
    callback = make_callback(harbor, member, _day(1))
    value = _day(until).isoformat() if isinstance(until, int) else until
    url = f"/today/callbacks/{callback.id}/snooze"
    response = member_client.post(url, data={"until": value}, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert body.lstrip().startswith(f'<li id="callback-{callback.id}"')
    assert f'value="{value}" aria-invalid="true"' in body
    assert _reload(callback).due_on == _day(1)
    page = member_client.post(url, data={"until": value})
    assert page.status_code == 422 and message in page.get_data(True)


def test_done_marks_the_call_back_done_in_place(member_client, member, harbor):
    callback = make_callback(harbor, member, _day(0))
    attempts.log_attempt(harbor, member, channel="email", outcome="email_sent")
    response = member_client.post(f"/today/callbacks/{callback.id}/done", headers=PARTIAL)
    assert response.status_code == 200 and "is-done" in response.get_data(True)
    assert _flash(response) == "Harbor Logistics: call-back done."
    assert _reload(callback).done_at is not None
    # The attempt made on the account today is taken as what did it.
    assert _reload(callback).attempt.outcome == "email_sent"
    # A done call-back cannot be snoozed.
    again = member_client.post(f"/today/callbacks/{callback.id}/snooze", headers=PARTIAL)
    assert again.status_code == 422 and "already done" in again.get_data(True)


def test_done_without_javascript_redirects_with_a_flash(member_client, member, harbor):
    callback = make_callback(harbor, member, _day(0))
    response = member_client.post(f"/today/callbacks/{callback.id}/done?period=365")
    assert response.status_code == 303 and response.headers["Location"] == "/today?period=365"
    page = member_client.get("/today?period=365").get_data(as_text=True)
    assert "Harbor Logistics: call-back done." in page


@pytest.mark.parametrize("action", ["", "/attempt", "/snooze", "/done"])
def test_unknown_call_backs_are_404(member_client, action):
    method = member_client.get if action in ("", "/attempt") else member_client.post
    assert method(f"/today/callbacks/999{action}").status_code == 404


def _count_queries(client, app, url):
    with QueryCounter(db.engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("url", ["/today", "/today?view=team"])
def test_today_runs_the_same_queries_for_5_and_50_rows(member_client, member, app, url):
    reason = make_reason("Service", "Slow")

    def add(n):
        for i in range(n):
            account = make_account(customer=[reason], team=[reason])
            make_contact(account, is_primary=True)
            attempts.log_attempt(account, member, channel="phone", outcome="no_answer")
            assignee = member if i % 3 else make_user()
            make_callback(account, assignee, _day(i % 9 - 3))

    add(5)
    five = _count_queries(member_client, app, url)
    add(45)
    fifty = _count_queries(member_client, app, url)
    assert five == fifty


# Friendly losses


def test_friendly_losses_with_their_next_call_back(member_client, member):
    price = make_reason("Price", "Too high")
    soon = make_account(name="Soon", friendly=True, owner_id=member.id, customer=[price])
    make_callback(soon, member, _day(30))
    make_callback(soon, member, _day(4))
    finished = make_callback(soon, member, _day(1))
    finished.done_at = datetime.now(UTC)
    db.session.commit()
    make_account(name="Never planned", friendly=True)
    make_account(name="Not friendly")
    body = member_client.get("/outreach/friendly").get_data(as_text=True)
    assert "Soon" in body and "Never planned" in body and "Not friendly" not in body
    assert body.index("Soon") < body.index("Never planned")
    assert _day(4).strftime("%b %Y") in body and "None planned" in body
    assert member.name in body and "Too high" in body and "€12,000" in body
    assert 'aria-current="page">Friendly losses' in body


def test_friendly_losses_empty_state_and_pages(member_client, monkeypatch):
    body = member_client.get("/outreach/friendly").get_data(as_text=True)
    assert "No friendly losses yet" in body
    monkeypatch.setattr(today, "FRIENDLY_PER_PAGE", 2)
    for name in ("A", "B", "C"):
        make_account(name=f"Friendly {name}", friendly=True)
    second = member_client.get("/outreach/friendly?page=2").get_data(as_text=True)
    assert "Friendly C" in second and "Friendly A" not in second and "2 of 2" in second
    beyond = member_client.get("/outreach/friendly?page=99").get_data(as_text=True)
    assert "Friendly C" in beyond


def test_friendly_losses_run_the_same_queries_for_5_and_50(member_client, member, app):
    reason = make_reason("Service", "Slow")

    def add(n):
        for i in range(n):
            account = make_account(friendly=True, owner_id=member.id, customer=[reason])
            if i % 2:
                make_callback(account, member, _day(i))

    add(5)
    five = _count_queries(member_client, app, "/outreach/friendly")
    add(45)
    fifty = _count_queries(member_client, app, "/outreach/friendly")
    assert five == fifty


def test_friendly_losses_leave_out_won_back_and_closed_accounts(member_client, member):
    make_account(name="Still lost", friendly=True, status="nurture")
    won = make_account(name="Came back", friendly=True, status="won_back")
    make_callback(won, member, _day(3))
    make_account(name="Closed off", friendly=True, status="closed")
    body = member_client.get("/outreach/friendly").get_data(as_text=True)
    assert "Still lost" in body
    assert "Came back" not in body and "Closed off" not in body
    assert "Won-back and closed accounts are left out" in body


def test_today_offers_no_call_or_email_where_the_customer_asked_for_none(member_client, member):
    blocked = make_account(name="Keep Away", do_not_contact=True, owner_id=member.id)
    make_contact(blocked, name="Dee Nope", phone="+44 20 1234", email="dee@keepaway.example")
    make_callback(blocked, member, _day(0))
    quiet = make_account(name="Email Shy", owner_id=member.id)
    make_contact(quiet, name="Sam Shy", email="sam@shy.example", do_not_email=True)
    make_callback(quiet, member, _day(0))
    body = member_client.get("/today").get_data(as_text=True)
    keep_away = body.split("Keep Away", 1)[1].split("</li>", 1)[0]
    assert "tel:" not in keep_away and "mailto:" not in keep_away
    assert "Log attempt" not in keep_away and "Do not contact: nobody at this account" in keep_away
    email_shy = body.split("Email Shy", 1)[1].split("</li>", 1)[0]
    assert "mailto:" not in email_shy and "No email" in email_shy and "Log attempt" in email_shy


def test_today_marks_call_backs_of_won_back_and_closed_accounts(member_client, member):
    won = make_account(name="Came Back", status="won_back", owner_id=member.id)
    make_callback(won, member, _day(0))
    body = member_client.get("/today").get_data(as_text=True)
    row = body.split("Came Back", 1)[1].split("</li>", 1)[0]
    assert "Won back" in row and "no longer needed" in row and "Log attempt" not in row


def test_a_row_action_in_the_team_view_brings_the_team_counts(member_client, member):
    late = make_callback(make_account(name="Harbor", owner_id=member.id), member, _day(-1))
    make_callback(make_account(name="Orion", owner_id=member.id), member, _day(2))
    response = member_client.post(f"/today/callbacks/{late.id}/done?view=team", headers=PARTIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'hx-target="#today-team"' in html and f'hx-target="#today-person-{member.id}"' in html
    person = html.split(f'hx-target="#today-person-{member.id}"', 1)[1].split("</hx-partial>")[0]
    assert "0 overdue · 0 today · 1 this week" in person
