"""Surveys: their questions and the options of choice questions."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import LossReason
from winback_app.extensions import db
from winback_app.models import UTCDateTime, creation_time, one_of

QUESTION_KINDS = {
    "rating": "Rating 1–5",
    "likelihood": "Likelihood to return 0–10",
    "single": "Single choice",
    "multiple": "Multiple choice",
    "text": "Free text",
}


SURVEY_STATUSES = {"draft": "Draft", "open": "Open", "closed": "Closed"}


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
    created_at: Mapped[datetime] = creation_time()
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
