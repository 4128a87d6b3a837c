"""Select choices for account forms: active users, competitors and reasons, plus whatever
an account already uses (a retired reason or a deactivated owner stays shown and valid)."""

from sqlalchemy import or_, select

from ..auth.models import User
from ..extensions import db
from . import taxonomy


def owners(keep: int | None = None) -> list[tuple]:
    """Active users who can own accounts, plus ``keep`` (the current owner)."""
    users = db.session.scalars(
        select(User)
        .where(or_(User.active.is_(True), User.id == keep), User.role != "viewer")
        .order_by(User.name)
    )
    return [("", "Unassigned"), *((user.id, user.name) for user in users)]


def competitors(keep: int | None = None) -> list[tuple]:
    """Active competitors, plus ``keep``; the empty choice is "No decision"."""
    listed = taxonomy.competitors(include_retired=True)
    return [
        ("", "No decision"),
        *((c.id, c.name) for c in listed if not c.retired or c.id == keep),
    ]


def reason_groups(keep: set[int] | None = None):
    """Reasons grouped by category: [(category, [reason, …]), …]."""
    return taxonomy.reason_choices(include=keep or set())


def reason_ids(groups) -> list[tuple]:
    """Flat (id, label) choices from grouped reasons, for validation."""
    return [(reason.id, reason.label) for _, reasons in groups for reason in reasons]
