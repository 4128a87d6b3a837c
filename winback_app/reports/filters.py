"""The filters every report takes: a period and, optionally, an owner, a kind and a segment;
the preset periods and the people the reports can be narrowed to.

reports.forms.ReportFilterForm reads them from a query string.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, or_, select

from winback_app.accounts.models import Account
from winback_app.auth.models import User
from winback_app.dates import add_months
from winback_app.extensions import db


@dataclass(frozen=True)
class Filters:
    """What to count: accounts lost (or attempts made, …) from ``start`` to ``end`` inclusive,
    narrowed to one owner, kind or segment when those are set."""

    start: date
    end: date
    owner_id: int | None = None
    kind: str | None = None
    segment: str | None = None


PERIODS = {
    "this_month": "This month",
    "last_month": "Last month",
    "this_quarter": "This quarter",
    "last_quarter": "Last quarter",
    "last_12_months": "Last 12 months",
    "this_year": "This year",
    "last_year": "Last year",
    "custom": "Custom dates",
}
# The monthly review is what a lead opens Reports for; longer periods are a choice away.
DEFAULT_PERIOD = "last_month"
# A longer custom range would draw more monthly bars than a page (or a sheet) can hold.
MAX_YEARS = 10
SEGMENT_MAX = 120


@dataclass(frozen=True)
class Owner:
    """A person the reports can be narrowed to."""

    id: int
    name: str
    active: bool


def owner_choices() -> list[Owner]:
    """Everyone who can own accounts, plus anyone (a viewer, a deactivated user) who still does."""
    owns = exists().where(Account.owner_id == User.id)
    rows = db.session.execute(
        select(User.id, User.name, User.active)
        .where(or_(User.role != "viewer", owns))
        .order_by(User.active.desc(), User.name)
    )
    return [Owner(*row) for row in rows]


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def period_range(period: str, today: date) -> tuple[date, date]:
    """The first and last day of a preset period; periods that include today end today."""
    month = today.replace(day=1)
    quarter = _quarter_start(today)
    year = date(today.year, 1, 1)
    ranges = {
        "this_month": (month, today),
        "last_month": (add_months(month, -1), month - timedelta(days=1)),
        "this_quarter": (quarter, today),
        "last_quarter": (add_months(quarter, -3), quarter - timedelta(days=1)),
        "last_12_months": (add_months(month, -11), today),
        "this_year": (year, today),
        "last_year": (date(today.year - 1, 1, 1), year - timedelta(days=1)),
    }
    return ranges[period]
