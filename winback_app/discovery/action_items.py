"""Action items: the tasks an interview (or a plan) leaves behind, each with an owner, perhaps
a partner, and a due date. Open ones come to their owner's Today page and calendar feed."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from winback_app.auth.models import User
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.calendar import services as feed
from winback_app.rules import RuleViolation

WHAT_MAX = 300
# Today shows what is overdue and what is due up to the end of the coming week.
WEEK_DAYS = 7
TODAY_LIMIT = 50
# How far back and ahead a due date may be set: typing mistakes, not plans.
DUE_RANGE_DAYS = 3 * 365


@dataclass
class DueItems:
    """The open action items Today shows, and how many there are in all."""

    items: list[ActionItem]
    total: int


def new_item(
    account_id: int,
    what: str,
    owner: User | None,
    due_on: date | None,
    today: date,
    partner: User | None = None,
    interview_id: int | None = None,
) -> ActionItem:
    """A checked, unsaved action item (the caller adds it to its own transaction)."""
    what = (what or "").strip()
    if not what:
        raise RuleViolation("Say what is to be done.", "what")
    if len(what) > WHAT_MAX:
        raise RuleViolation(f"Use at most {WHAT_MAX} characters.", "what")
    if owner is None or not owner.active or not owner.can_write:
        raise RuleViolation("Choose who will do it.", "owner_id")
    if partner is not None and partner.id == owner.id:
        raise RuleViolation("The partner must be someone other than the owner.", "partner_id")
    if due_on is None:
        raise RuleViolation("Give it a due date.", "due_on")
    if abs((due_on - today).days) > DUE_RANGE_DAYS:
        raise RuleViolation("Choose a due date within three years of today.", "due_on")
    return ActionItem(
        account_id=account_id,
        interview_id=interview_id,
        what=what,
        owner_id=owner.id,
        partner_id=partner and partner.id,
        due_on=due_on,
    )


def create(account_id: int, what: str, owner, due_on, today: date, **extra) -> ActionItem:
    """Add one action item."""
    item = new_item(account_id, what, owner, due_on, today, **extra)
    db.session.add(item)
    db.session.commit()
    return item


def complete(item: ActionItem) -> ActionItem:
    """Mark an item done; marking it again keeps the first time (a double click is harmless)."""
    if item.done_at is None:
        item.done_at = utcnow()
        db.session.commit()
    return item


ROW_OPTIONS = (
    joinedload(ActionItem.account),
    joinedload(ActionItem.owner),
    joinedload(ActionItem.partner),
)


def load(item_id: int) -> ActionItem | None:
    """One action item with what its row shows, or None."""
    return db.session.scalar(
        select(ActionItem).where(ActionItem.id == item_id).options(*ROW_OPTIONS)
    )


def open_for(user: User, limit: int | None = None) -> list[ActionItem]:
    """``user``'s open items, soonest due first."""
    query = (
        select(ActionItem)
        .where(ActionItem.owner_id == user.id, ActionItem.done_at.is_(None))
        .options(*ROW_OPTIONS)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )
    return list(db.session.scalars(query.limit(limit) if limit else query))


def due_for(user: User, today: date) -> DueItems:
    """``user``'s open items that are overdue or due by the end of the coming week.

    One query whatever their number: the total comes along as a window count.
    """
    rows = db.session.execute(
        select(ActionItem, func.count().over())
        .where(
            ActionItem.owner_id == user.id,
            ActionItem.done_at.is_(None),
            ActionItem.due_on <= today + timedelta(days=WEEK_DAYS),
        )
        .options(*ROW_OPTIONS)
        .order_by(ActionItem.due_on, ActionItem.id)
        .limit(TODAY_LIMIT)
    ).all()
    return DueItems([item for item, _ in rows], rows[0][1] if rows else 0)


def for_account(account_id: int) -> list[ActionItem]:
    """The account's open items, soonest due first."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.account_id == account_id, ActionItem.done_at.is_(None))
            .options(*ROW_OPTIONS)
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        )
    )


def for_interview(interview_id: int) -> list[ActionItem]:
    """Everything an interview left to do, done or not."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.interview_id == interview_id)
            .options(*ROW_OPTIONS)
            .order_by(ActionItem.id)
        )
    )


def calendar_events(user: User, link: feed.Link) -> list[feed.FeedEvent]:
    """The calendar feed's provider: each open item of ``user`` on its due date."""
    events = []
    for item in open_for(user):
        if item.due_on is None:
            continue
        url = link("accounts.detail", account_id=item.account_id)
        events.append(
            feed.FeedEvent(
                uid=f"action-{item.id}@winback",
                day=item.due_on,
                summary=f"{item.what} ({item.account.name})",
                description=f"Action item for {item.account.name}\n{url}",
                url=url,
            )
        )
    return events


feed.PROVIDERS.append(calendar_events)
