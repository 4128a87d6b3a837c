"""Losses: how many accounts were lost and how much value, by month, quarter, competitor,
segment and kind — one query."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import String, cast, func, literal_column, null, select, union_all

from winback_app.accounts.models import KINDS, Account, Competitor
from winback_app.extensions import db
from winback_app.reports.filters import Filters
from winback_app.reports.sql import VALUE, lost_in_period, money, month_number, quarter_number

NO_DECISION = "No decision"
NO_SEGMENT = "No segment"


@dataclass(frozen=True)
class PeriodRow:
    """Accounts lost and the annual value lost in one month, one quarter, or the whole period."""

    label: str
    start: date
    accounts: int
    value: Decimal


@dataclass(frozen=True)
class GroupRow:
    """Accounts lost and value lost for one competitor, segment or kind; ``key`` is what the
    account list filters on ("none" for no decision, "" for no segment)."""

    label: str
    accounts: int
    value: Decimal
    key: str


@dataclass(frozen=True)
class Losses:
    """The losses of a period, every way the report cuts them."""

    by_month: list[PeriodRow]
    by_quarter: list[PeriodRow]
    total: PeriodRow
    by_competitor: list[GroupRow]
    by_segment: list[GroupRow]
    by_kind: list[GroupRow]


def losses(f: Filters) -> Losses:
    """Accounts lost in the period (by their lost date) that match the filters, counted once
    each, with their annual value lost (none given counts as 0), per month, quarter,
    competitor ("No decision" when none), segment and kind (1 query)."""
    month = month_number(Account.lost_on)
    # The cohort is read once, into the few groups every cut of the report is made of.
    fine = (
        select(
            month.label("month"),
            Account.competitor_id,
            Account.segment,
            Account.kind,
            func.count().label("accounts"),
            func.sum(VALUE).label("value"),
        )
        .where(*lost_in_period(f))
        .group_by(month, Account.competitor_id, Account.segment, Account.kind)
        .cte("fine")
    )
    counted = (func.sum(fine.c.accounts), func.sum(fine.c.value))

    def grouped(name: str, key, label=None):
        return select(literal_column(f"'{name}'"), cast(key, String), label, *counted).group_by(key)

    quarter = quarter_number(fine.c.month)
    by_competitor = (
        select(
            literal_column("'competitor'"),
            cast(fine.c.competitor_id, String),
            Competitor.name,
            *counted,
        )
        .outerjoin(Competitor, Competitor.id == fine.c.competitor_id)
        .group_by(fine.c.competitor_id, Competitor.name)
    )
    rows = db.session.execute(
        union_all(
            grouped("month", fine.c.month, null()),
            grouped("quarter", quarter, null()),
            select(literal_column("'total'"), null(), null(), *counted),
            by_competitor,
            grouped("segment", fine.c.segment, null()),
            grouped("kind", fine.c.kind, null()),
        )
    ).all()
    found: dict[str, dict] = {}
    for group, key, label, accounts, value in rows:
        # PostgreSQL sums counts as numeric.
        found.setdefault(group, {})[key] = (label, int(accounts or 0), money(value))
    months = found.get("month", {})
    quarters = found.get("quarter", {})
    _, accounts, value = found["total"][None]
    return Losses(
        by_month=[
            _period(months, f"{d.year * 100 + d.month}", d, d.strftime("%b %Y"))
            for d in month_starts(f.start, f.end)
        ],
        by_quarter=[
            _period(quarters, f"{d.year * 10 + _quarter(d)}", d, f"Q{_quarter(d)} {d.year}")
            for d in quarter_starts(f.start, f.end)
        ],
        total=PeriodRow("Total", f.start, accounts, value),
        by_competitor=_ranked(
            GroupRow(label or NO_DECISION, n, v, key or "none")
            for key, (label, n, v) in found.get("competitor", {}).items()
        ),
        by_segment=_ranked(
            GroupRow(key or NO_SEGMENT, n, v, key or "")
            for key, (_, n, v) in found.get("segment", {}).items()
        ),
        by_kind=_ranked(
            GroupRow(KINDS.get(key, key), n, v, key)
            for key, (_, n, v) in found.get("kind", {}).items()
        ),
    )


def _period(found: dict, key: str, start: date, label: str) -> PeriodRow:
    _, accounts, value = found.get(key, (None, 0, Decimal("0.00")))
    return PeriodRow(label, start, accounts, value)


def _ranked(rows) -> list[GroupRow]:
    """Biggest value lost first, then most accounts, then by name."""
    return sorted(rows, key=lambda row: (-row.value, -row.accounts, row.label))


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s, oldest first."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def quarter_starts(start: date, end: date) -> list[date]:
    """The first day of every quarter the period touches, oldest first."""
    first = start.replace(month=(_quarter(start) - 1) * 3 + 1, day=1)
    return [day for day in month_starts(first, end) if day.month % 3 == 1]
