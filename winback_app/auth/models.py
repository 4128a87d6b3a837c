"""The team's users and the one-time links they use to set a password."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from winback_app.extensions import db
from winback_app.models import UTCDateTime, creation_time


class User(UserMixin, db.Model):
    """A member of the team who logs in: an admin, a member or a read-only viewer."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'member', 'viewer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped when the password changes or the user is deactivated: every session made
    # before that stops working, because the session stores "id.auth_version".
    auth_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = creation_time()
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    password_links: Mapped[list["PasswordLink"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_write(self) -> bool:
        return self.role in ("admin", "member")

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    def get_id(self) -> str:
        return f"{self.id}.{self.auth_version}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class PasswordLink(db.Model):
    """A one-time link for a user to set their password; only the token's hash is kept."""

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = creation_time()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="password_links")
