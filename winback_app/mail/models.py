"""The outbox: every email is stored first, in the same transaction as what caused it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from winback_app.extensions import db
from winback_app.models import UTCDateTime, creation_time, utcnow

STATUSES = {"queued": "Queued", "sending": "Sending", "sent": "Sent", "failed": "Failed"}


class OutboxMessage(db.Model):
    """An email waiting to be sent, being sent, sent, or failed after its last try."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="status"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(120), default="")
    subject: Mapped[str] = mapped_column(String(255))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    # The Message-ID header, made when the message is stored, so a retry re-sends the same id.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    list_unsubscribe: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # What caused the message, for the Outbox page and for bounce handling.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = creation_time()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
