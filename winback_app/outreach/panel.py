"""The outreach panel on an account's page: its attempts, hit ratio and call-backs, and the
response its actions give (the refreshed panel, or back to the page without JavaScript)."""

from flask import flash, redirect, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from winback_app import htmx
from winback_app.accounts.page import load_account, render_account
from winback_app.extensions import db
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.attempts.forms import AttemptForm, CallbackForm
from winback_app.outreach.callbacks.models import Callback


def open_callbacks(account) -> list[Callback]:
    """The account's open call-backs, soonest first, with their assignee."""
    return list(
        db.session.scalars(
            select(Callback)
            .where(Callback.account_id == account.id, Callback.done_at.is_(None))
            .options(joinedload(Callback.user))
            .order_by(Callback.due_on, Callback.id)
        )
    )


def context(account, attempt_form=None, callback_form=None, callback_errors=None) -> dict:
    """What the panel shows; forms given here (with their errors) replace blank ones."""
    callbacks = open_callbacks(account)
    timeline, totals = attempts.timeline(account)
    blank_attempt = attempt_form is None
    attempt_form = (attempt_form or AttemptForm(formdata=None)).fill(account, callbacks)
    if blank_attempt and account.contacts:
        attempt_form.contact_id.data = account.contacts[0].id
    return {
        "attempts": timeline,
        "account_ratio": totals,
        "callbacks": callbacks,
        "attempt_form": attempt_form,
        "callback_form": callback_form or CallbackForm(formdata=None),
        "callback_errors": callback_errors or {},
    }


def respond(account_id: int, message: str, status: int = 200, changed=(), **forms):
    """The refreshed panel with every region that shows what ``changed``, or back to the page
    without JavaScript; with a status other than 200, the panel with the forms' messages."""
    if status == 200 and not htmx.is_partial():
        flash(message, "success")
        return redirect(url_for("accounts.detail", account_id=account_id, _anchor="outreach"), 303)
    account = load_account(account_id)
    return render_account(
        account, block="outreach", status=status, changed=changed, **context(account, **forms)
    )
