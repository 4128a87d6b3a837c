"""Forms for accounts: facts, contract, summary, the two views of why, contacts, bulk changes,
and the list's filters.

Choices that come from the database (owners, competitors, reasons) are filled in by the view,
and WTForms refuses any value not among them, so a forged id never reaches the database.
"""

from decimal import ROUND_HALF_UP

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextInput

from winback_app.accounts import search
from winback_app.accounts.choices import options
from winback_app.accounts.models import CHANNELS, KINDS, STATUSES
from winback_app.formatting import today_local
from winback_app.forms import ListFilterForm, MoneyField, VersionedForm, page_field, trimmed

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


def id_or(*words: str):
    """A validator: the value is empty, an id (digits) or one of ``words``."""

    def check(form, field):
        value = field.data or ""
        if value and value not in words and not (value.isascii() and value.isdigit()):
            raise ValidationError("Choose from the list.")

    return check


class FlagField(BooleanField):
    """A tick box carried in an address: ticked for 1, on or true, unticked otherwise."""

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and valuelist[0].strip() in ("1", "on", "true")

    def _value(self):
        return "1"


def _amount(label: str) -> MoneyField:
    # Typed as text, so "12,500" is kept as typed rather than refused by a number input; a
    # bound is no stored amount, so a cent's fraction is rounded rather than refused.
    return MoneyField(
        label,
        widget=TextInput(),
        render_kw={"inputmode": "decimal"},
        validators=[Optional()],
        rounding=ROUND_HALF_UP,
    )


class AccountFilterForm(ListFilterForm):
    """The accounts list's filters, sorting and page, as its address carries them (the survey
    invitation picker reads the same ones)."""

    q = SearchField("Search", filters=[trimmed(100)])
    kind = SelectField(
        "Kind", choices=[SelectChoice("", "Any kind"), *options(KINDS)], filters=[trimmed(40)]
    )
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status"), *options(STATUSES)],
        filters=[trimmed(40)],
    )
    # Ids are not looked up: an unknown one simply matches nothing, as it always has.
    owner = SelectField(
        "Owner", validate_choice=False, filters=[trimmed(40)], validators=[id_or("none")]
    )
    category = SelectField(
        "Reason", validate_choice=False, filters=[trimmed(40)], validators=[id_or()]
    )
    competitor = SelectField(
        "Lost to", validate_choice=False, filters=[trimmed(40)], validators=[id_or("none")]
    )
    disagree = FlagField("Views disagree")
    friendly = FlagField("Friendly losses")
    lost_from = DateField("Lost from", validators=[Optional()])
    lost_to = DateField("Lost until", validators=[Optional()])
    value_min = _amount("Value from")
    value_max = _amount("Value up to")
    sort = HiddenField(default="lost_on", filters=[trimmed(20)], validators=[AnyOf(search.SORTS)])
    direction = HiddenField(default="desc", validators=[AnyOf(("asc", "desc"))])
    page = page_field()

    def offer(self, owners, competitors, categories) -> "AccountFilterForm":
        """Fill in the choices the controls show: owners and competitors as SelectChoices,
        reason categories as models."""
        self.owner.choices = [
            SelectChoice("", "Anyone"),
            SelectChoice("none", "Unassigned"),
            *owners,
        ]
        self.category.choices = [
            SelectChoice("", "Any reason"),
            *(SelectChoice(category.id, category.name) for category in categories),
        ]
        self.competitor.choices = [
            SelectChoice("", "Anyone"),
            SelectChoice("none", "No decision"),
            *competitors,
        ]
        return self

    def filters(self) -> search.Filters:
        """The filters, for the search."""
        return search.Filters(**self.data)

    @property
    def narrowed(self) -> bool:
        """True when a filter narrows the list (sorting and paging do not)."""
        return bool(self.args(sort=None, direction=None, page=None))
