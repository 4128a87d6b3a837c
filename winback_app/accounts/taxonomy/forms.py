"""Forms for the admin's lists: reasons and competitors."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from winback_app.accounts.taxonomy.services import NAME_MAX, WORDING_MAX
from winback_app.forms import stripped, text_field


class NameForm(FlaskForm):
    """The name of a new or renamed category, reason or competitor.

    Uniqueness within the list is a rule of the taxonomy service, which knows the list.
    """

    name = StringField(
        "Name",
        filters=[stripped],
        validators=[
            DataRequired(message="Enter a name."),
            Length(max=NAME_MAX, message=f"Use at most {NAME_MAX} characters."),
        ],
    )


class ReasonForm(NameForm):
    """A reason's name for the team, and the words customers read of it in surveys."""

    customer_wording = text_field(
        "What customers read",
        WORDING_MAX,
        description="Plain words for the survey; blank uses the reason's name.",
    )
