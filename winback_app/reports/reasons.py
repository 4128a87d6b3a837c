"""Why the period's accounts were lost, in the customer's view and in the team's, and how
often the two views disagree — one query."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, literal_column, null, select, union_all

from winback_app.accounts.models import Account, AccountReason, LossReason, ReasonCategory
from winback_app.extensions import db
from winback_app.reports.filters import Filters
from winback_app.reports.sql import VALUE, cohort, money, ratio

NO_REASON = "No reason given"
ZERO = literal_column("0")
FIGURES = ("mentions", "accounts", "value", "disagree")


@dataclass(frozen=True)
class ReasonRow:
    """One reason (or, with ``reason`` None, one category): how often it was given, and the
    accounts and value lost whose primary reason it is."""

    category: str
    reason: str | None
    mentions: int
    accounts: int
    value: Decimal


@dataclass(frozen=True)
class ViewReasons:
    """One view's reasons: per category (plus "No reason given") and per reason."""

    categories: list[ReasonRow]
    reasons: list[ReasonRow]


@dataclass(frozen=True)
class DisagreeRow:
    """Accounts with a primary reason in both views whose customer-view primary is in this
    category, and how many of them the team files under another category."""

    category: str
    accounts: int
    disagree: int


@dataclass(frozen=True)
class Disagreement:
    """How often the two views' primary reasons fall in different categories."""

    both_views: int
    disagree: int
    rate: float | None
    by_category: list[DisagreeRow]


@dataclass(frozen=True)
class Reasons:
    """The customer's view, the team's view, and where they disagree."""

    customer: ViewReasons
    team: ViewReasons
    disagreement: Disagreement


def reasons(f: Filters) -> Reasons:
    """For the accounts lost in the period that match the filters: every reason given counts
    as a mention; each account and its value count once, under its primary reason of that
    view ("No reason given" when it has none); views disagree when both have a primary and
    the categories differ (1 query)."""
    c = cohort(
        f,
        Account.id,
        Account.customer_primary_id,
        Account.team_primary_id,
        Account.views_disagree,
        VALUE,
    )
    # Two small tallies read the cohort once each; every row of the report is a sum of them.
    pairs = (
        select(
            c.c.customer_primary_id.label("customer"),
            c.c.team_primary_id.label("team"),
            c.c.views_disagree.label("disagree"),
            func.count().label("accounts"),
            func.sum(c.c.value).label("value"),
        )
        .group_by(c.c.customer_primary_id, c.c.team_primary_id, c.c.views_disagree)
        .cte("pairs")
    )
    given = (
        select(AccountReason.view, AccountReason.reason_id, func.count().label("mentions"))
        .join(c, c.c.id == AccountReason.account_id)
        .group_by(AccountReason.view, AccountReason.reason_id)
        .cte("given")
    )
    mentions = func.sum(given.c.mentions)
    branches = [
        _row("mention", given.c.view, given.c.reason_id, null(), mentions=given.c.mentions),
        _row("mention", given.c.view, null(), LossReason.category_id, mentions=mentions)
        .join(LossReason, LossReason.id == given.c.reason_id)
        .group_by(given.c.view, LossReason.category_id),
    ]
    counted = {"accounts": func.sum(pairs.c.accounts), "value": func.sum(pairs.c.value)}
    for view in ("customer", "team"):
        primary = pairs.c[view]
        branches += [
            _row("primary", view, primary, null(), **counted).group_by(primary),
            _row("primary", view, null(), LossReason.category_id, **counted)
            .join(LossReason, LossReason.id == primary)
            .group_by(LossReason.category_id),
        ]
    both = {
        "accounts": func.sum(pairs.c.accounts),
        "disagree": func.sum(case((pairs.c.disagree, pairs.c.accounts), else_=0)),
    }
    branches += [
        _row("disagree", "customer", null(), LossReason.category_id, **both)
        .join(LossReason, LossReason.id == pairs.c.customer)
        .where(pairs.c.team.is_not(None))
        .group_by(LossReason.category_id),
        _row("both", "customer", null(), null(), **both).where(
            pairs.c.customer.is_not(None), pairs.c.team.is_not(None)
        ),
    ]
    rows = union_all(*branches).subquery()
    found = db.session.execute(
        select(rows, LossReason.name, ReasonCategory.name)
        .select_from(rows)
        .outerjoin(LossReason, LossReason.id == rows.c.reason_id)
        .outerjoin(
            ReasonCategory,
            ReasonCategory.id == func.coalesce(rows.c.category_id, LossReason.category_id),
        )
    ).all()
    return _shaped(found)


def _row(group: str, view, reason_id, category_id, **figures):
    """One branch of the union: what it counts, for which view, reason or category, and the
    figures it has (the others are 0)."""
    if isinstance(view, str):
        view = literal_column(f"'{view}'")
    return select(
        literal_column(f"'{group}'").label("grp"),
        view.label("view"),
        reason_id.label("reason_id"),
        category_id.label("category_id"),
        *(figures.get(name, ZERO).label(name) for name in FIGURES),
    )


def _shaped(found) -> Reasons:
    """The union's rows, keyed by what they count, into the report's shape."""
    tallies: dict = {}
    for group, view, reason_id, category_id, mentions, accounts, value, disagree, *names in found:
        # PostgreSQL sums counts as numeric; SQLite gives None for a sum of no rows.
        tallies.setdefault(group, {})[view, reason_id, category_id] = (
            names,
            int(mentions or 0),
            int(accounts or 0),
            money(value),
            int(disagree or 0),
        )
    both = tallies.get("both", {}).get(("customer", None, None))
    both_views, disagree = (both[2], both[4]) if both else (0, 0)
    by_category = sorted(
        (
            DisagreeRow(names[1], accounts, disagreeing)
            for names, _, accounts, _, disagreeing in tallies.get("disagree", {}).values()
        ),
        key=lambda row: (-row.accounts, -row.disagree, row.category),
    )
    return Reasons(
        customer=_view("customer", tallies),
        team=_view("team", tallies),
        disagreement=Disagreement(both_views, disagree, ratio(disagree, both_views), by_category),
    )


def _view(view: str, tallies: dict) -> ViewReasons:
    """One view's rows: mentions side by side with primaries, most accounts first."""
    mentioned, primary = (
        {key[1:]: tally for key, tally in tallies.get(group, {}).items() if key[0] == view}
        for group in ("mention", "primary")
    )
    categories, reasons = [], []
    for key in mentioned.keys() | primary.keys():
        (reason, category), mentions, _, _, _ = mentioned.get(key) or primary[key]
        _, _, accounts, value, _ = primary.get(key) or (None, 0, 0, Decimal("0.00"), 0)
        if key == (None, None):
            categories.append(ReasonRow(NO_REASON, None, 0, accounts, value))
        elif key[0] is None:
            categories.append(ReasonRow(category, None, mentions, accounts, value))
        else:
            reasons.append(ReasonRow(category, reason, mentions, accounts, value))
    return ViewReasons(sorted(categories, key=_order), sorted(reasons, key=_order))


def _order(row: ReasonRow):
    """Most accounts first, then most mentions, then by name; "No reason given" last."""
    return (row.category == NO_REASON, -row.accounts, -row.mentions, row.category, row.reason or "")
