"""What every report query shares: the cohort, the filters, date arithmetic written once for
SQLite and PostgreSQL, and turning database sums into money."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Date, Integer, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from winback_app.accounts.models import Account
from winback_app.outreach.attempts.models import REACHED
from winback_app.reports.filters import Filters

CENT = Decimal("0.01")


def _sql_function(name: str, doc: str, type_=None, *, sqlite, postgresql) -> type:
    """A SQL function written once for each database.

    ``sqlite`` and ``postgresql`` each take the compiled arguments and return the SQL text.
    """
    element = type(name, (FunctionElement,), {"__doc__": doc, "inherit_cache": True, "name": name})
    if type_ is not None:
        element.type = type_
    for dialect, write in (("sqlite", sqlite), ("postgresql", postgresql)):

        def compile_(element, compiler, write=write, **kw):
            return write(*(compiler.process(clause, **kw) for clause in element.clauses))

        compiles(element, dialect)(compile_)
    return element


utc_date = _sql_function(
    "utc_date",
    "The UTC calendar date of a stored timestamp.",
    Date(),
    # SQLite keeps timestamps as UTC text ("2026-03-01 09:30:00.000000").
    sqlite=lambda stamp: f"date({stamp})",
    # Named zone, not the session's: a server set to another zone must not shift the day.
    postgresql=lambda stamp: f"CAST(({stamp}) AT TIME ZONE 'UTC' AS DATE)",
)

days_between = _sql_function(
    "days_between",
    "Whole days from the first date to the second (negative when the second comes first).",
    Integer(),
    sqlite=lambda earlier, later: f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)",
    postgresql=lambda earlier, later: f"({later} - {earlier})",
)

month_number = _sql_function(
    "month_number",
    "A date's month as a sortable number: 2026-03-31 → 202603.",
    Integer(),
    # Cutting the ISO text costs far less than strftime() parsing it, row after row.
    sqlite=lambda day: (
        f"(CAST(substr({day}, 1, 4) AS INTEGER) * 100 + CAST(substr({day}, 6, 2) AS INTEGER))"
    ),
    postgresql=lambda day: (
        f"CAST(EXTRACT(YEAR FROM {day}) * 100 + EXTRACT(MONTH FROM {day}) AS INTEGER)"
    ),
)

utc_midnight = _sql_function(
    "utc_midnight",
    "The first instant (UTC) of a stored date, comparable with timestamp columns, so a "
    '"from this day on" condition can still use an index on the timestamp.',
    # "2026-03-01" sorts before every "2026-03-01 …" timestamp text and after the day before.
    sqlite=lambda day: day,
    postgresql=lambda day: f"(CAST({day} AS TIMESTAMP) AT TIME ZONE 'UTC')",
)


def quarter_number(month):
    """The quarter of a month number as a sortable number: 202603 → 20261."""
    # Constants written into the SQL, not bound: PostgreSQL must see a GROUP BY expression
    # exactly as in the SELECT list, and bound values would be numbered apart.
    hundred, ten, three, two = (literal_column(n, Integer) for n in ("100", "10", "3", "2"))
    return month // hundred * ten + (month % hundred + two) // three


def conversation(outcome):
    """The attempt reached someone (see outreach.attempts.models.REACHED).

    The outcomes are written into the SQL rather than bound, so the condition reads exactly
    like a partial index on conversations, and SQLite can use such an index."""
    return outcome.in_([literal_column(f"'{value}'") for value in sorted(REACHED)])


def matching(f: Filters) -> list:
    """Conditions on Account for the owner, kind and segment filters that are set."""
    conditions = []
    if f.owner_id is not None:
        conditions.append(Account.owner_id == f.owner_id)
    if f.kind is not None:
        conditions.append(Account.kind == f.kind)
    if f.segment is not None:
        conditions.append(Account.segment == f.segment)
    return conditions


def of_matching_accounts(query, account_id, f: Filters):
    """``query`` narrowed to rows whose ``account_id`` belongs to an account matching ``f``;
    unchanged when no owner, kind or segment is chosen."""
    conditions = matching(f)
    if not conditions:
        return query
    return query.where(account_id.in_(select(Account.id).where(*conditions)))


def lost_in_period(f: Filters) -> list:
    """Conditions on Account for the cohort: lost in the period, matching the filters."""
    return [Account.lost_on.between(f.start, f.end), *matching(f)]


def cohort(f: Filters, *columns):
    """The cohort as a CTE of ``columns`` of Account (``value`` is the annual value lost, 0
    when none is given)."""
    return select(*columns).where(*lost_in_period(f)).cte("cohort")


VALUE = func.coalesce(Account.annual_value_lost, 0).label("value")


def period_instants(f: Filters) -> tuple[datetime, datetime]:
    """The period as UTC instants: from the start day's midnight to the midnight after the
    end day (exclusive), so timestamps are compared through their indexes."""
    return (
        datetime.combine(f.start, time(), UTC),
        datetime.combine(f.end + timedelta(days=1), time(), UTC),
    )


def money(value) -> Decimal:
    """A database sum as money: SQLite may hand back a float or an integer, PostgreSQL a
    Decimal; all become Decimal in cents, and nothing becomes zero."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


def ratio(part: int, whole: int) -> float | None:
    """``part`` ÷ ``whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None
