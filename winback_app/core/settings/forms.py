"""The team's settings form."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from winback_app.core.settings.services import CURRENCIES
from winback_app.forms import MoneyField

CHARITIES_MAX = 2000


def _lines(value):
    """Text with blank lines and the spaces around each line removed."""
    if not isinstance(value, str):
        return value
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


class SettingsForm(FlaskForm):
    """The team's settings."""

    # The service refuses unknown codes with its own message, so the field does not check.
    currency = SelectField(
        "Show amounts in",
        choices=[
            SelectChoice(code, code if symbol.strip() == code else f"{code} ({symbol})")
            for code, symbol in CURRENCIES.items()
        ],
        validate_choice=False,
        description="Annual values and prices are shown in this currency.",
    )
    # Ranges are the settings service's rule; InputRequired only makes an empty box an error.
    callback_start_percent = IntegerField(
        "First contract call-back at (% of the term)",
        validators=[InputRequired(message="Enter a number.")],
        description="50 means half-way: month 18 of a 36-month contract.",
    )
    callback_interval_months = IntegerField(
        "Then every (months)",
        validators=[InputRequired(message="Enter a number.")],
        description="Until the contract ends: 6 gives months 18, 24 and 30 of 36.",
    )
    nurture_interval_months = IntegerField(
        "Keep in touch with nurture accounts every (months)",
        validators=[InputRequired(message="Enter a number.")],
    )
    charities = TextAreaField(
        "Charities for thank-you donations",
        filters=[_lines],
        validators=[Length(max=CHARITIES_MAX, message=f"Use at most {CHARITIES_MAX} characters.")],
        description="One per line. Survey invitations list them, and the contact picks one.",
    )
    donation_amount = MoneyField(
        "Donation per survey answered",
        validators=[InputRequired(message="Enter an amount.")],
        description="Made to the charity each contact picks when they answer a survey.",
    )
