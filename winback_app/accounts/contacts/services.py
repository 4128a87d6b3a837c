"""Contacts at an account: add, edit, remove, one primary per account, all in the history."""

from winback_app.accounts import history
from winback_app.accounts.models import CHANNELS, Account, Contact
from winback_app.addresses import AddressError, clean_address
from winback_app.extensions import db
from winback_app.rules import RuleViolation

LIMITS = {"name": 120, "title": 120, "email": 254, "phone": 40}
FIELDS = ("name", "title", "email", "phone", "preferred_channel", "is_primary", "do_not_email")


def clean_email(email: str) -> str:
    """A normalised email, or "" when none was given; RuleViolation when malformed."""
    try:
        return clean_address(email)
    except AddressError as error:
        raise RuleViolation(error.message, "email") from None


def check(values: dict) -> dict:
    """The values cleaned, or RuleViolation naming the first bad field."""
    values = dict(values)
    values["name"] = " ".join((values.get("name") or "").split())
    if not values["name"]:
        raise RuleViolation("Enter the contact's name.", "name")
    for field, limit in LIMITS.items():
        values[field] = (values.get(field) or "").strip()
        if len(values[field]) > limit:
            raise RuleViolation(f"Use at most {limit} characters.", field)
    values["email"] = clean_email(values["email"])
    if values.get("preferred_channel", "either") not in CHANNELS:
        raise RuleViolation("Choose phone, email or either.", "preferred_channel")
    return values


def _summary(contact: Contact) -> str:
    parts = [contact.name, contact.title, contact.email, contact.phone]
    return " · ".join(part for part in parts if part) + (" (primary)" if contact.is_primary else "")


def _only_primary(account: Account, contact: Contact) -> None:
    if contact.is_primary:
        for other in account.contacts:
            if other is not contact:
                other.is_primary = False


def add(account: Account, values: dict, user) -> Contact:
    """Add a contact; the first one becomes primary."""
    values = check(values)
    contact = Contact(**{field: values[field] for field in FIELDS if field in values})
    if not account.contacts:
        contact.is_primary = True
    account.contacts.append(contact)
    _only_primary(account, contact)
    history.record_beside(account, user, "contact", "—", _summary(contact))
    db.session.commit()
    return contact


def update(contact: Contact, values: dict, user) -> Contact:
    """Change a contact's details."""
    values = check(values)
    before = _summary(contact)
    for field in FIELDS:
        if field in values:
            setattr(contact, field, values[field])
    _only_primary(contact.account, contact)
    after = _summary(contact)
    if after != before:
        history.record_beside(contact.account, user, "contact", before, after)
        db.session.commit()
    return contact


def remove(contact: Contact, user) -> None:
    """Remove a contact (the history keeps who it was)."""
    account = contact.account
    summary = _summary(contact)
    account.contacts.remove(contact)
    if account.contacts and not any(c.is_primary for c in account.contacts):
        account.contacts[0].is_primary = True
    history.record_beside(account, user, "contact", summary, "removed")
    db.session.commit()
