"""The shape of the book of lost accounts: when each was lost, its status and timeline, and
how much outreach it got.

Accounts are numbered in the order they were lost, over six years with the recent years
busier. Statuses come in fixed shares and follow the age of the loss: recent losses are new
or being contacted, old ones nurtured, closed or won back. Attempts (10 per account) and
call-backs (3 per account) are shared out unevenly: most accounts get a few, some dozens.
"""

from datetime import date, timedelta

from bench.seed import clock, shares
from winback_app.outreach.callbacks.services import contract_dates

YEARS = 6
YEAR_WEIGHTS = (1.0, 1.4, 1.8, 2.3, 2.8, 3.3)  # the oldest year first
STATUS_SHARES = {
    "new": 0.07,
    "researching": 0.05,
    "contacting": 0.27,
    "discovery": 0.08,
    "plan_drafted": 0.03,
    "plan_presented": 0.02,
    "won_back": 0.04,
    "nurture": 0.26,
    "closed": 0.18,
}
# Where in the book each status usually sits: 0 = lost most recently, 1 = lost longest ago.
STATUS_AGE = {
    "new": 0.02,
    "researching": 0.06,
    "contacting": 0.3,
    "discovery": 0.35,
    "plan_drafted": 0.4,
    "plan_presented": 0.42,
    "won_back": 0.6,
    "nurture": 0.65,
    "closed": 0.7,
}
NO_ATTEMPTS = ("new", "researching")  # the first attempt moves an account to "contacting"
FINISHED = ("won_back", "closed")
ENGAGED = ("discovery", "plan_drafted", "plan_presented", "won_back", "nurture")
# How hard each status is worked, relative to an account being contacted.
EFFORT = {
    "contacting": 1.0,
    "discovery": 1.4,
    "plan_drafted": 1.6,
    "plan_presented": 1.6,
    "won_back": 1.5,
    "nurture": 1.1,
    "closed": 0.8,
}


class Seed:
    """What the later stages need to know about one generated account."""

    __slots__ = (
        "id",
        "name",
        "kind",
        "status",
        "owner_id",
        "created_at",
        "start_day",
        "end_day",
        "last_at",
        "won_back_on",
        "competitor",
        "contract_start",
        "contract_term",
        "value",
        "recovered",
        "sales_history",
        "do_not_contact",
        "customer",
        "team",
        "contacts",
        "emailable",
        "attempts",
        "callbacks",
        "auto_callbacks",
    )

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


def lost_dates(rng, today: date, n: int) -> list[date]:
    """``n`` days over the last six years, up to yesterday, oldest first."""
    first = today - timedelta(days=YEARS * 365)
    years = rng.choices(range(YEARS), weights=YEAR_WEIGHTS, k=n)
    days = (first + timedelta(days=year * 365 + rng.randrange(365)) for year in years)
    return sorted(min(day, today - timedelta(days=1)) for day in days)


def statuses(rng, n: int) -> list[str]:
    """Statuses in exact shares, the oldest account first, each near its usual age."""
    counts = {status: round(share * n) for status, share in STATUS_SHARES.items()}
    # The first account is the one benchmarks open: it has a presented plan.
    counts["plan_presented"] = max(1, counts["plan_presented"])
    counts["contacting"] += n - sum(counts.values())
    slots = [
        (STATUS_AGE[status] + rng.gauss(0, 0.2), status)
        for status, count in counts.items()
        for _ in range(count)
    ]
    statuses = [status for _, status in sorted(slots, reverse=True)]
    statuses[statuses.index("plan_presented")] = statuses[0]
    statuses[0] = "plan_presented"
    return statuses


def auto_callbacks(seed: Seed, ref) -> int:
    """How many contract and keep-in-touch call-backs the schedule gives the account."""
    count = 0
    if seed.contract_start:
        dates = contract_dates(
            seed.contract_start,
            seed.contract_term,
            ref.callback_start_percent,
            ref.callback_interval_months,
        )
        count += sum(1 for due in dates if seed.status not in FINISHED or due < seed.end_day)
    if seed.status == "nurture":
        count += 1 + min(3, (seed.end_day - seed.start_day).days // 180)
    return count


def timeline(ctx, seed: Seed, lost_on: date) -> None:
    """When the account was logged, won back or closed, and when it was last tried."""
    rng, today, now, status = ctx.rng, ctx.today, ctx.now, seed.status
    seed.created_at = clock.at_work(rng, min(lost_on + timedelta(rng.randrange(11)), today), now)
    seed.end_day = today
    if status == "won_back":
        span = (today - lost_on).days
        seed.won_back_on = lost_on + timedelta(days=rng.randint(min(60, span), span))
        seed.end_day = seed.won_back_on
    elif status == "closed":
        seed.end_day = min(lost_on + timedelta(days=rng.randint(60, 720)), today)
    seed.start_day = min(seed.created_at.date() + timedelta(days=1), seed.end_day)
    if status in NO_ATTEMPTS:
        return
    span = (seed.end_day - seed.start_day).days
    back = int(rng.expovariate(1 / 45)) if status not in FINISHED else rng.randrange(31)
    last_at = clock.at_work(rng, seed.end_day - timedelta(days=min(back, span)), now)
    seed.last_at = max(last_at, seed.created_at)


def allocate(rng, seeds: list[Seed], n: int) -> None:
    """Share 10 attempts and 3 call-backs per account among the accounts, unevenly: most
    accounts get a few, some get dozens."""
    tried = [seed for seed in seeds if seed.status not in NO_ATTEMPTS]
    weights = [rng.gammavariate(0.9, 1) * EFFORT[seed.status] for seed in tried]
    for seed, count in zip(tried, shares.allocate(10 * n, weights, 1), strict=True):
        seed.attempts = count
    for seed in seeds:
        seed.attempts = seed.attempts or 0
    # The benchmarked first account has a long history.
    shares.ensure_at_least(seeds, "attempts", 0, 25)
    manual = max(0, 3 * n - sum(seed.auto_callbacks for seed in seeds))
    weights = [seed.attempts + 1 for seed in seeds]
    for seed, count in zip(seeds, shares.allocate(manual, weights, 0), strict=True):
        seed.callbacks = count
    shares.ensure_at_least(seeds, "callbacks", 0, 6)
