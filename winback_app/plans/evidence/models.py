"""Evidence: a "what's different now" item, with the loss reasons it answers."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Numeric, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import LossReason
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import UTCDateTime, creation_time, utcnow

evidence_reasons = Table(
    "evidence_reasons",
    db.metadata,
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("reason_id", ForeignKey("loss_reasons.id", ondelete="CASCADE"), primary_key=True),
)


class Evidence(db.Model):
    """A "what's different now" item: what changed, when, a metric before → after, proof."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    what_changed: Mapped[str] = mapped_column(Text, default="")
    effective_on: Mapped[date | None] = mapped_column(Date)
    metric_name: Mapped[str] = mapped_column(String(120), default="")
    metric_before: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    metric_after: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    metric_unit: Mapped[str] = mapped_column(String(20), default="")
    proof_url: Mapped[str] = mapped_column(String(500), default="")
    # An uploaded proof, stored in the instance folder under a random name.
    proof_file: Mapped[str] = mapped_column(String(100), default="")
    proof_filename: Mapped[str] = mapped_column(String(255), default="")
    proof_content_type: Mapped[str] = mapped_column(String(50), default="")
    approved: Mapped[bool] = mapped_column(default=False, index=True)
    retired: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = creation_time()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    reasons: Mapped[list[LossReason]] = relationship(secondary=evidence_reasons)
    created_by: Mapped[User | None] = relationship()
