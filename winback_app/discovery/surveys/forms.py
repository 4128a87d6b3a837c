"""Forms of the survey builder. The rules (what a question needs, when it may change) are the
surveys service's; these forms parse and cap what was typed."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from winback_app.accounts.choices import options
from winback_app.accounts.forms import optional_id
from winback_app.discovery.surveys.models import QUESTION_KINDS, Survey
from winback_app.discovery.surveys.services import MESSAGE_MAX, QUESTION_MAX, RANGES, TITLE_MAX
from winback_app.forms import text_field

# Room for OPTIONS_MAX options of OPTION_MAX characters each; the service counts them.
OPTIONS_TEXT_MAX = 7000


def _number(label: str, field: str, description: str) -> IntegerField:
    low, high, message = RANGES[field]
    return IntegerField(
        label,
        default=Survey.__table__.c[field].default.arg,
        validators=[
            InputRequired(message="Enter a whole number."),
            NumberRange(min=low, max=high, message=message),
        ],
        description=description,
    )


class SurveyForm(FlaskForm):
    """A survey's title, the texts respondents read, and how its invitations behave."""

    title = text_field(
        "Title",
        TITLE_MAX,
        DataRequired(message="Give the survey a title."),
        description="Respondents see it at the top of the page.",
    )
    intro = text_field(
        "Introduction",
        MESSAGE_MAX,
        area=True,
        description="Above the questions: why you ask. The page adds how many minutes it takes.",
    )
    thank_you = text_field(
        "Thank-you message",
        MESSAGE_MAX,
        area=True,
        description="Shown once the answers are sent. The page adds the charity picked, if any.",
    )
    expires_days = _number("Links last (days)", "expires_days", "1 to 365 days from sending.")
    max_reminders = _number(
        "Reminders at most", "max_reminders", "0 to 5, to those who have not answered."
    )
    reminder_after_days = _number("Remind after (days)", "reminder_after_days", "1 to 60 days.")
    script_id = SelectField("Invitation email", coerce=optional_id)


class QuestionForm(FlaskForm):
    """One question; the options apply to choice questions only."""

    kind = SelectField("Type", choices=options(QUESTION_KINDS), default="rating")
    text = text_field(
        "Question", QUESTION_MAX, DataRequired(message="Write the question."), area=True
    )
    required = BooleanField("An answer is required")
    options = text_field(
        "Options, one per line",
        OPTIONS_TEXT_MAX,
        area=True,
        description="For single and multiple choice: 2 to 30 options, in the order shown.",
    )
    # No description: the form macro shows none for a checkbox, so the label says it all.
    bound_to_reasons = BooleanField(
        "Use the loss reasons as options (choice questions): answers join the customer's view"
    )
    # The template lists the active reasons; the service keeps only active ones ticked.
    reason_ids = SelectMultipleField("Reasons to offer", coerce=int, validate_choice=False)

    def values(self) -> dict:
        """What the surveys service takes."""
        return {
            "kind": self.kind.data,
            "text": self.text.data,
            "required": self.required.data,
            "options": (self.options.data or "").splitlines(),
            "bound_to_reasons": self.bound_to_reasons.data,
            "reason_ids": self.reason_ids.data or [],
        }
