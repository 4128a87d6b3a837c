"""The filters every report takes: a period and, optionally, an owner, a kind and a segment.

``parse`` reads them from a query string. Presets (last month, this quarter, …) are turned into
dates here; what cannot be used (an unknown period or owner, a date that is not one, a range
that runs backwards) comes back as a message per field, with the user's typing kept.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, or_, select

from winback_app.accounts.models import KINDS, Account
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


@dataclass
class FilterForm:
    """The filters as typed (kept for the form), their messages, and — when every value could
    be used — the resolved ``Filters``."""

    period: str = DEFAULT_PERIOD
    start_text: str = ""
    end_text: str = ""
    owner: str = ""
    kind: str = ""
    segment: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    filters: Filters | None = None

    @property
    def valid(self) -> bool:
        return self.filters is not None

    @property
    def narrowed(self) -> bool:
        """True when an owner, a kind or a segment narrows the reports."""
        return bool(self.owner or self.kind or self.segment)

    @property
    def period_label(self) -> str:
        return PERIODS.get(self.period, "Custom dates")

    def args(self, **overrides) -> dict:
        """Query-string arguments for these filters (the default period left out)."""
        values = {
            "period": self.period,
            "from": self.start_text,
            "to": self.end_text,
            "owner": self.owner,
            "kind": self.kind,
            "segment": self.segment,
            **overrides,
        }
        if values["period"] != "custom":  # a preset's dates follow from it
            values["from"] = values["to"] = None
        if values["period"] == DEFAULT_PERIOD:
            values["period"] = None
        return {name: value for name, value in values.items() if value not in (None, "")}


def _day(text: str, which: str, errors: dict, name: str) -> date | None:
    if not text:
        errors[name] = f"Enter the {which} day of the period."
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"“{text}” is not a date: write it like 2026-03-31."
        return None


def _custom_range(form: FilterForm) -> tuple[date, date] | None:
    start = _day(form.start_text, "first", form.errors, "from")
    end = _day(form.end_text, "last", form.errors, "to")
    if start is None or end is None:
        return None
    if end < start:
        form.errors["to"] = "The last day comes before the first day: swap them."
        return None
    if end > add_months(start, 12 * MAX_YEARS):
        form.errors["to"] = f"Choose a period of at most {MAX_YEARS} years."
        return None
    return start, end


def parse(args, today: date, owners: list[Owner]) -> FilterForm:
    """The filters in ``args`` (a query string) as of ``today``; ``owners`` are the choices."""
    get = lambda name: (args.get(name) or "").strip()  # noqa: E731
    form = FilterForm(
        period=get("period") or DEFAULT_PERIOD,
        start_text=get("from")[:40],
        end_text=get("to")[:40],
        owner=get("owner")[:40],
        kind=get("kind")[:40],
        segment=get("segment")[:200],
    )
    span = None
    if form.period == "custom":
        span = _custom_range(form)
    elif form.period in PERIODS:
        span = period_range(form.period, today)
        form.start_text, form.end_text = span[0].isoformat(), span[1].isoformat()
    else:
        form.errors["period"] = "Choose one of the listed periods."
    owner_id = int(form.owner) if form.owner.isdigit() else None
    if form.owner and owner_id not in {owner.id for owner in owners}:
        form.errors["owner"] = "Choose an owner from the list."
    if form.kind and form.kind not in KINDS:
        form.errors["kind"] = "Choose one of the listed kinds."
    if len(form.segment) > SEGMENT_MAX:
        form.errors["segment"] = f"A segment has at most {SEGMENT_MAX} characters."
    if span and not form.errors:
        form.filters = Filters(span[0], span[1], owner_id, form.kind or None, form.segment or None)
    return form
