"""Invitations (one private link for one contact of one account) and the responses and
answers they bring back."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account, Contact
from winback_app.discovery.surveys.models import Survey, SurveyOption, SurveyQuestion
from winback_app.extensions import db
from winback_app.models import UTCDateTime, account_link, creation_time, utcnow


class Invitation(db.Model):
    """One private survey link for one contact of one account; only the token's hash is kept."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("survey_id", "account_id", "contact_id", name="uq_invitations_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = account_link()
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = creation_time()
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
