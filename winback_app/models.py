"""Column helpers shared by every domain's models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
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


def account_link():
    """The column that ties a row to its account: indexed, and deleted with the account."""
    return mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)


def creation_time():
    """When the row was made (UTC)."""
    return mapped_column(UTCDateTime, default=utcnow)


class ChangeRecord:
    """The columns of a history row (accounts', plans'): who changed which field when, from
    what to what, and the record's version that change produced — an edit conflict shows the
    changes made after the version the editor started from (winback_app/sections.py)."""

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
