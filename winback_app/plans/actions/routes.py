"""A plan's action items: what, owner, partner, due date; ticked done."""

from flask import Blueprint, abort

from winback_app.discovery import action_items
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.forms import show_violation
from winback_app.plans import services
from winback_app.plans.actions.forms import ActionForm
from winback_app.plans.routes import after_change, load_plan, render_plan, writers
from winback_app.rules import RuleViolation

bp = Blueprint("actions", __name__, url_prefix="/plans/<int:plan_id>/actions")


@bp.route("", methods=["POST"])
def add(plan_id):
    """Add an action item: what, owner, partner, due date."""
    plan = load_plan(plan_id)
    people = writers()
    form = ActionForm().fill(people)
    if form.validate_on_submit():
        chosen = {user.id: user for user in people}
        try:
            services.add_action(
                plan,
                form.what.data,
                chosen.get(form.owner_id.data),
                form.due_on.data,
                today_local(),
                partner=chosen.get(form.partner_id.data),
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return after_change(plan_id, "actions", "Action item added.")
    return render_plan(plan, "actions", 422, {"action": form})


@bp.route("/<int:item_id>/done", methods=["POST"])
def complete(plan_id, item_id):
    """Tick an action item done."""
    item = db.session.get(ActionItem, item_id)
    if item is None or item.plan_id != plan_id:
        abort(404)
    action_items.complete(item)
    return after_change(plan_id, "actions", "Done.")
