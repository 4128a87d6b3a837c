"""Outreach scripts: email and voicemail texts with merge fields."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import UTCDateTime, creation_time, one_of, utcnow

SCRIPT_KINDS = {"email": "Email", "voicemail": "Voicemail script"}


class Script(db.Model):
    """An outreach template: an email (subject, body) or a voicemail script, with merge fields."""

    __tablename__ = "scripts"
    __table_args__ = (CheckConstraint(one_of("kind", SCRIPT_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="email")
    name: Mapped[str] = mapped_column(String(120), unique=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = creation_time()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()

    # Each save stamps a new ``updated_at``, and the update only goes through while the row
    # still has the stamp the editor loaded: of two editors saving at once, exactly one wins.
    __mapper_args__ = {"version_id_col": updated_at, "version_id_generator": lambda _: utcnow()}

    @property
    def kind_label(self) -> str:
        return SCRIPT_KINDS[self.kind]
