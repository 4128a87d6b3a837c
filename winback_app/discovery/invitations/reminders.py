"""Survey reminders: only to those who have not answered, at most the survey's number of times.

A reminder goes once the survey's waiting time has passed since the last email, while the
link has not expired and the contact has neither answered, unsubscribed nor bounced. Each
reminder carries a fresh link, made when it is sent.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager

from winback_app.accounts.models import Account, Contact
from winback_app.discovery.invitations import mail as invitation_mail
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.invitations.services import (
    choose_script,
    queue_email,
    unsubscribed_anywhere,
)
from winback_app.discovery.surveys.models import Survey
from winback_app.discovery.surveys.services import minutes_to_answer
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.scripts.models import Script
from winback_app.rules import RuleViolation


def _last_email():
    return func.coalesce(Invitation.last_reminder_at, Invitation.sent_at)


def _owed_one(survey: Survey, now: datetime) -> list:
    """Conditions of an invitation that may still get a reminder (join Contact and Account)."""
    return [
        Invitation.survey_id == survey.id,
        Invitation.sent_at.is_not(None),
        Invitation.answered_at.is_(None),
        Invitation.unsubscribed_at.is_(None),
        Invitation.bounced_at.is_(None),
        Invitation.expires_at > now,
        Invitation.reminders_sent < survey.max_reminders,
        # Wishes expressed since the invitation still count.
        Contact.unsubscribed_at.is_(None),
        Contact.do_not_email.is_(False),
        Contact.email != "",
        Account.do_not_contact.is_(False),
        ~unsubscribed_anywhere(),
    ]


def _reminder_query(survey: Survey, now: datetime):
    return (
        select(Invitation)
        .join(Invitation.contact)
        .join(Invitation.account)
        .options(contains_eager(Invitation.contact), contains_eager(Invitation.account))
        .where(*_owed_one(survey, now))
        .where(_last_email() <= now - timedelta(days=survey.reminder_after_days))
        .order_by(Invitation.id)
    )


def reminders_due(survey: Survey, now: datetime) -> list[Invitation]:
    """Invitations owed a reminder now: not answered, reminders left, waited long enough."""
    if survey.status != "open":
        return []
    return list(db.session.scalars(_reminder_query(survey, now)))


@dataclass
class Reminders:
    """What a reminder round did."""

    queued: int = 0
    problems: list[str] = field(default_factory=list)


def _reminder_script(survey: Survey) -> Script | None:
    """The survey's invitation email, or else any email that carries the survey link."""
    if survey.script_id:
        try:
            return choose_script(survey.script_id)
        except RuleViolation:
            pass  # edited since, or removed: fall back to another invitation email
    found = invitation_mail.invitation_scripts()
    return found[0] if found else None


def send_reminders(base_url: str, survey: Survey | None = None, now=None) -> Reminders:
    """Queue a reminder, with a fresh link, for each invitation owed one.

    ``survey`` limits the round to one survey; otherwise every open survey is reminded. One
    transaction; each invitation is taken with a conditional UPDATE, so two rounds running at
    once never remind anyone twice.
    """
    now = now or utcnow()
    surveys = (
        [survey] if survey else db.session.scalars(select(Survey).where(Survey.status == "open"))
    )
    report = Reminders()
    for current in list(surveys):
        due = reminders_due(current, now)
        script = _reminder_script(current) if due else None
        if due and script is None:
            report.problems.append(f"“{current.title}”: no email uses the survey link.")
            continue
        sender = invitation_mail.sender_of(current) if due else None
        minutes = minutes_to_answer(current) if due else None
        for invitation in due:
            if _take(invitation.id, invitation.reminders_sent, now):
                contact, account = invitation.contact, invitation.account
                queue_email(invitation, contact, account, script, sender, base_url, minutes, True)
                report.queued += 1
    db.session.commit()
    return report


def _take(invitation_id: int, reminders_seen: int, now: datetime) -> bool:
    """Count the reminder, unless another round did (the count moved on since it was read) or
    the contact answered meanwhile."""
    taken = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.reminders_sent == reminders_seen,
            Invitation.answered_at.is_(None),
        )
        .values(
            reminders_sent=Invitation.reminders_sent + 1,
            last_reminder_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return taken == 1


def next_reminder(survey: Survey, now: datetime) -> datetime | None:
    """When the next reminder of ``survey`` falls due, if any is still to come."""
    if survey.status != "open":
        return None
    first = db.session.scalar(
        select(func.min(_last_email()))
        .select_from(Invitation)
        .join(Invitation.contact)
        .join(Invitation.account)
        .where(*_owed_one(survey, now))
    )
    return first + timedelta(days=survey.reminder_after_days) if first else None
