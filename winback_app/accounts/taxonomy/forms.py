"""Forms for the admin's lists: reasons and competitors."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from winback_app.accounts.taxonomy.services import NAME_MAX
from winback_app.forms import stripped


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
