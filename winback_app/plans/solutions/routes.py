"""Plan views for its lists: solutions with the evidence picker, action items, tone rules."""

from flask import Blueprint, abort, request
from flask_login import current_user
from sqlalchemy import select

from winback_app.accounts.models import AccountReason
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.plans import services
from winback_app.plans.evidence import services as evidence
from winback_app.plans.evidence.models import Evidence
from winback_app.plans.models import PlanSolution
from winback_app.plans.routes import after_change, load_plan, render_plan
from winback_app.plans.solutions.forms import SolutionForm
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("solutions", __name__, url_prefix="/plans")


def _reason_ids(plan) -> set[int]:
    """The reasons in either view of the plan's account (one query, no objects loaded)."""
    return set(
        db.session.scalars(
            select(AccountReason.reason_id).where(AccountReason.account_id == plan.account_id)
        )
    )


def _solutions(plan, form: SolutionForm, status: int = 200):
    """The solutions block; with the evidence picker when it was asked for or was open."""
    context = {}
    if form.pick.data or form.picking.data:
        context = {"picks": evidence.suggestions(_reason_ids(plan)), "picking": True}
    return render_plan(plan, "solutions", status, {"solution": form}, **context)


@bp.route("/<int:plan_id>/evidence-picker")
@writer_required
def evidence_picker(plan_id):
    """Approved evidence to back a solution, what answers the account's reasons first."""
    return _solutions(load_plan(plan_id), SolutionForm(formdata=None, pick=True))


@bp.route("/<int:plan_id>/solutions", methods=["POST"])
def add(plan_id):
    """Add a solution, backed by a piece of evidence when one was picked; "Pick evidence"
    opens the picker instead, keeping what was typed."""
    plan = load_plan(plan_id)
    form = SolutionForm()
    if form.pick.data:
        return _solutions(plan, form)
    if form.validate_on_submit():
        picked = form.evidence_id.data
        backing = db.session.get(Evidence, picked) if picked is not None else None
        try:
            services.add_solution(plan, form.text.data, backing, current_user)
        except RuleViolation as violation:
            db.session.rollback()
            plan = load_plan(plan_id)
            show_violation(form, violation)
        else:
            return after_change(plan_id, "solutions", "Solution added.")
    return _solutions(plan, form, 422)


def _solution(plan, solution_id: int) -> PlanSolution:
    solution = next((s for s in plan.solutions if s.id == solution_id), None)
    if solution is None:
        abort(404)
    return solution


@bp.route("/<int:plan_id>/solutions/<int:solution_id>/remove", methods=["POST"])
def remove(plan_id, solution_id):
    """Take a solution off the plan."""
    plan = load_plan(plan_id)
    services.remove_solution(plan, _solution(plan, solution_id), current_user)
    return after_change(plan_id, "solutions", "Solution removed.")


@bp.route("/<int:plan_id>/solutions/<int:solution_id>/move", methods=["POST"])
def move(plan_id, solution_id):
    """Move a solution up or down the list."""
    plan = load_plan(plan_id)
    step = -1 if request.form.get("direction") == "up" else 1
    services.move_solution(plan, _solution(plan, solution_id), step)
    return after_change(plan_id, "solutions", "Order saved.")
