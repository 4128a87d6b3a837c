"""Private link tokens: survey links, password links and calendar feed addresses.

A token is shown only once (in the email, on the page, in the link); the database keeps its
SHA-256 hash, so a copy of the database cannot be used to open someone else's link.
"""

import hashlib
import re
import secrets

from sqlalchemy import select

from winback_app.extensions import db

TOKEN_BYTES = 32  # 256 bits; a private link needs at least 128
# URL-safe base64 of 16 to 96 random bytes; anything else cannot be one of ours.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,128}")


def new_token() -> str:
    """A new random token for a private link (URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The hex SHA-256 of ``token``'s UTF-8 bytes: what the database stores and looks up.

    Every kind of link has always been stored under exactly this hash; another would turn
    away every link already sent or subscribed to.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str | None) -> bool:
    """Whether ``token`` could be one of ours. Anything else is refused before any query, so a
    tampered or truncated link costs nothing and tells nothing."""
    return bool(token) and TOKEN_SHAPE.fullmatch(token) is not None


def lookup(model, token: str | None, *options):
    """The ``model`` row (it has a ``token_hash`` column) whose link ``token`` is, loading
    ``options`` with it; None for an unknown or malformed token."""
    if not well_formed(token):
        return None
    return db.session.scalar(
        select(model).where(model.token_hash == hash_token(token)).options(*options)
    )
