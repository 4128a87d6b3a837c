"""The outreach panel on an account's page: its attempts, hit ratio and call-backs."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts import routes_detail
from ..extensions import db
from . import attempts
from .forms import AttemptForm, CallbackForm
from .models import Callback


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


routes_detail.PANELS["outreach"] = context
