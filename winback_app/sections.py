"""Versioned sections: a record (an account, a plan, a script) that several people edit, one
section at a time, without anyone silently overwriting anyone else.

Every save moves the record's version on (the model's SQLAlchemy ``version_id_col``), and an
edit form carries the version it was loaded from. Saving from an older version is a conflict
only when someone else changed a field of the *same* section since: the record's change table
says who changed what, and with which version. Two people editing different sections of one
plan both get their way. A save that loses a race at the very commit is a conflict too.

A record without a change table (scripts keep no history) is one section: any save made since
the editor's version is a conflict.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from winback_app.extensions import db


class EditConflict(Exception):
    """Someone else saved the same section since the editor loaded it.

    ``current_version`` is the version the form carries from now on, so that saving again
    replaces their version on purpose. ``changes`` are their changes to the section (change
    rows: who, when, field, old → new), oldest first; empty when the record keeps no history or
    the other save won a race at the commit.
    """

    def __init__(self, current_version: str, changes: Iterable = ()):
        super().__init__("edit conflict")
        self.current_version = current_version
        self.changes = list(changes)


def version_of(record) -> str:
    """The record's current version as an edit form carries it."""
    mapper = inspect(record).mapper
    value = getattr(record, mapper.get_property_by_column(mapper.version_id_col).key)
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _as_text(field: str, value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Versioned:
    """One kind of versioned record: its change model and that model's link to the record.

    ``changes`` is the change model (AccountChange, PlanChange), with ``user``, ``field``,
    ``old_value``, ``new_value`` and ``version`` columns; ``owner`` names its relationship to
    the record ("account", "plan"). Without a change model nothing is recorded.
    """

    changes: type | None = None
    owner: str = ""

    def record(self, record, user, field: str, old: str, new: str, version: int | None = None):
        """Add a change row to the save in progress.

        ``version`` is the version the save makes, the next one unless given; callers that may
        flush part-way through pass the value they read before changing anything.
        """
        db.session.add(
            self.changes(
                **{self.owner: record},
                user=user,
                field=field,
                old_value=old,
                new_value=new,
                version=version or record.version + 1,
            )
        )

    def _since(self, record, version, fields) -> list | None:
        """The changes to ``fields`` made after ``version``; None when that cannot be told."""
        if self.changes is None or not str(version).isdigit():
            return None
        return list(
            db.session.scalars(
                select(self.changes)
                .where(
                    getattr(self.changes, self.owner) == record,
                    self.changes.version > int(version),
                    self.changes.field.in_(fields),
                )
                .order_by(self.changes.id)
            )
        )

    def check(self, record, fields: Collection[str], expected) -> None:
        """Raise EditConflict when someone changed ``fields`` since version ``expected``.

        ``expected`` None means a save made by the app itself (a status that follows a plan,
        a bulk change), which is not checked.
        """
        current = version_of(record)
        if expected is None or str(expected) == current:
            return
        changes = self._since(record, expected, fields)
        if changes is None or changes:
            raise EditConflict(current, changes or ())

    def apply(
        self,
        record,
        fields: Collection[str],
        values: dict,
        expected,
        user,
        shown: Callable[[str, object], str] = _as_text,
    ) -> dict:
        """Check for a conflict, record each change and set the new values, without committing
        (the caller adds what goes with the save, then calls ``commit``).

        ``shown(field, value)`` is how a value reads in the history. Returns the fields that
        changed, with their new values.
        """
        assert set(values) <= set(fields), "values outside the section"
        self.check(record, fields, expected)
        changed = {field: new for field, new in values.items() if getattr(record, field) != new}
        if self.changes is not None:
            # Read the names for the history before changing anything, so that no query
            # flushes half a save.
            for field, new in changed.items():
                old = getattr(record, field)
                self.record(record, user, field, shown(field, old), shown(field, new))
        for field, new in changed.items():
            setattr(record, field, new)
        return changed

    def commit(self, record, fields: Collection[str], expected) -> None:
        """Commit the save; one that raced another save of the record is an EditConflict."""
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            db.session.refresh(record)
            self.check(record, fields, expected)
            raise EditConflict(version_of(record)) from None
