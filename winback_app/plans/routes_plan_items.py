"""Plan views for its lists: solutions with the evidence picker, action items, tone rules."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import htmx
from ..accounts.models import AccountReason
from ..auth.models import User
from ..discovery import action_items
from ..discovery.models import ActionItem
from ..extensions import db
from ..formatting import today_local
from ..rules import RuleViolation
from ..security import admin_required
from . import evidence, services, tone
from .models import TONE_KINDS, Evidence, PlanSolution, ToneRule
from .routes import bp
from .routes_plans import after_change, form_date, load_plan, render_plan


def _reason_ids(plan) -> set[int]:
    """The reasons in either view of the plan's account (one query, no objects loaded)."""
    return set(
        db.session.scalars(
            select(AccountReason.reason_id).where(AccountReason.account_id == plan.account_id)
        )
    )


@bp.route("/<int:plan_id>/evidence-picker")
def evidence_picker(plan_id):
    """Approved evidence to back a solution, what answers the account's reasons first."""
    plan = load_plan(plan_id)
    picks = evidence.suggestions(_reason_ids(plan))
    return render_plan(plan, block="solutions", picks=picks, picking=True)


@bp.route("/<int:plan_id>/solutions", methods=["POST"])
def add_solution(plan_id):
    """Add a solution, backed by a piece of evidence when one was picked."""
    plan = load_plan(plan_id)
    evidence_id = request.form.get("evidence_id", type=int)
    backing = db.session.get(Evidence, evidence_id) if evidence_id else None
    try:
        services.add_solution(plan, request.form.get("text", ""), backing, current_user)
    except RuleViolation as violation:
        db.session.rollback()
        plan = load_plan(plan_id)
        return render_plan(
            plan,
            block="solutions",
            status=422,
            solution_error=violation.message,
            typed={"text": request.form.get("text", "")},
        )
    return after_change(plan_id, "solutions", "Solution added.")


def _solution(plan, solution_id: int) -> PlanSolution:
    solution = next((s for s in plan.solutions if s.id == solution_id), None)
    if solution is None:
        abort(404)
    return solution


@bp.route("/<int:plan_id>/solutions/<int:solution_id>/remove", methods=["POST"])
def remove_solution(plan_id, solution_id):
    """Take a solution off the plan."""
    plan = load_plan(plan_id)
    services.remove_solution(plan, _solution(plan, solution_id), current_user)
    return after_change(plan_id, "solutions", "Solution removed.")


@bp.route("/<int:plan_id>/solutions/<int:solution_id>/move", methods=["POST"])
def move_solution(plan_id, solution_id):
    """Move a solution up or down the list."""
    plan = load_plan(plan_id)
    step = -1 if request.form.get("direction") == "up" else 1
    services.move_solution(plan, _solution(plan, solution_id), step)
    return after_change(plan_id, "solutions", "Order saved.")


def _user(name: str) -> User | None:
    user_id = request.form.get(name, type=int)
    return db.session.get(User, user_id) if user_id else None


@bp.route("/<int:plan_id>/actions", methods=["POST"])
def add_action(plan_id):
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


@bp.route("/<int:plan_id>/actions/<int:item_id>/done", methods=["POST"])
def complete_action(plan_id, item_id):
    """Tick an action item done."""
    item = db.session.get(ActionItem, item_id)
    if item is None or item.plan_id != plan_id:
        abort(404)
    action_items.complete(item)
    return after_change(plan_id, "actions", "Done.")


@bp.route("/tone-rules/", methods=["GET", "POST"])
@admin_required
def tone_rules():
    """The tone check's words and phrases: add one here, remove one from its row."""
    errors, typed, status = {}, {}, 200
    if request.method == "POST":
        typed = request.form
        try:
            tone.add_rule(
                typed.get("phrase", ""), typed.get("kind", ""), typed.get("suggestion", "")
            )
        except RuleViolation as violation:
            errors, status = {violation.field: violation.message}, 422
        else:
            flash("Phrase added.", "success")
            return redirect(url_for("plans.tone_rules"), 303)
    return htmx.render(
        "plans/tone_rules.html",
        status=status,
        rules=tone.rules(),
        kinds=TONE_KINDS,
        errors=errors,
        typed=typed,
    )


@bp.route("/tone-rules/<int:rule_id>/remove", methods=["POST"])
@admin_required
def remove_tone_rule(rule_id):
    """Take a phrase off the tone check's list."""
    rule = db.session.scalar(select(ToneRule).where(ToneRule.id == rule_id)) or abort(404)
    tone.remove_rule(rule)
    flash("Phrase removed.", "success")
    return redirect(url_for("plans.tone_rules"), 303)
