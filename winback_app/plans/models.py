"""Evidence of what changed, win-back plans with their solutions and history, tone rules."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account, LossReason
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import UTCDateTime, one_of, utcnow

PLAN_STATUSES = {
    "draft": "Draft",
    "ready": "Ready",
    "presented": "Presented",
    "accepted": "Accepted",
    "declined": "Declined",
    "won_back": "Won back",
    "closed": "Closed",
}
TONE_KINDS = {"competitor": "Runs down a competitor", "argue": "Argues with the customer"}

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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    reasons: Mapped[list[LossReason]] = relationship(secondary=evidence_reasons)
    created_by: Mapped[User | None] = relationship()


class Plan(db.Model):
    """The win-back plan of an account; one is current, earlier ones are kept."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint(one_of("status", PLAN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    relationship_summary: Mapped[str] = mapped_column(Text, default="")
    cause_statement: Mapped[str] = mapped_column(Text, default="")
    new_needs: Mapped[str] = mapped_column(Text, default="")
    commitment: Mapped[str] = mapped_column(Text, default="")
    offer: Mapped[str] = mapped_column(Text, default="")
    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    escalate_when: Mapped[str] = mapped_column(Text, default="")
    presented_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    # The customer's own words when they accepted or declined.
    decision_words: Mapped[str] = mapped_column(Text, default="")
    won_back_on: Mapped[date | None] = mapped_column(Date)
    value_recovered: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    account: Mapped[Account] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    sponsor: Mapped[User | None] = relationship(foreign_keys=[sponsor_id])
    solutions: Mapped[list["PlanSolution"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanSolution.position"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return PLAN_STATUSES[self.status]


class PlanSolution(db.Model):
    """One solution of a plan, backed by a piece of evidence."""

    __tablename__ = "plan_solutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(1000))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True)

    plan: Mapped[Plan] = relationship(back_populates="solutions")
    evidence: Mapped[Evidence | None] = relationship()


class PlanChange(db.Model):
    """One change to a plan: who, when, which section, old → new, and the version it made."""

    __tablename__ = "plan_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()


class ToneRule(db.Model):
    """A word or phrase the tone check flags while a plan is written (admin-editable)."""

    __tablename__ = "tone_rules"
    __table_args__ = (CheckConstraint(one_of("kind", TONE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="competitor")
    suggestion: Mapped[str] = mapped_column(String(300), default="")
