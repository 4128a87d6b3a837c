"""The admin's Outbox: every email with its status, each one readable, failures retried."""

from flask import Blueprint, abort, flash, redirect, request, url_for

from winback_app import htmx
from winback_app.extensions import db
from winback_app.mail import outbox
from winback_app.mail.forms import OutboxFilterForm
from winback_app.mail.models import STATUSES, OutboxMessage
from winback_app.rules import RuleViolation
from winback_app.security import admin_required

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")
PAGE = "mail/outbox.html"


def _render_list(status: int = 200, **context):
    filters = OutboxFilterForm()
    return htmx.render(
        PAGE,
        block="outbox_list",
        status=status,
        list_args=filters.args(),
        counts=outbox.counts(),
        statuses=STATUSES,
        listing=outbox.page(filters.status.data, filters.page.data),
        **context,
    )


@bp.route("/")
@admin_required
def index():
    """Every email, failed and waiting ones first; filter by status."""
    return _render_list()


@bp.route("/<int:message_id>")
@admin_required
def message(message_id):
    """One email as it was (or will be) sent: headers, the text part and the HTML part."""
    found = db.session.get(OutboxMessage, message_id) or abort(404)
    return htmx.render("mail/message.html", message=found, statuses=STATUSES)


@bp.route("/<int:message_id>/retry", methods=["POST"])
@admin_required
def retry(message_id):
    """Put a failed message back in the queue with a full set of tries."""
    found = db.session.get(OutboxMessage, message_id) or abort(404)
    try:
        outbox.retry(found)
    except RuleViolation as violation:
        return _after(violation.message, "error", message_id, 409)
    sent = f"The email to {found.to_address} goes out at the next round."
    return _after(sent, "success", message_id)


@bp.route("/send", methods=["POST"])
@admin_required
def send_now():
    """Send what is due now, without waiting for the worker."""
    report = outbox.send_due()
    return _after(f"Outbox: {report}.", "success")


def _after(message: str, category: str, message_id: int | None = None, status: int = 200):
    """The refreshed list with a message for htmx; otherwise back to where the button was."""
    if htmx.is_partial():
        response = _render_list(status=status)
        return htmx.trigger(response, "flash", {"message": message, "category": category})
    flash(message, category)
    back = request.form.get("back")
    if back == "message" and message_id is not None:
        return redirect(url_for("mail.message", message_id=message_id), 303)
    return redirect(url_for("mail.index", **OutboxFilterForm().args()), 303)
