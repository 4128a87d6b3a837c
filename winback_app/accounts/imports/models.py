"""An uploaded CSV file and how far its import has come."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import creation_time


class AccountImport(db.Model):
    """An uploaded CSV going through mapping and preview before it is imported."""

    __tablename__ = "account_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)
    delimiter: Mapped[str] = mapped_column(String(1), default=",")
    # JSON text: the column → field mapping and the chosen options.
    mapping: Mapped[str] = mapped_column(Text, default="{}")
    options: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(20), default="uploaded")
    summary: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = creation_time()

    user: Mapped[User] = relationship()
