"""A plan's action items: what, owner, partner, due date; ticked done."""

from flask import Blueprint, abort, request

from winback_app.auth.models import User
from winback_app.discovery import action_items
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.plans import services
from winback_app.plans.routes import after_change, form_date, load_plan, render_plan
from winback_app.rules import RuleViolation

bp = Blueprint("actions", __name__, url_prefix="/plans/<int:plan_id>/actions")


def _user(name: str) -> User | None:
    user_id = request.form.get(name, type=int)
    return db.session.get(User, user_id) if user_id else None


@bp.route("", methods=["POST"])
def add(plan_id):
    """Add an action item: what, owner, partner, due date."""
    plan = load_plan(plan_id)
    try:
        services.add_action(
            plan,
            request.form.get("what", ""),
            _user("owner_id"),
            form_date("due_on"),
            today_local(),
            partner=_user("partner_id"),
        )
    except RuleViolation as violation:
        return render_plan(
            plan,
            block="actions",
            status=422,
            action_errors={violation.field: violation.message},
            typed=request.form,
        )
    return after_change(plan_id, "actions", "Action item added.")


@bp.route("/<int:item_id>/done", methods=["POST"])
def complete(plan_id, item_id):
    """Tick an action item done."""
    item = db.session.get(ActionItem, item_id)
    if item is None or item.plan_id != plan_id:
        abort(404)
    action_items.complete(item)
    return after_change(plan_id, "actions", "Done.")
