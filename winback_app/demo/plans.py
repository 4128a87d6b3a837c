"""Demo plans for `flask seed-demo`: plans in several states, backed by the demo evidence."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from winback_app.accounts.models import Account
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.plans import services
from winback_app.plans.evidence import services as evidence
from winback_app.plans.models import Plan
from winback_app.tone import rules as tone

# Where each demo plan ends up, walked through the real status rules, in account order.
PATHS = (
    (),
    ("ready",),
    ("ready", "presented"),
    ("ready", "presented", "declined"),
    ("ready", "presented", "accepted", "won_back"),
)
COMMITMENT = "Named account manager, monthly issue review, call them before any change."
OFFER = "Three months at last year's prices, then review."
# What the customer reads of the same two sections; the others are left for the rep to write.
COMMITMENT_FOR_CUSTOMER = (
    "One named account manager, a monthly review of every open issue, and a call from us "
    "before anything that affects your orders changes."
)
OFFER_FOR_CUSTOMER = "Three months at last year's prices, then a review together."


def seed(today: date | None = None) -> None:
    """Draft plans on demo accounts unless there are plans already."""
    today = today or today_local()
    tone.ensure_defaults()
    if db.session.scalar(select(func.count(Plan.id))):
        return
    accounts = list(
        db.session.scalars(
            select(Account).where(Account.owner_id.is_not(None)).order_by(Account.id).limit(5)
        )
    )
    for account, path in zip(accounts, PATHS, strict=False):
        plan = services.create_plan(account, account.owner)
        commitment = {"commitment": COMMITMENT, "customer_commitment": COMMITMENT_FOR_CUSTOMER}
        services.update_section(plan, "commitment", commitment, None, account.owner)
        offer = {"offer": OFFER, "customer_offer": OFFER_FOR_CUSTOMER}
        services.update_section(plan, "offer", offer, None, account.owner)
        reason_ids = {r.reason_id for r in account.reasons_for("customer")}
        for item, _ in evidence.suggestions(reason_ids, limit=2):
            services.add_solution(plan, "", item, account.owner)
        for n, status in enumerate(path):
            on = today - timedelta(days=14 - 3 * n)
            value = account.annual_value_lost or Decimal("10000")
            services.set_status(
                plan, status, account.owner, on=on, words="We'll give it a go.", value=value
            )
