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

from sqlalchemy import Float, and_, case, cast, extract, func, literal, select
from sqlalchemy.orm import joinedload

from winback_app.accounts import services as accounts
from winback_app.accounts.models import Account
from winback_app.extensions import db
from winback_app.formatting import now_local, team_zone
from winback_app.models import UTCDateTime, utcnow
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.attempts.services import hit_ratio
from winback_app.outreach.callbacks.models import Callback
from winback_app.rules import RuleViolation

CONVERSATIONS_MAX = 200
HISTORY_DAYS = 365
THIN_HISTORY = 10  # fewer accounts attempted than this and the team's ratio is not used
DEFAULT_RATIO = Fraction(1, 2)
# A team that reached almost no one would otherwise be told to call thousands of accounts.
MIN_RATIO = Fraction(1, 10)
RECENT_DAYS = 14
CLOSED_STATUSES = ("won_back", "closed")
CONTRACT_WINDOW_MONTHS = 12
WAIT_FULL_DAYS = 180  # the field's rule: every lost account hears from you every 6 months
RESERVES = 10  # candidates shown unticked after the proposal, for the rep to swap in


@dataclass(frozen=True)
class Factor:
    """One part of the score: its points at most, how they are earned, and the words a
    planned call-back's note uses for it."""

    key: str
    label: str
    weight: int
    explanation: str
    because: str


FACTORS = (
    Factor(
        "value",
        "Value",
        30,
        "In proportion to the annual value lost; the top tenth of accounts get full points.",
        "high value",
    ),
    Factor(
        "friendly",
        "Friendly",
        20,
        "Full points when a contact agreed to hear from us again.",
        "friendly",
    ),
    Factor(
        "contract",
        "Contract end",
        20,
        "Full points when the competitor's contract ends this month, falling to none "
        f"{CONTRACT_WINDOW_MONTHS} months out; none once it has ended.",
        "contract ending",
    ),
    Factor(
        "likelihood",
        "Likely to return",
        20,
        "In proportion to the account's likelihood to return (0–10); none when not rated.",
        "likely to return",
    ),
    Factor(
        "waiting",
        "Last attempt",
        10,
        f"Full points when never tried or last tried {WAIT_FULL_DAYS} days ago or more; "
        "in proportion before that.",
        "not tried lately",
    ),
)


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
        earned = sorted((p, f.because) for f in FACTORS if (p := self.points[f.key]) >= 1)
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


def _days_since(column, now: datetime):
    """SQL for the days between ``column`` and ``now`` (the two databases differ here)."""
    now_param = literal(now, UTCDateTime)
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(now_param) - func.julianday(column)
    return extract("epoch", now_param - column) * (1 / 86400)


def _factor_columns(today: date, now: datetime, value_full: float | None) -> dict:
    """SQL expressions for each factor's points, by factor key.

    Every scale is a Python float multiplied in, so neither database does integer division.
    """
    weight = {f.key: float(f.weight) for f in FACTORS}
    value = literal(0.0)
    if value_full:
        share = cast(Account.annual_value_lost, Float) * (1 / value_full)
        value = case(
            (share >= 1, weight["value"]), else_=func.coalesce(share, 0.0) * weight["value"]
        )
    # Whole months from this month to the month the contract ends (start + term).
    months_left = (
        extract("year", Account.contract_start) * 12
        + extract("month", Account.contract_start)
        + Account.contract_term_months
        - (today.year * 12 + today.month)
    )
    contract = case(
        (
            and_(
                Account.contract_start.is_not(None),
                Account.contract_term_months.is_not(None),
                months_left.between(0, CONTRACT_WINDOW_MONTHS),
            ),
            (CONTRACT_WINDOW_MONTHS - months_left) * (weight["contract"] / CONTRACT_WINDOW_MONTHS),
        ),
        else_=0.0,
    )
    days = _days_since(Account.last_contact_at, now)
    waiting = case(
        (Account.last_contact_at.is_(None), weight["waiting"]),
        (days >= WAIT_FULL_DAYS, weight["waiting"]),
        (days <= 0, 0.0),
        else_=days * (weight["waiting"] / WAIT_FULL_DAYS),
    )
    return {
        "value": value,
        "friendly": case((Account.friendly.is_(True), weight["friendly"]), else_=0.0),
        "contract": contract,
        "likelihood": func.coalesce(Account.likelihood, 0) * (weight["likelihood"] / 10),
        "waiting": waiting,
    }


def _value_full() -> float | None:
    """The value from which an account gets the value factor's full points: the top tenth's
    lowest, so one very large account does not flatten everyone else's points."""
    valued = Account.annual_value_lost > 0
    count = db.session.scalar(select(func.count(Account.id)).where(valued))
    if not count:
        return None
    threshold = db.session.scalar(
        select(Account.annual_value_lost)
        .where(valued)
        .order_by(Account.annual_value_lost.desc())
        .offset(max(count // 10 - 1, 0))
        .limit(1)
    )
    return float(threshold)


def _candidates(days: list[date], now: datetime, value_full, limit=None, ids=None):
    """Accounts that may be planned, best first, with their points (one query)."""
    factors = _factor_columns(days[0], now, value_full)
    score = cast(sum(factors.values()), Float).label("score")
    columns = [cast(expression, Float).label(key) for key, expression in factors.items()]
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
        Candidate(account=row[0], score=row.score, points={k: row._mapping[k] for k in factors})
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
    value_full = _value_full()
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
    chosen = _candidates(days, now, _value_full(), ids=ids)
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
