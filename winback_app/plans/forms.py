"""Forms for the plan page: its sections, its status, and the next steps after a decline.

The people to choose from (sponsor) are filled in by the view, and WTForms refuses any value
not among them, so a forged id never reaches a service.
"""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import TextInput

from winback_app.accounts.forms import MoneyField, optional_id
from winback_app.forms import VersionedForm
from winback_app.plans.services import TEXT_MAX

# How each field of a section reads in a form and in a conflict message.
LABELS = {
    "relationship_summary": "The relationship",
    "cause_statement": "Why they left",
    "new_needs": "Their new needs",
    "commitment": "Our commitment",
    "offer": "The offer",
    "sponsor_id": "Executive sponsor",
    "escalate_when": "When to escalate",
    "customer_relationship": "The relationship, for the customer",
    "customer_cause": "Why they left, for the customer",
    "customer_needs": "Their new needs, for the customer",
    "customer_commitment": "Our commitment, for the customer",
    "customer_offer": "The offer, for the customer",
}
CUSTOMER_HINT = (
    "What the customer reads in the printed plan and the PDF. Our notes above never reach them."
)


def clean_text(value):
    """Typed text with the browser's CRLF line ends as plain newlines, trimmed."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def text_max(limit: int) -> Length:
    """A length cap with the message the services use."""
    return Length(max=limit, message=f"Use at most {limit} characters.")


def _text(field: str, description: str) -> TextAreaField:
    return TextAreaField(
        LABELS[field],
        description=description,
        filters=[clean_text],
        validators=[text_max(TEXT_MAX)],
    )


def _customer(field: str) -> TextAreaField:
    return TextAreaField(
        LABELS[field],
        description=CUSTOMER_HINT,
        filters=[clean_text],
        validators=[text_max(TEXT_MAX)],
    )


class SectionForm(VersionedForm):
    """One section of the plan page."""

    def fill(self, people, plan) -> "SectionForm":
        """Fill in the choices that come from the database (only the sponsor has any)."""
        return self

    def text(self) -> str:
        """The words typed in the section, for the tone check."""
        return "\n".join(f.data or "" for f in self if isinstance(f, TextAreaField))


class PrintedSectionForm(SectionForm):
    """A section that is printed: the team's words and the customer's, which the rep may
    start from a suggestion or preview as printed (neither saves anything)."""

    suggest = SubmitField("Suggest from our notes")
    preview = SubmitField("Preview")


class RelationshipForm(PrintedSectionForm):
    """What the relationship was."""

    relationship_summary = _text(
        "relationship_summary",
        "What the relationship was: what they bought, for how long, what went well.",
    )
    customer_relationship = _customer("customer_relationship")


class CauseForm(PrintedSectionForm):
    """Why they left, as a statement of fact."""

    cause_statement = _text(
        "cause_statement",
        "A plain statement of fact about what caused the defection. Their reason is the reason.",
    )
    customer_cause = _customer("customer_cause")


class NeedsForm(PrintedSectionForm):
    """What the customer needs now."""

    new_needs = _text("new_needs", "What they need now, as they told you.")
    customer_needs = _customer("customer_needs")


class CommitmentForm(PrintedSectionForm):
    """Why history will not repeat."""

    commitment = _text("commitment", "Why history will not repeat.")
    customer_commitment = _customer("customer_commitment")


class OfferForm(PrintedSectionForm):
    """What the team puts on the table."""

    offer = _text(
        "offer", "An upgrade, a price break, expanded service … what we put on the table."
    )
    customer_offer = _customer("customer_offer")


class EscalationForm(SectionForm):
    """The executive sponsor and when they step in."""

    sponsor_id = SelectField(LABELS["sponsor_id"], coerce=optional_id)
    escalate_when = _text(
        "escalate_when", "When the sponsor steps in, e.g. no answer two weeks after the meeting."
    )

    def fill(self, people, plan) -> "EscalationForm":
        """Offer ``people`` as sponsors, plus the plan's sponsor (who may since have left)."""
        choices = [SelectChoice(u.id, " · ".join(filter(None, (u.name, u.title)))) for u in people]
        if plan.sponsor_id is not None and all(u.id != plan.sponsor_id for u in people):
            choices.append(SelectChoice(plan.sponsor_id, plan.sponsor.name))
        self.sponsor_id.choices = [SelectChoice("", "Nobody yet"), *choices]
        return self


SECTION_FORMS = {
    "relationship": RelationshipForm,
    "cause": CauseForm,
    "needs": NeedsForm,
    "commitment": CommitmentForm,
    "offer": OfferForm,
    "escalation": EscalationForm,
}


class StatusForm(FlaskForm):
    """Moving the plan on: the status, and what that step records (date, words, value)."""

    status = HiddenField()
    on = DateField("Date", validators=[Optional()])
    words = TextAreaField(
        "The customer's words", filters=[clean_text], validators=[text_max(TEXT_MAX)]
    )
    # A text box rather than a number one, so that "12,500" can be typed as written.
    value = MoneyField(
        "Value recovered (per year)",
        validators=[Optional()],
        widget=TextInput(),
        render_kw={"inputmode": "decimal"},
    )


class NextStepForm(FlaskForm):
    """After a decline: bring in the sponsor, or keep in touch."""

    step = SelectField(
        choices=[
            SelectChoice("sponsor", "Bring in the sponsor"),
            SelectChoice("nurture", "Move to nurture"),
        ]
    )
