"""Forms for outreach scripts and the call-list planner."""

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from winback_app.accounts.choices import options
from winback_app.forms import at_most, text_field
from winback_app.outreach.planner.services import CONVERSATIONS_MAX
from winback_app.outreach.scripts.models import SCRIPT_KINDS
from winback_app.outreach.scripts.services import BODY_MAX, NAME_MAX, SUBJECT_MAX


class ScriptForm(FlaskForm):
    """An email or voicemail script. Whether the text renders is the scripts service's rule."""

    kind = RadioField("Kind", choices=options(SCRIPT_KINDS), default="email")
    name = text_field("Name", NAME_MAX, DataRequired(message="Give the script a name."))
    subject = text_field(
        "Subject", SUBJECT_MAX, description="Emails only; a voicemail script has no subject."
    )
    body = TextAreaField(
        "Text",
        validators=[DataRequired(message="Write the text of the script."), at_most(BODY_MAX)],
    )
    # The version the editor opened, to tell them when someone else saved meanwhile.
    version = HiddenField()


def _conversations_field():
    return IntegerField(
        "Conversations I want this week",
        validators=[
            InputRequired(message="Enter how many conversations you want."),
            NumberRange(
                min=1,
                max=CONVERSATIONS_MAX,
                message=f"Choose between 1 and {CONVERSATIONS_MAX} conversations.",
            ),
        ],
    )


class PlannerForm(Form):
    """The planner's question, read from the query string (a GET form needs no CSRF token)."""

    conversations = _conversations_field()


class PlanForm(FlaskForm):
    """The accounts the rep kept ticked, to save as call-backs."""

    conversations = _conversations_field()
    account_id = SelectMultipleField(coerce=int, validate_choice=False)
