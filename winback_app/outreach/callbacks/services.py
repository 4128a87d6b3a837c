"""Call-backs: the contract-timed schedule, keep-in-touch for nurture, manual ones, snooze, done.

The field's rule: a deal lost to a competitor's contract comes back as that contract nears
its end, so call at half the term and then every six months until it ends (36 months → 18, 24,
30; 60 months → 30, 36, … 54). The share of the term and the interval are team settings.
"""

from datetime import date, timedelta

from sqlalchemy import select

from winback_app.accounts.models import Account
from winback_app.core.settings import services as team_settings
from winback_app.dates import add_months, months_between
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.models import utcnow
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.rules import RuleViolation

NOTE_MAX = 255
FINISHED = ("won_back", "closed")


def contract_dates(start: date, term: int, start_percent: int = 50, interval: int = 6) -> list:
    """The call-back dates for a contract: from ``start_percent`` of the term, every
    ``interval`` months, stopping before the contract ends."""
    end = add_months(start, term)
    months = max(1, round(term * start_percent / 100))
    dates = []
    # Each date is counted from the start, so month ends never drift (31 Jan → 31 Jul → 31 Jan).
    while (due := add_months(start, months)) < end:
        dates.append(due)
        months += interval
    return dates


def regenerate_contract_callbacks(account: Account, today: date | None = None) -> None:
    """Replace the account's future automatic contract call-backs; done and manual ones stay."""
    today = today or today_local()
    existing = list(
        db.session.scalars(
            select(Callback).where(Callback.account_id == account.id, Callback.kind == "contract")
        )
    )
    for callback in existing:
        if callback.done_at is None and callback.due_on >= today:
            db.session.delete(callback)
    if not (account.contract_start and account.contract_term_months):
        return
    settings = team_settings.get()
    handled = {c.snoozed_from or c.due_on for c in existing if c.done_at is not None}
    term = account.contract_term_months
    for due in contract_dates(
        account.contract_start,
        term,
        settings.callback_start_percent,
        settings.callback_interval_months,
    ):
        if due >= today and due not in handled:
            months = months_between(account.contract_start, due)
            db.session.add(
                Callback(
                    account_id=account.id,
                    user_id=account.owner_id,
                    due_on=due,
                    kind="contract",
                    note=f"{months} months into their {term}-month contract",
                )
            )


def _open(account: Account, kind: str) -> list[Callback]:
    return list(
        db.session.scalars(
            select(Callback).where(
                Callback.account_id == account.id,
                Callback.kind == kind,
                Callback.done_at.is_(None),
            )
        )
    )


def schedule_nurture(account: Account, today: date | None = None) -> None:
    """Give an account in nurture its next keep-in-touch call-back, unless it has one."""
    if account.status != "nurture" or _open(account, "nurture"):
        return
    months = team_settings.get().nurture_interval_months
    db.session.add(
        Callback(
            account_id=account.id,
            user_id=account.owner_id,
            due_on=add_months(today or today_local(), months),
            kind="nurture",
            note="Keep in touch: share what is new",
        )
    )


def on_account_saved(account: Account, fields: set, user=None) -> None:
    """Keep call-backs in step with a saved account (sent inside its transaction).

    A won-back or closed account needs no automatic call-backs; reopening it brings the
    contract schedule back.
    """
    with db.session.no_autoflush:
        finished = account.status in FINISHED
        if finished and "status" in fields:
            for kind in ("contract", "nurture"):
                for callback in _open(account, kind):
                    db.session.delete(callback)
            return
        if not finished and fields & {"contract_start", "contract_term_months", "status"}:
            regenerate_contract_callbacks(account)
        if "status" in fields:
            if account.status == "nurture":
                schedule_nurture(account)
            else:
                for callback in _open(account, "nurture"):
                    db.session.delete(callback)
        if "owner_id" in fields:
            for kind in ("contract", "nurture"):
                for callback in _open(account, kind):
                    callback.user_id = account.owner_id


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise RuleViolation(f"Use at most {NOTE_MAX} characters.", "note")
    return note


def add_callback(
    account: Account, user, due_on: date, note: str = "", kind="manual", today: date | None = None
) -> Callback:
    """A call-back for ``user`` on ``due_on`` (today or later)."""
    if due_on < (today or today_local()):
        raise RuleViolation("Choose today or a later date.", "due_on")
    callback = Callback(
        account_id=account.id,
        user_id=user.id if user else None,
        due_on=due_on,
        kind=kind,
        note=_check_note(note),
    )
    db.session.add(callback)
    db.session.commit()
    return callback


def snooze(callback: Callback, until: date | None = None, today: date | None = None) -> Callback:
    """Move an open call-back to ``until`` — by default a week later (counted from today for an
    overdue one) — never to today or before."""
    today = today or today_local()
    until = until or max(today, callback.due_on) + timedelta(days=7)
    if callback.done_at is not None:
        raise RuleViolation("This call-back is already done.", "until")
    if until <= today:
        raise RuleViolation("Snooze to a date after today.", "until")
    if callback.snoozed_from is None:
        callback.snoozed_from = callback.due_on
    callback.due_on = until
    db.session.commit()
    return callback


def complete(callback: Callback, user, attempt: Attempt | None = None, commit=True) -> Callback:
    """Mark a call-back done, linked to the attempt that did it (by default the user's latest
    attempt on the account today); an account in nurture gets its next keep-in-touch."""
    if callback.done_at is not None:
        return callback
    if attempt is None and user is not None:
        start_of_day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        attempt = db.session.scalar(
            select(Attempt)
            .where(
                Attempt.account_id == callback.account_id,
                Attempt.user_id == user.id,
                Attempt.at >= start_of_day,
            )
            .order_by(Attempt.at.desc())
            .limit(1)
        )
    callback.done_at = utcnow()
    callback.attempt = attempt
    if callback.kind == "nurture":
        db.session.flush()
        schedule_nurture(callback.account)
    if commit:
        db.session.commit()
    return callback
