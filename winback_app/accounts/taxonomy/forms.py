"""Forms for the admin's lists: reasons and competitors."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from winback_app.accounts.taxonomy.services import NAME_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NameForm(FlaskForm):
    """The name of a new or renamed category, reason or competitor.

    Uniqueness within the list is a rule of the taxonomy service, which knows the list.
    """

    name = StringField(
        "Name",
        filters=[_strip],
        validators=[
            DataRequired(message="Enter a name."),
            Length(max=NAME_MAX, message=f"Use at most {NAME_MAX} characters."),
        ],
    )
