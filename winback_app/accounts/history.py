"""Account history: readable old → new entries, kept in the account's change table.

Each change is stored with the names as they read at the time (a later rename of a reason or
a user does not rewrite history) and with the account version it produced, which is how a
conflicting edit finds what changed since the editor loaded the page (``winback_app.sections``).
"""

from sqlalchemy import update

from winback_app.accounts.models import KINDS, STATUSES, Account, AccountChange, Competitor
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.sections import Versioned

LABELS = {
    "kind": "Kind",
    "name": "Name",
    "segment": "Segment",
    "owner_id": "Owner",
    "status": "Status",
    "lost_on": "Lost on",
    "annual_value_lost": "Annual value lost",
    "value_recovered": "Value recovered",
    "friendly": "Friendly",
    "do_not_contact": "Do not contact",
    "likelihood": "Likelihood to return",
    "notes": "Notes",
    "competitor_id": "Lost to",
    "competitor_terms": "Competitor's terms",
    "competitor_price": "Competitor's price",
    "contract_start": "Contract start",
    "contract_term_months": "Contract term (months)",
    "sales_history": "Sales-history summary",
    "customer_reasons": "Customer's reasons",
    "customer_words": "Customer's words",
    "team_reasons": "Team's reasons",
    "team_notes": "Team's notes",
    "contact": "Contact",
    "created": "Account",
}
# Accounts are saved by section (services.SECTIONS), each change in AccountChange.
VERSIONS = Versioned(AccountChange, "account")


def display(field: str, value) -> str:
    """How a value reads in the history panel (names, not ids)."""
    if field == "competitor_id" and value is None:
        return "No decision"
    if value is None or value == "":
        return "—"
    if field == "owner_id":
        user = db.session.get(User, value)
        return user.name if user else "—"
    if field == "competitor_id":
        competitor = db.session.get(Competitor, value)
        return competitor.name if competitor else "—"
    if field == "kind":
        return KINDS[value]
    if field == "status":
        return STATUSES[value]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def record(account: Account, user, field: str, old: str, new: str, version: int | None = None):
    """Add a history entry for the save in progress (``version``: see ``Versioned.record``)."""
    VERSIONS.record(account, user, field, old, new, version)


def record_beside(account: Account, user, field: str, old: str, new: str, *where, **values) -> bool:
    """Record a change made beside the account's sections (a contact, a thank-you, the status
    an attempt moves on) without committing; False when ``where`` no longer holds.

    The account's version moves on in one UPDATE with no version check, so the change can never
    lose a race with someone else's save; open forms still learn that the account moved on, and
    the change row carries the version this UPDATE made. ``values`` are set in the same UPDATE,
    only while the conditions ``where`` hold.
    """
    version = db.session.execute(
        update(Account)
        .where(Account.id == account.id, *where)
        .values(version=Account.version + 1, updated_at=utcnow(), **values)
        .returning(Account.version)
    ).scalar_one_or_none()
    if version is None:
        return False
    VERSIONS.record(account, user, field, old, new, version)
    return True
