"""The form that adds a solution to a plan, backed by a piece of evidence picked from a list."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import Optional

from winback_app.plans.forms import clean_text, text_max
from winback_app.plans.services import SOLUTION_MAX


class SolutionForm(FlaskForm):
    """A solution's words and the evidence backing it; "Pick evidence" opens the list to pick
    from and keeps what was typed."""

    text = StringField("Add a solution", filters=[clean_text], validators=[text_max(SOLUTION_MAX)])
    # The radio buttons of the picker; which evidence may back a solution is the service's rule.
    evidence_id = IntegerField("Back it with evidence", validators=[Optional()])
    pick = SubmitField("Pick evidence")
    # Sent from an open picker, so that a refused solution comes back with the picker open.
    picking = HiddenField()
