"""Helpers for route tests."""

from datetime import UTC, datetime

from sqlalchemy import event

# Where ``frozen_today`` holds the clock: a Wednesday morning in the middle of a month, in the
# team's zone (UTC in the tests), so hours from midnight and days from any month's end.
FROZEN_AT = datetime(2026, 9, 16, 9, 30, tzinfo=UTC)

# What htmx 4 sends for a request that swaps part of a page.
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def logged_in_client(app, user):
    """A client with ``user``'s session, as after logging in."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


class QueryCounter:
    """Counts the SQL statements the app runs while the ``with`` block is open."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)
