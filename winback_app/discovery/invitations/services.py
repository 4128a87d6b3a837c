"""Survey invitations: who may be invited, the private links and their emails, the states.

An invitation is one private link for one contact *of one account*: the same person listed on
two accounts gets two invitations, each answering for its own account. Only the SHA-256 of the
link's token is stored; the token itself exists in the delivered email alone. The outbox keeps
the email with ``LINK_PLACEHOLDER`` where the token goes, and ``fill_link`` makes the token at
the moment the email is handed to the mail server: the newest email's link is the one that
works, and no stored email, file or page ever holds a usable link.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from winback_app.accounts import search
from winback_app.accounts.models import Account, Contact
from winback_app.discovery.invitations import mail as invitation_mail
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.surveys import services as surveys
from winback_app.discovery.surveys.models import Survey
from winback_app.extensions import db
from winback_app.mail import outbox
from winback_app.mail.models import OutboxMessage
from winback_app.models import utcnow
from winback_app.outreach.scripts.models import Script
from winback_app.rules import RuleViolation
from winback_app.tokens import hash_token, new_token

MAX_ACCOUNTS = 500
# Why a contact of a chosen account gets no invitation, in the order they are checked.
LEFT_OUT = {
    "no_contact": "No contact at this account",
    "do_not_contact": "The account is marked do not contact",
    "unsubscribed": "Unsubscribed from survey emails",
    "do_not_email": "Asked not to be emailed",
    "no_email": "No email address",
    "already_invited": "Already invited to this survey",
}


@dataclass(frozen=True)
class Candidate:
    """A contact of a chosen account, and why it is left out (None: it will be invited)."""

    account: Account
    contact: Contact | None
    left_out: str | None = None

    @property
    def reason(self) -> str:
        return LEFT_OUT.get(self.left_out, "")


@dataclass
class Preview:
    """Who an invitation round reaches and who it leaves out, and why."""

    accounts: int
    invite: list[Candidate]
    left_out: list[Candidate]


def _account_ids(filters: search.Filters | None, ids: list[int] | None):
    if ids is not None:
        return select(Account.id).where(Account.id.in_(ids))
    return search.filtered(filters or search.Filters()).with_only_columns(Account.id)


def unsubscribed_anywhere():
    """SQL: the contact's address was unsubscribed, at this account or at any other.

    Unsubscribing is a person's wish, so the same address listed elsewhere counts too.
    """
    other = aliased(Contact)
    return exists().where(
        other.unsubscribed_at.is_not(None),
        other.email != "",
        func.lower(other.email) == func.lower(Contact.email),
    )


def preview(survey: Survey, filters=None, ids=None) -> Preview:
    """The contacts of the chosen accounts, split into invited and left out (with why).

    Accounts come from the accounts list's ``filters`` or from ticked ``ids``. A fixed number
    of queries, whatever the number of accounts (at most MAX_ACCOUNTS per round).
    """
    chosen = _account_ids(filters, ids).subquery()
    count = db.session.scalar(select(func.count()).select_from(chosen))
    if count > MAX_ACCOUNTS:
        raise RuleViolation(
            f"That is {count} accounts; invite at most {MAX_ACCOUNTS} at a time. "
            "Narrow the filters."
        )
    invited = exists().where(
        Invitation.survey_id == survey.id,
        Invitation.account_id == Contact.account_id,
        Invitation.contact_id == Contact.id,
    )
    rows = db.session.execute(
        select(Account, Contact, invited.label("invited"), unsubscribed_anywhere().label("gone"))
        .outerjoin(Contact, Contact.account_id == Account.id)
        .where(Account.id.in_(select(chosen.c.id)))
        .order_by(func.lower(Account.name), Account.id, Contact.is_primary.desc(), Contact.name)
    ).all()
    result = Preview(accounts=count, invite=[], left_out=[])
    for account, contact, already, gone in rows:
        reason = _left_out(account, contact, already, gone)
        candidate = Candidate(account, contact, reason)
        (result.left_out if reason else result.invite).append(candidate)
    return result


def _left_out(account, contact, already, gone) -> str | None:
    checks = (
        ("no_contact", contact is None),
        ("do_not_contact", account.do_not_contact),
        ("unsubscribed", contact is not None and (contact.unsubscribed_at or gone)),
        ("do_not_email", contact is not None and contact.do_not_email),
        ("no_email", contact is not None and not contact.email),
        ("already_invited", already),
    )
    return next((reason for reason, applies in checks if applies), None)


# What a stored email says where its private link's token goes.
LINK_PLACEHOLDER = "link-made-when-sent"


def link_for(endpoint: str, token: str, base_url: str) -> str:
    """The absolute address of a public survey page (works with or without a request)."""
    path = current_app.url_map.bind("localhost").build(endpoint, {"token": token})
    return base_url.rstrip("/") + path


def choose_script(script_id: int | None) -> Script:
    """The email template for invitations: it must be an email that uses the survey link."""
    script = db.session.get(Script, script_id) if script_id else None
    if script is None or script.kind != "email":
        raise RuleViolation("Choose the email to send.", "script_id")
    if invitation_mail.LINK_FIELD not in script.body:
        raise RuleViolation(
            f"“{script.name}” has no {{{{ survey_link }}}}: the contacts would get no link. "
            "Choose another email or add the field to it.",
            "script_id",
        )
    return script


def queue_email(invitation, contact, account, script, sender, base_url, minutes, reminder=False):
    """Put the invitation's email (or reminder), with the survey's ``minutes``, in the outbox;
    its private link is made when it is sent (``fill_link``)."""
    link = link_for("public.respond", LINK_PLACEHOLDER, base_url)
    unsubscribe = link_for("public.unsubscribe", LINK_PLACEHOLDER, base_url)
    email = invitation_mail.compose(
        script, minutes, contact, account, sender, link, unsubscribe, reminder
    )
    outbox.queue(
        contact.email,
        email.subject,
        email.text,
        email.html,
        unsubscribe,
        invitation=invitation,
        to_name=contact.name,
    )


def new_invitation(
    survey, account_id: int, contact_id: int, now: datetime, sent: bool = False
) -> tuple[Invitation, str]:
    """A private link for one contact: the invitation, storing only the token's hash (not yet
    added to the session), and the token itself, for the link. ``sent`` dates it as sent now."""
    token = new_token()
    invitation = Invitation(
        survey_id=survey.id,
        account_id=account_id,
        contact_id=contact_id,
        token_hash=hash_token(token),
        created_at=now,
        sent_at=now if sent else None,
        expires_at=now + timedelta(days=survey.expires_days),
    )
    return invitation, token


def invite(survey, user, base_url, script, filters=None, ids=None, now=None) -> Preview:
    """Create an invitation and queue its email for every contact the preview lets through.

    One transaction: the invitations and their emails are stored together or not at all.
    Only an open survey takes invitations.
    """
    if survey.status != "open":
        raise RuleViolation("Open the survey before inviting anyone.")
    chosen = preview(survey, filters, ids)
    if not chosen.invite:
        raise RuleViolation("Nobody to invite: every contact chosen is left out (see why below).")
    now = now or utcnow()
    survey.script_id = script.id
    minutes = surveys.minutes_to_answer(survey)
    made = []
    for candidate in chosen.invite:
        # The token made here is thrown away: the email's own is made when it is sent.
        invitation, _ = new_invitation(survey, candidate.account.id, candidate.contact.id, now)
        db.session.add(invitation)
        made.append((invitation, candidate))
    try:
        db.session.flush()
        for invitation, candidate in made:
            contact, account = candidate.contact, candidate.account
            queue_email(invitation, contact, account, script, user, base_url, minutes)
        db.session.commit()
    except IntegrityError:
        # Someone invited some of the same contacts between the preview and this save.
        db.session.rollback()
        raise RuleViolation(
            "Someone invited some of these contacts a moment ago. Check the list and confirm again."
        ) from None
    except RuleViolation as violation:
        db.session.rollback()
        raise RuleViolation(violation.message, "script_id") from None
    return chosen


def _stamp(message_id: int, column, at) -> None:
    """Set the invitation's ``column`` (sent_at, bounced_at) the first time it happens."""
    invitation_id = (
        select(OutboxMessage.invitation_id).where(OutboxMessage.id == message_id).scalar_subquery()
    )
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, column.is_(None))
        .values({column: at})
        .execution_options(synchronize_session=False)
    )


def fill_link(message_id: int, invitation_id: int | None = None) -> dict[str, str]:
    """Outbox listener, as an invitation's email is handed over: give the invitation a new
    private link (the one in an earlier email stops working) and say what the email's
    placeholder becomes."""
    if invitation_id is None:
        return {}
    token = new_token()
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id)
        .values(token_hash=hash_token(token))
        .execution_options(synchronize_session=False)
    )
    return {LINK_PLACEHOLDER: token}


def stamp_sent(message_id: int, at) -> None:
    """Outbox listener: the invitation's email went out."""
    _stamp(message_id, Invitation.sent_at, at)


def stamp_bounced(message_id: int, at) -> None:
    """Outbox listener: the invitation's email bounced."""
    _stamp(message_id, Invitation.bounced_at, at)
