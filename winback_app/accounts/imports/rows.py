"""The rows of an import: each with the names it uses looked up and how it differs from the
account it would update; all of them with their counts (the Analysis the preview shows); and
adding a row to the session (the importer commits all rows at once)."""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import ClassVar

from winback_app.accounts import history, signals
from winback_app.accounts.imports.fields import ReadRow
from winback_app.accounts.imports.lookup import Lookup, NewCompetitor, NewReason
from winback_app.accounts.models import VIEWS, Account, AccountReason, Contact
from winback_app.accounts.services import recompute_disagreement
from winback_app.extensions import db
from winback_app.models import utcnow


@dataclass(eq=False)
class Row:
    """A data row of the file and what importing it would do."""

    STATUSES: ClassVar[dict] = {
        "new": "New",
        "update": "Update",
        "unchanged": "No change",
        "duplicate": "Duplicate, skipped",
        "invalid": "Invalid",
    }

    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: list[str]
    read: ReadRow
    errors: list[str] = field(default_factory=list)
    # owner → User; competitor → Competitor, NewCompetitor or None ("no decision");
    # customer/team → reasons, primary first. Only what the row gives.
    refs: dict = field(default_factory=dict)
    status: str = "new"
    note: str = ""
    account: Account | None = None  # the account an update changes
    changes: dict = field(default_factory=dict)  # history field → (old, new), as history shows

    @classmethod
    def resolve(cls, number: int, cells: list[str], read: ReadRow, lookup: Lookup) -> "Row":
        """The row with its owner, competitor and reasons looked up by name."""
        row = cls(number, cells, read, errors=list(read.errors))
        if read.owner:
            owner = row._look_up("Owner", lookup.owner, read.owner)
            if owner:
                row.refs["owner"] = owner
        if read.competitor is not None:
            found = read.competitor and row._look_up("Lost to", lookup.competitor, read.competitor)
            row.refs["competitor"] = found or None
        for view, names in read.reasons.items():
            label = history.LABELS[f"{view}_reasons"]
            found = [row._look_up(label, lookup.reason, name) for name in names]
            # Two spellings of one reason count once.
            row.refs[view] = list(dict.fromkeys(reason for reason in found if reason))
        return row

    def _look_up(self, label: str, find, name: str):
        try:
            return find(name)
        except ValueError as problem:
            self.errors.append(f"{label}: {problem}")
            return None

    @property
    def values(self) -> dict:
        return self.read.values

    @property
    def status_label(self) -> str:
        return self.STATUSES[self.status]

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        """The changes an update makes: field label, old value, new value."""
        return [(history.LABELS[name], old, new) for name, (old, new) in self.changes.items()]

    @property
    def message(self) -> str:
        """Why the row is not imported (its errors, or why it is a duplicate)."""
        return "; ".join(self.errors) or self.note

    def new_items(self) -> list:
        """The competitor and reasons this row names that the lists do not have yet."""
        items = [self.refs.get("competitor"), *self.refs.get("customer", ())]
        items += self.refs.get("team", ())
        return [item for item in items if isinstance(item, NewCompetitor | NewReason)]

    def duplicate_key(self, by_email: bool) -> str:
        """What makes two rows, or a row and an account, the same ("" never matches)."""
        if by_email:
            return ((self.read.contact or {}).get("email") or "").lower()
        return self.values["name"].lower()

    def skip(self, note: str) -> None:
        self.status, self.note = "duplicate", note


# What the preview can narrow the rows to.
SHOW = {
    "all": None,
    "new": {"new"},
    "update": {"update"},
    "skipped": {"duplicate", "unchanged"},
    "invalid": {"invalid"},
}
PREVIEW_ROWS = 200


@dataclass
class Analysis:
    """Every row of an import as it would be imported now, and the names it does not know."""

    options: dict
    may_create: bool
    lookup: Lookup
    rows: list[Row] = field(default_factory=list)
    unknown: Counter = field(default_factory=Counter)  # NewReason/NewCompetitor → rows

    @cached_property
    def counts(self) -> dict[str, int]:
        found = Counter(row.status for row in self.rows)
        return {status: found[status] for status in Row.STATUSES}

    @property
    def to_import(self) -> int:
        return self.counts["new"] + self.counts["update"]

    def unknown_of(self, what: str) -> list[tuple[str, int]]:
        """Unknown competitors or reasons with how many rows name them."""
        return sorted((item.label, n) for item, n in self.unknown.items() if item.what == what)

    def refusal(self) -> str | None:
        """Why the import cannot run as chosen, or None when it can."""
        invalid = self.counts["invalid"]
        if invalid and not self.options["skip_invalid"]:
            rows = "1 row is" if invalid == 1 else f"{invalid} rows are"
            return (
                f"{rows} invalid, so nothing can be imported yet. Correct the file and upload "
                "it again, or choose to skip invalid rows."
            )
        if not self.to_import:
            return "There is nothing to import: no row is new or changes an account."
        return None

    def shown(self, show: str) -> list[Row]:
        """The rows the preview lists for ``show`` (at most PREVIEW_ROWS)."""
        wanted = SHOW.get(show)
        chosen = (row for row in self.rows if wanted is None or row.status in wanted)
        return list(islice(chosen, PREVIEW_ROWS))

    def skipped(self) -> list[Row]:
        """The rows that are not imported because they are invalid or duplicates."""
        return [row for row in self.rows if row.status in ("invalid", "duplicate")]


def _labels(reasons) -> str:
    text = ", ".join(f"{r.label}{' (primary)' if i == 0 else ''}" for i, r in enumerate(reasons))
    return text or "—"


def _contact_text(contact: dict) -> str:
    return " · ".join(
        contact[part] for part in ("name", "title", "email", "phone") if contact[part]
    )


def _same_person(contact: Contact, values: dict) -> bool:
    if values["email"]:
        return contact.email.lower() == values["email"].lower()
    return contact.name.casefold() == values["name"].casefold()


def changes(row: Row) -> dict[str, tuple[str, str]]:
    """What updating ``row.account`` with the row would change, as history records it.

    Empty cells change nothing; a contact is added when the account has no one of that email
    (or name).
    """
    account, refs, found = row.account, row.refs, {}
    for name, new in row.values.items():
        old = getattr(account, name)
        if (old.casefold() != new.casefold()) if name == "name" else (old != new):
            found[name] = (history.display(name, old), history.display(name, new))
    if "owner" in refs and refs["owner"] is not account.owner:
        old = account.owner.name if account.owner else "—"
        found["owner_id"] = (old, refs["owner"].name)
    if "competitor" in refs and refs["competitor"] is not account.competitor:
        old, new = account.competitor, refs["competitor"]
        found["competitor_id"] = tuple(c.name if c else "No decision" for c in (old, new))
    for view in VIEWS:
        wanted = refs.get(view)
        current = [choice.reason for choice in account.reasons_for(view)]
        if wanted and (set(wanted) != set(current) or wanted[0] is not current[0]):
            found[f"{view}_reasons"] = (_labels(current), _labels(wanted))
    contact = row.read.contact
    if contact and not any(_same_person(c, contact) for c in account.contacts):
        found["contact"] = ("—", _contact_text(contact))
    return found


def _saved(refs: dict, made: dict) -> dict:
    """``refs`` with the new competitors and reasons replaced by the records made for them."""
    return {
        name: [made.get(r, r) for r in ref] if isinstance(ref, list) else made.get(ref, ref)
        for name, ref in refs.items()
    }


def _set_reasons(account: Account, view: str, reasons: list) -> None:
    for index, reason in enumerate(reasons):
        choice = AccountReason(reason=reason, view=view, is_primary=index == 0, source="import")
        account.reasons.append(choice)
    setattr(account, f"{view}_primary", reasons[0])


def add_account(row: Row, user, made: dict) -> Account:
    """A new account from the row, its creation the first entry of its history."""
    refs = _saved(row.refs, made)
    account = Account(**row.values)
    for name in ("owner", "competitor"):
        if name in refs:
            setattr(account, name, refs[name])
    for view in VIEWS:
        if refs.get(view):
            _set_reasons(account, view, refs[view])
    recompute_disagreement(account)
    if row.read.contact:
        account.contacts.append(Contact(**row.read.contact, is_primary=True))
    db.session.add(account)
    history.record(account, user, "created", "", account.name, version=1)
    db.session.flush()  # an id for whatever listens (call-backs from the contract dates)
    signals.section_saved.send(account, fields=set(row.values), user=user)
    return account


def update_account(row: Row, user, made: dict) -> None:
    """Apply ``row.changes`` to its account, each change in the history."""
    account, refs = row.account, _saved(row.refs, made)
    version = account.version + 1
    for name, (old, new) in row.changes.items():
        history.record(account, user, name, old, new, version)
    replaced = [view for view in VIEWS if f"{view}_reasons" in row.changes]
    if replaced:
        for choice in [c for c in account.reasons if c.view in replaced]:
            account.reasons.remove(choice)
        # The old choices must be gone before the new ones arrive: one row per reason.
        db.session.flush()
    for name in row.changes.keys() & row.values.keys():
        setattr(account, name, row.values[name])
    if "owner_id" in row.changes:
        account.owner = refs["owner"]
    if "competitor_id" in row.changes:
        account.competitor = refs["competitor"]
    for view in replaced:
        _set_reasons(account, view, refs[view])
        recompute_disagreement(account)
    if "contact" in row.changes:
        account.contacts.append(Contact(**row.read.contact, is_primary=not account.contacts))
    # Also bumps the version when only reasons or contacts changed, so open forms notice.
    account.updated_at = utcnow()
    signals.section_saved.send(account, fields=set(row.changes), user=user)
