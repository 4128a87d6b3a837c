"""Interview guides: the question bank (by stage, with minutes) and the ordered guides."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.extensions import db
from winback_app.models import creation_time, one_of

STAGES = {"warm_up": "Warm-up", "core": "Core", "sensitive": "Sensitive"}


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
    created_at: Mapped[datetime] = creation_time()


class Guide(db.Model):
    """An ordered set of questions with a time budget (15 minutes by default)."""

    __tablename__ = "guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    budget_minutes: Mapped[int] = mapped_column(Integer, default=15)
    retired: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = creation_time()

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
