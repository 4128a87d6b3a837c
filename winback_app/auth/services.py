"""Users, passwords, roles and one-time password links."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from winback_app.auth.models import PasswordLink, User
from winback_app.config import ROLES
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.rules import RuleViolation
from winback_app.tokens import hash_token, lookup, new_token

PASSWORD_MIN = 10
PASSWORD_MAX = 128
# Checked against when the email is unknown, so a wrong email costs as much time as a wrong
# password and response times do not reveal which emails exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="pbkdf2:sha256:1000")


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return (email or "").strip().lower()


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short or too long."""
    if len(password) < PASSWORD_MIN:
        raise RuleViolation(f"Use at least {PASSWORD_MIN} characters.", "password")
    if len(password) > PASSWORD_MAX:
        raise RuleViolation(f"Use at most {PASSWORD_MAX} characters.", "password")


def user_by_email(email: str) -> User | None:
    """The user with this email, whatever its case."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None — never saying which was wrong."""
    user = user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the user of an "id.auth_version" session id, if still valid."""
    user_id, _, version = session_id.partition(".")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.auth_version != int(version):
        return None
    return user


def create_user(
    email: str, name: str, role: str = "member", password: str | None = None, title: str = ""
) -> User:
    """Add a user; without a password they cannot log in until they use a password link."""
    email = normalise_email(email)
    if role not in ROLES:
        raise RuleViolation(f"Role must be one of: {', '.join(ROLES)}.", "role")
    if not name.strip():
        raise RuleViolation("Enter a name.", "name")
    if user_by_email(email) is not None:
        raise RuleViolation("A user with this email already exists.", "email")
    user = User(email=email, name=name.strip(), role=role, title=title.strip())
    if password is not None:
        check_password_rules(password)
        user.password_hash = _hash_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password, ending the user's other sessions."""
    check_password_rules(password)
    user.password_hash = _hash_password(password)
    user.auth_version += 1
    db.session.commit()


def issue_password_link(user: User) -> str:
    """Create a one-time password link for ``user`` and return its secret token.

    Only the token's hash is stored, so the link is shown once and cannot be read back.
    Earlier unused links for the user stop working.
    """
    now = utcnow()
    for link in user.password_links:
        if link.used_at is None:
            link.used_at = now
    token = new_token()
    days = current_app.config["PASSWORD_LINK_DAYS"]
    db.session.add(
        PasswordLink(user=user, token_hash=hash_token(token), expires_at=now + timedelta(days=days))
    )
    db.session.commit()
    return token


def valid_password_link(token: str) -> PasswordLink | None:
    """The unused, unexpired link for ``token``, or None."""
    link = lookup(PasswordLink, token)
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    if not link.user.active:
        return None
    return link


def use_password_link(link: PasswordLink, password: str) -> User:
    """Set the password through ``link`` and spend the link."""
    check_password_rules(password)
    link.used_at = utcnow()
    user = link.user
    user.password_hash = _hash_password(password)
    user.auth_version += 1
    db.session.commit()
    return user


def _other_active_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == "admin", User.active, User.id != user.id)
    )


def change_role(user: User, role: str) -> User:
    """Give ``user`` a new role, keeping at least one active admin."""
    if role not in ROLES:
        raise RuleViolation(f"Role must be one of: {', '.join(ROLES)}.", "role")
    if user.role == "admin" and role != "admin" and _other_active_admins(user) == 0:
        raise RuleViolation("The team needs at least one active admin.", "role")
    user.role = role
    db.session.commit()
    return user


def set_active(user: User, active: bool) -> User:
    """Deactivate (ending every session) or reactivate ``user``, keeping one active admin."""
    if not active and user.role == "admin" and _other_active_admins(user) == 0:
        raise RuleViolation("The team needs at least one active admin.", "active")
    if user.active and not active:
        user.auth_version += 1
    user.active = active
    db.session.commit()
    return user


def list_users() -> list[User]:
    """All users, active first, then by name."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.name)))
