"""Column helpers shared by every domain's models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


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
