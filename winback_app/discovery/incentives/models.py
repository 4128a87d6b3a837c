"""Incentives: the thank-you promised to a contact, offered → pledged → paid."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account, Contact
from winback_app.extensions import db
from winback_app.models import UTCDateTime, account_link, one_of, utcnow

INCENTIVE_STATUSES = {"offered": "Offered", "pledged": "Pledged", "paid": "Paid"}


class Incentive(db.Model):
    """A thank-you promised to a contact, e.g. a donation to a charity they pick."""

    __tablename__ = "incentives"
    __table_args__ = (CheckConstraint(one_of("status", INCENTIVE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_link()
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
