"""Facts for the home page and the health check."""

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from winback_app.auth.models import User
from winback_app.extensions import db


def database_answers() -> bool:
    """True when a trivial query succeeds."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def team_summary() -> dict:
    """Active users per role, in one query."""
    rows = db.session.execute(
        select(User.role, func.count(User.id)).where(User.active).group_by(User.role)
    )
    counts = dict(rows.all())
    return {
        "admins": counts.get("admin", 0),
        "members": counts.get("member", 0),
        "viewers": counts.get("viewer", 0),
    }
