"""Survey rules: the builder (questions, their options, binding to loss reasons, order) and
the survey's states, draft → open → closed.

Questions change only while a survey is a draft: once it is open, people answer them, and an
answer must keep meaning what the respondent read.
"""

from math import ceil

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from winback_app import ordering
from winback_app.accounts.models import LossReason
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.surveys.models import (
    QUESTION_KINDS,
    Survey,
    SurveyOption,
    SurveyQuestion,
)
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.scripts.models import Script
from winback_app.rules import RuleViolation

TITLE_MAX = 200
MESSAGE_MAX = 2000
QUESTION_MAX = 500
OPTION_MAX = 200
OPTIONS_MAX = 30
QUESTIONS_MAX = 40
CHOICE_KINDS = ("single", "multiple")
# (low, high, message) for the whole-number settings a survey keeps for its invitations.
RANGES = {
    "expires_days": (1, 365, "Links can last from 1 to 365 days."),
    "max_reminders": (0, 5, "Send from 0 to 5 reminders."),
    "reminder_after_days": (1, 60, "Remind after 1 to 60 days."),
}
SURVEY_FIELDS = ("title", "intro", "thank_you", "script_id", *RANGES)
LOCKED = (
    "Questions cannot be changed once the survey has been opened: the answers already given "
    "would no longer match them. Make a new survey to ask something else."
)
# Seconds a respondent needs per question kind, plus per option read for choice questions.
SECONDS = {"rating": 10, "likelihood": 10, "single": 15, "multiple": 15, "text": 60}
SECONDS_PER_OPTION = 3
# Which states each state may move to.
MOVES = {"draft": ("open",), "open": ("closed",), "closed": ("open",)}


def load_survey(survey_id: int) -> Survey | None:
    """The survey with its questions, their options and the options' reasons (4 queries)."""
    return db.session.scalar(
        select(Survey)
        .where(Survey.id == survey_id)
        .options(
            selectinload(Survey.questions)
            .selectinload(SurveyQuestion.options)
            .selectinload(SurveyOption.reason)
            .joinedload(LossReason.category)
        )
    )


def minutes_to_answer(survey: Survey) -> int:
    """How many minutes the survey takes, as its email, intro and thank-you all say.

    A rule per question kind with each option read, rounded up to whole minutes, at least
    one; when a donation is offered, the charity question (the team's list and "another")
    counts as a single choice. One query, whatever the survey holds.
    """
    questions = db.session.execute(
        select(SurveyQuestion.kind, func.count(SurveyOption.id))
        .outerjoin(SurveyOption, SurveyOption.question_id == SurveyQuestion.id)
        .where(SurveyQuestion.survey_id == survey.id)
        .group_by(SurveyQuestion.id, SurveyQuestion.kind)
    ).all()
    seconds = sum(
        SECONDS[kind] + SECONDS_PER_OPTION * options * (kind in CHOICE_KINDS)
        for kind, options in questions
    )
    offered = len(incentives.charities())
    if offered:
        seconds += SECONDS["single"] + SECONDS_PER_OPTION * (offered + 1)
    return max(1, ceil(seconds / 60))


def email_scripts() -> list[Script]:
    """The email scripts an invitation may use, by name."""
    return list(
        db.session.scalars(select(Script).where(Script.kind == "email").order_by(Script.name))
    )


def _clean_survey(values: dict) -> dict:
    values = {field: values[field] for field in SURVEY_FIELDS if field in values}
    values["title"] = " ".join((values.get("title") or "").split())
    if not values["title"]:
        raise RuleViolation("Give the survey a title.", "title")
    if len(values["title"]) > TITLE_MAX:
        raise RuleViolation(f"Use at most {TITLE_MAX} characters.", "title")
    for field in ("intro", "thank_you"):
        values[field] = (values.get(field) or "").strip()
        if len(values[field]) > MESSAGE_MAX:
            raise RuleViolation(f"Use at most {MESSAGE_MAX} characters.", field)
    for field, (low, high, message) in RANGES.items():
        if field in values and not (values[field] is not None and low <= values[field] <= high):
            raise RuleViolation(message, field)
    script_id = values.get("script_id")
    if script_id is not None and script_id not in {s.id for s in email_scripts()}:
        raise RuleViolation("Choose one of the email scripts.", "script_id")
    return values


def create_survey(values: dict, user) -> Survey:
    """Start a draft survey."""
    survey = Survey(**_clean_survey(values), status="draft", created_by_id=user and user.id)
    db.session.add(survey)
    db.session.commit()
    return survey


def update_survey(survey: Survey, values: dict) -> Survey:
    """Change the title, messages and invitation settings (allowed in every state)."""
    for field, value in _clean_survey(values).items():
        setattr(survey, field, value)
    db.session.commit()
    return survey


def delete_survey(survey: Survey) -> None:
    """Delete a draft nobody was invited to; later it is kept, for its results."""
    invited = db.session.scalar(select(Invitation.id).where(Invitation.survey_id == survey.id))
    if survey.status != "draft" or invited is not None:
        raise RuleViolation("Only a draft nobody was invited to can be deleted. Close it instead.")
    db.session.delete(survey)
    db.session.commit()


def _check_draft(survey: Survey) -> None:
    if survey.status != "draft":
        raise RuleViolation(LOCKED)


def _clean_question(values: dict) -> tuple[str, str, bool, list[str]]:
    kind, text = values.get("kind"), " ".join((values.get("text") or "").split())
    if kind not in QUESTION_KINDS:
        raise RuleViolation("Choose one of the question types.", "kind")
    if not text:
        raise RuleViolation("Write the question.", "text")
    if len(text) > QUESTION_MAX:
        raise RuleViolation(f"Use at most {QUESTION_MAX} characters.", "text")
    labels = [" ".join(line.split()) for line in values.get("options") or []]
    labels = [label for label in labels if label]
    return kind, text, bool(values.get("required")), labels


def _check_options(kind: str, labels: list[str]) -> None:
    if kind not in CHOICE_KINDS:
        return
    if len(labels) < 2:
        raise RuleViolation("Give a choice question at least two options, one per line.", "options")
    if len(labels) > OPTIONS_MAX:
        raise RuleViolation(f"Use at most {OPTIONS_MAX} options.", "options")
    too_long = next((label for label in labels if len(label) > OPTION_MAX), None)
    if too_long:
        raise RuleViolation(f"Keep each option under {OPTION_MAX} characters.", "options")
    if len({label.casefold() for label in labels}) != len(labels):
        raise RuleViolation("Each option must be different.", "options")


def _set_options(question: SurveyQuestion, labels: list[str], reasons=None) -> None:
    """Replace the options when they differ; ``reasons`` gives each label's loss reason."""
    reasons = reasons or [None] * len(labels)
    wanted = [(label, reason and reason.id) for label, reason in zip(labels, reasons, strict=True)]
    if [(o.label, o.reason_id) for o in question.options] == wanted:
        return
    question.options.clear()
    for position, (label, reason) in enumerate(zip(labels, reasons, strict=True)):
        question.options.append(SurveyOption(label=label, position=position, reason=reason))


def _reason_options(chosen=None) -> tuple[list[str], list[LossReason]]:
    """The active loss reasons as option labels, in taxonomy order: those ``chosen`` (ids)
    when some are, else all of them."""
    reasons = [reason for _, group in taxonomy.reason_choices() for reason in group]
    if chosen:
        reasons = [reason for reason in reasons if reason.id in set(chosen)]
    if not reasons:
        raise RuleViolation("There are no active loss reasons to use.", "bound_to_reasons")
    return [reason.name for reason in reasons], reasons


def add_question(survey: Survey, values: dict) -> SurveyQuestion:
    """Add a question at the end of a draft survey.

    A choice question with ``bound_to_reasons`` gets the active loss reasons ticked in
    ``reason_ids`` (all of them when none is) as its options, so its answers map to reasons;
    other kinds ignore the flag, as they ignore options.
    """
    _check_draft(survey)
    kind, text, required, labels = _clean_question(values)
    if len(survey.questions) >= QUESTIONS_MAX:
        raise RuleViolation(f"A survey has at most {QUESTIONS_MAX} questions: keep it short.")
    bind = bool(values.get("bound_to_reasons")) and kind in CHOICE_KINDS
    reasons = None
    if bind:
        labels, reasons = _reason_options(values.get("reason_ids"))
    else:
        _check_options(kind, labels)
    question = SurveyQuestion(kind=kind, text=text, required=required, bound_to_reasons=bind)
    survey.questions.append(question)
    _set_options(question, labels if kind in CHOICE_KINDS else [], reasons)
    ordering.renumber(survey.questions)
    db.session.commit()
    return question


def update_question(question: SurveyQuestion, values: dict) -> SurveyQuestion:
    """Change a question of a draft survey.

    A question that stays bound to the loss reasons keeps its options (typed ones are
    ignored) unless other reasons are ticked; one that stops being bound keeps their labels
    as plain options.
    """
    _check_draft(question.survey)
    kind, text, required, labels = _clean_question(values)
    bind = bool(values.get("bound_to_reasons")) and kind in CHOICE_KINDS
    if bind and (values.get("reason_ids") or not question.bound_to_reasons):
        _set_options(question, *_reason_options(values.get("reason_ids")))
    elif not bind:
        _check_options(kind, labels)
        _set_options(question, labels if kind in CHOICE_KINDS else [])
    question.kind, question.text, question.required = kind, text, required
    question.bound_to_reasons = bind
    db.session.commit()
    return question


def remove_question(question: SurveyQuestion) -> None:
    """Remove a question from a draft survey."""
    survey = question.survey
    _check_draft(survey)
    survey.questions.remove(question)
    ordering.renumber(survey.questions)
    db.session.commit()


def move_question(question: SurveyQuestion, offset: int) -> None:
    """Move a question up (-1) or down (+1); at either end nothing moves."""
    survey = question.survey
    _check_draft(survey)
    if ordering.move(survey.questions, question, offset):
        db.session.commit()


def bind_to_reasons(question: SurveyQuestion) -> SurveyQuestion:
    """Make a choice question's options the active loss reasons, one option per reason.

    Answers then map to reasons and reach the account's customer view. Binding again takes in
    reasons added to the taxonomy since.
    """
    _check_draft(question.survey)
    if question.kind not in CHOICE_KINDS:
        raise RuleViolation("Only single and multiple choice questions can use the loss reasons.")
    _set_options(question, *_reason_options())
    question.bound_to_reasons = True
    db.session.commit()
    return question


def unbind_from_reasons(question: SurveyQuestion) -> SurveyQuestion:
    """Keep the options as plain text that no longer maps to reasons."""
    _check_draft(question.survey)
    for option in question.options:
        option.reason_id = None
    question.bound_to_reasons = False
    db.session.commit()
    return question


def set_status(survey: Survey, status: str) -> Survey:
    """Open a draft (it needs questions), close an open survey, or reopen a closed one."""
    if status not in MOVES.get(survey.status, ()):
        raise RuleViolation("A survey goes from draft to open to closed (and may be reopened).")
    if status == "open" and not survey.questions:
        raise RuleViolation("Add at least one question before opening the survey.")
    if status == "open":
        survey.opened_at = survey.opened_at or utcnow()
        survey.closed_at = None
    else:
        survey.closed_at = utcnow()
    survey.status = status
    db.session.commit()
    return survey
