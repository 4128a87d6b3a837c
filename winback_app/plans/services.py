"""Plan rules: drafting a prefilled plan, saving sections with conflict detection, solutions,
action items, and the status path with its effects on the account."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from winback_app import ordering
from winback_app.accounts import history as account_history
from winback_app.accounts import services as accounts
from winback_app.accounts.models import Account
from winback_app.auth.models import User
from winback_app.discovery import action_items
from winback_app.discovery.interviews.models import Interview, InterviewNote
from winback_app.extensions import db
from winback_app.plans.evidence.models import Evidence
from winback_app.plans.models import Plan, PlanChange, PlanSolution
from winback_app.rules import RuleViolation
from winback_app.sections import Versioned

TEXT_MAX = 5000
SOLUTION_MAX = 1000
# Each section of the plan page and the fields it saves; a conflict is only a conflict when
# someone else changed a field of the same section.
# The team's words and the customer's words of a section are saved together.
SECTIONS = {
    "relationship": ("relationship_summary", "customer_relationship"),
    "cause": ("cause_statement", "customer_cause"),
    "needs": ("new_needs", "customer_needs"),
    "commitment": ("commitment", "customer_commitment"),
    "offer": ("offer", "customer_offer"),
    "escalation": ("sponsor_id", "escalate_when"),
}
VERSIONS = Versioned(PlanChange, "plan")
# Where each status may go next.
NEXT = {
    "draft": ("ready", "closed"),
    "ready": ("draft", "presented", "closed"),
    "presented": ("accepted", "declined"),
    "accepted": ("won_back", "closed"),
    "declined": ("closed",),
    "won_back": (),
    "closed": (),
}
# What the account's win-back status becomes when its plan reaches a status.
ACCOUNT_STATUS = {"presented": "plan_presented", "won_back": "won_back"}


def _cause(account: Account) -> str:
    lines = []
    for view, words, label in (
        ("customer", account.customer_words, "In the customer's view"),
        ("team", account.team_notes, "In our view"),
    ):
        reasons = [r.reason.name for r in account.reasons_for(view)]
        if reasons or words:
            line = f"{label}: {', '.join(reasons) or 'no reason recorded'}."
            lines.append(f"{line} {words}".strip())
    return "\n".join(lines)


def _needs(account: Account) -> str:
    notes = db.session.scalars(
        select(InterviewNote.text)
        .join(Interview)
        .where(Interview.account_id == account.id, Interview.status == "held")
        .where(InterviewNote.text != "")
        .order_by(Interview.id, InterviewNote.id)
    )
    return "\n".join(f"- {text.strip()}" for text in notes)[:TEXT_MAX]


def create_plan(account: Account, user) -> Plan:
    """Draft the account's current plan, prefilled from what the team already knows.

    An earlier current plan stays, no longer current.
    """
    db.session.execute(
        update(Plan)
        .where(Plan.account_id == account.id, Plan.is_current.is_(True))
        .values(is_current=False, version=Plan.version + 1)
    )
    plan = Plan(
        account=account,
        author=user,
        relationship_summary=account.sales_history[:TEXT_MAX],
        cause_statement=_cause(account)[:TEXT_MAX],
        new_needs=_needs(account),
    )
    db.session.add(plan)
    VERSIONS.record(plan, user, "created", "", "", version=1)
    if account.status in ("new", "researching", "contacting", "discovery"):
        accounts.update_section(account, "facts", {"status": "plan_drafted"}, None, user)
    db.session.commit()
    return plan


def _shown(field: str, value) -> str:
    """How a value reads in the plan's history (the sponsor by name)."""
    if field == "sponsor_id" and value is not None:
        sponsor = db.session.get(User, value)
        return sponsor.name if sponsor else ""
    return "" if value is None else str(value)


def update_section(plan: Plan, section: str, values: dict, expected_version, user) -> bool:
    """Save one section, recording each change; True when anything changed."""
    fields = SECTIONS[section]
    for field, value in values.items():
        if isinstance(value, str) and len(value) > TEXT_MAX:
            raise RuleViolation(f"Use at most {TEXT_MAX} characters.", field)
    changes = VERSIONS.apply(plan, fields, values, expected_version, user, _shown)
    if changes:
        VERSIONS.commit(plan, fields, expected_version)
    return bool(changes)


def add_solution(plan: Plan, text: str, evidence: Evidence | None, user) -> PlanSolution:
    """Add a solution at the end, backed by approved evidence when one is given."""
    text = (text or "").strip()
    if not text and evidence is not None:
        text = evidence.title
    if not text:
        raise RuleViolation("Say what the solution is.", "text")
    if len(text) > SOLUTION_MAX:
        raise RuleViolation(f"Use at most {SOLUTION_MAX} characters.", "text")
    if evidence is not None and (not evidence.approved or evidence.retired):
        raise RuleViolation("Only approved evidence can back a solution.", "evidence_id")
    position = max((s.position for s in plan.solutions), default=-1) + 1
    solution = PlanSolution(text=text, evidence=evidence, position=position)
    plan.solutions.append(solution)
    VERSIONS.record(plan, user, "solutions", "", text)
    db.session.commit()
    return solution


def remove_solution(plan: Plan, solution: PlanSolution, user) -> None:
    """Take a solution off the plan (the change stays in the plan's history)."""
    VERSIONS.record(plan, user, "solutions", solution.text, "")
    plan.solutions.remove(solution)
    db.session.commit()


def move_solution(plan: Plan, solution: PlanSolution, step: int) -> None:
    """Move a solution one place up (-1) or down (+1)."""
    if ordering.move(plan.solutions, solution, step):
        db.session.commit()


def add_action(plan: Plan, what, owner, due_on, today: date, partner=None):
    """Add an action item to the plan; it comes to its owner's Today page and calendar."""
    item = action_items.new_item(plan.account_id, what, owner, due_on, today, partner=partner)
    item.plan_id = plan.id
    db.session.add(item)
    db.session.commit()
    return item


def set_status(
    plan: Plan,
    status: str,
    user,
    on: date | None = None,
    words: str = "",
    value: Decimal | None = None,
) -> None:
    """Move the plan along its path; the account's status and recovered value follow."""
    if status not in NEXT[plan.status]:
        raise RuleViolation("The plan cannot move to that status from where it is.", "status")
    needs_date = status in ("presented", "accepted", "declined", "won_back")
    if needs_date and on is None:
        raise RuleViolation("Give the date.", "on")
    if len(words or "") > TEXT_MAX:
        raise RuleViolation(f"Use at most {TEXT_MAX} characters.", "words")
    if status == "won_back" and (value is None or value < 0 or value > accounts.MONEY_MAX):
        raise RuleViolation("Enter the value recovered (zero or more).", "value")
    VERSIONS.record(plan, user, "status", plan.status_label, status)
    plan.status = status
    if status == "presented":
        plan.presented_on = on
    elif status in ("accepted", "declined"):
        plan.decided_on, plan.decision_words = on, (words or "").strip()
    elif status == "won_back":
        plan.won_back_on, plan.value_recovered = on, value
        _recover(plan.account, value, user)
    account_status = ACCOUNT_STATUS.get(status)
    if account_status:
        accounts.update_section(plan.account, "facts", {"status": account_status}, None, user)
    if status == "won_back":
        plan.account.won_back_on = on  # the day the plan says, not the day it was recorded
    db.session.commit()


def _recover(account: Account, value: Decimal, user) -> None:
    if account.value_recovered != value:
        account_history.record(
            account, user, "value_recovered", str(account.value_recovered or "—"), str(value)
        )
        account.value_recovered = value


def bring_in_sponsor(plan: Plan, user, today: date):
    """After a decline: an action item for the sponsor to call the customer's executive."""
    if plan.status != "declined":
        raise RuleViolation("Only a declined plan needs the sponsor brought in.", "status")
    if plan.sponsor is None:
        raise RuleViolation("Choose an executive sponsor first.", "sponsor_id")
    what = f"Sponsor call: ask {plan.account.name} what would change their mind"
    return add_action(plan, what, plan.sponsor, today, today)


def move_to_nurture(plan: Plan, user) -> None:
    """After a decline: keep in touch; nurture schedules the account's call-backs."""
    if plan.status != "declined":
        raise RuleViolation("Only a declined plan moves the account to nurture.", "status")
    accounts.update_section(plan.account, "facts", {"status": "nurture"}, None, user)
