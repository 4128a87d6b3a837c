"""Factories: build valid records with as few arguments as a test needs."""

import itertools

from winback_app.auth import services as users
from winback_app.auth.models import User

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def make_user(**overrides) -> User:
    """A user with a password; ``role`` defaults to member."""
    n = next(_sequence)
    values = {
        "email": f"user{n}@example.com",
        "name": f"Test User {n}",
        "role": "member",
        "password": PASSWORD,
    }
    values.update(overrides)
    return users.create_user(**values)
