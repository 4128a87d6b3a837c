"""Interview guides and the question bank.

A guide's editor adds, edits, moves and removes its questions in place: an htmx request gets
the questions block back (with the total against the budget and any order warning), a plain
form post gets Post/Redirect/Get to the editor with a flash message.
"""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from winback_app import htmx
from winback_app.discovery.guides import services as guides
from winback_app.discovery.guides.models import STAGES, Question
from winback_app.discovery.interviews.forms import GuideForm, PickQuestionForm, QuestionForm
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("guides", __name__, url_prefix="/discovery/guides")

MOVES = {"up": -1, "down": 1}
RETIRE = {"yes": True, "no": False}


def _guide(guide_id: int):
    return guides.load_guide(guide_id) or abort(404)


def _item(guide, item_id: int):
    return next((item for item in guide.items if item.id == item_id), None) or abort(404)


def _choice(options: dict):
    """The meaning of the posted button value; anything else is a bad request."""
    value = request.form.get("value")
    if value not in options:
        abort(400)
    return options[value]


def _question_values(form: QuestionForm) -> tuple:
    return form.text.data, form.stage.data, form.minutes.data, form.hint.data


# --- Guides -----------------------------------------------------------------------------


def _index(form=None, status: int = 200):
    return htmx.render(
        "discovery/guides.html",
        block="new_guide" if form else None,
        status=status,
        guides=guides.list_guides(),
        budget=guides.budget,
        order_warnings=guides.order_warnings,
        form=form or GuideForm(formdata=None),
    )


@bp.route("/")
def index():
    """The guides, each with its length against its budget and any order warning."""
    return _index()


@bp.route("/", methods=["POST"])
def create():
    """Start a new guide, then add its questions in the editor."""
    form = GuideForm()
    if form.validate_on_submit():
        try:
            guide = guides.create_guide(*_guide_values(form), current_user)
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            flash(f"“{guide.name}” was created. Now add its questions.", "success")
            return htmx.redirect(url_for("guides.detail", guide_id=guide.id))
    return _index(form, 422)


def _guide_values(form: GuideForm) -> tuple:
    return form.name.data, form.description.data, form.budget_minutes.data


def _pick_form(guide, form=None) -> PickQuestionForm:
    """The bank's active questions that the guide does not have yet, by stage."""
    form = form or PickQuestionForm(formdata=None)
    used = {item.question_id for item in guide.items}
    form.question_id.choices = [
        SelectChoice("", "Choose a question…"),
        *(
            SelectChoice(q.id, f"{q.text} ({q.minutes:g} min)", optgroup=STAGES[q.stage])
            for q in guides.bank(include_retired=False)
            if q.id not in used
        ),
    ]
    return form


def _editor(guide, block: str | None = None, status: int = 200, **context):
    """The guide's editor, or one of its blocks."""
    context = {"editing": None, "edit_form": None, **context}
    return htmx.render(
        "discovery/guides_edit.html",
        block=block,
        status=status,
        guide=guide,
        budget=guides.budget(guide),
        warnings=guides.order_warnings(guide),
        interview_count=guides.interview_count(guide),
        stages=STAGES,
        guide_form=context.pop("guide_form", None) or GuideForm(formdata=None, obj=guide),
        new_form=context.pop("new_form", None) or QuestionForm(formdata=None),
        pick_form=_pick_form(guide, context.pop("pick_form", None)),
        **context,
    )


def _changed(guide_id: int, message: str | None, block: str = "items"):
    """After a change: the refreshed block (and a flash event), or back to the editor."""
    if not htmx.is_partial():
        if message:
            flash(message, "success")
        return redirect(url_for("guides.detail", guide_id=guide_id, _anchor="guide-items"), 303)
    response = _editor(_guide(guide_id), block)
    return htmx.trigger(response, "flash", {"message": message}) if message else response


@bp.route("/<int:guide_id>")
def detail(guide_id):
    """A guide's editor: its questions in order, the total against the budget, warnings."""
    return _editor(_guide(guide_id))


@bp.route("/<int:guide_id>", methods=["POST"])
def save(guide_id):
    """Rename a guide, or change its description or time budget."""
    guide = _guide(guide_id)
    form = GuideForm()
    if form.validate_on_submit():
        try:
            guides.update_guide(guide, *_guide_values(form))
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _changed(guide_id, "The guide was saved.", "editor")
    return _editor(guide, "editor", 422, guide_form=form)


@bp.route("/<int:guide_id>/retire", methods=["POST"])
def retire(guide_id):
    """Retire a guide (not offered for new interviews) or bring it back."""
    guide = _guide(guide_id)
    guides.set_guide_retired(guide, _choice(RETIRE))
    return _changed(guide_id, "Retired." if guide.retired else "Back in use.", "editor")


@bp.route("/<int:guide_id>/items", methods=["POST"])
def add_item(guide_id):
    """Add a question from the bank at the end of the guide."""
    guide = _guide(guide_id)
    form = _pick_form(guide, PickQuestionForm())
    if form.validate_on_submit():
        try:
            guides.add_to_guide(guide, db.session.get(Question, form.question_id.data))
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _changed(guide_id, "Question added.")
    return _editor(guide, "items", 422, pick_form=form)


@bp.route("/<int:guide_id>/items/new", methods=["POST"])
def add_new_item(guide_id):
    """Write a new question at the end of the guide; it joins the bank too."""
    guide = _guide(guide_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            guides.add_new_question(guide, *_question_values(form))
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _changed(guide_id, "Question added.")
    return _editor(guide, "items", 422, new_form=form)


@bp.route("/<int:guide_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@writer_required
def edit_item(guide_id, item_id):
    """Edit a question in place; the change reaches every guide that uses it."""
    guide = _guide(guide_id)
    item = _item(guide, item_id)
    form = QuestionForm(obj=item.question)
    if form.validate_on_submit():
        try:
            guides.update_question(item.question, *_question_values(form))
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _changed(guide_id, "Question saved.")
    status = 422 if request.method == "POST" else 200
    return _editor(guide, "items", status, editing=item.id, edit_form=form)


@bp.route("/<int:guide_id>/items/<int:item_id>/move", methods=["POST"])
def move_item(guide_id, item_id):
    """Move a question up or down the guide."""
    guide = _guide(guide_id)
    guides.move_item(guide, _item(guide, item_id), _choice(MOVES))
    return _changed(guide_id, None)


@bp.route("/<int:guide_id>/items/<int:item_id>/remove", methods=["POST"])
def remove_item(guide_id, item_id):
    """Take a question out of the guide; it stays in the bank."""
    guide = _guide(guide_id)
    guides.remove_item(guide, _item(guide, item_id))
    return _changed(guide_id, "Question removed from the guide.")


# --- The question bank ------------------------------------------------------------------


def _bank(status: int = 200, **context):
    context = {"editing": None, "edit_form": None, **context}
    return htmx.render(
        "discovery/guides_bank.html",
        block="bank",
        status=status,
        questions=guides.bank(),
        usage=guides.question_usage(),
        stages=STAGES,
        form=context.pop("form", None) or QuestionForm(formdata=None),
        **context,
    )


def _bank_changed(message: str, question_id: int):
    if not htmx.is_partial():
        flash(message, "success")
        return redirect(url_for("guides.questions", _anchor=f"question-{question_id}"), 303)
    return htmx.trigger(_bank(), "flash", {"message": message})


@bp.route("/questions/")
def questions():
    """Every question, by stage, with how many guides use it."""
    return _bank()


@bp.route("/questions/", methods=["POST"])
def add_question():
    """Add a question to the bank."""
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = guides.add_question(*_question_values(form))
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _bank_changed("Question added to the bank.", question.id)
    return _bank(422, form=form)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@writer_required
def edit_question(question_id):
    """Edit a bank question in place."""
    question = db.get_or_404(Question, question_id)
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        try:
            guides.update_question(question, *_question_values(form))
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _bank_changed("Question saved.", question.id)
    status = 422 if request.method == "POST" else 200
    return _bank(status, editing=question.id, edit_form=form)


@bp.route("/questions/<int:question_id>/retire", methods=["POST"])
def retire_question(question_id):
    """Retire a question (no longer offered for guides) or bring it back."""
    question = db.get_or_404(Question, question_id)
    guides.set_question_retired(question, _choice(RETIRE))
    return _bank_changed("Retired." if question.retired else "Back in use.", question.id)
