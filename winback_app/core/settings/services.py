"""The team's settings row (currency, and later outreach timing), made on first use."""

from decimal import Decimal

from flask import g
from sqlalchemy import select

from winback_app.core.settings.models import TeamSettings
from winback_app.extensions import db
from winback_app.rules import RuleViolation

DEFAULTS = {
    "currency": "EUR",
    "callback_start_percent": 50,
    "callback_interval_months": 6,
    "nurture_interval_months": 6,
    "charities": "",
    "donation_amount": Decimal("25"),
}
CURRENCIES = {
    "EUR": "€",
    "USD": "$",
    "GBP": "£",
    "CHF": "CHF ",
    "SEK": "SEK ",
    "NOK": "NOK ",
    "DKK": "DKK ",
    "PLN": "PLN ",
    "CAD": "CA$",
    "AUD": "A$",
    "JPY": "¥",
    "INR": "₹",
}
RANGES = {
    "callback_start_percent": (10, 95, "Start between 10% and 95% of the contract term."),
    "callback_interval_months": (1, 24, "Repeat every 1 to 24 months."),
    "nurture_interval_months": (1, 24, "Keep in touch every 1 to 24 months."),
    "donation_amount": (Decimal("0.01"), Decimal("100000"), "Enter an amount above zero."),
}
EDITABLE = frozenset(column.key for column in TeamSettings.__table__.columns) - {"id"}


def get() -> TeamSettings:
    """The settings row, read once per request; defaults (unsaved) until an admin saves one.

    Nothing is written here: a commit in the middle of rendering a page would expire every
    object the page already loaded and make it load them all again.
    """
    if "team_settings" not in g:
        row = db.session.scalar(select(TeamSettings).order_by(TeamSettings.id).limit(1))
        g.team_settings = row or TeamSettings(**DEFAULTS)
    return g.team_settings


def update(**values) -> TeamSettings:
    """Change settings; unknown currencies and out-of-range timings are refused."""
    unknown = set(values) - EDITABLE
    if unknown:
        # A misspelt field would otherwise be set on the object, never saved, and never noticed.
        raise TypeError(f"Not a team setting: {', '.join(sorted(unknown))}")
    currency = values.get("currency")
    if currency is not None and currency not in CURRENCIES:
        raise RuleViolation("Choose one of the listed currencies.", "currency")
    for field, (low, high, message) in RANGES.items():
        if field in values and not (values[field] is not None and low <= values[field] <= high):
            raise RuleViolation(message, field)
    row = get()
    if row.id is None:
        db.session.add(row)
    for field, value in values.items():
        setattr(row, field, value)
    db.session.commit()
    return row
