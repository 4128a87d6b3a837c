"""Guides and interviews, action items, surveys, invitations, responses and incentives."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account, Contact, LossReason
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import UTCDateTime, one_of, utcnow

STAGES = {"warm_up": "Warm-up", "core": "Core", "sensitive": "Sensitive"}
INTERVIEW_STATUSES = {
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "held": "Held",
    "cancelled": "Cancelled",
}
QUESTION_KINDS = {
    "rating": "Rating 1–5",
    "likelihood": "Likelihood to return 0–10",
    "single": "Single choice",
    "multiple": "Multiple choice",
    "text": "Free text",
}
SURVEY_STATUSES = {"draft": "Draft", "open": "Open", "closed": "Closed"}
INCENTIVE_STATUSES = {"offered": "Offered", "pledged": "Pledged", "paid": "Paid"}


class Question(db.Model):
    """A question in the bank, tagged by stage with its estimated minutes."""

    __tablename__ = "questions"
    __table_args__ = (CheckConstraint(one_of("stage", STAGES), name="stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(500))
    stage: Mapped[str] = mapped_column(String(10), default="core")
    minutes: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("2"))
    hint: Mapped[str] = mapped_column(String(500), default="")
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Guide(db.Model):
    """An ordered set of questions with a time budget (15 minutes by default)."""

    __tablename__ = "guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    budget_minutes: Mapped[int] = mapped_column(Integer, default=15)
    retired: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list["GuideQuestion"]] = relationship(
        back_populates="guide", cascade="all, delete-orphan", order_by="GuideQuestion.position"
    )


class GuideQuestion(db.Model):
    """A question's place in a guide."""

    __tablename__ = "guide_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("guides.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    guide: Mapped[Guide] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()


class Interview(db.Model):
    """One discovery conversation with a contact of an account."""

    __tablename__ = "interviews"
    __table_args__ = (CheckConstraint(one_of("status", INTERVIEW_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

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
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    account: Mapped[Account] = relationship()
    interview: Mapped[Interview | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])


class Survey(db.Model):
    """A questionnaire sent to former customers as private links."""

    __tablename__ = "surveys"
    __table_args__ = (CheckConstraint(one_of("status", SURVEY_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    thank_you: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default="draft")
    # The outreach email template used for invitations (with the link and charity list).
    script_id: Mapped[int | None] = mapped_column(ForeignKey("scripts.id", ondelete="SET NULL"))
    expires_days: Mapped[int] = mapped_column(Integer, default=30)
    max_reminders: Mapped[int] = mapped_column(Integer, default=2)
    reminder_after_days: Mapped[int] = mapped_column(Integer, default=7)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )


class SurveyQuestion(db.Model):
    """A question of a survey; choice questions may be bound to the loss-reason taxonomy."""

    __tablename__ = "survey_questions"
    __table_args__ = (CheckConstraint(one_of("kind", QUESTION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(500))
    required: Mapped[bool] = mapped_column(default=False)
    bound_to_reasons: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list["SurveyOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="SurveyOption.position"
    )


class SurveyOption(db.Model):
    """A choice of a choice question; ``reason`` maps answers to the taxonomy."""

    __tablename__ = "survey_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    reason_id: Mapped[int | None] = mapped_column(ForeignKey("loss_reasons.id"))

    question: Mapped[SurveyQuestion] = relationship(back_populates="options")
    reason: Mapped[LossReason | None] = relationship()


class Invitation(db.Model):
    """One private survey link for one contact of one account; only the token's hash is kept."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("survey_id", "account_id", "contact_id", name="uq_invitations_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship()
    account: Mapped[Account] = relationship()
    contact: Mapped[Contact] = relationship()


class Response(db.Model):
    """The answers of one invitation: exactly one per invitation."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class Answer(db.Model):
    """One answer: a number (rating, likelihood), a text, or one chosen option per row."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_options.id", ondelete="CASCADE"), index=True
    )

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[SurveyQuestion] = relationship()
    option: Mapped[SurveyOption | None] = relationship()


class Incentive(db.Model):
    """A thank-you promised to a contact, e.g. a donation to a charity they pick."""

    __tablename__ = "incentives"
    __table_args__ = (CheckConstraint(one_of("status", INCENTIVE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL")
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    charity: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    status: Mapped[str] = mapped_column(String(8), default="offered", index=True)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    pledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    account: Mapped[Account] = relationship()
    contact: Mapped[Contact | None] = relationship()
