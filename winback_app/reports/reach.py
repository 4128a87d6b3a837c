"""Reach and discovery: attempts and hit ratio per user, overdue call-backs, interviews held,
survey response rates and incentives — two queries."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, distinct, func, literal_column, null, select, union_all

from winback_app.auth.models import User
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.interviews.models import Interview
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.surveys.models import Survey
from winback_app.extensions import db
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.reports.filters import Filters
from winback_app.reports.sql import (
    conversation,
    money,
    of_matching_accounts,
    period_instants,
    ratio,
)

TEAM = "Team"
UNASSIGNED = "Unassigned"
NO_USER = "Not recorded"
ALL_SURVEYS = "All surveys"
ZERO = literal_column("0")


@dataclass(frozen=True)
class UserReach:
    """One user's (or the team's) attempts and conversations; the hit ratio is accounts
    reached ÷ accounts attempted, as everywhere else in the app."""

    name: str
    attempts: int
    conversations: int
    hit_ratio: float | None
    accounts_attempted: int = 0
    accounts_reached: int = 0


@dataclass(frozen=True)
class OverdueRow:
    """Open call-backs past their due date for one user."""

    name: str
    callbacks: int


@dataclass(frozen=True)
class SurveyRow:
    """Invitations of one survey sent in the period, and how many were answered."""

    title: str
    sent: int
    answered: int
    rate: float | None


@dataclass(frozen=True)
class Incentives:
    """Thank-yous pledged and not yet paid (owed), and offered but not yet earned."""

    owed_count: int
    owed_amount: Decimal
    offered_count: int
    offered_amount: Decimal


@dataclass(frozen=True)
class Reach:
    """Outreach and discovery work of the period."""

    by_user: list[UserReach]
    total: UserReach
    overdue: list[OverdueRow]
    overdue_total: int
    interviews_held: int
    surveys: list[SurveyRow]
    survey_total: SurveyRow
    incentives: Incentives


def reach(f: Filters, today: date) -> Reach:
    """On accounts matching the owner, kind and segment (lost in any period): attempts made
    in the period (by their UTC date) per user, conversations being attempts that reached
    someone, and the hit ratio accounts reached ÷ accounts attempted; open call-backs due
    before ``today``; interviews held that ended (or were scheduled) in the period; survey
    invitations sent in the period and answered; incentives pledged and offered now
    (2 queries)."""
    by_user, total = _attempts(f)
    other = _discovery(f, today)
    overdue = sorted(
        (
            OverdueRow(name or UNASSIGNED, n)
            for (group, _, name), (n, _, _) in other.items()
            if group == "overdue"
        ),
        key=lambda row: (-row.callbacks, row.name),
    )
    surveys = sorted(
        (
            SurveyRow(title, sent, answered, ratio(answered, sent))
            for (group, _, title), (sent, answered, _) in other.items()
            if group == "survey"
        ),
        key=lambda row: row.title.lower(),
    )
    sent, answered, _ = other.get(("survey_total", None, None), (0, 0, None))
    owed = other.get(("incentive", None, "pledged"), (0, 0, None))
    offered = other.get(("incentive", None, "offered"), (0, 0, None))
    return Reach(
        by_user=by_user,
        total=total,
        overdue=overdue,
        overdue_total=other.get(("overdue_total", None, None), (0,))[0],
        interviews_held=other.get(("interviews", None, None), (0,))[0],
        surveys=surveys,
        survey_total=SurveyRow(ALL_SURVEYS, sent, answered, ratio(answered, sent)),
        incentives=Incentives(owed[0], money(owed[2]), offered[0], money(offered[2])),
    )


def _attempts(f: Filters) -> tuple[list[UserReach], UserReach]:
    """Per user and for the team: attempts, conversations, accounts attempted and reached."""
    since, until = period_instants(f)
    # The period's attempts are read once, into one row per user and account.
    pairs = (
        of_matching_accounts(
            select(
                Attempt.user_id,
                Attempt.account_id,
                func.count().label("attempts"),
                func.sum(case((conversation(Attempt.outcome), 1), else_=0)).label("conversations"),
            ).where(Attempt.at >= since, Attempt.at < until),
            Attempt.account_id,
            f,
        )
        .group_by(Attempt.user_id, Attempt.account_id)
        .cte("pairs")
    )
    reached = pairs.c.conversations > 0
    figures = (func.sum(pairs.c.attempts), func.sum(pairs.c.conversations))
    per_user = select(
        literal_column("'user'").label("grp"),
        pairs.c.user_id.label("user_id"),
        *figures,
        func.count(),
        func.sum(case((reached, 1), else_=0)),
    ).group_by(pairs.c.user_id)
    team = select(
        literal_column("'team'"),
        null(),
        *figures,
        func.count(distinct(pairs.c.account_id)),
        func.count(distinct(case((reached, pairs.c.account_id)))),
    )
    rows = union_all(per_user, team).subquery()
    found = db.session.execute(
        select(rows, User.name).outerjoin(User, User.id == rows.c.user_id)
    ).all()
    people, total = [], UserReach(TEAM, 0, 0, None)
    for group, _, *counts, name in found:
        # PostgreSQL sums counts as numeric; SQLite gives None for a sum of no rows.
        attempts, conversations, attempted, reached_accounts = (int(n or 0) for n in counts)
        row = UserReach(
            TEAM if group == "team" else name or NO_USER,
            attempts,
            conversations,
            ratio(reached_accounts, attempted),
            attempted,
            reached_accounts,
        )
        if group == "team":
            total = row
        else:
            people.append(row)
    people.sort(key=lambda row: (-row.attempts, row.name))
    return people, total


def _discovery(f: Filters, today: date) -> dict:
    """Overdue call-backs, interviews held, survey invitations and incentives, as
    {(what, id, name): (count, second count, amount)} from one union."""
    since, until = period_instants(f)

    def branch(what: str, account_id, key, name, count, second=ZERO, amount=ZERO, where=()):
        query = select(literal_column(f"'{what}'"), key, name, count, second, amount)
        return of_matching_accounts(query.where(*where), account_id, f)

    open_late = (Callback.done_at.is_(None), Callback.due_on < today)
    overdue = branch(
        "overdue", Callback.account_id, Callback.user_id, User.name, func.count(), where=open_late
    ).outerjoin(User, User.id == Callback.user_id)
    held_on = func.coalesce(Interview.ended_at, Interview.scheduled_at)
    sent = (Invitation.sent_at >= since, Invitation.sent_at < until)
    answered = (func.count(), func.count(Invitation.answered_at))
    branches = [
        overdue.group_by(Callback.user_id, User.name),
        branch("overdue_total", Callback.account_id, null(), null(), func.count(), where=open_late),
        branch(
            "interviews",
            Interview.account_id,
            null(),
            null(),
            func.count(),
            where=(Interview.status == "held", held_on >= since, held_on < until),
        ),
        branch("survey", Invitation.account_id, Survey.id, Survey.title, *answered, where=sent)
        .join(Survey, Survey.id == Invitation.survey_id)
        .group_by(Survey.id, Survey.title),
        branch("survey_total", Invitation.account_id, null(), null(), *answered, where=sent),
        branch(
            "incentive",
            Incentive.account_id,
            null(),
            Incentive.status,
            func.count(),
            amount=func.sum(Incentive.amount),
            where=(Incentive.status.in_(("offered", "pledged")),),
        ).group_by(Incentive.status),
    ]
    rows = db.session.execute(union_all(*branches)).all()
    return {(what, key, name): figures for what, key, name, *figures in rows}
