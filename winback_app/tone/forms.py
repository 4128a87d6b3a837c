"""The form for adding a phrase to the tone check's list."""

from flask_wtf import FlaskForm
from wtforms import SelectField

from winback_app.accounts.choices import options
from winback_app.forms import text_field
from winback_app.tone.models import TONE_KINDS
from winback_app.tone.rules import PHRASE_MAX, SUGGESTION_MAX


class ToneRuleForm(FlaskForm):
    """A word or phrase, what it runs down, and what to say instead. An empty or repeated
    phrase is the tone service's rule, shown on the field."""

    phrase = text_field("Word or phrase", PHRASE_MAX)
    kind = SelectField("Kind", choices=options(TONE_KINDS))
    suggestion = text_field(
        "Suggestion", SUGGESTION_MAX, render_kw={"placeholder": "What to say instead"}
    )
