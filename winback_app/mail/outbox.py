"""The outbox: every email is stored with what caused it, then sent by a sender with retries.

``queue`` only adds the message to the current session, so the caller's commit stores it in the
same transaction as the invitation or reminder it belongs to: an email is never sent for
something that was rolled back, and never lost for something that was saved.

``send_due`` claims due messages one at a time with a conditional UPDATE (``WHERE status IN
('queued', 'sending') AND next_attempt_at <= now``, checking the row count). A claim moves the
message's next attempt a lease ahead, so of two senders running at once (a worker and a
background thread, or two servers) exactly one gets each message; and a message left in
``sending`` by a sender that died is taken again once its lease runs out, so none is lost.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select, update

from winback_app.extensions import db
from winback_app.mail import sender, signals
from winback_app.mail.models import STATUSES, OutboxMessage
from winback_app.models import utcnow
from winback_app.pagination import paginate
from winback_app.rules import RuleViolation

LEASE = timedelta(minutes=10)
BATCH = 100
ERROR_MAX = 2000
PER_PAGE = 50
RETRYABLE = ("queued", "failed")


@dataclass
class Report:
    """What one round of sending did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def queue(to, subject, text, html, list_unsubscribe, invitation=None, to_name=""):
    """Add an email to the current session (not committed: the caller's transaction is)."""
    if invitation is not None and invitation.id is None:
        db.session.flush()
    domain = current_app.config["MAIL_FROM"].rpartition("@")[2] or "localhost"
    message = OutboxMessage(
        to_address=to,
        to_name=_one_line(to_name)[:120],
        subject=_one_line(subject)[:255],
        text_body=text,
        html_body=html or "",
        message_id=make_msgid(domain=domain),
        list_unsubscribe=list_unsubscribe or "",
        status="queued",
        tries=0,
        next_attempt_at=utcnow(),
        invitation_id=invitation.id if invitation is not None else None,
    )
    db.session.add(message)
    return message


def due_ids(now: datetime, limit: int = BATCH) -> list[int]:
    """The messages whose time has come, oldest due first."""
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status.in_(("queued", "sending")))
        .where(OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    return list(ids)


def claim(message_id: int, now: datetime) -> bool:
    """Take one due message for sending; False when another sender took it first."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status.in_(("queued", "sending")),
            OutboxMessage.next_attempt_at <= now,
        )
        .values(status="sending", tries=OutboxMessage.tries + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _record_sent(message_id: int, now: datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "sending")
        .values(status="sent", sent_at=now, last_error="")
        .execution_options(synchronize_session=False)
    )
    signals.message_sent.send(message_id, at=now)
    db.session.commit()


def _record_failure(message_id: int, tries: int, error: sender.DeliveryError, now) -> bool:
    """Queue the message again after its backoff, or mark it failed; True when final."""
    retry_at = None if error.permanent else sender.next_try(tries, now)
    values = {"last_error": error.text[:ERROR_MAX]}
    values |= {"status": "failed"} if retry_at is None else {"status": "queued"}
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if error.bounced:
        signals.message_bounced.send(message_id, at=now)
    db.session.commit()
    return retry_at is None


def send_due(now: datetime | None = None, limit: int = BATCH) -> Report:
    """Send every message that is due, once; what fails waits for its next try.

    Each message is claimed and committed before the server is contacted, and its result is
    committed right after, so no transaction stays open while a server answers.
    """
    config = current_app.config
    report = Report()
    transport = sender.transport_for(config, current_app.instance_path)
    try:
        for message_id in due_ids(now or utcnow(), limit):
            started = now or utcnow()
            if not claim(message_id, started):
                continue
            message = db.session.get(OutboxMessage, message_id)
            filled = _fill_in(message) if transport.delivers else {}
            email, tries = sender.build(message, config, filled), message.tries
            db.session.commit()
            try:
                transport.send(email, message_id)
            except sender.DeliveryError as error:
                final = _record_failure(message_id, tries, error, now or utcnow())
                report.failed += final
                report.retrying += not final
                if error.server_down:
                    break  # the rest wait for the next round rather than fail one by one
            else:
                _record_sent(message_id, now or utcnow())
                report.sent += 1
    finally:
        transport.close()
    return report


def _fill_in(message: OutboxMessage) -> dict[str, str]:
    """What the listeners fill in as the message leaves (see ``signals.message_sending``)."""
    filled = {}
    for _, values in signals.message_sending.send(message.id, invitation_id=message.invitation_id):
        filled |= values or {}
    return filled


def retry(message: OutboxMessage) -> None:
    """Send a failed message (or one waiting for its next try) at the next round, afresh."""
    if message.status not in RETRYABLE:
        raise RuleViolation(
            "Only a failed message, or one waiting to be tried again, can be retried."
        )
    updated = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == message.status)
        .values(status="queued", tries=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    db.session.refresh(message)
    if updated != 1:
        raise RuleViolation("The sender took this message meanwhile; see its status now.")


def counts() -> dict[str, int]:
    """How many messages are in each status (every status present, zeros included)."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in STATUSES}


def page(status: str = "", number: int = 1) -> Pagination:
    """Messages, failed and waiting ones first, then the newest; ``status`` narrows the list."""
    query = select(OutboxMessage)
    if status:
        query = query.where(OutboxMessage.status == status)
    # What needs someone's attention comes first: failures, then what is still on its way.
    urgency = case({"failed": 0, "sending": 1, "queued": 2}, value=OutboxMessage.status, else_=3)
    return paginate(query.order_by(urgency, OutboxMessage.id.desc()), number, PER_PAGE)
