"""Win-back plans on one account in ten, each consistent with its account's status.

Accounts with a plan drafted or presented all have one; won-back accounts come next, then
nurtured accounts (after a declined plan) and closed ones. Every section is written, the
solutions are backed by evidence answering the account's reasons, and the dates run in order:
drafted, presented, decided, won back.
"""

from datetime import UTC, datetime, time, timedelta

from bench.seed import clock, phrases
from winback_app.plans.models import Plan, PlanChange, PlanSolution

# The plan's status for each account status that has a plan, with how often.
PLAN_STATUS = {
    "plan_drafted": {"draft": 60, "ready": 40},
    "plan_presented": {"presented": 60, "accepted": 20, "declined": 20},
    "won_back": {"won_back": 1},
    "nurture": {"declined": 1},
    "closed": {"closed": 1},
}
PRESENTED = ("presented", "accepted", "declined", "won_back")
DECIDED = ("accepted", "declined", "won_back")
SOLUTION_STEPS = (
    "walk their operations lead through the figures.",
    "offer a site visit to see it working.",
    "agree a 60-day review against the metric.",
)


def _accounts(rng, seeds, count: int) -> list:
    """The accounts that get a plan: plan statuses first (the first account leads), then
    won back, then nurture and closed."""
    first = [s for s in seeds if s.status in ("plan_drafted", "plan_presented")]
    won = [s for s in seeds if s.status == "won_back"]
    later = [s for s in seeds if s.status in ("nurture", "closed")]
    rng.shuffle(later)
    chosen = (first + won + later)[:count]
    return sorted(chosen, key=lambda seed: seed.id)


def _cause(ctx, seed) -> str:
    """A statement of fact from both views, as the app prefills it."""
    names = {reason.id: reason.name for reason in ctx.ref.reasons}
    lines = []
    for ids, label in ((seed.customer, "In the customer's view"), (seed.team, "In our view")):
        if ids:
            lines.append(f"{label}: {', '.join(names.get(i, 'a retired reason') for i in ids)}.")
    return "\n".join(lines) or "Cause still being confirmed with the customer."


def _dates(ctx, seed, status: str) -> dict:
    """Drafted, presented and decided days in order, none after the account's last day."""
    rng, end = ctx.rng, seed.end_day
    drafted = clock.day_between(rng, seed.start_day, end - timedelta(days=rng.randint(20, 120)))
    presented = min(drafted + timedelta(days=rng.randint(7, 30)), end)
    decided = min(presented + timedelta(days=rng.randint(3, 14)), end)
    if status == "won_back":
        decided = min(decided, seed.won_back_on)
    return {
        "drafted": drafted,
        "presented_on": presented if status in PRESENTED else None,
        "decided_on": decided if status in DECIDED else None,
    }


def _solutions(ctx, seed, plan_id: int) -> None:
    rng, ref, table = ctx.rng, ctx.ref, PlanSolution.__table__
    category_of = {reason.id: reason.category_id for reason in ref.reasons}
    choices = []
    for reason_id in seed.customer + seed.team:
        for item in ref.evidence.get(category_of.get(reason_id), ()):
            if item not in choices:
                choices.append(item)
    everything = [item for items in ref.evidence.values() for item in items]
    for position in range(rng.randint(1, 3)):
        pool = choices or everything
        evidence_id, title = rng.choice(pool) if pool else (None, "A named account manager")
        ctx.writer.add(
            table,
            {
                "id": ctx.writer.new_id(table),
                "plan_id": plan_id,
                "position": position,
                "text": f"{title}: {rng.choice(SOLUTION_STEPS)}",
                "evidence_id": evidence_id,
            },
        )


def build(ctx, seeds) -> None:
    """Plans on accounts/10 accounts, with their solutions and the "created" history row."""
    rng, ref, writer = ctx.rng, ctx.ref, ctx.writer
    for seed in _accounts(rng, seeds, len(seeds) // 10):
        options = PLAN_STATUS[seed.status]
        status = rng.choices(list(options), weights=options.values())[0]
        if seed.id == seeds[0].id:
            status = "presented"  # the benchmarked account's plan is the one on the table
        days = _dates(ctx, seed, status)
        created = max(datetime.combine(days.pop("drafted"), time(11), UTC), seed.created_at)
        created = min(created, ctx.now)
        latest = max(d for d in (days["presented_on"], days["decided_on"], created.date()) if d)
        updated = min(datetime.combine(latest, time(15), UTC), ctx.now)
        author = seed.owner_id or ref.admin_ids[0]
        plan_id = writer.new_id(Plan.__table__)
        needs = "\n".join(rng.sample(phrases.NEEDS, 2))
        commitment, offer = rng.choice(phrases.COMMITMENTS), rng.choice(phrases.OFFERS)
        writer.add(
            Plan.__table__,
            {
                "id": plan_id,
                "account_id": seed.id,
                "is_current": True,
                "status": status,
                "author_id": author,
                "relationship_summary": seed.sales_history or "Long-standing customer.",
                "cause_statement": _cause(ctx, seed),
                "new_needs": needs,
                "commitment": commitment,
                "offer": offer,
                # What the customer reads: written for them, never the team's reading of why.
                "customer_relationship": "Thank you for the years we worked together.",
                "customer_cause": "You told us where we let you down, and we have listened.",
                "customer_needs": needs,
                "customer_commitment": commitment,
                "customer_offer": offer,
                "sponsor_id": ref.admin_ids[-1],
                "escalate_when": rng.choice(phrases.ESCALATIONS),
                **days,
                "decision_words": phrases.DECISION_WORDS.get(status, "")
                if status in DECIDED
                else "",
                "won_back_on": seed.won_back_on if status == "won_back" else None,
                "value_recovered": seed.recovered if status == "won_back" else None,
                "version": 1,
                "created_at": created,
                "updated_at": max(updated, created),
            },
        )
        writer.add(
            PlanChange.__table__,
            {
                "id": writer.new_id(PlanChange.__table__),
                "plan_id": plan_id,
                "user_id": author,
                "at": created,
                "version": 1,
                "field": "created",
                "old_value": "",
                "new_value": "",
            },
        )
        _solutions(ctx, seed, plan_id)
    writer.flush()
