"""The form that confirms a round of survey invitations, and the invitations panel's filter."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from winback_app.accounts.choices import options
from winback_app.accounts.forms import optional_id
from winback_app.discovery.invitations.states import STATES
from winback_app.forms import ListFilterForm


class InviteForm(FlaskForm):
    """Which email invites; the accounts travel with the form as the preview's selection."""

    # Whether the script carries the survey link is the invitations service's rule.
    script_id = SelectField("Email", coerce=optional_id, validate_choice=False)

    def fill(self, scripts, survey):
        """Offer the emails that carry the survey link, the survey's own first."""
        self.script_id.choices = [SelectChoice(s.id, s.name) for s in scripts]
        if self.script_id.data is None:
            usable = {s.id for s in scripts}
            preferred = survey.script_id if survey.script_id in usable else None
            self.script_id.data = preferred or (scripts[0].id if scripts else None)
        return self


class InvitationFilterForm(ListFilterForm):
    """The invitations in one state, or all of them, as the panel's address says."""

    state = SelectField(choices=[SelectChoice("", "Every state"), *options(STATES)], default="")
