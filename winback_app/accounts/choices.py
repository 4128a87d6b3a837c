"""Select choices for account forms: active users, competitors and reasons, plus whatever
an account already uses (a retired reason or a deactivated owner stays shown and valid)."""

from sqlalchemy import or_, select
from wtforms import SelectChoice

from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.auth.models import User
from winback_app.extensions import db


def options(mapping: dict) -> list[SelectChoice]:
    """Choices from a {value: label} mapping such as KINDS or STATUSES."""
    return [SelectChoice(value, label) for value, label in mapping.items()]


def owners(keep: int | None = None) -> list[SelectChoice]:
    """Active users who can own accounts, plus ``keep`` (the current owner)."""
    users = db.session.scalars(
        select(User)
        .where(or_(User.active.is_(True), User.id == keep), User.role != "viewer")
        .order_by(User.name)
    )
    return [SelectChoice("", "Unassigned"), *(SelectChoice(u.id, u.name) for u in users)]


def competitors(keep: int | None = None) -> list[SelectChoice]:
    """Active competitors, plus ``keep``; the empty choice is "No decision"."""
    listed = taxonomy.competitors(include_retired=True)
    return [
        SelectChoice("", "No decision"),
        *(SelectChoice(c.id, c.name) for c in listed if not c.retired or c.id == keep),
    ]


def reason_groups(keep: set[int] | None = None):
    """Reasons grouped by category: [(category, [reason, …]), …]."""
    return taxonomy.reason_choices(include=keep or set())


def reason_ids(groups) -> list[SelectChoice]:
    """Choices from grouped reasons, each in its category's optgroup."""
    return [
        SelectChoice(reason.id, reason.name, optgroup=category.name)
        for category, reasons in groups
        for reason in reasons
    ]
