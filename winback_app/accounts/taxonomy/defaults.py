"""The loss reasons and competitors a new team starts with, added once on first use."""

from sqlalchemy.exc import IntegrityError

from winback_app.accounts.models import (
    Competitor,
    LossReason,
    ReasonCategory,
)
from winback_app.accounts.taxonomy.services import _never_edited
from winback_app.extensions import db

DEFAULT_REASONS = {
    "Price": ["Price too high", "Competitor offered a discount", "Discount ended"],
    "Competitor's new product": ["Competitor launched a better product", "Bundled offer"],
    "Product gap": ["Missing feature", "Did not integrate with their systems"],
    "Delivery problems": ["Late deliveries", "Wrong or incomplete orders"],
    "Quality / defects": ["Defects and returns", "Unreliable equipment"],
    "Billing errors": ["Wrong invoices", "Slow credit notes"],
    "Service / support": ["Slow support", "No single point of contact"],
    "Relationship": ["Personality conflict", "Key contact left"],
    "Budget cut": ["Budget cut", "Company downsized"],
    "Needs changed": ["Needs changed", "Moved the work in-house"],
    "No decision": ["Project shelved", "Stayed with the status quo"],
    "Other": ["Other"],
}


DEFAULT_COMPETITORS = ["Brightline", "Corvex Systems", "Northpeak", "Valetta Group"]


def ensure_defaults() -> None:
    """Give a new team the default categories, reasons and competitors, once.

    A list is seeded only while it is empty and was never edited, so a team that deleted the
    defaults on purpose does not get them back.
    """
    added = False
    if _never_edited(ReasonCategory, ("category", "reason")):
        for position, (category_name, reason_names) in enumerate(DEFAULT_REASONS.items()):
            category = ReasonCategory(name=category_name, position=position)
            db.session.add(category)
            for index, reason_name in enumerate(reason_names):
                db.session.add(LossReason(category=category, name=reason_name, position=index))
        added = True
    if _never_edited(Competitor, ("competitor",)):
        for position, name in enumerate(DEFAULT_COMPETITORS):
            db.session.add(Competitor(name=name, position=position))
        added = True
    if added:
        try:
            db.session.commit()
        except IntegrityError:
            # Two first requests at once: the other one seeded the same names.
            db.session.rollback()
