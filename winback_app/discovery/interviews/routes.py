"""Interviews: the list, scheduling one, the run view with notes saved as they are typed,
starting the clock, cancelling, and closing with what was learnt.

A note's autosave answers with the small "Saved 14:05" status beside its box (422 with the
reason when it was not saved); without JavaScript the notes form posts every box at once.
"""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from winback_app import htmx
from winback_app.accounts.models import Account, AccountReason, LossReason
from winback_app.accounts.page import load_account
from winback_app.auth.models import User
from winback_app.discovery import action_items
from winback_app.discovery.guides import services as guides
from winback_app.discovery.guides.models import STAGES, Guide, GuideQuestion
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.interviews import notes
from winback_app.discovery.interviews import services as interviews
from winback_app.discovery.interviews.forms import CloseForm, InterviewFilterForm, InterviewForm
from winback_app.discovery.interviews.models import INTERVIEW_STATUSES, Interview, InterviewNote
from winback_app.discovery.routes import interview_page
from winback_app.extensions import db
from winback_app.formatting import team_zone, today_local
from winback_app.forms import show_violation
from winback_app.models import utcnow
from winback_app.rules import RuleViolation
from winback_app.sections import EditConflict
from winback_app.security import writer_required

bp = Blueprint("interviews", __name__, url_prefix="/discovery/interviews")

PER_PAGE = 50
SEARCH_MAX = 100


def _interview(interview_id: int) -> Interview:
    """The interview with its account, contact, guide (questions in order) and people; or 404."""
    interview = db.session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(
            # The close form starts from the account's customer view, reasons by category.
            joinedload(Interview.account)
            .selectinload(Account.reasons)
            .joinedload(AccountReason.reason)
            .joinedload(LossReason.category),
            joinedload(Interview.contact),
            joinedload(Interview.guide)
            .selectinload(Guide.items)
            .joinedload(GuideQuestion.question),
            joinedload(Interview.interviewer),
            joinedload(Interview.partner),
            # Notes on questions since taken out of the guide are still shown.
            joinedload(Interview.notes).joinedload(InterviewNote.question),
        )
    )
    return interview or abort(404)


def _hhmm(moment) -> str:
    """A timestamp's time of day in the team's zone, for "Saved 14:05"."""
    return f"{moment.astimezone(team_zone()):%H:%M}"


def _back_to(interview_id: int, message: str, category: str = "success"):
    flash(message, category)
    return htmx.redirect(url_for("interviews.detail", interview_id=interview_id))


@bp.route("/")
def index():
    """Upcoming interviews (soonest first), held ones (latest first), or all of them."""
    filters = InterviewFilterForm()
    return htmx.render(
        "discovery/interviews.html",
        listing=interview_page(filters.show.data, filters.page.data, PER_PAGE),
        filters=filters,
        statuses=INTERVIEW_STATUSES,
    )


def _account_search():
    q = request.args.get("q", "").strip()[:SEARCH_MAX]
    found = []
    if q:
        found = db.session.scalars(
            select(Account)
            .where(Account.name.icontains(q, autoescape=True))
            .order_by(Account.name)
            .limit(20)
        )
    return htmx.render("discovery/interview_new.html", block="matches", q=q, matches=list(found))


@bp.route("/new", methods=["GET", "POST"])
@writer_required
def new():
    """Schedule an interview with a contact of an account, or log one held earlier.

    Without ``?account_id=`` the page first asks which account.
    """
    if "account_id" not in request.args:
        return _account_search()
    raw = request.args["account_id"]
    account = load_account(int(raw)) if raw.isdigit() else abort(404)
    form = InterviewForm().fill(account, current_user, utcnow().astimezone(team_zone()))
    if form.validate_on_submit():
        users = _users({form.interviewer_id.data, form.partner_id.data})
        try:
            interview = interviews.schedule(
                account,
                contact_id=form.contact_id.data,
                guide_id=form.guide_id.data,
                interviewer=users[form.interviewer_id.data],
                partner=users.get(form.partner_id.data),
                when=form.when.data.replace(tzinfo=team_zone()),
                start=request.form.get("action") == "start",
                confirm_do_not_contact=form.confirm_do_not_contact.data,
            )
        except interviews.AlreadyScheduled as duplicate:
            return _back_to(duplicate.interview.id, duplicate.message, "warning")
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            started = interview.status == "in_progress"
            return _back_to(interview.id, "The interview has started." if started else "Scheduled.")
    status = 422 if request.method == "POST" else 200
    return htmx.render(
        "discovery/interview_new.html", block="form", status=status, account=account, form=form
    )


def _users(ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _run_view(interview, block: str | None = None, status: int = 200, **context):
    """The interview page: questions with their notes, the clock, and the close form."""
    close_form = context.pop("close_form", None)
    if close_form is None and interview.status in interviews.OPEN and current_user.can_write:
        close_form = CloseForm(formdata=None).fill(interview, blank=True)
    return htmx.render(
        "discovery/interview.html",
        block=block,
        status=status,
        interview=interview,
        questions=notes.questions(interview),
        notes={note.question_id: note for note in interview.notes},
        budget=guides.budget(interview.guide) if interview.guide else None,
        items=action_items.for_interview(interview.id),
        incentives=db.session.scalars(
            select(Incentive).where(Incentive.interview_id == interview.id).order_by(Incentive.id)
        ).all(),
        close_form=close_form,
        stages=STAGES,
        statuses=INTERVIEW_STATUSES,
        now=utcnow(),
        today=today_local(),
        hhmm=_hhmm,
        **{"typed": {}, "note_errors": {}, **context},
    )


@bp.route("/<int:interview_id>")
def detail(interview_id):
    """Run an interview: each question with a notes box, the elapsed time against the budget,
    and the close form; once held, the record of what was learnt."""
    return _run_view(_interview(interview_id))


@bp.route("/<int:interview_id>/start", methods=["POST"])
def start(interview_id):
    """Start the interview's clock (starting it twice keeps the first time)."""
    interview = _interview(interview_id)
    try:
        interviews.start(interview)
    except RuleViolation as violation:
        return _back_to(interview_id, violation.message, "error")
    if not htmx.is_partial():
        return redirect(url_for("interviews.detail", interview_id=interview_id), 303)
    return _run_view(_interview(interview_id), "clock")


@bp.route("/<int:interview_id>/cancel", methods=["POST"])
def cancel(interview_id):
    """Call off an interview that has not been held."""
    try:
        interviews.cancel(_interview(interview_id))
    except RuleViolation as violation:
        return _back_to(interview_id, violation.message, "error")
    return _back_to(interview_id, "The interview was cancelled.")


@bp.route("/<int:interview_id>/notes/<int:question_id>", methods=["POST"])
def save_note(interview_id, question_id):
    """Save one note as it is typed; answers with its status beside the box."""
    interview = _interview(interview_id)
    question = notes.question_of(interview, question_id) or abort(404)
    text = request.form.get(f"note-{question_id}")
    note, error = None, None
    if text is None:
        error = "Not saved: the note did not arrive. Type again or reload the page."
    else:
        try:
            note = notes.save_note(interview, question_id, text)
        except RuleViolation as violation:
            error = violation.message
    if not htmx.is_partial():
        flash(error or "Saved.", "error" if error else "success")
        return redirect(url_for("interviews.detail", interview_id=interview_id), 303)
    return htmx.render(
        "discovery/interview.html",
        block="note_status",
        status=422 if error else 200,
        question=question,
        notes={question_id: note} if note else {},
        note_errors={question_id: error} if error else {},
        hhmm=_hhmm,
    )


@bp.route("/<int:interview_id>/notes", methods=["POST"])
def save_notes(interview_id):
    """Save every notes box at once (the form without JavaScript, or a tab being closed)."""
    interview = _interview(interview_id)
    texts = {
        int(key[5:]): value
        for key, value in request.form.items()
        if key.startswith("note-") and key[5:].isdigit()
    }
    if any(notes.question_of(interview, qid) is None for qid in texts):
        abort(404)
    try:
        notes.save_notes(interview, texts)
    except RuleViolation as violation:
        qid = int(violation.field[5:]) if (violation.field or "").startswith("note-") else None
        return _run_view(
            _interview(interview_id), status=422, typed=texts, note_errors={qid: violation.message}
        )
    if request.form.get("quiet"):
        # Sent by the page as it closes (see app.js): nobody is left to read a message.
        return "", 204
    flash("Notes saved.", "success")
    return redirect(url_for("interviews.detail", interview_id=interview_id, _anchor="notes"), 303)


@bp.route("/<int:interview_id>/close", methods=["POST"])
def close(interview_id):
    """Close the interview: summary, key quotes, the customer's reasons (to the account, with
    history), may we call again (a yes makes the account friendly), action items, and any
    thank-you promised. A second post of the form changes nothing."""
    interview = _interview(interview_id)
    if interview.status == "held":
        return _back_to(interview_id, "This interview was already closed.", "warning")
    form = CloseForm().fill(interview)
    status = 422
    if form.validate_on_submit():
        try:
            interviews.close(interview, form.closing(), current_user, today_local())
        except interviews.AlreadyClosed:
            return _back_to(interview_id, "This interview was already closed.", "warning")
        except EditConflict as conflict:
            form.version.data = str(conflict.current_version)
            form.form_errors.append(
                "Someone else changed the customer's view of why they left while you were "
                "closing. Check the reasons below, then close again."
            )
            status = 409
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _back_to(interview_id, "The interview was closed. Thank you for the notes.")
    return _run_view(_interview(interview_id), "close", status, close_form=form)
