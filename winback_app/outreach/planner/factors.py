"""What makes an account worth calling now: the planner's factors, each a score from 0 to 1
computed in SQL, and their weights."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Float, and_, case, cast, extract, func, literal, select

from winback_app.accounts.models import Account
from winback_app.extensions import db
from winback_app.models import UTCDateTime

CONTRACT_WINDOW_MONTHS = 12
WAIT_FULL_DAYS = 180  # the field's rule: every lost account hears from you every 6 months


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


def days_since(column, now: datetime):
    """SQL for the days between ``column`` and ``now`` (the two databases differ here)."""
    now_param = literal(now, UTCDateTime)
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(now_param) - func.julianday(column)
    return extract("epoch", now_param - column) * (1 / 86400)


def factor_columns(today: date, now: datetime, value_full: float | None) -> dict:
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
    days = days_since(Account.last_contact_at, now)
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


def value_full() -> float | None:
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
