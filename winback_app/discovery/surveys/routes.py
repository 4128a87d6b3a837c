"""Survey builder views: the list, a survey's page with its questions edited in place, the
preview, the state changes and the results. Without JavaScript every action is a plain form
that comes back to the survey's page."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from winback_app import htmx
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.public import donation
from winback_app.discovery.public import services as survey_responses
from winback_app.discovery.surveys import results as survey_results
from winback_app.discovery.surveys import services as surveys
from winback_app.discovery.surveys.forms import QuestionForm, SurveyForm
from winback_app.discovery.surveys.models import (
    QUESTION_KINDS,
    SURVEY_STATUSES,
    Survey,
    SurveyQuestion,
)
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.outreach.scripts.models import Script
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("surveys", __name__, url_prefix="/discovery/surveys")

QUESTION = "/<int:survey_id>/questions/<int:question_id>"


def _survey(survey_id: int) -> Survey:
    return surveys.load_survey(survey_id) or abort(404)


def _question(survey: Survey, question_id: int) -> SurveyQuestion:
    found = next((q for q in survey.questions if q.id == question_id), None)
    return found or abort(404)


def _survey_form(survey: Survey | None = None) -> SurveyForm:
    form = SurveyForm(obj=survey)
    form.script_id.choices = [
        SelectChoice("", "None yet"),
        *(SelectChoice(script.id, script.name) for script in surveys.email_scripts()),
    ]
    return form


def _page(survey: Survey, block: str | None = None, status: int = 200, **context):
    context.setdefault("question_form", QuestionForm(formdata=None))
    return htmx.render(
        "discovery/survey_detail.html",
        block=block,
        status=status,
        survey=survey,
        script=db.session.get(Script, survey.script_id) if survey.script_id else None,
        kinds=QUESTION_KINDS,
        statuses=SURVEY_STATUSES,
        reason_groups=taxonomy.reason_choices() if survey.status == "draft" else [],
        **context,
    )


@bp.route("/")
def index():
    """Every survey with its state, questions, invitations and response rate."""
    return htmx.render(
        "discovery/surveys.html",
        rows=survey_results.survey_list(),
        statuses=SURVEY_STATUSES,
        rate=survey_results.response_rate,
    )


@bp.route("/new", methods=["GET", "POST"])
@writer_required
def new():
    """Start a draft survey; its questions are added on its page."""
    form = _survey_form()
    if request.method == "GET":
        form.intro.data = "We would like to learn why you chose as you did, and what to change."
        form.thank_you.data = "Thank you. Your answers help us do better."
    return _survey_form_page(
        form,
        None,
        lambda values: surveys.create_survey(values, current_user),
        "Survey created: now add its questions.",
    )


@bp.route("/<int:survey_id>")
def detail(survey_id):
    """A survey: its state, questions (editable while a draft) and settings."""
    return _page(_survey(survey_id))


@bp.route("/<int:survey_id>/questions")
def questions(survey_id):
    """The questions as shown (what Cancel brings back in place of a question's form)."""
    return _page(_survey(survey_id), block="questions")


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@writer_required
def edit(survey_id):
    """Change a survey's title, texts and invitation settings (in any state)."""
    survey = _survey(survey_id)
    return _survey_form_page(
        _survey_form(survey),
        survey,
        lambda values: surveys.update_survey(survey, values),
        "Survey saved.",
    )


def _survey_form_page(form: SurveyForm, survey: Survey | None, save, message: str):
    """Save a valid form and go to the survey; else the form, with its messages on a POST."""
    if form.validate_on_submit():
        try:
            saved = save({name: form[name].data for name in surveys.SURVEY_FIELDS})
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            flash(message, "success")
            return redirect(url_for("surveys.detail", survey_id=saved.id), 303)
    status = 422 if request.method == "POST" else 200
    return htmx.render("discovery/survey_form.html", form=form, survey=survey, status=status)


@bp.route("/<int:survey_id>/delete", methods=["POST"])
def delete(survey_id):
    """Delete a draft nobody was invited to."""
    survey = _survey(survey_id)
    try:
        surveys.delete_survey(survey)
    except RuleViolation as violation:
        # Only a stale page offers this button once the survey is used: say why, show it anew.
        flash(violation.message, "error")
        return htmx.redirect(url_for("surveys.detail", survey_id=survey_id))
    flash(f"“{survey.title}” was deleted.", "success")
    return htmx.redirect(url_for("surveys.index"))


@bp.route("/<int:survey_id>/status", methods=["POST"])
def status(survey_id):
    """Open a draft, close an open survey or reopen a closed one."""
    survey = _survey(survey_id)
    try:
        surveys.set_status(survey, request.form.get("status", ""))
    except RuleViolation as violation:
        return _page(survey, status=422, status_error=violation.message)
    flash(f"The survey is {survey.status}.", "success")
    return htmx.redirect(url_for("surveys.detail", survey_id=survey.id))


@bp.route("/<int:survey_id>/preview")
def preview(survey_id):
    """The public page as a respondent sees it, for a made-up contact; it sends nothing."""
    survey = _survey(survey_id)
    return htmx.render(
        "public/respond.html",
        survey=survey,
        first_name="Alex",
        preview=True,
        token=None,
        minutes=surveys.minutes_to_answer(survey),
        charities=incentives.charities(),
        donation=donation,
        answers={},
        errors={},
        field_name=survey_responses.field_name,
        text_limit=survey_responses.TEXT_ANSWER_MAX,
    )


@bp.route("/<int:survey_id>/results")
def results(survey_id):
    """Invitations by state, the response rate, each question's answers and the free texts."""
    survey = _survey(survey_id)
    return htmx.render(
        "discovery/survey_results.html",
        survey=survey,
        invitations=survey_results.invitation_states(survey),
        questions=survey_results.question_results(survey),
        kinds=QUESTION_KINDS,
    )


def _questions_changed(
    survey_id: int, anchor: str = "survey-questions", message: str = "", **context
):
    """After a question action: the questions block for htmx, else back to the page."""
    if htmx.is_partial():
        return _page(_survey(survey_id), block="questions", **context)
    if message:
        flash(message, "success")
    return redirect(url_for("surveys.detail", survey_id=survey_id, _anchor=anchor), 303)


def _refused(survey_id: int, violation: RuleViolation, **context):
    survey = _survey(survey_id)
    return _page(survey, "questions", 422, question_error=violation.message, **context)


@bp.route("/<int:survey_id>/questions", methods=["POST"])
def add_question(survey_id):
    """Add a question at the end; invalid input comes back with its messages (422)."""
    survey = _survey(survey_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = surveys.add_question(survey, form.values())
        except RuleViolation as violation:
            if violation.field is None:
                return _refused(survey_id, violation)
            show_violation(form, violation)
        else:
            # The emptied form takes the focus again, ready for the next question.
            return _questions_changed(
                survey_id, f"question-{question.id}", "Question added.", adding=True
            )
    return _page(survey, "questions", 422, question_form=form, adding=True)


@bp.route(f"{QUESTION}/edit", methods=["GET", "POST"])
@writer_required
def edit_question(survey_id, question_id):
    """A question as a form in place (a page of its own without JavaScript), and its save."""
    survey = _survey(survey_id)
    question = _question(survey, question_id)
    if survey.status != "draft":
        return _refused(survey_id, RuleViolation(surveys.LOCKED))
    # Not ``obj=question``: its options are rows, and a bound question's form posts none.
    form = QuestionForm(
        data={
            "kind": question.kind,
            "text": question.text,
            "required": question.required,
            "options": "\n".join(option.label for option in question.options),
            "bound_to_reasons": question.bound_to_reasons,
            "reason_ids": [option.reason_id for option in question.options if option.reason_id],
        }
    )
    if form.validate_on_submit():
        try:
            surveys.update_question(question, form.values())
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _questions_changed(survey_id, f"question-{question_id}", "Question saved.")
    status = 422 if request.method == "POST" else 200
    return _page(survey, "questions", status, editing=question.id, edit_form=form)


@bp.route(f"{QUESTION}/delete", methods=["POST"])
def delete_question(survey_id, question_id):
    """Remove a question from a draft."""
    question = _question(_survey(survey_id), question_id)
    try:
        surveys.remove_question(question)
    except RuleViolation as violation:
        return _refused(survey_id, violation)
    return _questions_changed(survey_id, message="Question removed.")


@bp.route(f"{QUESTION}/move", methods=["POST"])
def move_question(survey_id, question_id):
    """Move a question one place up or down."""
    question = _question(_survey(survey_id), question_id)
    try:
        surveys.move_question(question, -1 if request.form.get("direction") == "up" else 1)
    except RuleViolation as violation:
        return _refused(survey_id, violation)
    return _questions_changed(survey_id, f"question-{question_id}")


@bp.route(f"{QUESTION}/reasons", methods=["POST"])
def question_reasons(survey_id, question_id):
    """Fill a choice question's options from the loss reasons, or stop mapping them."""
    question = _question(_survey(survey_id), question_id)
    try:
        if request.form.get("bind") == "no":
            surveys.unbind_from_reasons(question)
        else:
            surveys.bind_to_reasons(question)
    except RuleViolation as violation:
        return _refused(survey_id, violation)
    return _questions_changed(survey_id, f"question-{question_id}")
