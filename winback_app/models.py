"""Column helpers shared by every domain's models."""

import math
from datetime import UTC, datetime

from sqlalchemy import DateTime, func, select
from sqlalchemy.types import TypeDecorator

from winback_app.extensions import db


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no zone and PostgreSQL's ``timestamptz`` returns the session's zone; this type
    makes both hand back aware UTC datetimes so comparisons behave the same on either database.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def render_migration_item(type_, obj, autogen_context):
    """Alembic hook: write UTCDateTime columns into migrations as plain timestamps.

    Migrations then stay free of app imports; the column's SQL type is the same.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def one_of(column: str, values) -> str:
    """The SQL of a CHECK constraint keeping ``column`` to the keys of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def page_bounds(query, number: int, per_page: int) -> tuple[int, int, int]:
    """For a paged list: (total rows of ``query``, the page shown, the number of pages).

    The page asked for is kept within 1 … pages, so a stale or forged page number shows the
    nearest real page instead of an empty one.
    """
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, math.ceil(total / per_page))
    return total, min(max(number, 1), pages), pages
