"""Win-back plans, their solutions and their change history."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import (
    ChangeRecord,
    UTCDateTime,
    account_link,
    creation_time,
    one_of,
    utcnow,
)
from winback_app.plans.evidence.models import Evidence

PLAN_STATUSES = {
    "draft": "Draft",
    "ready": "Ready",
    "presented": "Presented",
    "accepted": "Accepted",
    "declined": "Declined",
    "won_back": "Won back",
    "closed": "Closed",
}


class Plan(db.Model):
    """The win-back plan of an account; one is current, earlier ones are kept."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint(one_of("status", PLAN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_link()
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
    # What the customer reads (print view, PDF), one per printed section; the fields above
    # are the team's words and never reach the customer.
    customer_relationship: Mapped[str] = mapped_column(Text, default="")
    customer_cause: Mapped[str] = mapped_column(Text, default="")
    customer_needs: Mapped[str] = mapped_column(Text, default="")
    customer_commitment: Mapped[str] = mapped_column(Text, default="")
    customer_offer: Mapped[str] = mapped_column(Text, default="")
    presented_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    # The customer's own words when they accepted or declined.
    decision_words: Mapped[str] = mapped_column(Text, default="")
    won_back_on: Mapped[date | None] = mapped_column(Date)
    value_recovered: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = creation_time()
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


class PlanChange(ChangeRecord, db.Model):
    """One change to a plan: who, when, which section, old → new, and the version it made."""

    __tablename__ = "plan_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)

    plan: Mapped[Plan] = relationship()
    user: Mapped[User | None] = relationship()
