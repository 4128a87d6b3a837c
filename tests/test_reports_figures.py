"""Report figures on a small hand-made team whose every answer is worked out below."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import (
    make_account,
    make_callback,
    make_competitor,
    make_contact,
    make_reason,
    make_survey,
    make_user,
)
from tests.helpers import QueryCounter
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.interviews.models import Interview
from winback_app.discovery.invitations.models import Invitation
from winback_app.extensions import db
from winback_app.outreach.attempts.models import Attempt
from winback_app.reports import services
from winback_app.reports.filters import Filters
from winback_app.reports.losses import GroupRow, PeriodRow
from winback_app.reports.progress import FunnelRow, Median
from winback_app.reports.reach import Incentives, OverdueRow, SurveyRow, UserReach
from winback_app.reports.reasons import DisagreeRow, ReasonRow

# Starts and ends mid-quarter, so months and quarters are zero-filled at both ends.
START, END = date(2026, 2, 15), date(2026, 7, 10)
TODAY = date(2026, 7, 1)
_tokens = itertools.count(1)


def _at(day: str, clock: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=UTC)


def _attempt(account, user, day, outcome, clock="10:00"):
    channel = "email" if outcome in ("email_sent", "replied") else "phone"
    db.session.add(
        Attempt(
            account_id=account.id,
            user_id=user.id if user else None,
            channel=channel,
            outcome=outcome,
            at=_at(day, clock),
        )
    )


def _invite(survey, account, sent=None, answered=None):
    contact = make_contact(account)
    db.session.add(
        Invitation(
            survey_id=survey.id,
            account_id=account.id,
            contact_id=contact.id,
            token_hash=f"hash-{next(_tokens)}",
            expires_at=_at("2026-12-31"),
            sent_at=sent and _at(sent),
            answered_at=answered and _at(answered),
        )
    )


def _money(amount) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


@pytest.fixture
def team(app_ctx):
    """Two reps, four reasons in three categories, two competitors, seven accounts (five lost
    in the period, one lost the day before it starts, one with no lost date) and their
    attempts, call-backs, interviews, survey invitations and incentives."""
    ann, ben = make_user(name="Ann Archer"), make_user(name="Ben Baker")
    too_expensive = make_reason("Price", "Too expensive")
    undercut = make_reason("Price", "Competitor undercut")
    slow = make_reason("Service", "Slow support")
    late = make_reason("Delivery", "Late deliveries")
    acme, bright = make_competitor("Acme"), make_competitor("Brightline")
    a1 = make_account(
        lost_on=date(2026, 2, 20),
        annual_value_lost=Decimal("10000"),
        segment="Retail",
        owner_id=ann.id,
        competitor_id=acme.id,
        status="contacting",
        customer=[too_expensive, slow],
        team=[slow, late],
    )
    a2 = make_account(
        lost_on=date(2026, 3, 5),
        annual_value_lost=Decimal("5000"),
        kind="lost_deal",
        segment="Retail",
        owner_id=ann.id,
        competitor_id=acme.id,
        status="won_back",
        value_recovered=Decimal("4000"),
        won_back_on=date(2026, 4, 4),
        customer=[slow],
        team=[slow],
    )
    a3 = make_account(
        lost_on=date(2026, 3, 31),
        annual_value_lost=None,
        kind="lapsed_customer",
        owner_id=ben.id,
        status="new",
    )
    a4 = make_account(
        lost_on=date(2026, 5, 10),
        annual_value_lost=Decimal("20000"),
        segment="Manufacturing",
        owner_id=ben.id,
        competitor_id=bright.id,
        status="nurture",
        customer=[late],
        team=[undercut, too_expensive],
    )
    a5 = make_account(
        lost_on=date(2026, 7, 10),
        annual_value_lost=Decimal("1000"),
        segment="Retail",
        owner_id=ann.id,
        status="won_back",
        value_recovered=Decimal("500.50"),
        won_back_on=date(2026, 7, 20),
        customer=[undercut],
    )
    a6 = make_account(
        lost_on=date(2026, 2, 14),
        annual_value_lost=Decimal("7000"),
        owner_id=ann.id,
        competitor_id=acme.id,
        customer=[too_expensive],
    )
    a7 = make_account(lost_on=None, annual_value_lost=Decimal("3000"), owner_id=ben.id)

    _attempt(a1, ann, "2026-02-18", "reached")  # before the loss: not win-back work
    _attempt(a1, ann, "2026-02-25", "no_answer", "23:30")  # 5 days, by its UTC date
    _attempt(a1, ben, "2026-03-02", "reached")  # first conversation: 10 days
    _attempt(a2, ann, "2026-03-05", "email_sent", "00:00")  # on the lost day: 0 days
    _attempt(a2, ann, "2026-03-08", "replied")  # 3 days
    _attempt(a4, ben, "2026-05-30", "left_voicemail")  # 20 days, never reached
    _attempt(a5, ann, "2026-07-12", "reached")  # 2 days; after the period
    _attempt(a6, ann, "2026-02-14", "no_answer", "23:59")  # before the period
    _attempt(a6, ben, "2026-03-01", "reached")
    _attempt(a6, ben, "2026-07-10", "no_answer", "23:59")  # the period's last minute
    _attempt(a7, ann, "2026-04-01", "no_answer")
    _attempt(a7, None, "2026-04-02", "reached")

    make_callback(a1, ann, date(2026, 6, 20))
    make_callback(a4, ben, date(2026, 6, 30))
    make_callback(a4, ben, date(2026, 5, 1), done_at=_at("2026-05-01"))
    make_callback(a2, ann, TODAY)  # due today: not overdue yet
    make_callback(a7, None, date(2026, 1, 5))
    make_callback(a6, ben, date(2026, 6, 1))

    db.session.add_all(
        [
            Interview(account_id=a1.id, status="held", ended_at=_at("2026-03-10")),
            Interview(account_id=a2.id, status="held", scheduled_at=_at("2026-04-01")),
            Interview(account_id=a4.id, status="held", ended_at=_at("2026-08-01")),
            Interview(account_id=a6.id, status="scheduled", scheduled_at=_at("2026-03-01")),
        ]
    )
    exit_survey = make_survey(status="draft", title="Exit survey")
    check_in = make_survey(status="draft", title="Anniversary check-in")
    _invite(exit_survey, a1, sent="2026-03-01", answered="2026-03-03")
    _invite(exit_survey, a2, sent="2026-03-01")
    _invite(exit_survey, a4, sent="2026-06-01", answered="2026-06-02")
    _invite(exit_survey, a6, sent="2026-01-05", answered="2026-01-06")
    _invite(check_in, a7, sent="2026-04-01")
    _invite(check_in, a3)

    for account, status, amount in (
        (a1, "pledged", "50"),
        (a4, "pledged", "25.50"),
        (a2, "offered", "20"),
        (a6, "paid", "100"),
        (a7, "offered", "10"),
    ):
        db.session.add(Incentive(account_id=account.id, status=status, amount=Decimal(amount)))
    db.session.commit()
    return SimpleNamespace(ann=ann, ben=ben, acme=acme, bright=bright, late=late)


def _period(label, start, accounts, value):
    return PeriodRow(label, start, accounts, _money(value))


def test_losses_by_month_quarter_competitor_segment_and_kind(team):
    found = services.losses(Filters(START, END))
    assert found.by_month == [
        _period("Feb 2026", date(2026, 2, 1), 1, 10000),
        _period("Mar 2026", date(2026, 3, 1), 2, 5000),
        _period("Apr 2026", date(2026, 4, 1), 0, 0),
        _period("May 2026", date(2026, 5, 1), 1, 20000),
        _period("Jun 2026", date(2026, 6, 1), 0, 0),
        _period("Jul 2026", date(2026, 7, 1), 1, 1000),
    ]
    assert found.by_quarter == [
        _period("Q1 2026", date(2026, 1, 1), 3, 15000),
        _period("Q2 2026", date(2026, 4, 1), 1, 20000),
        _period("Q3 2026", date(2026, 7, 1), 1, 1000),
    ]
    assert found.total == _period("Total", START, 5, 36000)
    assert found.by_competitor == [
        GroupRow("Brightline", 1, _money(20000), str(team.bright.id)),
        GroupRow("Acme", 2, _money(15000), str(team.acme.id)),
        GroupRow("No decision", 2, _money(1000), "none"),
    ]
    assert found.by_segment == [
        GroupRow("Manufacturing", 1, _money(20000), "Manufacturing"),
        GroupRow("Retail", 3, _money(16000), "Retail"),
        GroupRow("No segment", 1, _money(0), ""),
    ]
    assert found.by_kind == [
        GroupRow("Former customer", 3, _money(31000), "former_customer"),
        GroupRow("Lost deal", 1, _money(5000), "lost_deal"),
        GroupRow("Lapsed customer", 1, _money(0), "lapsed_customer"),
    ]


def test_losses_follow_each_filter(team):
    by_owner = services.losses(Filters(START, END, owner_id=team.ann.id))
    assert (by_owner.total.accounts, by_owner.total.value) == (3, _money(16000))
    assert [row.label for row in by_owner.by_competitor] == ["Acme", "No decision"]
    by_kind = services.losses(Filters(START, END, kind="lapsed_customer"))
    assert (by_kind.total.accounts, by_kind.by_month[2].accounts) == (1, 0)
    assert by_kind.by_month[1] == _period("Mar 2026", date(2026, 3, 1), 1, 0)
    no_segment = services.losses(Filters(START, END, segment=""))
    assert no_segment.by_segment == [GroupRow("No segment", 1, _money(0), "")]
    retail = services.losses(Filters(START, END, segment="Retail"))
    assert [(row.label, row.accounts) for row in retail.by_quarter] == [
        ("Q1 2026", 2),
        ("Q2 2026", 0),
        ("Q3 2026", 1),
    ]
    # The account lost the day before the period starts comes in with one more day.
    earlier = services.losses(Filters(START - timedelta(days=1), END))
    assert (earlier.total.accounts, earlier.total.value) == (6, _money(43000))


def _reason(category, reason, mentions, accounts, value):
    return ReasonRow(category, reason, mentions, accounts, _money(value))


def test_reasons_in_both_views_and_their_disagreement(team):
    found = services.reasons(Filters(START, END))
    assert found.customer.categories == [
        _reason("Price", None, 2, 2, 11000),
        _reason("Service", None, 2, 1, 5000),
        _reason("Delivery", None, 1, 1, 20000),
        _reason("No reason given", None, 0, 1, 0),
    ]
    assert found.customer.reasons == [
        _reason("Service", "Slow support", 2, 1, 5000),
        _reason("Delivery", "Late deliveries", 1, 1, 20000),
        _reason("Price", "Competitor undercut", 1, 1, 1000),
        _reason("Price", "Too expensive", 1, 1, 10000),
    ]
    assert found.team.categories == [
        _reason("Service", None, 2, 2, 15000),
        _reason("Price", None, 2, 1, 20000),
        _reason("Delivery", None, 1, 0, 0),
        _reason("No reason given", None, 0, 2, 1000),
    ]
    assert found.team.reasons == [
        _reason("Service", "Slow support", 2, 2, 15000),
        _reason("Price", "Competitor undercut", 1, 1, 20000),
        _reason("Delivery", "Late deliveries", 1, 0, 0),
        _reason("Price", "Too expensive", 1, 0, 0),
    ]
    disagreement = found.disagreement
    assert (disagreement.both_views, disagreement.disagree) == (3, 2)
    assert disagreement.rate == pytest.approx(2 / 3)
    assert disagreement.by_category == [
        DisagreeRow("Delivery", 1, 1),
        DisagreeRow("Price", 1, 1),
        DisagreeRow("Service", 1, 0),
    ]


def test_reasons_follow_the_filters_and_keep_retired_reasons(team):
    taxonomy.set_retired(team.late, True)
    taxonomy.set_retired(team.late.category, True)
    found = services.reasons(Filters(START, END, owner_id=team.ben.id))
    assert found.customer.categories == [
        _reason("Delivery", None, 1, 1, 20000),
        _reason("No reason given", None, 0, 1, 0),
    ]
    assert found.team.reasons == [
        _reason("Price", "Competitor undercut", 1, 1, 20000),
        _reason("Price", "Too expensive", 1, 0, 0),
    ]
    assert found.disagreement.by_category == [DisagreeRow("Delivery", 1, 1)]
    assert found.disagreement.rate == 1.0


def test_win_back_funnel_totals_and_medians(team):
    found = services.win_back(Filters(START, END))
    assert found.funnel == [
        FunnelRow("new", "New", 1, _money(0)),
        FunnelRow("researching", "Researching", 0, _money(0)),
        FunnelRow("contacting", "Contacting", 1, _money(10000)),
        FunnelRow("discovery", "Discovery", 0, _money(0)),
        FunnelRow("plan_drafted", "Plan drafted", 0, _money(0)),
        FunnelRow("plan_presented", "Plan presented", 0, _money(0)),
        FunnelRow("won_back", "Won back", 2, _money(6000)),
        FunnelRow("nurture", "Nurture", 1, _money(20000)),
        FunnelRow("closed", "Closed", 0, _money(0)),
    ]
    assert (found.lost, found.value_lost) == (5, _money(36000))
    assert (found.won_back, found.value_recovered) == (2, _money("4500.50"))
    assert found.rate == 0.4
    # First attempts on or after the loss: 0, 2, 5 and 20 days (even: the mean of 2 and 5).
    assert found.to_first_attempt == Median(3.5, 4)
    # First conversations: 2, 3 and 10 days (odd: the middle one).
    assert found.to_first_conversation == Median(3.0, 3)
    # Won back after 30 and 10 days.
    assert found.to_won_back == Median(20.0, 2)


def test_win_back_follows_the_filters(team):
    lost_deals = services.win_back(Filters(START, END, kind="lost_deal"))
    assert (lost_deals.lost, lost_deals.won_back, lost_deals.rate) == (1, 1, 1.0)
    assert lost_deals.value_recovered == _money(4000)
    assert lost_deals.to_won_back == Median(30.0, 1)
    assert lost_deals.to_first_conversation == Median(3.0, 1)
    manufacturing = services.win_back(Filters(START, END, segment="Manufacturing"))
    assert (manufacturing.lost, manufacturing.won_back, manufacturing.rate) == (1, 0, 0.0)
    assert manufacturing.to_first_attempt == Median(20.0, 1)
    assert manufacturing.to_first_conversation == Median(None, 0)
    assert manufacturing.to_won_back == Median(None, 0)


def test_reach_attempts_callbacks_interviews_surveys_and_incentives(team):
    found = services.reach(Filters(START, END), TODAY)
    assert found.by_user == [
        UserReach("Ann Archer", 5, 2, 2 / 3, 3, 2),
        UserReach("Ben Baker", 4, 2, 2 / 3, 3, 2),
        UserReach("Not recorded", 1, 1, 1.0, 1, 1),
    ]
    assert found.total == UserReach("Team", 10, 5, 0.8, 5, 4)
    assert found.overdue == [
        OverdueRow("Ben Baker", 2),
        OverdueRow("Ann Archer", 1),
        OverdueRow("Unassigned", 1),
    ]
    assert found.overdue_total == 4
    assert found.interviews_held == 2
    assert found.surveys == [
        SurveyRow("Anniversary check-in", 1, 0, 0.0),
        SurveyRow("Exit survey", 3, 2, 2 / 3),
    ]
    assert found.survey_total == SurveyRow("All surveys", 4, 2, 0.5)
    assert found.incentives == Incentives(2, _money("75.50"), 2, _money(30))


def test_reach_follows_the_filters(team):
    found = services.reach(Filters(START, END, owner_id=team.ann.id), TODAY)
    assert found.by_user == [
        UserReach("Ann Archer", 4, 2, 1.0, 2, 2),
        UserReach("Ben Baker", 3, 2, 1.0, 2, 2),
    ]
    assert found.total == UserReach("Team", 7, 4, 1.0, 3, 3)
    assert found.overdue == [OverdueRow("Ann Archer", 1), OverdueRow("Ben Baker", 1)]
    assert (found.overdue_total, found.interviews_held) == (2, 2)
    assert found.surveys == [SurveyRow("Exit survey", 2, 1, 0.5)]
    assert found.incentives == Incentives(1, _money(50), 1, _money(20))
    bens = services.reach(Filters(START, END, owner_id=team.ben.id), TODAY)
    assert bens.interviews_held == 0
    # A later "today" makes the call-back due today overdue as well.
    tomorrow = services.reach(Filters(START, END), TODAY + timedelta(days=1))
    assert tomorrow.overdue_total == 5


def test_an_empty_database_gives_zeros_not_errors(app_ctx):
    f = Filters(START, END)
    assert services.is_empty()
    losses = services.losses(f)
    assert [row.accounts for row in losses.by_month] == [0] * 6
    assert losses.total == _period("Total", START, 0, 0)
    assert losses.by_competitor == losses.by_segment == losses.by_kind == []
    reasons = services.reasons(f)
    assert reasons.customer.categories == reasons.team.reasons == []
    assert reasons.disagreement.rate is None
    win_back = services.win_back(f)
    assert [row.accounts for row in win_back.funnel] == [0] * 9
    assert (win_back.lost, win_back.won_back, win_back.rate) == (0, 0, None)
    assert win_back.to_first_attempt == Median(None, 0)
    reach = services.reach(f, TODAY)
    assert reach.by_user == reach.overdue == reach.surveys == []
    assert reach.total == UserReach("Team", 0, 0, None)
    assert reach.survey_total == SurveyRow("All surveys", 0, 0, None)
    assert reach.incentives == Incentives(0, _money(0), 0, _money(0))


def test_is_empty_turns_false_with_an_account_of_any_date(app_ctx):
    make_account(lost_on=None)
    assert not services.is_empty()


def _busy_accounts(count, user, reason, competitor):
    """Accounts lost across the period, each with reasons, attempts and a call-back."""
    for n in range(count):
        account = make_account(
            lost_on=START + timedelta(days=n % 140),
            competitor_id=competitor.id if n % 2 else None,
            segment=f"Segment {n % 7}",
            owner_id=user.id,
            customer=[reason],
            team=[reason],
        )
        _attempt(account, user, str(account.lost_on + timedelta(days=3)), "reached")
        make_callback(account, user, date(2026, 6, 1))


def _queries(app) -> int:
    f = Filters(START, END)
    with QueryCounter(db.engine) as counter:
        services.losses(f)
        services.reasons(f)
        services.win_back(f)
        services.reach(f, TODAY)
        services.is_empty()
    return counter.count


def test_the_whole_report_runs_the_same_few_queries_at_any_size(app, app_ctx):
    user, reason, competitor = make_user(), make_reason(), make_competitor()
    _busy_accounts(5, user, reason, competitor)
    few = _queries(app)
    _busy_accounts(45, user, reason, competitor)
    assert _queries(app) == few <= 8
