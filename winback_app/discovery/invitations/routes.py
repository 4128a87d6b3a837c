"""Survey invitations: choose accounts, preview who is invited and who is left out, confirm;
the survey's invitations with their states; reminders sent by hand."""

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from winback_app import htmx
from winback_app.accounts import choices, search
from winback_app.accounts.forms import AccountFilterForm
from winback_app.discovery.invitations import mail as invitation_mail
from winback_app.discovery.invitations import reminders, states
from winback_app.discovery.invitations import services as invitations
from winback_app.discovery.invitations.forms import InvitationFilterForm, InviteForm
from winback_app.discovery.surveys.models import Survey
from winback_app.discovery.surveys.services import minutes_to_answer
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("invitations", __name__, url_prefix="/discovery")


def base_url() -> str:
    """Where the links in emails point: WINBACK_BASE_URL, else the address of this request."""
    return current_app.config["WINBACK_BASE_URL"] or request.url_root


def _survey(survey_id: int) -> Survey:
    return db.session.get(Survey, survey_id) or abort(404)


def selection(source) -> tuple[AccountFilterForm, list[int] | None]:
    """The accounts list's filters, and the ticked accounts' ``ids`` when there are any (the
    ids then choose the accounts, not the filters)."""
    filters = AccountFilterForm(source)
    raw = source.getlist("ids")
    if raw:
        ids = sorted({int(value) for value in raw if value.isdigit()})
        return filters, ids[: invitations.MAX_ACCOUNTS + 1]
    return filters, None


def _searched(filters: AccountFilterForm, ids) -> search.Filters | None:
    """What the services search by: the filters, unless accounts were ticked."""
    return filters.filters() if ids is None else None


def selection_args(filters: AccountFilterForm, ids) -> dict:
    """The selection as query-string arguments (for links and hidden fields)."""
    if ids is not None:
        return {"ids": ids}
    return filters.args(sort="lost_on", direction="desc", page=1)


def _email_preview(survey, chosen, script_id):
    """The email the first contact would get, with the chosen template (or why it can't be)."""
    if not chosen or not chosen.invite:
        return None, None
    first = chosen.invite[0]
    link = invitation_mail.LINK_PLACEHOLDER
    try:
        script = invitations.choose_script(script_id)
        email = invitation_mail.compose(
            script,
            minutes_to_answer(survey),
            first.contact,
            first.account,
            current_user,
            link,
            link,
        )
    except RuleViolation as violation:
        return None, violation.message
    return (first, email), None


def _invite_page(survey, form, filters, ids, status=200, error=None):
    chosen, too_many = None, None
    if ids is not None or filters.narrowed:
        try:
            chosen = invitations.preview(survey, _searched(filters, ids), ids)
        except RuleViolation as violation:
            too_many = violation.message
    email, email_error = _email_preview(survey, chosen, form.script_id.data)
    owners, groups = choices.owners()[1:], choices.reason_groups()
    return htmx.render(
        "discovery/invite.html",
        block="invite_preview",
        status=status,
        survey=survey,
        form=form,
        filters=filters.offer(owners, [], [category for category, _ in groups]),
        ids=ids,
        args=selection_args(filters, ids),
        chosen=chosen,
        too_many=too_many,
        email=email,
        error=error or email_error,
        nav_here="surveys.index",
    )


@bp.route("/surveys/<int:survey_id>/invite", methods=["GET", "POST"])
@writer_required
def invite(survey_id):
    """Choose accounts (the accounts list's filters, or ticked accounts), see who will be
    invited and who is left out and why, then confirm: invitations and emails, queued."""
    survey = _survey(survey_id)
    posted = request.method == "POST"
    if not posted:
        invitation_mail.ensure_invitation_script()
    filters, ids = selection(request.form if posted else request.args)
    # The template can be changed in the (GET) selection form, so the preview follows it.
    form = InviteForm() if posted else InviteForm(request.args)
    form.fill(invitation_mail.invitation_scripts(), survey)
    if not form.validate_on_submit():
        return _invite_page(survey, form, filters, ids, 422 if posted else 200)
    try:
        script = invitations.choose_script(form.script_id.data)
        searched = _searched(filters, ids)
        done = invitations.invite(survey, current_user, base_url(), script, searched, ids)
    except RuleViolation as violation:
        return _invite_page(survey, form, filters, ids, 422, violation.message)
    count = len(done.invite)
    message = (
        f"{count} invitation{'s' if count != 1 else ''} queued; the emails go out from the "
        f"outbox. {len(done.left_out)} left out."
    )
    flash(message, "success")
    return htmx.redirect(url_for("invitations.index", survey_id=survey.id))


@bp.route("/invite", methods=["GET", "POST"])
@writer_required
def start():
    """From the accounts list: pick the open survey to invite the chosen accounts to."""
    filters, ids = selection(request.form if request.method == "POST" else request.args)
    args = selection_args(filters, ids)
    if request.method == "POST":
        # Ticked accounts arrive as a form post; carry them on in the address instead.
        return htmx.redirect(url_for("invitations.start", **args))
    open_surveys = list(
        db.session.scalars(select(Survey).where(Survey.status == "open").order_by(Survey.title))
    )
    if len(open_surveys) == 1:
        return redirect(url_for("invitations.invite", survey_id=open_surveys[0].id, **args))
    return htmx.render(
        "discovery/invite_start.html", surveys=open_surveys, args=args, nav_here="surveys.index"
    )


def panel(survey: Survey, state: str = "") -> dict:
    """What the survey's invitations panel shows."""
    now = utcnow()
    rows = states.listing(survey, now, state)
    return {
        "invitation_counts": states.counts(survey, now),
        "invitation_rows": [(row, states.state_of(row, now)) for row in rows],
        "invitation_state": state,
        "invitation_states": states.STATES,
        "reminders_due": len(reminders.reminders_due(survey, now)),
        "next_reminder": reminders.next_reminder(survey, now),
        "invitation_panel": True,
    }


def _panel_page(survey: Survey, status: int = 200):
    state = InvitationFilterForm().state.data
    return htmx.render(
        "discovery/invitations.html",
        block="survey_invitations",
        status=status,
        survey=survey,
        nav_here="surveys.index",
        **panel(survey, state),
    )


@bp.route("/surveys/<int:survey_id>/invitations")
def index(survey_id):
    """The survey's invitations: how many in each state, each one's state, reminders."""
    return _panel_page(_survey(survey_id))


@bp.route("/surveys/<int:survey_id>/reminders", methods=["POST"])
def send_reminders(survey_id):
    """Queue the reminders that are due now for this survey (what the nightly run would do)."""
    survey = _survey(survey_id)
    report = reminders.send_reminders(base_url(), survey)
    count = report.queued
    message = " ".join([f"{count} reminder{'s' if count != 1 else ''} queued.", *report.problems])
    if htmx.is_partial():
        return htmx.trigger(_panel_page(survey), "flash", {"message": message})
    flash(message, "success" if not report.problems else "warning")
    return redirect(url_for("invitations.index", survey_id=survey.id), 303)
