"""The loss reasons and competitors a new team starts with, added once on first use."""

from sqlalchemy.exc import IntegrityError

from winback_app.accounts.models import Competitor, LossReason, ReasonCategory
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

# The reasons above whose names are the team's shorthand, as a customer would say them; the
# others read fine to a customer as they are named.
CUSTOMER_WORDINGS = {
    "Competitor offered a discount": "Another supplier offered us a discount",
    "Discount ended": "Our discount ended",
    "Competitor launched a better product": "Another supplier had a better product",
    "Bundled offer": "Another supplier offered a package deal",
    "Did not integrate with their systems": "It did not work with our other systems",
    "Wrong or incomplete orders": "Orders arrived wrong or incomplete",
    "Defects and returns": "Too many defects and returns",
    "Slow credit notes": "Credit notes took too long",
    "No single point of contact": "We had no single person to talk to",
    "Key contact left": "Our main contact left",
    "Company downsized": "Our company got smaller",
    "Moved the work in-house": "We now do the work ourselves",
    "Project shelved": "The project was put on hold",
    "Stayed with the status quo": "We decided not to change anything",
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
                db.session.add(
                    LossReason(
                        category=category,
                        name=reason_name,
                        position=index,
                        customer_wording=CUSTOMER_WORDINGS.get(reason_name, ""),
                    )
                )
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
