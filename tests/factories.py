"""Factories: build valid records with as few arguments as a test needs."""

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from winback_app.accounts import contacts, taxonomy
from winback_app.accounts import services as accounts
from winback_app.accounts.models import ReasonCategory
from winback_app.auth import services as users
from winback_app.auth.models import User
from winback_app.extensions import db

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


def make_reason(category="Price", name=None):
    """A loss reason in ``category`` (the category is created when missing)."""
    found = db.session.scalar(select(ReasonCategory).where(ReasonCategory.name == category))
    return taxonomy.add_reason(
        found or taxonomy.add_category(category), name or f"Reason {next(_sequence)}"
    )


def make_competitor(name=None):
    """A competitor."""
    return taxonomy.add_competitor(name or f"Competitor {next(_sequence)}")


def make_account(**overrides):
    """A lost account; ``customer=[reason, …]`` / ``team=[…]`` set the views, first = primary."""
    customer = overrides.pop("customer", ())
    team = overrides.pop("team", ())
    values = {
        "name": f"Account {next(_sequence)}",
        "kind": "former_customer",
        "status": "new",
        "lost_on": date(2026, 3, 1),
        "annual_value_lost": Decimal("12000.00"),
    }
    values.update(overrides)
    account = accounts.create_account(values, user=None)
    for view, chosen in (("customer", customer), ("team", team)):
        if chosen:
            ids = [reason.id for reason in chosen]
            accounts.set_view(account, view, ids, ids[0], "", None, None)
    return account


def make_contact(account, **overrides):
    """A contact at ``account``."""
    n = next(_sequence)
    values = {"name": f"Contact Person{n}", "email": f"contact{n}@customer.example"}
    values.update(overrides)
    return contacts.add(account, values, user=None)
