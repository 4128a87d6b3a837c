"""Plan views: the list, drafting a plan, the plan page and its sections, status changes."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from winback_app import htmx
from winback_app.accounts.models import Account
from winback_app.auth.models import User
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.forms import show_violation
from winback_app.plans import customer, services
from winback_app.plans.actions.forms import ActionForm
from winback_app.plans.evidence import services as evidence
from winback_app.plans.forms import (
    LABELS,
    SECTION_FORMS,
    NextStepForm,
    PrintedSectionForm,
    StatusForm,
)
from winback_app.plans.models import PLAN_STATUSES, Plan, PlanSolution
from winback_app.plans.solutions.forms import SolutionForm
from winback_app.rules import RuleViolation
from winback_app.sections import EditConflict
from winback_app.tone import rules as tone

bp = Blueprint("plans", __name__, url_prefix="/plans")

SECTION_LABELS = {
    "relationship": "The relationship",
    "cause": "Why they left",
    "needs": "Their new needs",
    "commitment": "Our commitment",
    "offer": "The offer",
    "escalation": "Sponsor and escalation",
}
SECTION_NAMES = "any(relationship,cause,needs,commitment,offer,escalation)"
NEXT_STEP_DONE = {"sponsor": "Action item added for the sponsor.", "nurture": "Moved to nurture."}


def load_plan(plan_id: int) -> Plan:
    """The plan with what its page shows, or 404."""
    plan = db.session.scalar(
        select(Plan)
        .where(Plan.id == plan_id)
        .options(
            joinedload(Plan.account),
            joinedload(Plan.author),
            joinedload(Plan.sponsor),
            selectinload(Plan.solutions).joinedload(PlanSolution.evidence),
        )
    )
    if plan is None:
        abort(404)
    return plan


def writers() -> list[User]:
    """Active users who can own an action item or sponsor a plan."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_(("admin", "member")))
            .order_by(User.name)
        )
    )


def plan_items(plan: Plan) -> list[ActionItem]:
    """The plan's action items, open ones first."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.plan_id == plan.id)
            .options(joinedload(ActionItem.owner), joinedload(ActionItem.partner))
            .order_by(ActionItem.done_at.is_not(None), ActionItem.due_on, ActionItem.id)
        )
    )


def _forms(plan: Plan, people: list[User], posted: dict) -> dict:
    """Every form of the plan page: blank, except the one just posted (its typing, its errors).

    The status forms are one per status the plan can move to, under ``status_forms``.
    """
    forms = {section: form(formdata=None, obj=plan) for section, form in SECTION_FORMS.items()}
    forms.update(
        solution=SolutionForm(formdata=None),
        action=ActionForm(formdata=None, owner_id=current_user.id),
        next_step=NextStepForm(formdata=None),
        status=None,
    )
    forms.update(posted)
    for section in SECTION_FORMS:
        forms[section].fill(people, plan)
    forms["action"].fill(people)
    today, posted_status = today_local(), forms["status"]
    forms["status_forms"] = {
        next_status: StatusForm(formdata=None, status=next_status, on=today)
        for next_status in services.NEXT[plan.status]
    }
    if posted_status is not None and posted_status.status.data in forms["status_forms"]:
        forms["status_forms"][posted_status.status.data] = posted_status
    return forms


def render_plan(
    plan: Plan, block: str | None = None, status: int = 200, forms: dict | None = None, **context
):
    """The plan page, or one of its blocks for a partial request; ``forms`` are the posted
    forms to show instead of blank ones (by section, or "solution", "action", "status" …)."""
    rules = tone.rules()
    warnings = {
        section: tone.check(
            "\n".join(str(getattr(plan, f) or "") for f in fields if f != "sponsor_id"), rules
        )
        for section, fields in services.SECTIONS.items()
    }
    return htmx.render(
        "plans/detail.html",
        block=block,
        status=status,
        plan=plan,
        sections=SECTION_LABELS,
        fields=services.SECTIONS,
        labels=LABELS,
        warnings=warnings,
        customer_warnings=customer.warnings(plan),
        customer=customer,
        items=plan_items(plan),
        forms=_forms(plan, writers(), forms or {}),
        statuses=PLAN_STATUSES,
        metric_text=evidence.metric_text,
        **context,
    )


@bp.route("/")
def index():
    """Current plans by status, with their owner and the next action due."""
    next_due = (
        select(ActionItem.plan_id, func.min(ActionItem.due_on).label("due_on"))
        .where(ActionItem.done_at.is_(None), ActionItem.plan_id.is_not(None))
        .group_by(ActionItem.plan_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Plan, next_due.c.due_on)
        .outerjoin(next_due, next_due.c.plan_id == Plan.id)
        .where(Plan.is_current.is_(True))
        .options(joinedload(Plan.account).joinedload(Account.owner), joinedload(Plan.author))
        .order_by(Plan.updated_at.desc())
        .limit(500)
    ).all()
    groups = {status: [] for status in PLAN_STATUSES}
    for plan, due_on in rows:
        groups[plan.status].append((plan, due_on))
    return htmx.render("plans/index.html", groups=groups, statuses=PLAN_STATUSES)


@bp.route("/new", methods=["POST"])
def new():
    """Draft the account's current plan, prefilled, and open it."""
    account = db.session.get(Account, request.args.get("account_id", type=int) or 0)
    if account is None:
        abort(404)
    plan = services.create_plan(account, current_user)
    flash("Plan drafted from what the team knows. Check each section.", "success")
    return htmx.redirect(url_for("plans.detail", plan_id=plan.id))


@bp.route("/<int:plan_id>")
def detail(plan_id):
    """The plan: each section edited in place, solutions, action items and status."""
    return render_plan(load_plan(plan_id))


@bp.route(f"/<int:plan_id>/<{SECTION_NAMES}:section>")
def section(plan_id, section):
    """One section as shown."""
    return render_plan(load_plan(plan_id), block=section)


@bp.route(f"/<int:plan_id>/<{SECTION_NAMES}:section>", methods=["POST"])
def save_section(plan_id, section):
    """Save one section; 422 with the message in place, 409 when someone else changed it.

    Its "Suggest from our notes" and "Preview" buttons post here too and save nothing."""
    plan = load_plan(plan_id)
    form = SECTION_FORMS[section]().fill(writers(), plan)
    if isinstance(form, PrintedSectionForm) and (form.suggest.data or form.preview.data):
        return _customer_draft(plan, section, form)
    if form.validate_on_submit():
        # A field the request did not send is left as it is (a page from before the
        # customer's words existed must not blank them).
        fields = services.SECTIONS[section]
        values = {name: form[name].data for name in fields if form[name].raw_data}
        try:
            services.update_section(plan, section, values, form.expected_version, current_user)
        except EditConflict as conflict:
            form.version.data = conflict.current_version
            return render_plan(
                plan, section, 409, {section: form}, conflict=conflict, editing=section
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            if htmx.is_partial():
                return render_plan(load_plan(plan_id), block=section, saved=section)
            flash("Saved.", "success")
            return redirect(url_for("plans.detail", plan_id=plan_id), 303)
    return render_plan(plan, section, 422, {section: form}, editing=section)


def _customer_draft(plan: Plan, section: str, form: PrintedSectionForm):
    """The section with what was typed, unsaved: the customer's box filled with the
    suggestion when asked for, and the preview of what the customer will see."""
    box = form[customer.field(section)]
    if form.suggest.data:
        team = customer.PRINTED[section][1]
        box.data = customer.suggestion(plan, section, form[team].data if team else None)
    return render_plan(
        plan, section, forms={section: form}, previewing=section, suggested=form.suggest.data
    )


@bp.route(f"/<int:plan_id>/<{SECTION_NAMES}:section>/tone", methods=["POST"])
def tone_check(plan_id, section):
    """The tone warnings for what is being typed (a hint, never a block)."""
    plan = load_plan(plan_id)
    text = SECTION_FORMS[section]().text()
    return htmx.render("plans/_tone.html", section=section, hits=tone.check(text), plan=plan)


@bp.route("/<int:plan_id>/status", methods=["POST"])
def set_status(plan_id):
    """Move the plan along draft → ready → presented → accepted/declined → won back/closed."""
    plan = load_plan(plan_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.set_status(
                plan,
                form.status.data,
                current_user,
                on=form.on.data,
                words=form.words.data,
                value=form.value.data,
            )
        except RuleViolation as violation:
            db.session.rollback()
            plan = load_plan(plan_id)
            show_violation(form, violation)
        else:
            return after_change(plan_id, "status", "Status saved.")
    return render_plan(plan, "status", 422, {"status": form})


@bp.route("/<int:plan_id>/next-step", methods=["POST"])
def next_step(plan_id):
    """After a decline: bring in the sponsor, or move the account to nurture."""
    plan = load_plan(plan_id)
    form = NextStepForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if form.step.data == "sponsor":
            services.bring_in_sponsor(plan, current_user, today_local())
        else:
            services.move_to_nurture(plan, current_user)
    except RuleViolation as violation:
        show_violation(form, violation)
        return render_plan(plan, "status", 422, {"next_step": form})
    return after_change(plan_id, "status", NEXT_STEP_DONE[form.step.data])


def after_change(plan_id: int, block: str, message: str):
    """The updated block for htmx (plus a message), or back to the page."""
    if htmx.is_partial():
        response = render_plan(load_plan(plan_id), block=block)
        return htmx.trigger(response, "flash", {"message": message})
    flash(message, "success")
    return redirect(url_for("plans.detail", plan_id=plan_id), 303)
