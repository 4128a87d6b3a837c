"""The form that adds an action item to a plan."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional

from winback_app.accounts.forms import optional_id
from winback_app.discovery.action_items import WHAT_MAX
from winback_app.plans.forms import clean_text, text_max


class ActionForm(FlaskForm):
    """What is to be done, by whom (with whom) and by when; the rules are the action items'."""

    owner_id = SelectField("Owner", coerce=optional_id)
    partner_id = SelectField("Partner", coerce=optional_id)
    what = StringField("What", filters=[clean_text], validators=[text_max(WHAT_MAX)])
    due_on = DateField("Due", validators=[Optional()])

    def fill(self, people) -> "ActionForm":
        """Offer ``people`` as owner and partner."""
        choices = [SelectChoice(u.id, u.name) for u in people]
        self.owner_id.choices = [SelectChoice("", "Choose…"), *choices]
        self.partner_id.choices = [SelectChoice("", "Nobody"), *choices]
        return self
