"""Finding the users, competitors, reasons and existing accounts an import's rows name.

The team's users and the two lists are short, so they are loaded once per import; existing
accounts are looked up by name or contact email in chunks. Checking a file of thousands of rows
therefore costs a few queries, not a few per row.
"""

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from winback_app.accounts.models import (
    Account,
    AccountReason,
    Competitor,
    Contact,
    LossReason,
    ReasonCategory,
    TaxonomyChange,
)
from winback_app.accounts.taxonomy.services import NAME_MAX
from winback_app.auth.models import User
from winback_app.extensions import db

CHUNK = 500
# How people write "Category › Reason": also "Category: Reason", "Category / Reason", "A > B".
_SEPARATOR = re.compile(r"\s*(?:›|>|:|/|\|)\s*")
DEFAULT_CATEGORY = "Other"


def key(text: str) -> str:
    """A name compared without case, spacing or which separator it uses ("A: b" = "a › B")."""
    return " › ".join(" ".join(part.split()) for part in _SEPARATOR.split(text.casefold()))


@dataclass(frozen=True)
class NewCompetitor:
    """A competitor the file names that the list does not have yet."""

    name: str
    what = "competitor"

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class NewReason:
    """A reason the file names that the taxonomy does not have yet."""

    category: str
    name: str
    what = "reason"

    @property
    def label(self) -> str:
        return f"{self.category} › {self.name}"


class Lookup:
    """Names → records, for one import."""

    def __init__(self):
        self.users: dict[str, list[User]] = {}
        for user in db.session.scalars(select(User)):
            for name in {user.email.lower(), key(user.name)}:
                self.users.setdefault(name, []).append(user)
        self.competitors = {key(c.name): c for c in db.session.scalars(select(Competitor))}
        self.categories = {key(c.name): c for c in db.session.scalars(select(ReasonCategory))}
        self.reasons: dict[str, list[LossReason]] = {}
        query = select(LossReason).options(joinedload(LossReason.category))
        for reason in db.session.scalars(query):
            for name in {key(reason.name), key(reason.label)}:
                self.reasons.setdefault(name, []).append(reason)
        self._new: dict = {}

    def _remember(self, item):
        """One object per new name, however the rows spell it."""
        return self._new.setdefault((item.what, key(item.label)), item)

    def owner(self, text: str) -> User:
        """The user with this email or name."""
        found = self.users.get(text.strip().lower()) or self.users.get(key(text)) or []
        if len(found) > 1:
            raise ValueError(f"several users are called “{text}”: use their email.")
        if not found:
            raise ValueError(f"no user has the email or name “{text}”.")
        return found[0]

    def competitor(self, text: str) -> Competitor | NewCompetitor:
        """The competitor with this name, or a new one to add."""
        if key(text) in self.competitors:
            return self.competitors[key(text)]
        name = " ".join(text.split())
        if len(name) > NAME_MAX:
            raise ValueError(f"a competitor's name has at most {NAME_MAX} characters.")
        return self._remember(NewCompetitor(name))

    def reason(self, text: str) -> LossReason | NewReason:
        """The reason with this name or "Category: Reason" label, or a new one to add."""
        found = self.reasons.get(key(text), [])
        active = [r for r in found if not r.retired and not r.category.retired]
        if len(found) == 1 or len(active) == 1:
            return (active or found)[0]
        if found:
            raise ValueError(f"“{text}” is in several categories: write “Category: Reason”.")
        if key(text) in self.categories:
            raise ValueError(f"“{text}” is a category: write one of its reasons, as “{text}: …”.")
        return self._remember(self._split(text))

    def add_new(self, items, user) -> dict:
        """Add these new competitors and reasons to the lists; returns the records by item.

        They are added in the caller's transaction, so an import that fails adds none.
        """
        made = {}
        for item in items:
            if isinstance(item, NewCompetitor):
                made[item] = Competitor(
                    name=item.name, position=_next_position(Competitor.position)
                )
            else:
                category = self.categories.get(key(item.category))
                if category is None:
                    position = _next_position(ReasonCategory.position)
                    category = ReasonCategory(name=item.category, position=position)
                    self.categories[key(item.category)] = category
                    _log(user, "category", category, item.category)
                position = max((reason.position for reason in category.reasons), default=-1) + 1
                made[item] = LossReason(category=category, name=item.name, position=position)
            _log(user, item.what, made[item], item.label)
        return made

    def _split(self, text: str) -> NewReason:
        """Where an unknown "Category: Reason" divides: after a known category when one matches
        (category names may hold a separator themselves, like "Quality / defects")."""
        cuts = list(_SEPARATOR.finditer(text))
        known = [cut for cut in cuts if key(text[: cut.start()]) in self.categories]
        cut = (known or cuts or [None])[0]
        category, name = (text[: cut.start()], text[cut.end() :]) if cut else ("", text)
        category = " ".join(category.split()) or DEFAULT_CATEGORY
        if key(category) in self.categories:
            category = self.categories[key(category)].name
        name = " ".join(name.split())
        if not name or max(len(category), len(name)) > NAME_MAX:
            raise ValueError(f"“{text}” cannot be a reason name (at most {NAME_MAX} characters).")
        return NewReason(category, name)


def _next_position(column) -> int:
    return (db.session.scalar(select(func.max(column))) or 0) + 1


def _log(user, subject: str, item, name: str) -> None:
    """Add ``item`` to the session and its addition to the lists' change log."""
    db.session.add(item)
    db.session.flush()
    change = TaxonomyChange(user=user, subject=subject, subject_id=item.id, change="added")
    change.new_value = name
    db.session.add(change)


def _ids_by(column, id_column, values: set[str]) -> dict[str, list[int]]:
    """Ids of the rows whose lower-cased ``column`` is one of ``values``, by that value."""
    found: dict[str, list[int]] = {}
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        query = (
            select(func.lower(column), id_column)
            .where(func.lower(column).in_(values[start : start + CHUNK]))
            .distinct()
            .order_by(id_column)
        )
        for value, found_id in db.session.execute(query):
            found.setdefault(value, []).append(found_id)
    return found


def accounts_by_name(names: set[str]) -> dict[str, list[int]]:
    """Existing account ids by lower-cased name."""
    return _ids_by(Account.name, Account.id, names)


def accounts_by_contact_email(emails: set[str]) -> dict[str, list[int]]:
    """Ids of existing accounts with a contact of each lower-cased email."""
    return _ids_by(Contact.email, Contact.account_id, emails)


def load_accounts(ids: set[int]) -> dict[int, Account]:
    """Accounts by id, with what an update compares loaded."""
    ids_list = sorted(ids)
    accounts = {}
    for start in range(0, len(ids_list), CHUNK):
        query = (
            select(Account)
            .where(Account.id.in_(ids_list[start : start + CHUNK]))
            .options(
                joinedload(Account.owner),
                joinedload(Account.competitor),
                selectinload(Account.reasons)
                .joinedload(AccountReason.reason)
                .joinedload(LossReason.category),
                selectinload(Account.contacts),
            )
        )
        accounts.update((account.id, account) for account in db.session.scalars(query))
    return accounts
