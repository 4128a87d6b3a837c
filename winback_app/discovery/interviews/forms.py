"""Forms for interview guides, the question bank, scheduling an interview and closing it.

Choices that come from the database (guides, contacts, people, reasons) are filled in by the
view, and WTForms refuses any value not among them, so a forged id never reaches a service.
"""

from decimal import Decimal

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from winback_app.accounts import choices
from winback_app.accounts.choices import options
from winback_app.accounts.forms import optional_id
from winback_app.auth.models import User
from winback_app.core.settings import services as team_settings
from winback_app.discovery import action_items
from winback_app.discovery.guides import services as guides
from winback_app.discovery.guides.models import STAGES
from winback_app.discovery.interviews import notes
from winback_app.discovery.interviews import services as interviews
from winback_app.extensions import db
from winback_app.forms import ListFilterForm, MoneyField, at_most, page_field, stripped, text_field

ACTION_ROWS = 3
PERMISSION = {"yes": True, "no": False}
WHEN_HELP = "Enter the date and time, such as 2026-03-04 14:30."


class GuideForm(FlaskForm):
    """A guide's name, purpose and time budget."""

    name = text_field("Name", guides.NAME_MAX, DataRequired(message="Give the guide a name."))
    description = TextAreaField("What it is for", validators=[at_most(guides.DESCRIPTION_MAX)])
    budget_minutes = IntegerField(
        "Time budget (minutes)",
        default=guides.DEFAULT_BUDGET,
        validators=[
            InputRequired(message="Enter the minutes the interview should take."),
            NumberRange(
                min=guides.BUDGET_MIN,
                max=guides.BUDGET_MAX,
                message=f"Set a budget between {guides.BUDGET_MIN} and {guides.BUDGET_MAX} "
                "minutes.",
            ),
        ],
        description="Promise the customer about 15 minutes, and keep to it.",
    )


class QuestionForm(FlaskForm):
    """A question: its wording, stage, the minutes it takes and a hint for the interviewer."""

    text = text_field(
        "Question", guides.TEXT_MAX, DataRequired(message="Write the question."), area=True
    )
    stage = SelectField("Stage", choices=options(STAGES), default="core")
    minutes = DecimalField(
        "Minutes",
        places=1,
        default=Decimal("2"),
        validators=[
            InputRequired(message="Enter the minutes, such as 2 or 1.5."),
            NumberRange(
                min=guides.MINUTES_MIN,
                max=guides.MINUTES_MAX,
                message=f"Allow between {guides.MINUTES_MIN} and {guides.MINUTES_MAX} minutes.",
            ),
        ],
    )
    hint = StringField(
        "Hint for the interviewer", filters=[stripped], validators=[at_most(guides.HINT_MAX)]
    )


class PickQuestionForm(FlaskForm):
    """A question from the bank to add to a guide."""

    question_id = SelectField(
        "Question from the bank",
        coerce=optional_id,
        validators=[InputRequired(message="Choose a question.")],
    )


class WhenField(DateTimeLocalField):
    """A date and time typed in the team's zone, with a message that shows what to type."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(WHEN_HELP) from None


class InterviewForm(FlaskForm):
    """Who is interviewed, with which guide, by whom and when."""

    contact_id = SelectField("Contact", coerce=optional_id)
    guide_id = SelectField("Guide", coerce=optional_id)
    interviewer_id = SelectField("Interviewer", coerce=optional_id)
    partner_id = SelectField(
        "Partner",
        coerce=optional_id,
        description="The teammate who handles the logistics and the follow-ups.",
    )
    when = WhenField(
        "When",
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired(message=WHEN_HELP)],
    )
    confirm_do_not_contact = BooleanField("They asked to talk: schedule it anyway")

    def fill(self, account, user, now):
        """Offer the account's contacts, the active guides and the team; a blank form starts
        with the first contact, ``user`` as interviewer and ``now`` (local) as the time."""
        self.contact_id.choices = [
            SelectChoice(c.id, f"{c.name}, {c.title}" if c.title else c.name)
            for c in account.contacts
        ]
        self.guide_id.choices = [
            SelectChoice(g.id, f"{g.name} ({g.budget_minutes} min)")
            for g in guides.list_guides(include_retired=False)
        ]
        people = choices.owners()[1:]  # without "Unassigned"
        self.interviewer_id.choices = people
        self.partner_id.choices = [SelectChoice("", "No one"), *people]
        if not self.is_submitted():
            self.contact_id.data = account.contacts[0].id if account.contacts else None
            self.interviewer_id.data = user.id
            self.when.data = now.replace(second=0, microsecond=0, tzinfo=None)
        return self


class ActionItemForm(Form):
    """One action item written at closing; a row left empty is ignored."""

    what = StringField("What", filters=[stripped], validators=[at_most(action_items.WHAT_MAX)])
    owner_id = SelectField("Owner", coerce=optional_id)
    partner_id = SelectField("Partner", coerce=optional_id)
    due_on = DateField("Due", validators=[Optional()])


class CloseForm(FlaskForm):
    """Closing an interview: what was heard, the customer's reasons, what happens next."""

    summary = TextAreaField(
        "Summary",
        validators=[
            DataRequired(message="Write a short summary of what you heard."),
            at_most(interviews.SUMMARY_MAX),
        ],
    )
    key_quotes = TextAreaField("Key quotes", validators=[at_most(interviews.QUOTES_MAX)])
    reasons = SelectMultipleField("Reasons", coerce=int)
    primary = SelectField("Primary reason", coerce=optional_id)
    words = TextAreaField("In their words", validators=[at_most(notes.NOTE_MAX)])
    follow_up_permission = RadioField(
        "May we call you again?",
        choices=[
            SelectChoice("yes", "Yes: a friendly loss"),
            SelectChoice("no", "No"),
            SelectChoice("", "Not asked"),
        ],
        default="",
    )
    action_items = FieldList(
        FormField(ActionItemForm), min_entries=ACTION_ROWS, max_entries=ACTION_ROWS
    )
    incentive_status = SelectField(
        "Thank-you promised",
        choices=[SelectChoice("", "None"), *options(interviews.PROMISED)],
        default="",
    )
    charity = StringField(
        "Charity", filters=[stripped], validators=[at_most(interviews.CHARITY_MAX)]
    )
    amount = MoneyField("Amount", validators=[Optional()])
    # The account's version when the form was shown: someone else's edit of the customer's
    # view in the meantime is shown as a conflict rather than overwritten.
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        """The field rules, then: an action item needs its due date, a thank-you its amount."""
        valid = super().validate(extra_validators)
        for row in self.action_items:
            if row.what.data and row.owner_id.data is None and not row.owner_id.errors:
                row.owner_id.errors.append("Choose who will do it.")
                valid = False
            if row.what.data and row.due_on.data is None and not row.due_on.errors:
                row.due_on.errors.append("Give it a due date.")
                valid = False
        if self.incentive_status.data and self.amount.data is None and not self.amount.errors:
            self.amount.errors.append("Enter the amount promised.")
            valid = False
        return valid

    def fill(self, interview, blank: bool | None = None):
        """Offer the reasons and the team. A blank form (one not posted, unless ``blank``
        says otherwise) starts from the customer's view as it stands, with action items owned
        by the partner (who takes the follow-ups), else by the interviewer."""
        blank = not self.is_submitted() if blank is None else blank
        account = interview.account
        chosen = account.reasons_for("customer")
        self.groups = choices.reason_groups(keep={r.reason_id for r in chosen})
        self.reasons.choices = choices.reason_ids(self.groups)
        self.primary.choices = [SelectChoice("", "Choose…"), *self.reasons.choices]
        people = choices.owners()[1:]
        for row in self.action_items:
            row.owner_id.choices = [SelectChoice("", "Choose…"), *people]
            row.partner_id.choices = [SelectChoice("", "No one"), *people]
            if blank:
                row.owner_id.data = interview.partner_id or interview.interviewer_id
                row.partner_id.data = interview.interviewer_id if interview.partner_id else None
        if blank:
            self.reasons.data = [r.reason_id for r in chosen]
            self.primary.data = next((r.reason_id for r in chosen if r.is_primary), None)
            self.words.data = account.customer_words
            self.version.data = account.version
        settings = team_settings.get()
        self.charities = [c.strip() for c in settings.charities.splitlines() if c.strip()]
        return self

    def closing(self) -> interviews.Closing:
        """What the form records, for the interviews service."""
        rows = [row for row in self.action_items if row.what.data]
        ids = {r.owner_id.data for r in rows} | {r.partner_id.data for r in rows}
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        return interviews.Closing(
            summary=self.summary.data,
            key_quotes=self.key_quotes.data,
            reason_ids=self.reasons.data or [],
            primary_id=self.primary.data,
            words=self.words.data,
            follow_up_permission=PERMISSION.get(self.follow_up_permission.data),
            action_items=[
                (
                    r.what.data,
                    users.get(r.owner_id.data),
                    users.get(r.partner_id.data),
                    r.due_on.data,
                )
                if r.what.data
                else None
                for r in self.action_items
            ],
            incentive_status=self.incentive_status.data,
            charity=self.charity.data,
            amount=self.amount.data,
            account_version=self.expected_version,
        )

    @property
    def expected_version(self) -> int | None:
        value = str(self.version.data or "")
        return int(value) if value.isdigit() else None


class InterviewFilterForm(ListFilterForm):
    """Which interviews the list shows (upcoming unless told otherwise), and its page."""

    show = SelectField(
        choices=[
            SelectChoice("upcoming", "Upcoming"),
            SelectChoice("held", "Held"),
            SelectChoice("all", "All"),
        ],
        default="upcoming",
    )
    page = page_field()
