"""Accounts with both views of why they were lost, their contacts and their "created" history.

The views often share a category (then they agree); the flag that says they disagree is
computed as the app computes it. Every account has one to four contacts, the first primary.
"""

import math
from datetime import date, timedelta
from decimal import Decimal

from bench.seed import book, naming, phrases, shares, words
from bench.seed.book import Seed
from winback_app.accounts.models import Account, AccountChange, AccountReason, Contact

KINDS = {"former_customer": 50, "lapsed_customer": 20, "lost_deal": 30}
CONTACT_SHARES = {1: 0.2, 2: 0.3, 3: 0.3, 4: 0.2}  # 2.5 contacts per account
CHANNELS = {"either": 60, "phone": 25, "email": 15}
TERMS = (12, 24, 36, 36, 48, 60, 60)
COMPETITOR_TERMS = (
    "36-month lease, service included",
    "Two-year contract, 8% below our last price",
    "Framework agreement, renewed every year",
)


def _reasons(rng, ref, cumulative, count: int, first=None) -> list:
    """``count`` different reasons by their weights; ``first`` (if given) is the primary."""
    chosen = [first] if first else []
    while len(chosen) < min(count, len(ref.reasons)):
        reason = rng.choices(ref.reasons, cum_weights=cumulative)[0]
        if reason not in chosen:
            chosen.append(reason)
    return chosen


def _views(rng, ref, cumulative, by_category, status: str):
    """The customer's and the team's reasons (primary first); they often share a category."""
    customer = team = []
    sizes = (1, 1, 1, 1, 2, 2, 2, 3, 3)
    if not ref.reasons:
        return customer, team
    if rng.random() < (0.3 if status == "new" else 0.8):
        customer = _reasons(rng, ref, cumulative, rng.choice(sizes))
    if rng.random() < 0.92:
        first = None
        if customer and rng.random() < 0.55:
            first = rng.choice(by_category[customer[0].category_id])
        team = _reasons(rng, ref, cumulative, rng.choice(sizes), first)
    return customer, team


def _value(rng, kind: str) -> Decimal | None:
    if rng.random() < 0.07:
        return None
    value = rng.lognormvariate(math.log(15000), 0.9) * (1.5 if kind == "lost_deal" else 1)
    return Decimal(min(int(value / 10) * 10, 5_000_000))


def _reason_rows(ctx, account_id: int, view: str, reasons, day: date) -> None:
    table = AccountReason.__table__
    for position, reason in enumerate(reasons):
        ctx.writer.add(
            table,
            {
                "id": ctx.writer.new_id(table),
                "account_id": account_id,
                "reason_id": reason.id,
                "view": view,
                "is_primary": position == 0,
                "source": "manual",
                "noted_on": day,
            },
        )


def _contacts(ctx, seed: Seed, count: int, domain: str) -> None:
    rng, table = ctx.rng, Contact.__table__
    seed.contacts, seed.emailable = [], []
    for position in range(count):
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        email = f"{first}.{last}@{domain}".lower() if rng.random() < 0.9 else ""
        do_not_email = rng.random() < 0.03
        contact_id = ctx.writer.new_id(table)
        seed.contacts.append(contact_id)
        if email and not do_not_email and not seed.do_not_contact:
            seed.emailable.append(contact_id)
        ctx.writer.add(
            table,
            {
                "id": contact_id,
                "account_id": seed.id,
                "name": f"{first} {last}",
                "title": rng.choice(words.CONTACT_TITLES),
                "email": email,
                "phone": f"+44 20 7946 {rng.randrange(10000):04d}" if rng.random() < 0.85 else "",
                "preferred_channel": rng.choices(list(CHANNELS), weights=CHANNELS.values())[0],
                "is_primary": position == 0,
                "do_not_email": do_not_email,
                "unsubscribed_at": None,
                "created_at": seed.created_at,
            },
        )


def _account_row(ctx, seed: Seed, lost_on: date, segment: str, competitor, views) -> dict:
    """The account's row; its views' primaries and the disagreement flag as the app sets them."""
    rng, status = ctx.rng, seed.status
    customer, team = views
    words_of = phrases.VIEW_WORDS.get
    return {
        "id": seed.id,
        "kind": seed.kind,
        "name": seed.name,
        "segment": segment,
        "owner_id": seed.owner_id,
        "status": status,
        "lost_on": lost_on,
        "annual_value_lost": seed.value,
        "competitor_id": competitor and competitor[0],
        "competitor_terms": rng.choice(COMPETITOR_TERMS) if rng.random() < 0.3 else "",
        "competitor_price": (
            (seed.value * Decimal("0.9")).quantize(Decimal(1))
            if competitor and seed.value and rng.random() < 0.25
            else None
        ),
        "contract_start": seed.contract_start,
        "contract_term_months": seed.contract_term,
        "sales_history": seed.sales_history,
        "friendly": rng.random() < (0.3 if status in book.ENGAGED else 0.05),
        "do_not_contact": seed.do_not_contact,
        "likelihood": rng.randint(1, 9) if rng.random() < 0.65 else None,
        "notes": "Imported from the CRM." if rng.random() < 0.05 else "",
        "customer_words": words_of(customer[0].category, ("",))[0] if customer else "",
        "team_notes": words_of(team[0].category, ("", ""))[1] if team else "",
        "customer_primary_id": customer[0].id if customer else None,
        "team_primary_id": team[0].id if team else None,
        "views_disagree": bool(
            customer and team and customer[0].category_id != team[0].category_id
        ),
        "last_contact_at": seed.last_at,
        "value_recovered": seed.recovered,
        "won_back_on": seed.won_back_on,
        "version": 1,
        "created_at": seed.created_at,
        "updated_at": max(seed.created_at, seed.last_at or seed.created_at),
    }


def _facts(rng, seed: Seed, lost_on: date) -> None:
    """Value lost, the competitor's contract, value recovered, sales history, do not contact."""
    seed.value = _value(rng, seed.kind)
    if seed.competitor and rng.random() < 0.45:
        seed.contract_start = lost_on + timedelta(days=rng.randrange(46))
        seed.contract_term = rng.choice(TERMS)
    if seed.status == "won_back":
        base = seed.value or Decimal(12000)
        seed.recovered = (base * Decimal(rng.randint(50, 110)) / 100).quantize(Decimal(1))
    lost_deal = seed.kind == "lost_deal"
    template = phrases.LOST_DEAL_HISTORY if lost_deal else phrases.SALES_HISTORY
    seed.sales_history = (
        rng.choice(template).format(
            years=rng.randint(2, 12),
            product=rng.choice(words.PRODUCTS),
            value=f"€{seed.value or 10000:,}",
        )
        if rng.random() < 0.7
        else ""
    )
    seed.do_not_contact = rng.random() < (0.08 if seed.status == "closed" else 0.005)


def build(ctx, n: int) -> list[Seed]:
    """Generate ``n`` accounts with their reasons, contacts and history rows."""
    rng, ref, writer = ctx.rng, ctx.ref, ctx.writer
    cumulative = shares.cumulative(reason.weight for reason in ref.reasons)
    by_category = {}
    for reason in ref.reasons:
        by_category.setdefault(reason.category_id, []).append(reason)
    lost, statuses = book.lost_dates(rng, ctx.today, n), book.statuses(rng, n)
    names, owners = naming.names(rng, n), naming.owners(rng, ref, n)
    kinds = rng.choices(list(KINDS), weights=KINDS.values(), k=n)
    contact_counts = shares.exact_shares(rng, CONTACT_SHARES, n)
    seeds = []
    for index in range(n):
        lost_on, (name, segment, domain) = lost[index], names[index]
        seed = Seed(id=writer.new_id(Account.__table__), name=name, status=statuses[index])
        seed.kind, seed.owner_id = kinds[index], owners[index]
        book.timeline(ctx, seed, lost_on)
        competitor = rng.choice(ref.competitors) if rng.random() < 0.8 else None
        seed.competitor = competitor is not None
        _facts(rng, seed, lost_on)
        customer, team = _views(rng, ref, cumulative, by_category, seed.status)
        seed.customer, seed.team = tuple(r.id for r in customer), tuple(r.id for r in team)
        seed.auto_callbacks = book.auto_callbacks(seed, ref)
        writer.add(
            Account.__table__,
            _account_row(ctx, seed, lost_on, segment, competitor, (customer, team)),
        )
        noted = min(seed.created_at.date() + timedelta(days=rng.randrange(60)), ctx.today)
        _reason_rows(ctx, seed.id, "customer", customer, noted)
        _reason_rows(ctx, seed.id, "team", team, seed.created_at.date())
        writer.add(
            AccountChange.__table__,
            {
                "id": writer.new_id(AccountChange.__table__),
                "account_id": seed.id,
                "user_id": seed.owner_id or ref.admin_ids[0],
                "at": seed.created_at,
                "version": 1,
                "field": "created",
                "old_value": "",
                "new_value": name,
            },
        )
        _contacts(ctx, seed, contact_counts[index], domain)
        seeds.append(seed)
    book.allocate(rng, seeds, n)
    return seeds
