"""The admin's list of tone phrases."""

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from winback_app.extensions import db
from winback_app.models import one_of

TONE_KINDS = {"competitor": "Runs down a competitor", "argue": "Argues with the customer"}


class ToneRule(db.Model):
    """A word or phrase the tone check flags while a plan is written (admin-editable)."""

    __tablename__ = "tone_rules"
    __table_args__ = (CheckConstraint(one_of("kind", TONE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="competitor")
    suggestion: Mapped[str] = mapped_column(String(300), default="")
