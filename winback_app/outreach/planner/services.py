"""The call-list planner: "I want N conversations this week" → the accounts to call.

About half of the lost accounts you try will talk, so N conversations need about N ÷ hit ratio
accounts. The hit ratio is the team's over the last 12 months (50% while that history is too
thin to trust). Accounts are ranked by a score out of 100 built from five factors, computed in
SQL so the list costs one ORDER BY … LIMIT whatever the number of accounts.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import Float, cast, select
from sqlalchemy.orm import joinedload

from winback_app.accounts import services as accounts
from winback_app.accounts.models import Account
from winback_app.extensions import db
from winback_app.formatting import now_local, team_zone
from winback_app.models import utcnow
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.attempts.services import hit_ratio
from winback_app.outreach.callbacks.models import Callback
from winback_app.outreach.planner import factors
from winback_app.rules import RuleViolation

CONVERSATIONS_MAX = 200
HISTORY_DAYS = 365
THIN_HISTORY = 10  # fewer accounts attempted than this and the team's ratio is not used
DEFAULT_RATIO = Fraction(1, 2)
# A team that reached almost no one would otherwise be told to call thousands of accounts.
MIN_RATIO = Fraction(1, 10)
RECENT_DAYS = 14
CLOSED_STATUSES = ("won_back", "closed")
RESERVES = 10  # candidates shown unticked after the proposal, for the rep to swap in


@dataclass(frozen=True)
class Ratio:
    """The hit ratio the planner uses, and where it came from."""

    attempted: int
    reached: int
    used: Fraction

    @property
    def thin(self) -> bool:
        return self.attempted < THIN_HISTORY

    @property
    def floored(self) -> bool:
        return not self.thin and Fraction(self.reached, self.attempted) < MIN_RATIO

    @property
    def percent(self) -> int:
        return round(self.used * 100)


@dataclass
class Candidate:
    """An account the planner proposes, with the points each factor gave it."""

    account: Account
    points: dict[str, float]
    score: float

    @property
    def contract_end(self) -> date | None:
        return accounts.contract_end(self.account)

    @property
    def last_attempt_on(self) -> date | None:
        """The day of the last attempt, in the team's time zone."""
        at = self.account.last_contact_at
        return at.astimezone(team_zone()).date() if at else None

    @property
    def reasons(self) -> str:
        """The factors that earned points, strongest first, for the call-back's note."""
        earned = sorted((p, f.because) for f in factors.FACTORS if (p := self.points[f.key]) >= 1)
        return ", ".join(because for _, because in reversed(earned))


@dataclass
class Proposal:
    """The accounts to call this week to hold ``conversations`` conversations."""

    conversations: int
    ratio: Ratio
    needed: int
    days: list[date]
    value_full: float | None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def picked(self) -> list[Candidate]:
        return self.candidates[: self.needed]

    @property
    def reserves(self) -> list[Candidate]:
        return self.candidates[self.needed :]


def team_ratio(now: datetime | None = None) -> Ratio:
    """The team's hit ratio over the last 12 months; 50% when too few accounts were tried."""
    since = (now or utcnow()) - timedelta(days=HISTORY_DAYS)
    history = hit_ratio(since=since)
    if history.attempted < THIN_HISTORY:
        return Ratio(history.attempted, history.reached, DEFAULT_RATIO)
    ratio = Fraction(history.reached, history.attempted)
    return Ratio(history.attempted, history.reached, max(ratio, MIN_RATIO))


def accounts_needed(conversations: int, ratio: Fraction) -> int:
    """⌈conversations ÷ ratio⌉, in exact arithmetic (10 at 50% is 20, not 20.000001)."""
    return math.ceil(conversations / ratio)


def planning_days(today: date) -> list[date]:
    """The working days left this week, today included; at a weekend, next week's."""
    if today.weekday() >= 5:
        today += timedelta(days=7 - today.weekday())
    return [today + timedelta(days=n) for n in range(5 - today.weekday())]


def _candidates(days: list[date], now: datetime, value_full, limit=None, ids=None):
    """Accounts that may be planned, best first, with their points (one query)."""
    points = factors.factor_columns(days[0], now, value_full)
    score = cast(sum(points.values()), Float).label("score")
    columns = [cast(expression, Float).label(key) for key, expression in points.items()]
    recently_tried = select(Attempt.account_id).where(
        Attempt.at >= now - timedelta(days=RECENT_DAYS)
    )
    booked = select(Callback.account_id).where(
        Callback.done_at.is_(None), Callback.due_on <= days[-1]
    )
    query = (
        select(Account, score, *columns)
        .options(joinedload(Account.owner))
        .where(
            Account.do_not_contact.is_(False),
            Account.status.not_in(CLOSED_STATUSES),
            Account.id.not_in(recently_tried),
            Account.id.not_in(booked),
        )
        .order_by(score.desc(), Account.id)
    )
    if ids is not None:
        query = query.where(Account.id.in_(ids))
    if limit is not None:
        query = query.limit(limit)
    return [
        Candidate(account=row[0], score=row.score, points={k: row._mapping[k] for k in points})
        for row in db.session.execute(query)
    ]


def propose(conversations: int, today: date | None = None, now: datetime | None = None):
    """The proposal for ``conversations`` conversations, with reserves after it."""
    if not 1 <= conversations <= CONVERSATIONS_MAX:
        raise RuleViolation(
            f"Choose between 1 and {CONVERSATIONS_MAX} conversations.", "conversations"
        )
    now = now or utcnow()
    days = planning_days(today or now_local().date())
    ratio = team_ratio(now)
    needed = accounts_needed(conversations, ratio.used)
    value_full = factors.value_full()
    proposal = Proposal(conversations, ratio, needed, days, value_full)
    proposal.candidates = _candidates(days, now, value_full, limit=needed + RESERVES)
    return proposal


def save_plan(account_ids, user, today: date | None = None, now: datetime | None = None):
    """Planned call-backs for ``user``, spread over this week's working days, best first on
    the earliest day; all or nothing, and only for accounts that may still be planned."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        raise RuleViolation("Tick at least one account to plan.", "account_id")
    if len(ids) > accounts_needed(CONVERSATIONS_MAX, MIN_RATIO) + RESERVES:
        raise RuleViolation("That is more accounts than one week can hold.", "account_id")
    now = now or utcnow()
    days = planning_days(today or now_local().date())
    chosen = _candidates(days, now, factors.value_full(), ids=ids)
    if len(chosen) != len(ids):
        missing = len(ids) - len(chosen)
        raise RuleViolation(
            f"{missing} of the ticked accounts can no longer be planned: someone tried them "
            "recently, booked a call-back this week, or marked them do not contact. "
            "The list below is fresh; tick again and save.",
            "account_id",
        )
    callbacks = []
    for index, candidate in enumerate(chosen):
        callback = Callback(
            account_id=candidate.account.id,
            user_id=user.id,
            # Spread evenly, in score order: the best accounts come first in the week.
            due_on=days[index * len(days) // len(chosen)],
            kind="planner",
            note=_note(candidate),
        )
        db.session.add(callback)
        callbacks.append(callback)
    db.session.commit()
    return callbacks


def _note(candidate: Candidate) -> str:
    reasons = candidate.reasons
    return f"Planned: score {round(candidate.score)}" + (f" ({reasons})" if reasons else "")
