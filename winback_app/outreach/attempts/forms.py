"""Forms for logging attempts and adding call-backs on the account page."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from winback_app.accounts.choices import options
from winback_app.accounts.forms import optional_id
from winback_app.outreach.attempts.models import CHANNELS, OUTCOMES


class AttemptForm(FlaskForm):
    """One attempt to reach the account."""

    contact_id = SelectField("Contact", coerce=optional_id)
    channel = SelectField("Channel", choices=options(CHANNELS), default="phone")
    outcome = SelectField("Outcome", choices=options(OUTCOMES), default="no_answer")
    at = DateTimeLocalField("When", validators=[Optional()], description="Leave empty for now.")
    duration_minutes = IntegerField(
        "Minutes",
        validators=[
            Optional(),
            NumberRange(min=0, max=600, message="Enter a duration between 0 and 600 minutes."),
        ],
    )
    notes = TextAreaField("Notes", validators=[Length(max=5000)])
    confirm_do_not_contact = BooleanField("Log it anyway: I know they asked not to be contacted")
    callback_id = SelectField("Completes", coerce=optional_id, validate_choice=False)

    def fill(self, account, callbacks=()):
        """Offer the account's contacts, and its open call-backs to complete."""
        self.contact_id.choices = [
            SelectChoice("", "No one in particular"),
            *(
                SelectChoice(c.id, c.name + (f" · {c.title}" if c.title else ""))
                for c in account.contacts
            ),
        ]
        self.callback_id.choices = [SelectChoice("", "—"), *(SelectChoice(c.id) for c in callbacks)]
        if self.contact_id.data is None and account.contacts and not self.is_submitted():
            self.contact_id.data = account.contacts[0].id
        return self


class CallbackForm(FlaskForm):
    """A call-back on a date, or in one or two weeks."""

    due_on = DateField("On", validators=[Optional()])
    note = StringField("Note", validators=[Length(max=255)])


class SnoozeForm(FlaskForm):
    """Snooze to a date (empty: a week from today)."""

    until = DateField("Until", validators=[Optional()])
