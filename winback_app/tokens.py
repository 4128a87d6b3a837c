"""Private survey links: making tokens, hashing them, and finding the invitation of a token.

A token is only ever shown in the email; the database keeps its SHA-256 hash, so a copy of the
database cannot be used to answer or unsubscribe in someone else's name.
"""

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from winback_app.discovery.invitations.models import Invitation
from winback_app.extensions import db

TOKEN_BYTES = 32  # 256 bits; DESIGN.md asks for at least 128
# URL-safe base64 of 16 to 96 random bytes; anything else cannot be one of ours.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,128}")


def new_token() -> str:
    """A new random token for a survey link (URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The hex SHA-256 of ``token``: what the database stores and looks up."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for(token: str | None) -> Invitation | None:
    """The invitation of ``token`` with its survey, contact and account; None when unknown.

    A malformed token is refused before any query, so a tampered or truncated link costs
    nothing and tells nothing.
    """
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.token_hash == hash_token(token))
        .options(
            joinedload(Invitation.survey),
            joinedload(Invitation.contact),
            joinedload(Invitation.account),
        )
    )
