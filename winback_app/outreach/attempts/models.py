"""Attempts to reach a contact: channel, outcome and when."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account, Contact
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import UTCDateTime, creation_time, one_of, utcnow

CHANNELS = {"phone": "Call", "voicemail": "Voicemail", "email": "Email", "meeting": "Meeting"}


OUTCOMES = {
    "reached": "Reached",
    "left_voicemail": "Left voicemail",
    "no_answer": "No answer",
    "wrong_number": "Wrong number",
    "email_sent": "Email sent",
    "replied": "Replied",
    "bounced": "Bounced",
    "declined": "Declined",
}


# Outcomes where the customer actually answered — a conversation, even one that ends in "no".
REACHED = frozenset({"reached", "replied", "declined"})


# The same as SQL, written out literally so the database can match it to a partial index.
CONVERSATION = "outcome IN ('declined', 'reached', 'replied')"


class Attempt(db.Model):
    """One try to reach a contact of an account, and how it went."""

    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        CheckConstraint(one_of("outcome", OUTCOMES), name="outcome"),
        CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND 600", name="duration"
        ),
        Index("ix_attempts_account_at", "account_id", "at"),
        # Covers the team's hit ratio over a period, read from the index alone.
        Index("ix_attempts_at_account_outcome", "at", "account_id", "outcome"),
        # Covers the reports' reach per user, so a year of attempts is read from the index alone.
        Index("ix_attempts_user_reach", "user_id", "at", "account_id", "outcome"),
        # Each account's first conversation, for the reports' days-to-first-conversation.
        Index(
            "ix_attempts_account_conversation",
            "account_id",
            "at",
            sqlite_where=text(CONVERSATION),
            postgresql_where=text(CONVERSATION),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(12))
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = creation_time()

    account: Mapped[Account] = relationship()
    contact: Mapped[Contact | None] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def reached(self) -> bool:
        return self.outcome in REACHED

    @property
    def channel_label(self) -> str:
        return CHANNELS[self.channel]

    @property
    def outcome_label(self) -> str:
        return OUTCOMES[self.outcome]
