"""Forms for incentives: promising a thank-you, pledging it, recording its payment."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from winback_app.accounts.choices import options
from winback_app.accounts.forms import optional_id
from winback_app.discovery.incentives.services import FILTERS, LIMITS
from winback_app.forms import ListFilterForm, page_field, stripped


class IncentiveForm(FlaskForm):
    """A thank-you promised to a contact of an account (amounts are checked by the service)."""

    contact_id = SelectField("For", coerce=optional_id)
    charity = StringField(
        "Charity",
        filters=[stripped],
        validators=[Length(max=LIMITS["charity"])],
        description="The one they picked; leave empty while they choose.",
    )
    amount = StringField("Amount", filters=[stripped])
    status = RadioField(
        "Status",
        choices=[
            SelectChoice("offered", "Offered (promised for taking part)"),
            SelectChoice("pledged", "Pledged (they took part: we owe it)"),
        ],
        default="offered",
    )
    notes = TextAreaField("Notes", validators=[Length(max=LIMITS["notes"])])

    def fill(self, account):
        """Offer the account's contacts."""
        self.contact_id.choices = [
            SelectChoice("", "No one in particular"),
            *(SelectChoice(c.id, c.name) for c in account.contacts),
        ]
        if self.contact_id.data is None and account.contacts and not self.is_submitted():
            self.contact_id.data = account.contacts[0].id
        return self


class PledgeForm(FlaskForm):
    """Offered → pledged, naming the charity if it was not known yet."""

    charity = StringField("Charity", filters=[stripped], validators=[Length(max=LIMITS["charity"])])


class PayForm(FlaskForm):
    """Pledged → paid: when, and the payment's reference."""

    paid_on = DateField("Paid on", validators=[Optional()])
    reference = StringField(
        "Reference", filters=[stripped], validators=[Length(max=LIMITS["reference"])]
    )


class IncentiveFilterForm(ListFilterForm):
    """The list's filter in its address (what is still owed unless told otherwise), and page."""

    show = SelectField(choices=options(FILTERS), default="owed")
    page = page_field()
