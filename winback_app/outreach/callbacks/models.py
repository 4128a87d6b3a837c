"""Call-backs: dated reminders to contact an account."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.accounts.models import Account
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import UTCDateTime, creation_time, one_of
from winback_app.outreach.attempts.models import Attempt

CALLBACK_KINDS = {
    "contract": "Contract timing",
    "nurture": "Keep in touch",
    "manual": "Call-back",
    "planner": "Planned call",
}


class Callback(db.Model):
    """A dated reminder to contact an account: from the contract schedule, nurture, or by hand."""

    __tablename__ = "callbacks"
    __table_args__ = (
        CheckConstraint(one_of("kind", CALLBACK_KINDS), name="kind"),
        Index("ix_callbacks_user_open_due", "user_id", "done_at", "due_on"),
        Index("ix_callbacks_account_due", "account_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # Who should call; automatic call-backs go to the account's owner.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(10), default="manual")
    note: Mapped[str] = mapped_column(String(255), default="")
    # The date it was first due, kept when it is snoozed.
    snoozed_from: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = creation_time()

    account: Mapped[Account] = relationship()
    user: Mapped[User | None] = relationship()
    attempt: Mapped[Attempt | None] = relationship()

    @property
    def kind_label(self) -> str:
        return CALLBACK_KINDS[self.kind]

    @property
    def is_open(self) -> bool:
        return self.done_at is None
