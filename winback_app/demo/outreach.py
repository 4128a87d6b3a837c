"""Demo outreach for `flask seed-demo`: attempts with a realistic hit ratio and call-backs
spread over overdue, today and this week, so Today is lively on a fresh install."""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from winback_app.accounts.models import Account
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.outreach.scripts import services as scripts

NOTES = [
    "Left a short voicemail and followed up by email.",
    "Spoke briefly; asked to call back after their budget meeting.",
    "Receptionist took a message.",
    "Interested in hearing what changed with deliveries.",
    "Happy to do 15 minutes next week.",
    "Not the right person; gave us the operations director's name.",
]
OUTCOMES = {
    "phone": ["reached", "no_answer", "no_answer", "reached", "wrong_number", "declined"],
    "voicemail": ["left_voicemail"],
    "email": ["email_sent", "email_sent", "replied", "bounced"],
}
CALLBACK_NOTES = [
    "Follow up on the voicemail",
    "Send the new delivery figures",
    "Ask for 15 minutes",
    "Check their budget meeting went ahead",
]


def seed(today: date | None = None) -> None:
    """Add demo attempts, call-backs and the example scripts unless there are some already."""
    today = today or today_local()
    scripts.ensure_defaults()
    rng = random.Random(11)
    accounts = list(db.session.scalars(select(Account).order_by(Account.id)))
    if not db.session.scalar(select(func.count(Attempt.id))):
        now = datetime.now(UTC)
        for account in accounts:
            if account.status == "new":
                continue
            latest = None
            for _ in range(rng.randint(1, 6)):
                channel = rng.choice(["phone", "phone", "voicemail", "email"])
                at = now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
                contact = rng.choice(account.contacts) if account.contacts else None
                outcome = rng.choice(OUTCOMES[channel])
                db.session.add(
                    Attempt(
                        account_id=account.id,
                        contact=contact,
                        user_id=account.owner_id,
                        channel=channel,
                        outcome=outcome,
                        at=at,
                        notes=rng.choice(NOTES),
                        duration_minutes=rng.randint(2, 20) if outcome == "reached" else None,
                    )
                )
                latest = max(latest or at, at)
            account.last_contact_at = latest
    if not db.session.scalar(select(func.count(Callback.id)).where(Callback.kind == "manual")):
        open_accounts = [a for a in accounts if a.status not in ("won_back", "closed")]
        for account in rng.sample(open_accounts, min(14, len(open_accounts))):
            db.session.add(
                Callback(
                    account_id=account.id,
                    user_id=account.owner_id,
                    kind="manual",
                    due_on=today + timedelta(days=rng.randint(-6, 6)),
                    note=rng.choice(CALLBACK_NOTES),
                )
            )
    db.session.commit()
