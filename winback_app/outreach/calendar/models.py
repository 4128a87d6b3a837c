"""A user's secret calendar feed address (only its hash is kept)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import creation_time


class CalendarFeed(db.Model):
    """A user's secret calendar address; only the token's hash is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = creation_time()

    user: Mapped[User] = relationship()
