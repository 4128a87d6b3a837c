"""Forms for accounts: facts, contract, summary, the two views of why, contacts, bulk changes.

Choices that come from the database (owners, competitors, reasons) are filled in by the view,
and WTForms refuses any value not among them, so a forged id never reaches the database.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from winback_app.accounts.choices import options
from winback_app.accounts.models import CHANNELS, KINDS, STATUSES
from winback_app.formatting import today_local
from winback_app.forms import MoneyField, VersionedForm

TEXT = 5000
ZERO_OR_MORE = NumberRange(min=0, message="Enter an amount of zero or more.")


def optional_id(value):
    """Coerce a select's value to an id, or None for the empty choice."""
    return int(value) if value not in (None, "", "None") else None


def not_in_future(form, field):
    """A loss cannot have happened after today."""
    if field.data and field.data > today_local():
        raise ValidationError("The lost date cannot be in the future.")


class FactsForm(VersionedForm):
    """Who the account is and where the win-back stands."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=options(KINDS))
    segment = StringField("Segment / industry", validators=[Length(max=120)])
    owner_id = SelectField("Owner", coerce=optional_id)
    status = SelectField("Win-back status", choices=options(STATUSES))
    lost_on = DateField("Lost on", validators=[Optional(), not_in_future])
    annual_value_lost = MoneyField("Annual value lost", validators=[Optional(), ZERO_OR_MORE])
    likelihood = IntegerField(
        "Likelihood to return (0–10)",
        validators=[
            Optional(),
            NumberRange(min=0, max=10, message="Likelihood runs from 0 to 10."),
        ],
    )
    friendly = BooleanField("Friendly — agreed to follow-up contact")
    do_not_contact = BooleanField("Do not contact")
    notes = TextAreaField("Notes", validators=[Length(max=TEXT)])


class ContractForm(VersionedForm):
    """Who won the account, on what terms, and the contract that binds it."""

    competitor_id = SelectField("Lost to", coerce=optional_id)
    competitor_terms = TextAreaField("Competitor's deal terms", validators=[Length(max=2000)])
    competitor_price = MoneyField(
        "Competitor's price (per year)", validators=[Optional(), ZERO_OR_MORE]
    )
    contract_start = DateField("Contract start", validators=[Optional()])
    contract_term_months = IntegerField(
        "Term in months",
        validators=[
            Optional(),
            NumberRange(min=1, max=240, message="The term must be between 1 and 240 months."),
        ],
    )


class SummaryForm(VersionedForm):
    """The sales-history summary written before anyone calls."""

    sales_history = TextAreaField("Sales-history summary", validators=[Length(max=TEXT)])


class ViewForm(VersionedForm):
    """One view of why the account was lost: reasons, the primary one, and words."""

    reasons = SelectMultipleField("Reasons", coerce=int)
    primary = SelectField("Primary reason", coerce=optional_id)
    words = TextAreaField("Words", validators=[Length(max=TEXT)])


class ContactForm(FlaskForm):
    """A person at the account."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    title = StringField("Title", validators=[Length(max=120)])
    email = EmailField("Email", validators=[Length(max=254)])
    phone = StringField("Phone", validators=[Length(max=40)])
    preferred_channel = SelectField("Prefers", choices=options(CHANNELS), default="either")
    is_primary = BooleanField("Primary contact")
    do_not_email = BooleanField("Do not email")


class NewAccountForm(FactsForm):
    """A new account: its facts and who it was lost to."""

    competitor_id = SelectField("Lost to", coerce=optional_id)


class BulkForm(FlaskForm):
    """A change applied to the accounts ticked in the list."""

    ids = SelectMultipleField(
        "Accounts",
        coerce=int,
        validate_choice=False,  # checked against the database by the service
        validators=[InputRequired(message="Tick at least one account.")],
    )
    owner_id = SelectField("New owner", coerce=optional_id)
    status = SelectField(
        "New status", choices=[SelectChoice("", "Choose…"), *options(STATUSES)], default=""
    )
    reason_id = SelectField("Team's primary reason", coerce=optional_id)
    back = HiddenField()
