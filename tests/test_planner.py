"""The call-list planner: hit ratio, selection and exclusions, the score, saving, the page."""

import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from tests.factories import make_account, make_user
from tests.helpers import PARTIAL, QueryCounter
from winback_app.extensions import db
from winback_app.formatting import now_local
from winback_app.models import utcnow
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.callbacks import services as schedule
from winback_app.outreach.callbacks.models import Callback
from winback_app.outreach.planner import services as planner
from winback_app.rules import RuleViolation

MONDAY = date(2026, 3, 2)


def _attempt(account, user, days_ago, outcome="no_answer"):
    attempts.log_attempt(
        account, user, channel="phone", outcome=outcome, at=utcnow() - timedelta(days=days_ago)
    )


def _names(proposal) -> list[str]:
    return [c.account.name for c in proposal.candidates]


@pytest.fixture
def rep(app_ctx):
    return make_user(name="Rita Rep")


# --- Hit ratio and how many accounts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("conversations", "ratio", "needed"),
    [
        (10, Fraction(1, 2), 20),
        (1, Fraction(1, 2), 2),
        (7, Fraction(1, 3), 21),
        (5, Fraction(2, 5), 13),
    ],
)
def test_accounts_needed_rounds_up(conversations, ratio, needed):
    assert planner.accounts_needed(conversations, ratio) == needed


def test_thin_history_counts_on_half(app, rep):
    for _ in range(9):
        _attempt(make_account(), rep, 30, "reached")
    ratio = planner.team_ratio()
    assert (ratio.attempted, ratio.used, ratio.thin) == (9, Fraction(1, 2), True)


def test_the_teams_ratio_over_the_last_twelve_months(app, rep):
    for n in range(10):
        _attempt(make_account(), rep, 30, "reached" if n < 4 else "no_answer")
    _attempt(make_account(), rep, 400, "reached")  # older than 12 months: not counted
    ratio = planner.team_ratio()
    assert (ratio.attempted, ratio.reached, ratio.used) == (10, 4, Fraction(2, 5))
    assert not ratio.thin and not ratio.floored and ratio.percent == 40


def test_a_team_that_reached_no_one_still_gets_a_workable_list(app, rep):
    for _ in range(10):
        _attempt(make_account(), rep, 30)
    ratio = planner.team_ratio()
    assert ratio.used == planner.MIN_RATIO and ratio.floored


@pytest.mark.parametrize(
    ("today", "first", "count"),
    [
        (MONDAY, MONDAY, 5),
        (MONDAY + timedelta(days=2), MONDAY + timedelta(days=2), 3),
        (MONDAY + timedelta(days=4), MONDAY + timedelta(days=4), 1),
        (MONDAY + timedelta(days=5), MONDAY + timedelta(days=7), 5),
        (MONDAY + timedelta(days=6), MONDAY + timedelta(days=7), 5),
    ],
)
def test_planning_days_are_this_weeks_working_days(today, first, count):
    days = planner.planning_days(today)
    assert days[0] == first and len(days) == count
    assert all(day.weekday() < 5 for day in days)


# --- Selection, exclusions and the score -------------------------------------------------------


def test_exclusions(app, rep):
    make_account(name="Plain")
    make_account(name="Do not contact", do_not_contact=True)
    make_account(name="Won back", status="won_back")
    make_account(name="Closed", status="closed")
    make_account(name="Nurture", status="nurture")
    _attempt(make_account(name="Tried 13 days ago"), rep, 13)
    _attempt(make_account(name="Tried 15 days ago"), rep, 15)
    booked = make_account(name="Booked this week")
    schedule.add_callback(booked, rep, MONDAY + timedelta(days=3), today=MONDAY)
    overdue = make_account(name="Overdue call-back")
    db.session.add(Callback(account_id=overdue.id, user_id=rep.id, due_on=date(2026, 2, 1)))
    later = make_account(name="Booked next week")
    schedule.add_callback(later, rep, MONDAY + timedelta(days=8), today=MONDAY)
    done = make_account(name="Done call-back")
    finished = schedule.add_callback(done, rep, MONDAY, today=MONDAY)
    schedule.complete(finished, rep)

    proposal = planner.propose(50, today=MONDAY)
    assert sorted(_names(proposal)) == [
        "Booked next week",
        "Done call-back",
        "Nurture",
        "Plain",
        "Tried 15 days ago",
    ]


def test_each_factor_earns_its_points(app, rep):
    now = utcnow()
    make_account(name="Nothing", annual_value_lost=None, last_contact_at=now - timedelta(days=1))
    make_account(
        name="Everything",
        annual_value_lost=Decimal("90000"),
        friendly=True,
        likelihood=7,
        last_contact_at=now - timedelta(days=90),
    )
    ending = make_account(name="Contract", annual_value_lost=Decimal("45000"))
    # May 2024 + 24 months: ends May 2026, two months after the planning week in March.
    ending.contract_start, ending.contract_term_months = date(2024, 5, 10), 24
    db.session.commit()

    proposal = planner.propose(50, today=MONDAY, now=now)
    by_name = {c.account.name: c for c in proposal.candidates}
    assert proposal.value_full == 90000.0
    everything = by_name["Everything"].points
    assert everything["value"] == pytest.approx(30)
    assert everything["friendly"] == pytest.approx(20)
    assert everything["likelihood"] == pytest.approx(14)
    assert everything["contract"] == pytest.approx(0)
    assert everything["waiting"] == pytest.approx(5, abs=0.01)
    contract = by_name["Contract"]
    assert contract.points["value"] == pytest.approx(15)
    assert contract.points["contract"] == pytest.approx(20 * 10 / 12)
    assert contract.points["waiting"] == pytest.approx(10)  # never tried
    assert contract.contract_end == date(2026, 5, 10)
    nothing = by_name["Nothing"]
    assert nothing.score == pytest.approx(10 / 180, abs=0.01)
    assert _names(proposal) == ["Everything", "Contract", "Nothing"]
    assert by_name["Everything"].score == pytest.approx(sum(everything.values()))
    assert by_name["Everything"].reasons.startswith("high value, friendly, likely to return")


@pytest.mark.parametrize(("months_left", "points"), [(-1, 0), (0, 20), (6, 10), (12, 0), (13, 0)])
def test_contract_points_fall_over_twelve_months(app_ctx, months_left, points):
    from winback_app.dates import add_months

    account = make_account(annual_value_lost=None)
    account.contract_term_months = 12
    account.contract_start = add_months(date(2026, 3, 15), months_left - 12)
    db.session.commit()
    (candidate,) = planner.propose(1, today=MONDAY).candidates
    assert candidate.points["contract"] == pytest.approx(points)


def test_the_top_tenth_by_value_gets_full_value_points(app_ctx):
    for value in range(1, 21):
        make_account(annual_value_lost=Decimal(value * 1000))
    proposal = planner.propose(50, today=MONDAY)
    assert proposal.value_full == 19000.0
    full = [c for c in proposal.candidates if c.points["value"] == pytest.approx(30)]
    assert len(full) == 2


def test_the_proposal_is_needed_accounts_then_reserves(app_ctx):
    for n in range(30):
        make_account(name=f"A{n:02}", likelihood=n % 11)
    proposal = planner.propose(5, today=MONDAY)
    assert proposal.needed == 10
    assert len(proposal.picked) == 10 and len(proposal.reserves) == planner.RESERVES
    scores = [c.score for c in proposal.candidates]
    assert scores == sorted(scores, reverse=True)


def test_the_proposal_runs_a_fixed_number_of_queries(app_ctx):
    def count(n):
        for _ in range(n):
            make_account(friendly=True)
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            planner.propose(20, today=MONDAY)
        return counter.count

    assert count(3) == count(40)


@pytest.mark.parametrize("conversations", [0, 201])
def test_conversations_out_of_range_are_refused(app, conversations):
    with pytest.raises(RuleViolation) as caught:
        planner.propose(conversations, today=MONDAY)
    assert caught.value.field == "conversations"


# --- Saving ------------------------------------------------------------------------------------


def test_saving_spreads_planned_call_backs_over_the_week(app, rep):
    accounts = [make_account(name=f"A{n}", likelihood=10 - n) for n in range(7)]
    ids = [a.id for a in accounts]
    callbacks = planner.save_plan(ids + ids[:1], rep, today=MONDAY)
    rows = db.session.scalars(select(Callback).order_by(Callback.due_on, Callback.id)).all()
    assert len(callbacks) == len(rows) == 7
    assert {r.kind for r in rows} == {"planner"} and {r.user_id for r in rows} == {rep.id}
    assert [r.due_on.weekday() for r in rows] == [0, 0, 1, 2, 2, 3, 4]
    assert rows[0].account_id == accounts[0].id  # the best first
    assert all(r.note.startswith("Planned: score ") for r in rows)
    # Planned accounts have a call-back this week now, so they are not proposed again.
    assert planner.propose(10, today=MONDAY).candidates == []


def test_saving_is_all_or_nothing(app, rep):
    fine = make_account()
    banned = make_account(do_not_contact=True)
    with pytest.raises(RuleViolation) as caught:
        planner.save_plan([fine.id, banned.id, 999], rep, today=MONDAY)
    assert "2 of the ticked accounts can no longer be planned" in caught.value.message
    assert db.session.scalar(select(func.count(Callback.id))) == 0
    with pytest.raises(RuleViolation):
        planner.save_plan([], rep, today=MONDAY)


# --- The page ----------------------------------------------------------------------------------


def test_the_page_asks_first(member_client):
    response = member_client.get("/outreach/planner")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-label="Outreach"' in html
    assert 'name="conversations"' in html and 'value="10"' in html
    assert "How the score works" in html and "up to 30" in html
    assert "Save ticked" not in html


def test_a_proposal_full_and_partial(app, member_client):
    make_account(name="Harbor", friendly=True)
    make_account(name="Orion")
    full = member_client.get("/outreach/planner?conversations=1")
    html = full.get_data(as_text=True)
    assert full.status_code == 200 and "<html" in html
    assert "Call 2 accounts for 1 conversation" in html
    assert "too few to go by" in html
    assert html.index("Harbor") < html.index("Orion")
    assert "Save ticked as my call-backs" in html
    partial = member_client.get("/outreach/planner?conversations=1", headers=PARTIAL)
    fragment = partial.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="planner"')
    assert "<html" not in fragment and "How the score works" not in fragment
    assert "HX-Request-Type" in partial.headers["Vary"]


@pytest.mark.parametrize("value", ["0", "201", "ten", ""])
def test_conversations_outside_one_to_two_hundred_is_a_422(member_client, value):
    for headers in ({}, PARTIAL):
        response = member_client.get(f"/outreach/planner?conversations={value}", headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="conversations-error"' in html
        assert f'value="{value}"' in html or value == ""


def test_saving_from_the_page(app, member_client, member):
    accounts = [make_account() for _ in range(3)]
    data = {"conversations": "2", "account_id": [str(a.id) for a in accounts[:2]]}
    response = member_client.post("/outreach/planner", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/outreach/planner")
    rows = db.session.scalars(select(Callback)).all()
    assert {r.account_id for r in rows} == {accounts[0].id, accounts[1].id}
    assert {r.user_id for r in rows} == {member.id}
    days = planner.planning_days(now_local().date())
    assert all(days[0] <= r.due_on <= days[-1] for r in rows)
    page = member_client.get("/outreach/planner").get_data(as_text=True)
    assert "2 accounts planned as your call-backs" in page


def test_saving_from_a_partial_request_answers_with_the_block(app, member_client):
    account = make_account()
    data = {"conversations": "1", "account_id": [str(account.id)]}
    response = member_client.post("/outreach/planner", data=data, headers=PARTIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="planner"')
    assert "1 account planned as your call-backs" in html
    assert "callbacksChanged" in json.loads(response.headers["HX-Trigger"])


def test_saving_a_stale_list_is_a_422_with_the_ticks_kept(app, member_client, rep):
    fresh, taken = make_account(name="Fresh"), make_account(name="Taken")
    _attempt(taken, rep, 1)
    data = {"conversations": "1", "account_id": [str(fresh.id), str(taken.id)]}
    response = member_client.post("/outreach/planner", data=data, headers=PARTIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "1 of the ticked accounts can no longer be planned" in html
    assert f'value="{fresh.id}" id="plan-{fresh.id}" checked' in html
    assert db.session.scalar(select(func.count(Callback.id))) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"conversations": "1"}, "Tick at least one account"),
        ({"conversations": "1", "account_id": ["x"]}, "Tick accounts from the list"),
        ({"conversations": "500", "account_id": ["1"]}, "Choose between 1 and 200"),
    ],
)
def test_saving_bad_input_is_a_422(app, member_client, data, message):
    make_account()
    response = member_client.post("/outreach/planner", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Callback.id))) == 0


def test_viewers_see_the_proposal_but_cannot_save(app, viewer_client):
    account = make_account(name="Harbor")
    html = viewer_client.get("/outreach/planner?conversations=1").get_data(as_text=True)
    assert "Harbor" in html
    assert "Save ticked" not in html and "Viewers can see the proposal" in html
    data = {"conversations": "1", "account_id": [str(account.id)]}
    assert viewer_client.post("/outreach/planner", data=data).status_code == 403
    assert db.session.scalar(select(func.count(Callback.id))) == 0
