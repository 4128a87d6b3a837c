"""The loss-reason taxonomy and the competitor list: defaults, edits, retirement.

Reasons and competitors are referred to by id everywhere, so renaming one relabels it without
changing what any account says; every rename, retirement and reorder is recorded in
TaxonomyChange, and account history keeps the names as they were when it was written.
"""

from sqlalchemy import exists, func, or_, select

from ..extensions import db
from ..rules import RuleViolation
from .models import (
    Account,
    AccountReason,
    Competitor,
    LossReason,
    ReasonCategory,
    TaxonomyChange,
)

DEFAULT_REASONS = {
    "Price": ["Price too high", "Competitor offered a discount", "Discount ended"],
    "Competitor's new product": ["Competitor launched a better product", "Bundled offer"],
    "Product gap": ["Missing feature", "Did not integrate with their systems"],
    "Delivery problems": ["Late deliveries", "Wrong or incomplete orders"],
    "Quality / defects": ["Defects and returns", "Unreliable equipment"],
    "Billing errors": ["Wrong invoices", "Slow credit notes"],
    "Service / support": ["Slow support", "No single point of contact"],
    "Relationship": ["Personality conflict", "Key contact left"],
    "Budget cut": ["Budget cut", "Company downsized"],
    "Needs changed": ["Needs changed", "Moved the work in-house"],
    "No decision": ["Project shelved", "Stayed with the status quo"],
    "Other": ["Other"],
}
DEFAULT_COMPETITORS = ["Brightline", "Corvex Systems", "Northpeak", "Valetta Group"]
NAME_MAX = 120


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation("Enter a name.", "name")
    if len(name) > NAME_MAX:
        raise RuleViolation(f"Use at most {NAME_MAX} characters.", "name")
    return name


def _record(user, subject: str, subject_id: int, change: str, old="", new="") -> None:
    db.session.add(
        TaxonomyChange(
            user=user,
            subject=subject,
            subject_id=subject_id,
            change=change,
            old_value=old,
            new_value=new,
        )
    )


def ensure_defaults() -> None:
    """Create the default categories, reasons and competitors when the lists are empty."""
    if db.session.scalar(select(func.count(ReasonCategory.id))) == 0:
        for position, (category_name, reason_names) in enumerate(DEFAULT_REASONS.items()):
            category = ReasonCategory(name=category_name, position=position)
            db.session.add(category)
            for index, reason_name in enumerate(reason_names):
                db.session.add(LossReason(category=category, name=reason_name, position=index))
    if db.session.scalar(select(func.count(Competitor.id))) == 0:
        for position, name in enumerate(DEFAULT_COMPETITORS):
            db.session.add(Competitor(name=name, position=position))
    db.session.commit()


def categories(include_retired: bool = False) -> list[ReasonCategory]:
    """Categories in order, with their reasons loaded."""
    query = select(ReasonCategory).order_by(ReasonCategory.position, ReasonCategory.name)
    if not include_retired:
        query = query.where(ReasonCategory.retired.is_(False))
    return list(db.session.scalars(query))


def reason_choices(include: set[int] | None = None) -> list[tuple[ReasonCategory, list]]:
    """Active reasons grouped by category, plus any retired ones in ``include`` (already used)."""
    include = include or set()
    rows = db.session.scalars(
        select(LossReason)
        .join(LossReason.category)
        .order_by(ReasonCategory.position, ReasonCategory.name, LossReason.position)
    )
    grouped: dict[int, tuple[ReasonCategory, list]] = {}
    for reason in rows:
        active = not reason.retired and not reason.category.retired
        if active or reason.id in include:
            grouped.setdefault(reason.category_id, (reason.category, []))[1].append(reason)
    return list(grouped.values())


def competitors(include_retired: bool = False) -> list[Competitor]:
    """Competitors in order."""
    query = select(Competitor).order_by(Competitor.position, Competitor.name)
    if not include_retired:
        query = query.where(Competitor.retired.is_(False))
    return list(db.session.scalars(query))


def reason_in_use(reason: LossReason) -> bool:
    """True when any account names this reason, in either view or as a primary."""
    return db.session.scalar(
        select(
            exists().where(AccountReason.reason_id == reason.id)
            | exists().where(
                or_(Account.customer_primary_id == reason.id, Account.team_primary_id == reason.id)
            )
        )
    )


def competitor_in_use(competitor: Competitor) -> bool:
    """True when any account was lost to this competitor."""
    return db.session.scalar(select(exists().where(Account.competitor_id == competitor.id)))


def add_category(name: str, user=None) -> ReasonCategory:
    """Add a category at the end of the list."""
    name = _clean_name(name)
    if db.session.scalar(
        select(ReasonCategory).where(func.lower(ReasonCategory.name) == name.lower())
    ):
        raise RuleViolation("A category with this name exists.", "name")
    last = db.session.scalar(select(func.max(ReasonCategory.position))) or 0
    category = ReasonCategory(name=name, position=last + 1)
    db.session.add(category)
    db.session.flush()
    _record(user, "category", category.id, "added", new=name)
    db.session.commit()
    return category


def add_reason(category: ReasonCategory, name: str, user=None) -> LossReason:
    """Add a reason at the end of its category."""
    name = _clean_name(name)
    if any(r.name.lower() == name.lower() for r in category.reasons):
        raise RuleViolation("This category already has a reason with this name.", "name")
    position = max((r.position for r in category.reasons), default=-1) + 1
    reason = LossReason(category=category, name=name, position=position)
    db.session.add(reason)
    db.session.flush()
    _record(user, "reason", reason.id, "added", new=reason.label)
    db.session.commit()
    return reason


def rename(item, name: str, user=None):
    """Rename a category, reason or competitor; the old name is kept in the change log."""
    name = _clean_name(name)
    subject = _subject(item)
    if name == item.name:
        return item
    siblings = _siblings(item)
    if any(other.id != item.id and other.name.lower() == name.lower() for other in siblings):
        raise RuleViolation("Another entry in this list has this name.", "name")
    _record(user, subject, item.id, "renamed", old=item.name, new=name)
    item.name = name
    db.session.commit()
    return item


def set_retired(item, retired: bool, user=None):
    """Retire an entry (hidden from new choices, kept on accounts) or bring it back."""
    if item.retired != retired:
        _record(user, _subject(item), item.id, "retired" if retired else "restored", new=item.name)
        item.retired = retired
        db.session.commit()
    return item


def move(item, offset: int, user=None):
    """Move an entry up (-1) or down (+1) within its list."""
    siblings = _siblings(item)
    index = siblings.index(item)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        _record(user, _subject(item), item.id, "moved", new=str(target + 1))
        db.session.commit()
    return item


def delete(item, user=None) -> None:
    """Delete an entry no account uses; one in use can only be retired."""
    in_use = {
        "reason": lambda: reason_in_use(item),
        "competitor": lambda: competitor_in_use(item),
        "category": lambda: bool(item.reasons),
    }[_subject(item)]()
    if in_use:
        message = (
            "This category still has reasons: delete or move them first."
            if isinstance(item, ReasonCategory)
            else "Accounts use this entry, so it can only be retired, not deleted."
        )
        raise RuleViolation(message)
    _record(user, _subject(item), item.id, "deleted", old=item.name)
    db.session.delete(item)
    db.session.commit()


def add_competitor(name: str, user=None) -> Competitor:
    """Add a competitor at the end of the list."""
    name = _clean_name(name)
    if db.session.scalar(select(Competitor).where(func.lower(Competitor.name) == name.lower())):
        raise RuleViolation("A competitor with this name exists.", "name")
    last = db.session.scalar(select(func.max(Competitor.position))) or 0
    competitor = Competitor(name=name, position=last + 1)
    db.session.add(competitor)
    db.session.flush()
    _record(user, "competitor", competitor.id, "added", new=name)
    db.session.commit()
    return competitor


def _subject(item) -> str:
    return {ReasonCategory: "category", LossReason: "reason", Competitor: "competitor"}[type(item)]


def _siblings(item) -> list:
    if isinstance(item, LossReason):
        return sorted(item.category.reasons, key=lambda r: (r.position, r.id))
    model = type(item)
    return list(db.session.scalars(select(model).order_by(model.position, model.id)))
