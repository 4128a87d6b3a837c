"""Incentives: a thank-you promised to a contact, moved from offered to pledged to paid.

*Offered* is the thank-you promised for taking part; *pledged* means the team owes it (the
contact took part and the charity is known); *paid* records the date and the payment's
reference. What is still owed is every incentive not yet paid, pledged ones first.
"""

from datetime import date
from decimal import Decimal

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import joinedload

from winback_app.accounts import history
from winback_app.accounts.models import Contact
from winback_app.core.settings import services as team_settings
from winback_app.discovery.incentives.models import INCENTIVE_STATUSES, Incentive
from winback_app.extensions import db
from winback_app.formatting import format_money
from winback_app.models import utcnow
from winback_app.money import FORMAT, MoneyError, parse_money
from winback_app.pagination import paginate
from winback_app.rules import RuleViolation

AMOUNT_MAX = Decimal("100000")
LIMITS = {"charity": 200, "reference": 120, "notes": 2000}
PER_PAGE = 50
# The list's filters: what is still owed (the default), one status, or everything.
FILTERS = {"owed": "Still owed", **INCENTIVE_STATUSES, "all": "All"}
OWED = ("offered", "pledged")

history.LABELS.setdefault("incentive", "Thank-you")


def charities() -> list[str]:
    """The charities a contact may pick (Admin → Settings), in the admin's order."""
    names = (line.strip() for line in team_settings.get().charities.splitlines())
    return list(dict.fromkeys(name for name in names if name))


def clean_amount(value) -> Decimal:
    """A positive amount with at most two decimals (text as typed, or a Decimal);
    RuleViolation otherwise."""
    example = "Enter an amount such as 50 or 25.50."
    try:
        amount = parse_money(None if value is None else str(value), maximum=AMOUNT_MAX)
    except MoneyError as problem:
        message = example if problem.problem == FORMAT else problem.message
        raise RuleViolation(message, "amount") from None
    if amount is None:
        raise RuleViolation(example, "amount")
    if amount <= 0:
        raise RuleViolation("Enter an amount above zero.", "amount")
    return amount


def amount_text(amount: Decimal) -> str:
    """An amount in the team's currency, with cents only when it has some: "€50", "€25.50"."""
    if amount == amount.to_integral_value():
        return format_money(amount)
    currency = team_settings.get().currency
    return f"{team_settings.CURRENCIES.get(currency, currency + ' ')}{amount:,.2f}"


def _text(values: dict, field: str) -> str:
    text = (values.get(field) or "").strip()
    if len(text) > LIMITS[field]:
        raise RuleViolation(f"Use at most {LIMITS[field]} characters.", field)
    return text


def describe(incentive: Incentive) -> str:
    """How an incentive reads in the account's history."""
    text = amount_text(incentive.amount)
    if incentive.charity:
        text += f" to {incentive.charity}"
    if incentive.contact is not None:
        text += f" for {incentive.contact.name}"
    return f"{text} ({INCENTIVE_STATUSES[incentive.status].lower()})"


def offer(account, values: dict, user, status: str = "offered") -> Incentive:
    """Promise a thank-you to a contact of ``account`` (offered, or pledged straight away)."""
    if status not in OWED:
        raise RuleViolation("A new thank-you is offered or pledged.", "status")
    contact_id = values.get("contact_id") or None
    contact = db.session.get(Contact, contact_id) if contact_id else None
    if contact_id and (contact is None or contact.account_id != account.id):
        raise RuleViolation("Choose one of this account's contacts.", "contact_id")
    charity = _text(values, "charity")
    if status == "pledged" and not charity:
        raise RuleViolation("Name the charity the contact picked.", "charity")
    now = utcnow()
    incentive = Incentive(
        account_id=account.id,
        contact=contact,
        interview_id=values.get("interview_id"),
        invitation_id=values.get("invitation_id"),
        charity=charity,
        amount=clean_amount(values.get("amount")),
        notes=_text(values, "notes"),
        status=status,
        offered_at=now,
        pledged_at=now if status == "pledged" else None,
        created_by_id=user.id if user else None,
    )
    db.session.add(incentive)
    history.record_beside(account, user, "incentive", "—", describe(incentive))
    db.session.commit()
    return incentive


def survey_thank_you(invitation, charity: str) -> Incentive:
    """The donation a survey invitation promised, once its contact answered: pledged to the
    charity they picked, or offered (owed, the charity still to ask) when they picked none.

    Part of the response's transaction, so the caller commits: the answers and the debt they
    create are saved together or not at all.
    """
    now, charity = utcnow(), charity[: LIMITS["charity"]]
    incentive = Incentive(
        account_id=invitation.account_id,
        contact=invitation.contact,
        invitation_id=invitation.id,
        charity=charity,
        amount=team_settings.get().donation_amount,
        status="pledged" if charity else "offered",
        offered_at=now,
        pledged_at=now if charity else None,
    )
    db.session.add(incentive)
    history.record(invitation.account, None, "incentive", "—", describe(incentive))
    return incentive


def for_invitation(invitation) -> Incentive | None:
    """The thank-you a survey invitation's answer created, if any."""
    return db.session.scalar(
        select(Incentive).where(Incentive.invitation_id == invitation.id).limit(1)
    )


def _move(incentive: Incentive, user, values: dict) -> None:
    """Change the status with one conditional UPDATE, so of two people moving the same
    incentive at once only the first succeeds; the second is told what happened."""
    before = describe(incentive)
    moved = db.session.execute(
        update(Incentive)
        .where(Incentive.id == incentive.id, Incentive.status == incentive.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        db.session.refresh(incentive)
        status = INCENTIVE_STATUSES[incentive.status].lower()
        raise RuleViolation(f"Someone else changed this thank-you meanwhile: it is {status} now.")
    for name, value in values.items():
        setattr(incentive, name, value)
    history.record_beside(incentive.account, user, "incentive", before, describe(incentive))
    db.session.commit()


def pledge(incentive: Incentive, charity: str, user) -> None:
    """Offered → pledged: the contact took part and picked a charity; the team owes it now."""
    if incentive.status != "offered":
        raise RuleViolation("Only an offered thank-you can be pledged.")
    charity = _text({"charity": charity}, "charity") or incentive.charity
    if not charity:
        raise RuleViolation("Name the charity the contact picked.", "charity")
    _move(incentive, user, {"status": "pledged", "charity": charity, "pledged_at": utcnow()})


def pay(incentive: Incentive, paid_on: date | None, reference: str, user, today: date) -> None:
    """Pledged (or offered) → paid, with the payment's date and reference."""
    if incentive.status not in OWED:
        raise RuleViolation("This thank-you is paid already.")
    if paid_on is None:
        raise RuleViolation("Enter the date it was paid.", "paid_on")
    if paid_on > today:
        raise RuleViolation("The payment date cannot be in the future.", "paid_on")
    reference = _text({"reference": reference}, "reference")
    if not reference:
        raise RuleViolation(
            "Enter the payment's reference (receipt or transfer number).", "reference"
        )
    if not incentive.charity:
        raise RuleViolation("Name the charity before recording the payment.", "charity")
    values = {"status": "paid", "paid_on": paid_on, "reference": reference}
    if incentive.pledged_at is None:
        values["pledged_at"] = utcnow()
    _move(incentive, user, values)


def get(incentive_id: int) -> Incentive | None:
    """One incentive with its account and contact."""
    return db.session.scalar(
        select(Incentive)
        .where(Incentive.id == incentive_id)
        .options(joinedload(Incentive.account), joinedload(Incentive.contact))
    )


def _owed_first():
    # Pledged (owed for sure) first, then offered, then paid; oldest debts first.
    rank = case({"pledged": 0, "offered": 1}, value=Incentive.status, else_=2)
    return (rank, Incentive.paid_on.desc().nulls_first(), Incentive.offered_at, Incentive.id)


def page(show: str = "owed", number: int = 1) -> Pagination:
    """Incentives for the list: what is still owed first; ``show`` is one of FILTERS."""
    query = select(Incentive)
    if show == "owed":
        query = query.where(Incentive.status.in_(OWED))
    elif show in INCENTIVE_STATUSES:
        query = query.where(Incentive.status == show)
    rows = query.options(joinedload(Incentive.account), joinedload(Incentive.contact))
    return paginate(rows.order_by(*_owed_first()), number, PER_PAGE)


def totals() -> dict[str, dict]:
    """Count and sum of the amounts per status, plus "owed" (offered and pledged together)."""
    rows = db.session.execute(
        select(
            Incentive.status, func.count(), func.coalesce(func.sum(Incentive.amount), 0)
        ).group_by(Incentive.status)
    ).all()
    found = {status: {"count": count, "amount": Decimal(total)} for status, count, total in rows}
    result = {s: found.get(s, {"count": 0, "amount": Decimal(0)}) for s in INCENTIVE_STATUSES}
    result["owed"] = {
        "count": sum(result[s]["count"] for s in OWED),
        "amount": sum((result[s]["amount"] for s in OWED), Decimal(0)),
    }
    return result


def for_account(account) -> list[Incentive]:
    """The account's incentives, still owed first."""
    return list(
        db.session.scalars(
            select(Incentive)
            .where(Incentive.account_id == account.id)
            .options(joinedload(Incentive.contact))
            .order_by(*_owed_first())
        )
    )
