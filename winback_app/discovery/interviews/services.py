"""Interviews: scheduling or logging one, the notes typed while it runs, and closing it.

Notes are saved as they are typed, many times a minute: saving one is an upsert on
(interview, question), safe to repeat and safe when two saves race. Closing records what was
learnt and carries it to the account: the customer's reasons (with history), the friendly
flag when the contact agreed to be called again, action items and a promised thank-you.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from winback_app.accounts import services as accounts
from winback_app.accounts.models import Account, Contact
from winback_app.auth.models import User
from winback_app.discovery import action_items
from winback_app.discovery.guides.models import Guide
from winback_app.discovery.incentives.models import INCENTIVE_STATUSES, Incentive
from winback_app.discovery.interviews.models import Interview
from winback_app.extensions import db
from winback_app.formatting import team_zone
from winback_app.models import utcnow
from winback_app.rules import RuleViolation
from winback_app.sections import EditConflict

SUMMARY_MAX = 5000
QUOTES_MAX = 5000
CHARITY_MAX = 200
AMOUNT_MAX = Decimal("100000")
OPEN = ("scheduled", "in_progress")
# Statuses a held interview moves on to "discovery" (closed is the team's own decision).
BEFORE_DISCOVERY = ("new", "researching", "contacting", "nurture")
# How far from now an interview may be dated: enough to log an old one or plan well ahead.
PAST_LIMIT, FUTURE_LIMIT = timedelta(days=5 * 365), timedelta(days=2 * 365)
# Offered for promises made at closing; "paid" is recorded later, on the incentives pages.
PROMISED = {key: INCENTIVE_STATUSES[key] for key in ("offered", "pledged")}


@dataclass
class Closing:
    """What the interviewer records when closing an interview."""

    summary: str
    key_quotes: str = ""
    reason_ids: list[int] = field(default_factory=list)
    primary_id: int | None = None
    words: str = ""
    follow_up_permission: bool | None = None
    # (what, owner, partner, due_on) for each row of the form; None for a row left empty.
    action_items: list[tuple | None] = field(default_factory=list)
    # A thank-you promised (offered or pledged), such as a donation to a charity they pick.
    incentive_status: str = ""
    charity: str = ""
    amount: Decimal | None = None
    # The account's version when the form was loaded, to notice someone else's edit.
    account_version: int | None = None


class AlreadyClosed(RuleViolation):
    """The interview was closed before (a form posted twice, or by someone else)."""


class AlreadyScheduled(RuleViolation):
    """The same interview is already planned (a form posted twice)."""

    def __init__(self, interview: Interview):
        super().__init__("This interview was already scheduled.")
        self.interview = interview


def schedule(
    account: Account,
    *,
    contact_id: int,
    guide_id: int,
    interviewer: User,
    partner: User | None,
    when: datetime,
    start: bool = False,
    confirm_do_not_contact: bool = False,
) -> Interview:
    """Plan an interview, or log one held earlier; ``start`` also starts its clock now."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.account_id != account.id:
        raise RuleViolation("Choose one of the account's contacts.", "contact_id")
    guide = db.session.get(Guide, guide_id)
    if guide is None or guide.retired:
        raise RuleViolation("Choose one of the guides.", "guide_id")
    if not interviewer.active or not interviewer.can_write:
        raise RuleViolation("Choose someone who can run the interview.", "interviewer_id")
    if partner is not None and partner.id == interviewer.id:
        raise RuleViolation("The partner must be someone other than the interviewer.", "partner_id")
    now = utcnow()
    if not now - PAST_LIMIT <= when <= now + FUTURE_LIMIT:
        raise RuleViolation("Choose a date in the last five years or the next two.", "when")
    if account.do_not_contact and not confirm_do_not_contact:
        raise RuleViolation(
            "This account is marked do not contact. Tick the box if they asked to talk.",
            "confirm_do_not_contact",
        )
    # Lock the account (on PostgreSQL) so that a form posted twice at once is seen as such.
    db.session.get(Account, account.id, with_for_update=True)
    same = db.session.scalar(
        select(Interview).where(
            Interview.account_id == account.id,
            Interview.contact_id == contact.id,
            Interview.scheduled_at == when,
            Interview.status.in_(OPEN),
        )
    )
    if same is not None:
        db.session.rollback()
        raise AlreadyScheduled(same)
    interview = Interview(
        account_id=account.id,
        contact_id=contact.id,
        guide_id=guide.id,
        interviewer_id=interviewer.id,
        partner_id=partner and partner.id,
        scheduled_at=when,
        status="in_progress" if start else "scheduled",
        started_at=now if start else None,
    )
    db.session.add(interview)
    db.session.commit()
    return interview


def start(interview: Interview) -> Interview:
    """Start the interview's clock; starting it again keeps the first start time."""
    if interview.status == "cancelled":
        raise RuleViolation("This interview was cancelled.")
    if interview.started_at is None:
        interview.started_at = utcnow()
        if interview.status == "scheduled":
            interview.status = "in_progress"
        db.session.commit()
    return interview


def cancel(interview: Interview) -> Interview:
    """Call off an interview that has not been held."""
    if interview.status not in OPEN:
        raise RuleViolation("Only an interview that has not been held can be cancelled.")
    interview.status = "cancelled"
    db.session.commit()
    return interview


def held_on(interview: Interview, today: date) -> date:
    """The day the conversation took place, as far as the app knows, in the team's zone."""
    moment = interview.started_at or interview.scheduled_at
    if moment is None:
        return today
    return min(moment.astimezone(team_zone()).date(), today)


def _check_closing(closing: Closing, interview: Interview, today: date) -> list:
    if interview.status == "cancelled":
        raise RuleViolation("This interview was cancelled; it cannot be closed.")
    if interview.status == "held":
        raise AlreadyClosed("This interview was already closed.")
    if not (closing.summary or "").strip():
        raise RuleViolation("Write a short summary of what you heard.", "summary")
    for name, limit in (("summary", SUMMARY_MAX), ("key_quotes", QUOTES_MAX)):
        if len(getattr(closing, name) or "") > limit:
            raise RuleViolation(f"Use at most {limit} characters.", name)
    if closing.incentive_status:
        if closing.incentive_status not in PROMISED:
            raise RuleViolation("Choose offered or pledged.", "incentive_status")
        if len(closing.charity or "") > CHARITY_MAX:
            raise RuleViolation(f"Use at most {CHARITY_MAX} characters.", "charity")
        if closing.amount is None or not 0 < closing.amount <= AMOUNT_MAX:
            raise RuleViolation(f"Enter an amount above 0 and up to {AMOUNT_MAX}.", "amount")
    items = []
    filled = ((index, row) for index, row in enumerate(closing.action_items) if row is not None)
    for index, (what, owner, partner, due_on) in filled:
        try:
            item = action_items.new_item(
                interview.account_id, what, owner, due_on, today, partner, interview.id
            )
        except RuleViolation as violation:
            # Name the row as the form numbers it (empty rows count), so the message lands on it.
            field = f"action_items-{index}-{violation.field}"
            raise RuleViolation(violation.message, field) from None
        items.append(item)
    return items


def close(interview: Interview, closing: Closing, user: User, today: date) -> Interview:
    """Record the interview's outcome and carry it to the account; closing twice is refused.

    Everything is checked before anything is written. The interview, its action items and the
    thank-you are committed together with the customer's view (the accounts service commits
    when the view changes); the friendly flag follows in the account's own save of its facts.
    """
    items = _check_closing(closing, interview, today)
    now = utcnow()
    # Claim the interview in the database: of two closings posted at once, one finds it
    # already held, so nothing is recorded twice.
    claimed = db.session.execute(
        update(Interview)
        .where(Interview.id == interview.id, Interview.status.in_(OPEN))
        .values(status="held", ended_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise AlreadyClosed("This interview was already closed.")
    interview.status, interview.ended_at = "held", now
    interview.summary = closing.summary.strip()
    interview.key_quotes = (closing.key_quotes or "").strip()
    interview.follow_up_permission = closing.follow_up_permission
    db.session.add_all(items)
    if closing.incentive_status:
        db.session.add(_incentive(interview, closing, user, now))
    account = interview.account
    try:
        accounts.set_view(
            account,
            "customer",
            closing.reason_ids,
            closing.primary_id,
            closing.words,
            closing.account_version,
            user,
            source="interview",
            noted_on=held_on(interview, today),
        )
    except (RuleViolation, EditConflict):
        # Refused before its commit: undo the claim and the rest, as if nothing happened.
        db.session.rollback()
        raise
    facts = {}
    # A conversation held is discovery; an account already further along keeps its status.
    if account.status in BEFORE_DISCOVERY:
        facts["status"] = "discovery"
    if closing.follow_up_permission and not account.friendly:
        facts["friendly"] = True
    if facts:
        accounts.update_section(account, "facts", facts, None, user)
    db.session.commit()
    return interview


def _incentive(interview: Interview, closing: Closing, user: User, now: datetime) -> Incentive:
    return Incentive(
        account_id=interview.account_id,
        contact_id=interview.contact_id,
        interview_id=interview.id,
        charity=(closing.charity or "").strip(),
        amount=closing.amount,
        status=closing.incentive_status,
        offered_at=now,
        pledged_at=now if closing.incentive_status == "pledged" else None,
        created_by_id=user.id,
    )
