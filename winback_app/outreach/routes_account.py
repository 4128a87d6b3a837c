"""Outreach from an account's page: log an attempt, add, snooze and complete call-backs."""

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from .. import htmx
from ..accounts.routes_detail import load_account, render_account
from ..extensions import db
from ..formatting import format_date_short, team_zone, today_local
from ..rules import RuleViolation
from . import attempts, panel, schedule
from .forms import AttemptForm, CallbackForm, SnoozeForm
from .models import Callback
from .routes import bp


def _panel(account_id: int, message: str, status: int = 200, **forms):
    """The refreshed panel (and a signal to the page), or back to the page without JS."""
    if status == 200 and not htmx.is_partial():
        flash(message, "success")
        return redirect(url_for("accounts.detail", account_id=account_id, _anchor="outreach"), 303)
    account = load_account(account_id)
    response = render_account(
        account, block="outreach", status=status, **panel.context(account, **forms)
    )
    return htmx.trigger(response, "accountChanged") if status == 200 else response


def _callback(account_id: int, callback_id: int) -> Callback:
    callback = db.session.get(Callback, callback_id)
    if callback is None or callback.account_id != account_id:
        abort(404)
    return callback


@bp.route("/accounts/<int:account_id>/attempts", methods=["POST"])
def log_attempt(account_id):
    """Log a call, voicemail, email or meeting; the timeline and hit ratio follow."""
    account = load_account(account_id)
    form = AttemptForm().fill(account, panel.open_callbacks(account))
    if form.validate_on_submit():
        at = form.at.data.replace(tzinfo=team_zone()) if form.at.data else None
        callback = (
            db.session.get(Callback, form.callback_id.data) if form.callback_id.data else None
        )
        try:
            attempt = attempts.log_attempt(
                account,
                current_user,
                channel=form.channel.data,
                outcome=form.outcome.data,
                at=at,
                contact_id=form.contact_id.data,
                duration_minutes=form.duration_minutes.data,
                notes=form.notes.data,
                callback=callback if callback and callback.account_id == account.id else None,
                confirm_do_not_contact=form.confirm_do_not_contact.data,
            )
        except RuleViolation as violation:
            getattr(form, violation.field or "notes").errors.append(violation.message)
        else:
            return _panel(account_id, f"{attempt.channel_label} logged: {attempt.outcome_label}.")
    return _panel(account_id, "", 422, attempt_form=form)


@bp.route("/accounts/<int:account_id>/callbacks", methods=["POST"])
def add_callback(account_id):
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
                getattr(form, violation.field or "due_on").errors.append(violation.message)
            else:
                return _panel(account_id, f"Call-back added for {format_date_short(due)}.")
    return _panel(account_id, "", 422, callback_form=form)


@bp.route("/accounts/<int:account_id>/callbacks/<int:callback_id>/snooze", methods=["POST"])
def snooze_callback(account_id, callback_id):
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
            return _panel(account_id, f"Snoozed to {format_date_short(callback.due_on)}.")
    return _panel(account_id, "", 422, callback_errors={callback.id: error})


@bp.route("/accounts/<int:account_id>/callbacks/<int:callback_id>/done", methods=["POST"])
def complete_callback(account_id, callback_id):
    """Mark a call-back done (linked to today's attempt on the account, if any)."""
    callback = _callback(account_id, callback_id)
    schedule.complete(callback, current_user)
    return _panel(account_id, "Call-back done.")
