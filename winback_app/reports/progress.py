"""How the win-back of the period's losses is going: the status funnel, what came back, and
how quickly the team got to work — one query."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Numeric,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from winback_app.accounts.models import STATUSES, Account
from winback_app.extensions import db
from winback_app.outreach.attempts.models import Attempt
from winback_app.reports.filters import Filters
from winback_app.reports.sql import (
    VALUE,
    cohort,
    conversation,
    days_between,
    money,
    ratio,
    utc_date,
    utc_midnight,
)

MEASURES = ("attempt", "conversation", "won_back")
# Typed NULLs: PostgreSQL matches a UNION's column types branch by branch.
NO_AMOUNT = cast(null(), Numeric)
NO_DAYS = cast(null(), Numeric)


@dataclass(frozen=True)
class FunnelRow:
    """Accounts (and their value lost) now at one win-back status."""

    status: str
    label: str
    accounts: int
    value: Decimal


@dataclass(frozen=True)
class Median:
    """The median number of days, over the ``accounts`` that reached the event."""

    days: float | None
    accounts: int


@dataclass(frozen=True)
class WinBack:
    """The funnel, what was won back, and how long it took."""

    funnel: list[FunnelRow]
    lost: int
    value_lost: Decimal
    won_back: int
    value_recovered: Decimal
    rate: float | None
    to_first_attempt: Median
    to_first_conversation: Median
    to_won_back: Median


def win_back(f: Filters) -> WinBack:
    """For the accounts lost in the period that match the filters: how many are at each
    status now; won back = those at "won back", with their value recovered; the win-back rate
    is won back ÷ lost; the medians count days from the lost date to the first attempt and
    the first conversation made on or after it, and to the day it was won back, over the
    accounts that got there (1 query)."""
    c = cohort(
        f,
        Account.id,
        Account.status,
        Account.lost_on,
        Account.won_back_on,
        VALUE,
        func.coalesce(Account.value_recovered, 0).label("recovered"),
    )
    statuses = (
        select(
            c.c.status,
            func.count().label("accounts"),
            func.sum(c.c.value).label("value"),
            func.sum(c.c.recovered).label("recovered"),
        )
        .group_by(c.c.status)
        .cte("statuses")
    )
    funnel = select(literal_column("'status'"), *statuses.c, NO_DAYS)
    total = select(
        literal_column("'total'"),
        null(),
        func.sum(statuses.c.accounts),
        func.sum(statuses.c.value),
        NO_AMOUNT,
        NO_DAYS,
    )
    rows = db.session.execute(union_all(funnel, total, _medians(c))).all()
    # PostgreSQL sums counts as numeric; SQLite gives None for a sum of no rows.
    found = {(group, key): (int(n or 0), *rest) for group, key, n, *rest in rows}
    by_status = {key: rest for (group, key), rest in found.items() if group == "status"}
    lost, value_lost, _, _ = found[("total", None)]
    won_back, _, recovered, _ = by_status.get("won_back", (0, 0, 0, None))
    medians = {measure: _median(found.get(("median", measure))) for measure in MEASURES}
    return WinBack(
        funnel=[
            FunnelRow(status, label, *_counted(by_status.get(status)))
            for status, label in STATUSES.items()
        ],
        lost=lost,
        value_lost=money(value_lost),
        won_back=won_back,
        value_recovered=money(recovered),
        rate=ratio(won_back, lost),
        to_first_attempt=medians["attempt"],
        to_first_conversation=medians["conversation"],
        to_won_back=medians["won_back"],
    )


def _counted(row) -> tuple[int, Decimal]:
    return (row[0], money(row[1])) if row else (0, Decimal("0.00"))


def _median(row) -> Median:
    return Median(float(row[3]), row[0]) if row else Median(None, 0)


def _medians(c):
    """The three medians as rows of the union: ("median", measure, accounts, -, -, days).

    Each account's days to the event are put in order per measure; the median is the middle
    value, or the mean of the two middle ones when the count is even."""
    since_loss = (Attempt.account_id == c.c.id, Attempt.at >= utc_midnight(c.c.lost_on))

    def first(*conditions):
        # Walks the (account, at) index from the lost date and stops at the first match.
        return (
            select(Attempt.at)
            .where(*since_loss, *conditions)
            .order_by(Attempt.at)
            .limit(1)
            .scalar_subquery()
        )

    days = {
        measure: days_between(c.c.lost_on, utc_date(first(*conditions))).label(measure)
        for measure, conditions in (
            ("attempt", ()),
            ("conversation", (conversation(Attempt.outcome),)),
        )
    }
    won = c.c.status == "won_back"
    days["won_back"] = case((won, days_between(c.c.lost_on, c.c.won_back_on))).label("won_back")
    # A CTE, so each account's first attempts are looked up once for all three measures.
    per_account = select(*days.values()).cte("per_account")
    measured = union_all(
        *(
            select(
                literal_column(f"'{measure}'").label("measure"),
                per_account.c[measure].label("days"),
            ).where(per_account.c[measure].is_not(None))
            for measure in MEASURES
        )
    ).subquery()
    # Days take few distinct values: counting accounts per day first leaves the running
    # totals only a few hundred rows to sort, however many accounts there are.
    tally = (
        select(measured.c.measure, measured.c.days, func.count().label("accounts"))
        .group_by(measured.c.measure, measured.c.days)
        .subquery()
    )
    per_measure = {"partition_by": tally.c.measure}
    running = select(
        tally.c.measure,
        tally.c.days,
        cast(
            func.sum(tally.c.accounts).over(**per_measure, order_by=tally.c.days, rows=(None, 0)),
            BigInteger,
        ).label("upto"),
        cast(func.sum(tally.c.accounts).over(**per_measure), BigInteger).label("n"),
    ).subquery()

    def at_position(position):
        """The days of the account at ``position`` (1 = the quickest) in its measure."""
        return func.min(case((running.c.upto >= position, running.c.days)))

    one, two = (literal_column(n, BigInteger) for n in ("1", "2"))
    middle = (
        at_position((running.c.n + one) // two) + at_position((running.c.n + two) // two)
    ) / literal_column("2.0", Numeric)
    return select(
        literal_column("'median'"),
        running.c.measure,
        func.max(running.c.n),
        NO_AMOUNT,
        NO_AMOUNT,
        middle,
    ).group_by(running.c.measure)
