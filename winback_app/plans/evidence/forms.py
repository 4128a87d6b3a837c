"""The evidence form and the library's filter."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from winback_app.accounts.forms import optional_id
from winback_app.forms import ListFilterForm, stripped

TITLE_MAX = 200
WHAT_CHANGED_MAX = 4000


def _text(label, limit, *validators, **kwargs):
    return StringField(
        label,
        filters=[stripped],
        validators=[*validators, Length(max=limit, message=f"Use at most {limit} characters.")],
        **kwargs,
    )


class EvidenceForm(FlaskForm):
    """What changed, when, an optional metric, proof, and the loss reasons it answers."""

    title = _text("Title", TITLE_MAX, DataRequired(message="Enter a title."))
    what_changed = TextAreaField(
        "What changed",
        filters=[stripped],
        validators=[
            Length(max=WHAT_CHANGED_MAX, message=f"Use at most {WHAT_CHANGED_MAX} characters.")
        ],
        description="Plain facts: new equipment, product, policy or people.",
    )
    effective_on = DateField("Effective from", validators=[Optional()])
    metric_name = _text("Metric", 120, description="e.g. returns, on-time deliveries")
    metric_before = DecimalField(
        "Before", places=None, validators=[Optional()], render_kw={"inputmode": "decimal"}
    )
    metric_after = DecimalField(
        "After", places=None, validators=[Optional()], render_kw={"inputmode": "decimal"}
    )
    metric_unit = _text("Unit", 20, description="e.g. %, days")
    proof_url = _text(
        "Proof link",
        500,
        Optional(),
        URL(require_tld=False, message="Enter a full link starting with http:// or https://."),
    )
    proof = FileField("Proof file", description="A PDF, PNG or JPEG of at most 5 MB.")
    reason_ids = SelectMultipleField("Loss reasons it answers", coerce=int, validate_choice=False)


class EvidenceFilterForm(ListFilterForm):
    """The library's filters in its address: a reason the evidence answers, and approval."""

    # Any id is taken: one that matches no reason simply finds nothing.
    reason_id = SelectField(
        "Answers the reason",
        coerce=optional_id,
        validate_choice=False,
        validators=[Optional(), NumberRange(min=1)],
    )
    show = SelectField(
        "Approval",
        choices=[
            SelectChoice("", "All evidence"),
            SelectChoice("approved", "Approved"),
            SelectChoice("pending", "Waiting for approval"),
        ],
        default="",
    )

    def offer(self, reason_choices) -> "EvidenceFilterForm":
        """Fill in the reasons the control offers, grouped by category."""
        self.reason_id.choices = [SelectChoice("", "Any reason"), *reason_choices]
        return self
