"""Today (the reps' home page), its one-click row actions, and the friendly losses list.

Each row action answers a partial request with the updated row and a flash event, and a plain
form post with a redirect back to the same Today view (Post/Redirect/Get) and a flash.
"""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.discovery import action_items
from winback_app.formatting import format_date_short, today_local
from winback_app.forms import show_violation
from winback_app.models import utcnow
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.attempts.forms import AttemptForm, SnoozeForm
from winback_app.outreach.calendar import services as feed
from winback_app.outreach.callbacks import services as schedule
from winback_app.outreach.today import services as today
from winback_app.outreach.today.forms import TodayFilterForm
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("today", __name__)

PAGE = "outreach/today.html"
COUNTS = "outreach/_today_counts.html"
# Blocks that need only the context their view passes: a partial request skips the lists.
SELF_CONTAINED = frozenset({"callback_row", "feed_box"})


def list_args() -> dict:
    """The Today view and hit-ratio period of this address, defaults left out."""
    return TodayFilterForm().args()


def render_today(block: str | None = None, status: int = 200, counts: bool = False, **context):
    """Today, or just ``block`` of it for a partial request; with ``counts`` (after an action on
    a row) also every count on the page, so the counts agree with the rows."""
    filters = TodayFilterForm()
    context = {"list_args": filters.args(), "row_errors": {}, "attempt_for": None, **context}
    if block in SELF_CONTAINED and htmx.is_partial() and not counts:
        return htmx.render(PAGE, block=block, status=status, **context)
    since = utcnow() - timedelta(days=filters.period.data)
    local_today = today_local()
    if filters.team:
        people = today.team_list(local_today, since)
    else:
        people = [today.my_list(current_user, local_today)]
    context.setdefault("calendar", feed.feed_of(current_user))
    context |= {
        "filters": filters,
        "people": people,
        "team_view": filters.team,
        "today": local_today,
        "my_ratio": attempts.hit_ratio(since, user_id=current_user.id),
        "action_items": None if filters.team else action_items.due_for(current_user, local_today),
        "team_ratio": attempts.hit_ratio(since),
    }
    response = htmx.render(PAGE, block=block, status=status, **context)
    if counts and htmx.is_partial():
        response.set_data(response.get_data(as_text=True) + render_template(COUNTS, **context))
    return response


def _row(callback_id: int) -> today.Row:
    return today.row(callback_id, today_local()) or abort(404)


def _changed(row: today.Row, message: str, **context):
    """After a row action: the updated row and a flash event, or back to Today (PRG)."""
    if not htmx.is_partial():
        flash(message, "success")
        return redirect(url_for("today.index", **list_args()), 303)
    response = render_today("callback_row", row=_row(row.callback.id), counts=True, **context)
    return htmx.trigger(response, "flash", {"message": message})


def _row_response(row: today.Row, status: int = 200, **context):
    return render_today("callback_row", status=status, row=row, **context)


@bp.route("/today")
def index():
    """The user's call-backs (overdue, today, this week) or the team's, and hit ratios."""
    return render_today(block="today_body")


@bp.route("/today/callbacks/<int:callback_id>")
def row(callback_id):
    """One row as it stands (the log form's "Cancel"); without htmx, Today itself."""
    row = _row(callback_id)
    if not htmx.is_partial():
        anchor = f"callback-{row.callback.id}"
        return redirect(url_for("today.index", **list_args(), _anchor=anchor))
    return _row_response(row)


@bp.route("/today/callbacks/<int:callback_id>/attempt", methods=["GET", "POST"])
@writer_required
def attempt(callback_id):
    """The row's "log attempt" form; saving logs the attempt and completes the call-back."""
    row = _row(callback_id)
    form = AttemptForm().fill(row.account)
    if form.validate_on_submit():
        try:
            attempt = attempts.log_attempt(
                row.account,
                current_user,
                channel=form.channel.data,
                outcome=form.outcome.data,
                contact_id=form.contact_id.data,
                notes=form.notes.data,
                callback=row.callback,
                confirm_do_not_contact=form.confirm_do_not_contact.data,
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            outcome = attempt.outcome_label.lower()
            return _changed(row, f"{row.account.name}: {outcome}, logged. Call-back done.")
    status = 422 if form.is_submitted() else 200
    return _row_response(row, status, attempt_form=form, attempt_for=callback_id)


@bp.route("/today/callbacks/<int:callback_id>/snooze", methods=["POST"])
def snooze(callback_id):
    """Snooze a call-back a week, or to the date given; never to today or earlier."""
    row = _row(callback_id)
    form = SnoozeForm()
    local_today = today_local()
    error = f"Enter a date after today, such as {(local_today + timedelta(days=7)).isoformat()}."
    if form.validate_on_submit():
        try:
            schedule.snooze(row.callback, form.until.data, today=local_today)
        except RuleViolation as violation:
            error = violation.message
        else:
            due = format_date_short(row.callback.due_on)
            return _changed(row, f"{row.account.name} snoozed to {due}.", snoozed=True)
    typed = (form.until.raw_data or [""])[0]
    return _row_response(row, 422, row_errors={callback_id: error}, typed_until=typed)


@bp.route("/today/callbacks/<int:callback_id>/done", methods=["POST"])
def done(callback_id):
    """Mark a call-back done (linked to the user's attempt on the account today, if any)."""
    row = _row(callback_id)
    schedule.complete(row.callback, current_user)
    return _changed(row, f"{row.account.name}: call-back done.")
