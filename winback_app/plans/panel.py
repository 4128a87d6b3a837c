"""The plan panel on an account's page: its current plan's status, or a button to draft one."""

from sqlalchemy import select

from winback_app.extensions import db
from winback_app.plans.models import Plan


def context(account) -> dict:
    """The account's current plan, if it has one."""
    plan = db.session.scalar(
        select(Plan).where(Plan.account_id == account.id, Plan.is_current.is_(True))
    )
    return {"current_plan": plan}
