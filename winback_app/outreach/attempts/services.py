"""Attempts to reach an account, and the hit ratio: accounts reached ÷ accounts attempted."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, distinct, func, or_, select, update
from sqlalchemy.orm import joinedload

from winback_app.accounts import history
from winback_app.accounts.models import Account, Contact
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.attempts.models import CHANNELS, OUTCOMES, REACHED, Attempt
from winback_app.outreach.callbacks import services as schedule
from winback_app.outreach.callbacks.models import Callback
from winback_app.rules import RuleViolation

NOTES_MAX = 5000
# Accounts still being worked out move to "contacting" once someone tries to reach them.
BEFORE_CONTACT = ("new", "researching")


@dataclass(frozen=True)
class HitRatio:
    """Accounts attempted and reached over a period."""

    attempted: int
    reached: int

    @property
    def ratio(self) -> float | None:
        return self.reached / self.attempted if self.attempted else None

    @property
    def percent(self) -> str:
        return "—" if self.ratio is None else f"{round(self.ratio * 100)}%"


def log_attempt(
    account: Account,
    user,
    *,
    channel: str,
    outcome: str,
    at: datetime | None = None,
    contact_id: int | None = None,
    duration_minutes: int | None = None,
    notes: str = "",
    callback: Callback | None = None,
    confirm_do_not_contact: bool = False,
) -> Attempt:
    """Record an attempt; the account moves to "contacting" and its last contact follows."""
    now = utcnow()
    at = at or now
    if channel not in CHANNELS:
        raise RuleViolation("Choose call, voicemail, email or meeting.", "channel")
    if outcome not in OUTCOMES:
        raise RuleViolation("Choose one of the listed outcomes.", "outcome")
    if at > now + timedelta(minutes=5):
        raise RuleViolation("An attempt cannot be in the future.", "at")
    if duration_minutes is not None and not 0 <= duration_minutes <= 600:
        raise RuleViolation("Enter a duration between 0 and 600 minutes.", "duration_minutes")
    if len(notes or "") > NOTES_MAX:
        raise RuleViolation(f"Use at most {NOTES_MAX} characters.", "notes")
    contact = db.session.get(Contact, contact_id) if contact_id else None
    if contact_id and (contact is None or contact.account_id != account.id):
        raise RuleViolation("Choose one of this account's contacts.", "contact_id")
    if not confirm_do_not_contact:
        if account.do_not_contact:
            raise RuleViolation(
                "This account is marked do not contact. Tick the box to log the attempt anyway.",
                "confirm_do_not_contact",
            )
        if contact is not None and contact.do_not_email and channel == "email":
            raise RuleViolation(
                f"{contact.name} asked not to be emailed. Tick the box to log it anyway.",
                "confirm_do_not_contact",
            )
    attempt = Attempt(
        account_id=account.id,
        contact=contact,
        user=user,
        channel=channel,
        outcome=outcome,
        at=at,
        duration_minutes=duration_minutes,
        notes=(notes or "").strip(),
    )
    db.session.add(attempt)
    # Conditional UPDATEs rather than a versioned save of the account: an attempt edits no
    # section, so it must not fail because someone else saved the account meanwhile.
    db.session.execute(
        update(Account)
        .where(
            Account.id == account.id,
            or_(Account.last_contact_at.is_(None), Account.last_contact_at < at),
        )
        .values(last_contact_at=at)
    )
    status = account.status
    if status in BEFORE_CONTACT:
        history.record_beside(
            account,
            user,
            "status",
            history.display("status", status),
            history.display("status", "contacting"),
            Account.status == status,
            status="contacting",
        )
    if callback is not None:
        schedule.complete(callback, user, attempt, commit=False)
    db.session.commit()
    return attempt


def timeline(account: Account, limit: int = 20) -> tuple[list[Attempt], HitRatio]:
    """The account's latest attempts, newest first, with contact and user loaded, and its
    totals (attempts, and attempts that reached someone) — in one query, window functions
    counting over all of the account's attempts, not just the ones shown."""
    reached = func.count(case((Attempt.outcome.in_(REACHED), Attempt.id))).over()
    rows = db.session.execute(
        select(Attempt, func.count().over(), reached)
        .where(Attempt.account_id == account.id)
        .options(joinedload(Attempt.contact), joinedload(Attempt.user))
        .order_by(Attempt.at.desc(), Attempt.id.desc())
        .limit(limit)
    ).all()
    totals = HitRatio(rows[0][1], rows[0][2]) if rows else HitRatio(0, 0)
    return [row[0] for row in rows], totals


def _reached_account():
    return case((Attempt.outcome.in_(REACHED), Attempt.account_id))


def _period(query, since: datetime | None, until: datetime | None):
    if since is not None:
        query = query.where(Attempt.at >= since)
    if until is not None:
        query = query.where(Attempt.at < until)
    return query


def hit_ratio(since=None, until=None, user_id: int | None = None) -> HitRatio:
    """Accounts reached ÷ accounts attempted, for the team or one user, over a period."""
    query = select(
        func.count(distinct(Attempt.account_id)), func.count(distinct(_reached_account()))
    )
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    attempted, reached = db.session.execute(_period(query, since, until)).one()
    return HitRatio(attempted, reached)


def hit_ratio_by_user(since=None, until=None) -> list[tuple[User, HitRatio]]:
    """Each user's hit ratio over a period, best first (one query)."""
    query = (
        select(
            User, func.count(distinct(Attempt.account_id)), func.count(distinct(_reached_account()))
        )
        .join(Attempt, Attempt.user_id == User.id)
        .group_by(User.id)
    )
    rows = db.session.execute(_period(query, since, until)).all()
    ratios = [(user, HitRatio(attempted, reached)) for user, attempted, reached in rows]
    return sorted(ratios, key=lambda item: (-(item[1].ratio or 0), item[0].name))
