"""The loss-reason taxonomy and the competitor list: defaults, edits, retirement.

Reasons and competitors are referred to by id everywhere, so renaming one relabels it without
changing what any account says; every addition, rename, retirement, reorder and deletion is
recorded in TaxonomyChange, and account history keeps the names as they were when it was
written.
"""

from contextlib import contextmanager

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from winback_app import ordering
from winback_app.accounts.models import (
    Account,
    AccountReason,
    Competitor,
    LossReason,
    ReasonCategory,
    TaxonomyChange,
)
from winback_app.extensions import db
from winback_app.rules import RuleViolation

NAME_MAX = 120
WORDING_MAX = 200
SUBJECTS = {ReasonCategory: "category", LossReason: "reason", Competitor: "competitor"}
IN_USE = {
    "category": "This category still has reasons: delete them first, or retire the category.",
    "reason": "Accounts use this reason, so it can only be retired.",
    "competitor": "Accounts use this competitor, so it can only be retired.",
}
DUPLICATE = {
    "category": "There is already a category with this name.",
    "reason": "This category already has a reason with this name.",
    "competitor": "There is already a competitor with this name.",
}


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation("Enter a name.", "name")
    if len(name) > NAME_MAX:
        raise RuleViolation(f"Use at most {NAME_MAX} characters.", "name")
    return name


def _record(user, item, change: str, old: str = "", new: str = "") -> None:
    db.session.add(
        TaxonomyChange(
            user=user,
            subject=SUBJECTS[type(item)],
            subject_id=item.id,
            change=change,
            old_value=old,
            new_value=new,
        )
    )


@contextmanager
def _saving(message: str, field: str | None = None):
    """Commit the block's changes; a constraint the database enforces becomes ``message``.

    The checks before each change cover the usual case; this covers a second admin (or a
    table that references the entry) getting there between the check and the commit.
    """
    try:
        yield
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RuleViolation(message, field) from None


def _never_edited(model, subjects: tuple[str, ...]) -> bool:
    """True when ``model``'s list is empty and has no recorded change."""
    return db.session.scalar(
        select(
            ~exists().where(model.id.is_not(None))
            & ~exists().where(TaxonomyChange.subject.in_(subjects))
        )
    )


def categories(include_retired: bool = False) -> list[ReasonCategory]:
    """Categories in order, with their reasons (retired ones too) loaded in one more query."""
    query = (
        select(ReasonCategory)
        .options(selectinload(ReasonCategory.reasons))
        .order_by(ReasonCategory.position, ReasonCategory.id)
    )
    if not include_retired:
        query = query.where(ReasonCategory.retired.is_(False))
    return list(db.session.scalars(query))


def reason_choices(include: set[int] | None = None) -> list[tuple[ReasonCategory, list]]:
    """Active reasons grouped by category, plus any retired ones in ``include`` (already used)."""
    include = include or set()
    rows = db.session.scalars(
        select(LossReason)
        .join(LossReason.category)
        .options(contains_eager(LossReason.category))
        .order_by(ReasonCategory.position, ReasonCategory.id, LossReason.position, LossReason.id)
    )
    grouped: dict[int, tuple[ReasonCategory, list]] = {}
    for reason in rows:
        active = not reason.retired and not reason.category.retired
        if active or reason.id in include:
            grouped.setdefault(reason.category_id, (reason.category, []))[1].append(reason)
    return list(grouped.values())


def competitors(include_retired: bool = False) -> list[Competitor]:
    """Competitors in order."""
    query = select(Competitor).order_by(Competitor.position, Competitor.id)
    if not include_retired:
        query = query.where(Competitor.retired.is_(False))
    return list(db.session.scalars(query))


def reason_usage() -> dict[int, int]:
    """Reason id → how many accounts name it (in either view), in one GROUP BY query."""
    rows = db.session.execute(
        select(AccountReason.reason_id, func.count(AccountReason.account_id.distinct())).group_by(
            AccountReason.reason_id
        )
    )
    return dict(rows.all())


def competitor_usage() -> dict[int, int]:
    """Competitor id → how many accounts were lost to it, in one GROUP BY query."""
    rows = db.session.execute(
        select(Account.competitor_id, func.count(Account.id))
        .where(Account.competitor_id.is_not(None))
        .group_by(Account.competitor_id)
    )
    return dict(rows.all())


def recent_changes(subjects: tuple[str, ...], limit: int = 8) -> list[TaxonomyChange]:
    """The latest changes to the given kinds of entry, newest first, with who made them."""
    return list(
        db.session.scalars(
            select(TaxonomyChange)
            .options(joinedload(TaxonomyChange.user))
            .where(TaxonomyChange.subject.in_(subjects))
            .order_by(TaxonomyChange.id.desc())
            .limit(limit)
        )
    )


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
    return _append(ReasonCategory, name, user)


def add_competitor(name: str, user=None) -> Competitor:
    """Add a competitor at the end of the list."""
    return _append(Competitor, name, user)


def add_reason(category: ReasonCategory, name: str, user=None) -> LossReason:
    """Add a reason at the end of an active category."""
    name = _clean_name(name)
    if category.retired:
        raise RuleViolation("Restore this category before adding reasons to it.", "name")
    _check_unique(category.reasons, name, "reason")
    position = max((r.position for r in category.reasons), default=-1) + 1
    with _saving(DUPLICATE["reason"], "name"):
        reason = LossReason(category=category, name=name, position=position)
        db.session.add(reason)
        db.session.flush()
        _record(user, reason, "added", new=reason.label)
    return reason


def rename(item, name: str, user=None, wording: str | None = None):
    """Rename a category, reason or competitor; the old name is kept in the change log. A
    reason also takes ``wording``, what customers read of it (blank: its name)."""
    name = _clean_name(name)
    if wording is not None and len(wording := " ".join(wording.split())) > WORDING_MAX:
        raise RuleViolation(f"Use at most {WORDING_MAX} characters.", "customer_wording")
    renamed = name != item.name
    reworded = wording is not None and wording != item.customer_wording
    if renamed:
        _check_unique([o for o in _siblings(item) if o is not item], name, _subject(item))
    with _saving(DUPLICATE[_subject(item)], "name"):
        if renamed:
            _record(user, item, "renamed", old=item.name, new=name)
            item.name = name
        if reworded:
            _record(user, item, "reworded", old=item.customer_wording, new=wording or name)
            item.customer_wording = wording
    return item


def set_retired(item, retired: bool, user=None):
    """Retire an entry (hidden from new choices, kept on accounts) or bring it back."""
    if item.retired != retired:
        _record(user, item, "retired" if retired else "restored", new=_display(item))
        item.retired = retired
        db.session.commit()
    return item


def move(item, offset: int, user=None):
    """Move an entry up (-1) or down (+1) among the entries of its list in the same state.

    Active and retired entries are listed apart, so a move skips over the other kind; the
    whole list is then renumbered, active entries first, to keep positions distinct.
    """
    siblings = _siblings(item)
    same_state = ordering.moved([s for s in siblings if s.retired == item.retired], item, offset)
    if same_state is not None:
        others = [s for s in siblings if s.retired != item.retired]
        # sorted() is stable, so each group keeps the order just made.
        ordering.renumber(sorted(same_state + others, key=lambda s: s.retired))
        _record(user, item, "moved", old=_display(item), new=str(same_state.index(item) + 1))
        db.session.commit()
    return item


def delete(item, user=None) -> None:
    """Delete an entry nothing uses; one in use can only be retired."""
    subject = _subject(item)
    in_use = {
        "reason": lambda: reason_in_use(item),
        "competitor": lambda: competitor_in_use(item),
        "category": lambda: bool(item.reasons),
    }[subject]()
    if in_use:
        raise RuleViolation(IN_USE[subject])
    with _saving(IN_USE[subject]):
        _record(user, item, "deleted", old=_display(item))
        db.session.delete(item)


def _append(model, name: str, user):
    """Add a category or competitor at the end of its list."""
    name = _clean_name(name)
    subject = SUBJECTS[model]
    _check_unique(db.session.scalars(select(model)), name, subject)
    last = db.session.scalar(select(func.max(model.position)))
    with _saving(DUPLICATE[subject], "name"):
        # A first entry gets position 0, like the defaults.
        item = model(name=name, position=0 if last is None else last + 1)
        db.session.add(item)
        db.session.flush()
        _record(user, item, "added", new=name)
    return item


def _check_unique(others, name: str, subject: str) -> None:
    """Refuse a name another entry of the same list has, whatever its letter case."""
    if any(other.name.lower() == name.lower() for other in others):
        raise RuleViolation(DUPLICATE[subject], "name")


def _subject(item) -> str:
    return SUBJECTS[type(item)]


def _display(item) -> str:
    """The name as the change log shows it; a reason names its category too."""
    return item.label if isinstance(item, LossReason) else item.name


def _siblings(item) -> list:
    """The entries of the item's list (its own included), in order."""
    if isinstance(item, LossReason):
        return sorted(item.category.reasons, key=lambda r: (r.position, r.id))
    model = type(item)
    return list(db.session.scalars(select(model).order_by(model.position, model.id)))
