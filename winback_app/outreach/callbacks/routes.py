"""Call-backs on an account's page: add, snooze and complete."""

from datetime import timedelta

from flask import Blueprint, abort, request
from flask_login import current_user

from winback_app.accounts import panels
from winback_app.accounts.page import load_account
from winback_app.extensions import db
from winback_app.formatting import format_date_short, today_local
from winback_app.forms import show_violation
from winback_app.outreach import panel
from winback_app.outreach.attempts.forms import CallbackForm, SnoozeForm
from winback_app.outreach.callbacks import services as schedule
from winback_app.outreach.callbacks.models import Callback
from winback_app.rules import RuleViolation

bp = Blueprint("callbacks", __name__, url_prefix="/accounts/<int:account_id>/callbacks")
CHANGED = {panels.CALLBACKS}


def _callback(account_id: int, callback_id: int) -> Callback:
    callback = db.session.get(Callback, callback_id)
    if callback is None or callback.account_id != account_id:
        abort(404)
    return callback


@bp.route("", methods=["POST"])
def add(account_id):
    """Add a call-back on a date, or in one or two weeks (the buttons)."""
    account = load_account(account_id)
    form = CallbackForm()
    weeks = request.form.get("weeks", "")
    due = today_local() + timedelta(weeks=int(weeks)) if weeks in ("1", "2") else form.due_on.data
    if form.validate_on_submit():
        if due is None:
            form.due_on.errors.append("Choose a date, or one of the buttons.")
        else:
            try:
                schedule.add_callback(
                    account, current_user, due, form.note.data, today=today_local()
                )
            except RuleViolation as violation:
                show_violation(form, violation, "due_on")
            else:
                return panel.respond(
                    account_id, f"Call-back added for {format_date_short(due)}.", changed=CHANGED
                )
    return panel.respond(account_id, "", 422, callback_form=form)


@bp.route("/<int:callback_id>/snooze", methods=["POST"])
def snooze(account_id, callback_id):
    """Snooze a call-back a week, or to a chosen later date."""
    callback = _callback(account_id, callback_id)
    form = SnoozeForm()
    error = "Enter a valid date."
    if form.validate_on_submit():
        try:
            schedule.snooze(callback, form.until.data, today=today_local())
        except RuleViolation as violation:
            error = violation.message
        else:
            return panel.respond(
                account_id, f"Snoozed to {format_date_short(callback.due_on)}.", changed=CHANGED
            )
    return panel.respond(account_id, "", 422, callback_errors={callback.id: error})


@bp.route("/<int:callback_id>/done", methods=["POST"])
def complete(account_id, callback_id):
    """Mark a call-back done (linked to today's attempt on the account, if any)."""
    callback = _callback(account_id, callback_id)
    schedule.complete(callback, current_user)
    return panel.respond(account_id, "Call-back done.", changed=CHANGED)
