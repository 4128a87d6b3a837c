"""Interviews held with a contact, their per-question notes, and the action items they leave."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account, Contact
from winback_app.auth.models import User
from winback_app.discovery.guides.models import Guide, Question
from winback_app.extensions import db
from winback_app.models import UTCDateTime, account_link, creation_time, one_of, utcnow

INTERVIEW_STATUSES = {
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "held": "Held",
    "cancelled": "Cancelled",
}


class Interview(db.Model):
    """One discovery conversation with a contact of an account."""

    __tablename__ = "interviews"
    __table_args__ = (CheckConstraint(one_of("status", INTERVIEW_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_link()
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    guide_id: Mapped[int | None] = mapped_column(ForeignKey("guides.id"))
    interviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The teammate who handles logistics and follow-ups while the interviewer listens.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Text, default="")
    key_quotes: Mapped[str] = mapped_column(Text, default="")
    # Asked at the end: may we call you again? True makes the account a friendly loss.
    follow_up_permission: Mapped[bool | None] = mapped_column()
    created_at: Mapped[datetime] = creation_time()

    account: Mapped[Account] = relationship()
    contact: Mapped[Contact | None] = relationship()
    guide: Mapped[Guide | None] = relationship()
    interviewer: Mapped[User | None] = relationship(foreign_keys=[interviewer_id])
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])
    notes: Mapped[list["InterviewNote"]] = relationship(
        back_populates="interview", cascade="all, delete-orphan"
    )


class InterviewNote(db.Model):
    """What was heard for one question of an interview (saved as it is typed)."""

    __tablename__ = "interview_notes"
    __table_args__ = (UniqueConstraint("interview_id", "question_id", name="uq_interview_notes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    interview: Mapped[Interview] = relationship(back_populates="notes")
    question: Mapped[Question] = relationship()


class ActionItem(db.Model):
    """A task from an interview or a plan: what, owner, partner, due date, done."""

    __tablename__ = "action_items"
    __table_args__ = (Index("ix_action_items_owner_open_due", "owner_id", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_link()
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )
    what: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = creation_time()

    account: Mapped[Account] = relationship()
    interview: Mapped[Interview | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])
