"""The reports' tables as rows: what the page shows and what each CSV download holds.

Each table is built from one report (losses, reasons, win-back or reach), so a download asks
the database only for the figures it holds.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from winback_app.accounts.export import neutralise
from winback_app.accounts.imports.values import write_csv
from winback_app.reports import services
from winback_app.reports.filters import Filters


@dataclass(frozen=True)
class CategoryPair:
    """One reason category with its figures in the customer's view and in the team's."""

    category: str
    customer: object | None  # a ReasonRow, or None when the view never names this category
    team: object | None


def category_pairs(reasons) -> list[CategoryPair]:
    """The categories of both views side by side, in the customer's order, then the team's."""
    customer = {row.category: row for row in reasons.customer.categories}
    team = {row.category: row for row in reasons.team.categories}
    names = list(customer) + [name for name in team if name not in customer]
    return [CategoryPair(name, customer.get(name), team.get(name)) for name in names]


def rate(part: int, whole: int) -> float | None:
    """``part`` as a share of ``whole``; None when there is nothing to divide by."""
    return part / whole if whole else None


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _days(median) -> str:
    return "" if median.days is None else f"{median.days:g}"


def _period_rows(periods, total):
    return [[p.label, p.start, p.accounts, p.value] for p in [*periods, total]]


def _group_rows(rows):
    return [[row.label, row.accounts, row.value] for row in rows]


def _pair_rows(reasons):
    rows = []
    for pair in category_pairs(reasons):
        cells = [pair.category]
        for row in (pair.customer, pair.team):
            cells += [row.mentions, row.accounts, row.value] if row else [0, 0, 0]
        rows.append(cells)
    return rows


def _reason_rows(view):
    return [
        [row.category, row.reason, row.mentions, row.accounts, row.value] for row in view.reasons
    ]


def _disagree_rows(reasons):
    rows = [
        [row.category, row.accounts, row.disagree, _percent(rate(row.disagree, row.accounts))]
        for row in reasons.disagreement.by_category
    ]
    total = reasons.disagreement
    return [*rows, ["Total", total.both_views, total.disagree, _percent(total.rate)]]


def _timing_rows(win_back):
    measures = (
        ("Loss to first attempt", win_back.to_first_attempt),
        ("Loss to first conversation", win_back.to_first_conversation),
        ("Loss to won back", win_back.to_won_back),
    )
    return [[label, _days(median), median.accounts] for label, median in measures]


def _user_rows(reach):
    return [
        [u.name, u.attempts, u.conversations, _percent(u.hit_ratio)]
        for u in [*reach.by_user, reach.total]
    ]


@dataclass(frozen=True)
class Table:
    """A downloadable table: its file name, header row, the report it needs and its rows."""

    title: str
    headers: tuple[str, ...]
    report: str  # "losses", "reasons", "win_back" or "reach"
    rows: Callable


VALUE = "Value lost"
TABLES = {
    "losses-by-month": Table(
        "Losses by month",
        ("Month", "Starts", "Accounts lost", VALUE),
        "losses",
        lambda r: _period_rows(r.by_month, r.total),
    ),
    "losses-by-quarter": Table(
        "Losses by quarter",
        ("Quarter", "Starts", "Accounts lost", VALUE),
        "losses",
        lambda r: _period_rows(r.by_quarter, r.total),
    ),
    "losses-by-competitor": Table(
        "Losses by competitor",
        ("Lost to", "Accounts lost", VALUE),
        "losses",
        lambda r: _group_rows(r.by_competitor),
    ),
    "losses-by-segment": Table(
        "Losses by segment",
        ("Segment", "Accounts lost", VALUE),
        "losses",
        lambda r: _group_rows(r.by_segment),
    ),
    "losses-by-kind": Table(
        "Losses by kind",
        ("Kind", "Accounts lost", VALUE),
        "losses",
        lambda r: _group_rows(r.by_kind),
    ),
    "reason-categories": Table(
        "Reason categories, both views",
        (
            "Category",
            "Customer: mentions",
            "Customer: accounts (primary)",
            "Customer: value lost (primary)",
            "Team: mentions",
            "Team: accounts (primary)",
            "Team: value lost (primary)",
        ),
        "reasons",
        _pair_rows,
    ),
    "reasons-customer": Table(
        "Reasons, customer's view",
        ("Category", "Reason", "Mentions", "Accounts (primary)", "Value lost (primary)"),
        "reasons",
        lambda r: _reason_rows(r.customer),
    ),
    "reasons-team": Table(
        "Reasons, team's view",
        ("Category", "Reason", "Mentions", "Accounts (primary)", "Value lost (primary)"),
        "reasons",
        lambda r: _reason_rows(r.team),
    ),
    "disagreement": Table(
        "Where the views disagree",
        ("Category", "Accounts with both views", "Views disagree", "Disagree (%)"),
        "reasons",
        _disagree_rows,
    ),
    "win-back-funnel": Table(
        "Win-back status",
        ("Status", "Accounts", VALUE),
        "win_back",
        lambda r: [[row.label, row.accounts, row.value] for row in r.funnel],
    ),
    "win-back-timing": Table(
        "Time to win back",
        ("Measure", "Median days", "Accounts"),
        "win_back",
        _timing_rows,
    ),
    "reach-by-user": Table(
        "Attempts by person",
        ("Person", "Attempts", "Conversations", "Hit ratio (%)"),
        "reach",
        _user_rows,
    ),
    "overdue-callbacks": Table(
        "Overdue call-backs",
        ("Person", "Overdue call-backs"),
        "reach",
        lambda r: [*([row.name, row.callbacks] for row in r.overdue), ["Total", r.overdue_total]],
    ),
    "surveys": Table(
        "Survey response rates",
        ("Survey", "Invitations sent", "Answered", "Response rate (%)"),
        "reach",
        lambda r: [
            [row.title, row.sent, row.answered, _percent(row.rate)]
            for row in [*r.surveys, r.survey_total]
        ],
    ),
}


def report(name: str, filters: Filters, today: date):
    """The one report a table is built from."""
    if name == "reach":
        return services.reach(filters, today)
    return {"losses": services.losses, "reasons": services.reasons, "win_back": services.win_back}[
        name
    ](filters)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(name: str, filters: Filters, today: date) -> str:
    """Table ``name`` as CSV text (with a byte-order mark, so spreadsheets read UTF-8), every
    cell neutralised."""
    table = TABLES[name]
    rows = table.rows(report(table.report, filters, today))
    cells = [[neutralise(_cell(value)) for value in row] for row in rows]
    return "\ufeff" + write_csv([list(table.headers), *cells])


def filename(name: str, filters: Filters) -> str:
    """E.g. "winback-losses-by-month-2025-12-01-to-2026-11-30.csv"."""
    return f"winback-{name}-{filters.start.isoformat()}-to-{filters.end.isoformat()}.csv"
