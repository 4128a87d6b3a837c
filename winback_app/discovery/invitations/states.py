"""Where each invitation stands (queued, sent, opened, answered, bounced, unsubscribed,
expired), counted and listed in SQL for a survey's invitations page."""

from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager

from winback_app.accounts.models import Account, Contact
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.surveys.models import Survey
from winback_app.extensions import db

STATES = {
    "queued": "Queued",
    "sent": "Sent",
    "opened": "Opened",
    "answered": "Answered",
    "bounced": "Bounced",
    "expired": "Expired",
    "unsubscribed": "Unsubscribed",
}


def state_column(now: datetime):
    """SQL for an invitation's state (join Contact): the same rules as ``state_of``."""
    return case(
        (Invitation.answered_at.is_not(None), "answered"),
        (
            or_(Invitation.unsubscribed_at.is_not(None), Contact.unsubscribed_at.is_not(None)),
            "unsubscribed",
        ),
        (Invitation.bounced_at.is_not(None), "bounced"),
        (Invitation.expires_at <= now, "expired"),
        (Invitation.opened_at.is_not(None), "opened"),
        (Invitation.sent_at.is_not(None), "sent"),
        else_="queued",
    )


def state_of(invitation: Invitation, now: datetime) -> str:
    """An invitation's state: answered, unsubscribed, bounced, expired, opened, sent, queued."""
    if invitation.answered_at:
        return "answered"
    if invitation.unsubscribed_at or invitation.contact.unsubscribed_at:
        return "unsubscribed"
    if invitation.bounced_at:
        return "bounced"
    if invitation.expires_at <= now:
        return "expired"
    if invitation.opened_at:
        return "opened"
    return "sent" if invitation.sent_at else "queued"


def counts(survey: Survey, now: datetime) -> dict[str, int]:
    """How many of the survey's invitations are in each state (all states, zeros included)."""
    state = state_column(now)
    rows = db.session.execute(
        select(state, func.count())
        .select_from(Invitation)
        .join(Contact, Contact.id == Invitation.contact_id)
        .where(Invitation.survey_id == survey.id)
        .group_by(state)
    ).all()
    found = dict(rows)
    return {name: found.get(name, 0) for name in STATES}


def listing(survey: Survey, now: datetime, state: str = "", limit: int = 200) -> list:
    """The survey's invitations (newest first) with contact and account; ``state`` narrows."""
    query = (
        select(Invitation)
        .join(Invitation.contact)
        .join(Invitation.account)
        .options(contains_eager(Invitation.contact), contains_eager(Invitation.account))
        .where(Invitation.survey_id == survey.id)
        .order_by(Invitation.created_at.desc(), func.lower(Account.name), Invitation.id)
        .limit(limit)
    )
    if state in STATES:
        query = query.where(state_column(now) == state)
    return list(db.session.scalars(query))
