"""Logging an attempt from an account's page."""

from flask import Blueprint
from flask_login import current_user

from winback_app.accounts import panels
from winback_app.accounts.page import load_account
from winback_app.extensions import db
from winback_app.formatting import team_zone
from winback_app.forms import show_violation
from winback_app.outreach import panel
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.attempts.forms import AttemptForm
from winback_app.outreach.callbacks.models import Callback
from winback_app.rules import RuleViolation

bp = Blueprint("attempts", __name__, url_prefix="/accounts/<int:account_id>/attempts")


@bp.route("", methods=["POST"])
def log(account_id):
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
            show_violation(form, violation, "notes")
        else:
            # An attempt can complete a call-back and move the account's status on.
            return panel.respond(
                account_id,
                f"{attempt.channel_label} logged: {attempt.outcome_label}.",
                changed={panels.ATTEMPTS, panels.CALLBACKS, panels.FACTS},
            )
    return panel.respond(account_id, "", 422, attempt_form=form)
