"""Outreach scripts: the team's email and voicemail texts, kept, checked and previewed for a
contact. Rendering them (merge fields in a sandbox) is merge.py's job."""

from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from winback_app.accounts.models import Account, Contact
from winback_app.extensions import db
from winback_app.outreach.scripts import merge
from winback_app.outreach.scripts.models import Script
from winback_app.rules import RuleViolation
from winback_app.sections import Versioned

NAME_MAX = 120
SUBJECT_MAX = 200
BODY_MAX = 5000
CONTACTS_SHOWN = 50
NAME_TAKEN = "Another script has this name. Choose another."
# A script is edited as a whole and keeps no history: any save since the editor's is a conflict.
FIELDS = ("kind", "name", "subject", "body")
VERSIONS = Versioned()
# Spoken at about 150 words a minute: how long a voicemail script takes to leave.
WORDS_PER_MINUTE = 150


def list_scripts() -> list[Script]:
    """Every script, emails first, by name."""
    return list(db.session.scalars(select(Script).order_by(Script.kind, func.lower(Script.name))))


def _check_values(script: Script | None, values: dict) -> dict:
    name = (values.get("name") or "").strip()
    kind = values.get("kind") or "email"
    # A voicemail has no subject; one left over from switching kinds is dropped.
    subject = (values.get("subject") or "").strip() if kind == "email" else ""
    body = (values.get("body") or "").replace("\r\n", "\n")
    if not name:
        raise RuleViolation("Give the script a name.", "name")
    for field, text, limit in (
        ("name", name, NAME_MAX),
        ("subject", subject, SUBJECT_MAX),
        ("body", body, BODY_MAX),
    ):
        if len(text) > limit:
            raise RuleViolation(f"Use at most {limit} characters.", field)
    merge.check(subject, body, kind)
    same_name = select(Script.id).where(func.lower(Script.name) == name.lower())
    if script is not None:
        same_name = same_name.where(Script.id != script.id)
    if db.session.scalar(same_name) is not None:
        raise RuleViolation(NAME_TAKEN, "name")
    return {"name": name, "kind": kind, "subject": subject, "body": body}


@contextmanager
def _name_taken_on_conflict():
    try:
        yield
    except IntegrityError:
        # Someone saved a script with the same name between the check and this save.
        db.session.rollback()
        raise RuleViolation(NAME_TAKEN, "name") from None


def create_script(values: dict, user) -> Script:
    """Add a script after checking it renders."""
    script = Script(**_check_values(None, values), created_by_id=user.id if user else None)
    with _name_taken_on_conflict():
        db.session.add(script)
        db.session.commit()
    return script


def update_script(script: Script, values: dict, expected_version: str) -> None:
    """Save a script; EditConflict when someone else saved it since ``expected_version``."""
    checked = _check_values(script, values)
    VERSIONS.apply(script, FIELDS, checked, expected_version, user=None)
    with _name_taken_on_conflict():
        VERSIONS.commit(script, FIELDS, expected_version)


def delete_script(script: Script) -> None:
    """Remove a script (nothing else refers to scripts)."""
    db.session.delete(script)
    db.session.commit()


def ensure_defaults() -> None:
    """Give a team without any script the two research-style examples."""
    if db.session.scalar(select(func.count(Script.id))):
        return
    for values in DEFAULT_SCRIPTS:
        db.session.add(Script(**values))
    try:
        db.session.commit()
    except IntegrityError:
        # Two first visits at once: the other one seeded them.
        db.session.rollback()


@dataclass(frozen=True)
class Preview:
    """A script rendered for one contact (or with sample values), ready to send or read."""

    subject: str
    body: str
    contact: Contact | None
    mailto: str | None
    # Why there is no "open in mail client" for this contact, when there is none.
    mail_note: str | None

    @property
    def seconds_to_read(self) -> int:
        return round(len(self.body.split()) * 60 / WORDS_PER_MINUTE)


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` link (RFC 6068): everything percent-encoded, line breaks as CRLF."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    query = f"subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return f"mailto:{quote(address, safe='@')}?{query}"


def _mail_note(contact: Contact) -> str | None:
    if contact.account.do_not_contact:
        return f"{contact.account.name} is marked do not contact."
    if contact.do_not_email:
        return f"{contact.name} asked not to be emailed."
    if not contact.email:
        return f"There is no email address for {contact.name}."
    return None


def preview(script: Script, contact: Contact | None, sender) -> Preview:
    """Render ``script`` for ``contact`` sent by ``sender``; sample values without a contact.

    Raises RuleViolation when the stored text no longer renders (e.g. a field was removed).
    """
    if contact is None:
        values = merge.sample_values()
    else:
        recipient = merge.Recipient(contact=contact, account=contact.account, sender=sender)
        values = {f.name: f.value(recipient) or "" for f in merge.fields().values()}
    subject = merge.render(script.subject, values) if script.kind == "email" else ""
    body = merge.render(script.body, values)
    note = _mail_note(contact) if contact is not None and script.kind == "email" else None
    link = None
    if contact is not None and script.kind == "email" and note is None:
        link = mailto(contact.email, subject, body)
    return Preview(subject=subject, body=body, contact=contact, mailto=link, mail_note=note)


def find_contacts(q: str = "", include_id: int | None = None) -> list[Contact]:
    """Contacts to preview a script for: matching ``q`` (contact, email or account), by
    account; the contact ``include_id`` is always among them."""
    query = (
        select(Contact)
        .join(Contact.account)
        .options(contains_eager(Contact.account))
        .order_by(func.lower(Account.name), Contact.is_primary.desc(), Contact.name)
        .limit(CONTACTS_SHOWN)
    )
    q = q.strip().lower()
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Contact.name).like(pattern, escape="\\"),
                func.lower(Contact.email).like(pattern, escape="\\"),
                func.lower(Account.name).like(pattern, escape="\\"),
            )
        )
    contacts = list(db.session.scalars(query))
    if include_id is not None and all(c.id != include_id for c in contacts):
        chosen = db.session.get(Contact, include_id)
        if chosen is not None:
            contacts.insert(0, chosen)
    return contacts


DEFAULT_SCRIPTS = (
    {
        "kind": "email",
        "name": "Research invitation (email)",
        "subject": "{{ contact_first_name }}, could you spare 15 minutes to help us learn?",
        "body": """Hi {{ contact_first_name }},

I'm {{ sender_name }}{% if sender_title %}, {{ sender_title }}{% endif %} at {{ company_name }}. \
We are talking with a few former customers to understand where we fell short, and your view \
of how things went for {{ account_name }} would help us more than anything we could work out \
on our own.

It would take 15 minutes, by phone or video, whenever suits you. This is not a sales call: \
I'll ask a handful of questions and listen. As a thank-you, we will make a donation to a \
charity of your choice.

Would a time next week work? A reply with a day and a time is all I need.

Thank you,
{{ sender_name }}
{{ company_name }}
""",
    },
    {
        "kind": "voicemail",
        "name": "Research invitation (voicemail)",
        "subject": "",
        "body": """Hi {{ contact_first_name }}, this is {{ sender_name }} from {{ company_name }}.

We're asking a few former customers what we could have done better, and your experience at \
{{ account_name }} would really help. It takes about 15 minutes, and to say thank you we'll \
make a donation to a charity you choose.

I'll send you a short email as well, so you have my details. Thanks, \
{{ contact_first_name }}, and I hope we can talk soon.
""",
    },
)
