"""The call-list planner: propose the accounts to call this week, then save them as
the rep's own call-backs."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.formatting import format_date_short
from winback_app.outreach.planner import factors
from winback_app.outreach.planner import services as planner
from winback_app.outreach.scripts.forms import PlanForm, PlannerForm
from winback_app.rules import RuleViolation

bp = Blueprint("planner", __name__, url_prefix="/outreach/planner")

DEFAULT_CONVERSATIONS = 10


def _render(form, status=200, proposal=None, **context):
    return htmx.render(
        "outreach/planner.html",
        block="planner",
        status=status,
        form=form,
        proposal=proposal,
        factors=factors.FACTORS,
        recent_days=planner.RECENT_DAYS,
        **context,
    )


@bp.route("")
def index():
    """Ask how many conversations; with an answer, propose the accounts, best first."""
    form = PlannerForm(request.args)
    if "conversations" not in request.args:
        form.conversations.data = DEFAULT_CONVERSATIONS
        return _render(form)
    if not form.validate():
        return _render(form, status=422)
    return _render(form, proposal=planner.propose(form.conversations.data))


@bp.route("", methods=["POST"])
def save():
    """Save the ticked accounts as the rep's call-backs for this week (all or nothing)."""
    form = PlanForm()
    ask = PlannerForm(data={"conversations": form.conversations.data})
    if not form.validate_on_submit() and form.conversations.errors:
        ask.conversations.errors = list(form.conversations.errors)
        return _render(ask, status=422)
    error = "Tick accounts from the list below." if form.account_id.errors else None
    if error is None:
        try:
            callbacks = planner.save_plan(form.account_id.data, current_user)
        except RuleViolation as violation:
            error = violation.message
    if error:
        proposal = planner.propose(form.conversations.data)
        selected = set(form.account_id.data or ())
        return _render(ask, 422, proposal, plan_error=error, selected=selected)
    message = _saved_message(callbacks)
    if htmx.is_partial():
        return htmx.trigger(_render(ask, saved=message), "callbacksChanged")
    flash(message, "success")
    return redirect(url_for("planner.index"), 303)


def _saved_message(callbacks) -> str:
    count, first, last = len(callbacks), callbacks[0].due_on, callbacks[-1].due_on
    when = format_date_short(first) + (f" to {format_date_short(last)}" if last != first else "")
    return f"{count} account{'s' if count != 1 else ''} planned as your call-backs, due {when}."
