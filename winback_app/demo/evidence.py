"""Demo evidence for `flask seed-demo`: approved "what's different now" items with metrics."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from winback_app.accounts.models import LossReason
from winback_app.accounts.taxonomy import defaults
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.plans.evidence.models import Evidence

# title, what changed, months ago, metric (name, before, after, unit) or None, reason names
ITEMS = (
    (
        "New production machines",
        "We replaced the packing line with new machines and added an inspection step before "
        "every shipment.",
        10,
        ("returns", "4.0", "0.2", "%"),
        ("Defects and returns", "Unreliable equipment"),
    ),
    (
        "New delivery partner",
        "Deliveries now go through a national carrier with next-day slots and live tracking.",
        8,
        ("on-time deliveries", "82", "99", "%"),
        ("Late deliveries", "Wrong or incomplete orders"),
    ),
    (
        "A single named account manager",
        "Every account has one named account manager who answers within a working day.",
        6,
        ("hours to first reply", "24", "4", " h"),
        ("No single point of contact", "Slow support", "Personality conflict"),
    ),
    (
        "Billing system replaced",
        "Invoices are generated from the delivery record, and credit notes go out within 48 hours.",
        5,
        ("invoice errors", "6.5", "0.4", "%"),
        ("Wrong invoices", "Slow credit notes"),
    ),
    (
        "New product line",
        "The new range integrates with the common ERP systems and covers the features "
        "customers asked for most.",
        3,
        None,
        ("Missing feature", "Did not integrate with their systems", "Needs changed"),
    ),
)


def seed(today: date | None = None) -> None:
    """Create the demo evidence that is missing, each answering default reasons by name."""
    defaults.ensure_defaults()
    today = today or today_local()
    existing = set(db.session.scalars(select(Evidence.title)))
    by_name = {reason.name: reason for reason in db.session.scalars(select(LossReason))}
    for title, what_changed, months_ago, metric, reason_names in ITEMS:
        if title in existing:
            continue
        name, before, after, unit = metric or ("", None, None, "")
        db.session.add(
            Evidence(
                title=title,
                what_changed=what_changed,
                effective_on=today - timedelta(days=30 * months_ago),
                metric_name=name,
                metric_before=Decimal(before) if before else None,
                metric_after=Decimal(after) if after else None,
                metric_unit=unit,
                approved=True,
                reasons=[by_name[n] for n in reason_names if n in by_name],
            )
        )
    db.session.commit()
