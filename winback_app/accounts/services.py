"""Account rules: creating and editing accounts by section, the two views of why, history,
the disagreement flag, edit conflicts and bulk changes."""

from datetime import date

from sqlalchemy import select

from winback_app.accounts import history, signals
from winback_app.accounts.models import (
    KINDS,
    STATUSES,
    VIEWS,
    Account,
    AccountChange,
    AccountReason,
    LossReason,
)
from winback_app.dates import add_months, months_between
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.models import utcnow
from winback_app.money import MONEY_MAX
from winback_app.rules import RuleViolation

TEXT_MAX = {
    "name": 200,
    "segment": 120,
    "notes": 5000,
    "competitor_terms": 2000,
    "sales_history": 5000,
    "customer_words": 5000,
    "team_notes": 5000,
}
NEW_ACCOUNT_FIELDS = (
    "name",
    "kind",
    "segment",
    "owner_id",
    "status",
    "lost_on",
    "annual_value_lost",
    "likelihood",
    "friendly",
    "do_not_contact",
    "notes",
    "competitor_id",
)
# Which fields each section of the account page edits; a conflict is only a conflict when
# someone else changed a field of the same section.
SECTIONS = {
    "facts": (
        "kind",
        "name",
        "segment",
        "owner_id",
        "status",
        "lost_on",
        "annual_value_lost",
        "friendly",
        "do_not_contact",
        "likelihood",
        "notes",
    ),
    "contract": (
        "competitor_id",
        "competitor_terms",
        "competitor_price",
        "contract_start",
        "contract_term_months",
    ),
    "summary": ("sales_history",),
    "customer_view": ("customer_reasons", "customer_words"),
    "team_view": ("team_reasons", "team_notes"),
}


def check_values(values: dict, today: date | None = None) -> dict[str, str]:
    """Field → message for every value that breaks a rule (used by forms and the importer)."""
    today = today or today_local()
    errors = {}
    if "name" in values and not (values["name"] or "").strip():
        errors["name"] = "Enter the account's name."
    for field, limit in TEXT_MAX.items():
        if len(values.get(field) or "") > limit:
            errors[field] = f"Use at most {limit} characters."
    if values.get("kind") is not None and values["kind"] not in KINDS:
        errors["kind"] = "Choose one of the listed kinds."
    if values.get("status") is not None and values["status"] not in STATUSES:
        errors["status"] = "Choose one of the listed statuses."
    if values.get("lost_on") and values["lost_on"] > today:
        errors["lost_on"] = "The lost date cannot be in the future."
    for field in ("annual_value_lost", "competitor_price"):
        amount = values.get(field)
        if amount is not None and amount < 0:
            errors[field] = "Enter an amount of zero or more."
        elif amount is not None and amount > MONEY_MAX:
            errors[field] = "That amount is too large."
    term = values.get("contract_term_months")
    if term is not None and not 1 <= term <= 240:
        errors["contract_term_months"] = "The term must be between 1 and 240 months."
    likelihood = values.get("likelihood")
    if likelihood is not None and not 0 <= likelihood <= 10:
        errors["likelihood"] = "Likelihood runs from 0 to 10."
    return errors


def contract_end(account: Account) -> date | None:
    """The competitor contract's end: start plus term."""
    if account.contract_start and account.contract_term_months:
        return add_months(account.contract_start, account.contract_term_months)
    return None


def months_remaining(account: Account, today: date | None = None) -> int | None:
    """Whole months until the competitor contract ends (0 once it has ended)."""
    end = contract_end(account)
    if end is None:
        return None
    return max(months_between(today or today_local(), end), 0)


def _reasons_text(account: Account, view: str) -> str:
    chosen = account.reasons_for(view)
    return ", ".join(f"{r.reason.label}{' (primary)' if r.is_primary else ''}" for r in chosen)


def recompute_disagreement(account: Account) -> None:
    """Views disagree when both have a primary reason and their categories differ."""
    customer, team = account.customer_primary, account.team_primary
    account.views_disagree = bool(customer and team and customer.category_id != team.category_id)


def create_account(values: dict, user) -> Account:
    """Add an account; its creation is the first entry of its history."""
    errors = check_values(values)
    if errors:
        field, message = next(iter(errors.items()))
        raise RuleViolation(message, field)
    account = Account(**values)
    db.session.add(account)
    db.session.flush()
    db.session.add(
        AccountChange(
            account=account, user=user, field="created", version=1, new_value=account.name
        )
    )
    signals.section_saved.send(account, fields=set(values), user=user)
    db.session.commit()
    return account


def update_section(account: Account, section: str, values: dict, expected_version, user) -> bool:
    """Save one section's fields, recording each change; True when anything changed."""
    fields = SECTIONS[section]
    errors = check_values(values)
    if errors:
        field, message = next(iter(errors.items()))
        raise RuleViolation(message, field)
    changes = history.VERSIONS.apply(
        account, fields, values, expected_version, user, history.display
    )
    if changes:
        signals.section_saved.send(account, fields=set(changes), user=user)
        account.updated_at = utcnow()
        history.VERSIONS.commit(account, fields, expected_version)
    return bool(changes)


def set_view(
    account: Account,
    view: str,
    reason_ids: list[int],
    primary_id: int | None,
    words: str,
    expected_version,
    user,
    source: str = "manual",
    noted_on: date | None = None,
) -> bool:
    """Replace one view's reasons (one primary) and words; earlier ones live on in history."""
    assert view in VIEWS
    words_field = "customer_words" if view == "customer" else "team_notes"
    fields = SECTIONS[f"{view}_view"]
    reason_ids = list(dict.fromkeys(reason_ids))
    if primary_id is not None and primary_id not in reason_ids:
        reason_ids.insert(0, primary_id)
    if reason_ids and primary_id is None:
        if len(reason_ids) > 1:
            raise RuleViolation("Choose which reason is the primary one.", "primary")
        primary_id = reason_ids[0]
    reasons = {
        r.id: r for r in db.session.scalars(select(LossReason).where(LossReason.id.in_(reason_ids)))
    }
    if len(reasons) != len(reason_ids):
        raise RuleViolation("Choose reasons from the list.", "reasons")
    if len(words or "") > TEXT_MAX[words_field]:
        raise RuleViolation(f"Use at most {TEXT_MAX[words_field]} characters.", "words")
    history.VERSIONS.check(account, fields, expected_version)

    next_version = account.version + 1
    old_text, old_words = _reasons_text(account, view), getattr(account, words_field)
    new_text = ", ".join(
        f"{reasons[rid].label}{' (primary)' if rid == primary_id else ''}" for rid in reason_ids
    )
    current = {(r.reason_id, r.is_primary) for r in account.reasons if r.view == view}
    wanted = {(rid, rid == primary_id) for rid in reason_ids}
    changed = False
    if current != wanted:
        # Reasons that stay keep where they came from (typed, interview, survey); only the
        # new ones carry this change's source and date.
        kept = {}
        for choice in [r for r in account.reasons if r.view == view]:
            if choice.reason_id in reasons:
                kept[choice.reason_id] = choice
            else:
                account.reasons.remove(choice)
        for rid in reason_ids:
            if rid in kept:
                kept[rid].is_primary = rid == primary_id
            else:
                account.reasons.append(
                    AccountReason(
                        reason=reasons[rid],
                        view=view,
                        is_primary=rid == primary_id,
                        source=source,
                        noted_on=noted_on,
                    )
                )
        setattr(account, f"{view}_primary", reasons.get(primary_id))
        recompute_disagreement(account)
        history.record(
            account, user, f"{view}_reasons", old_text or "—", new_text or "—", next_version
        )
        changed = True
    if (words or "") != old_words:
        history.record(account, user, words_field, old_words or "—", words or "—", next_version)
        setattr(account, words_field, words or "")
        changed = True
    if changed:
        account.updated_at = utcnow()
        history.VERSIONS.commit(account, fields, expected_version)
    return changed


def stamp_won_back(account: Account, fields: set, user=None) -> None:
    """Date a win-back when the status reaches won back; forget it when the status moves on."""
    if "status" not in fields:
        return
    if account.status != "won_back":
        account.won_back_on = None
    elif account.won_back_on is None:
        account.won_back_on = today_local()


BULK_ACTIONS = {"owner": "owner_id", "status": "status"}


def bulk_update(account_ids: list[int], action: str, value, user) -> int:
    """Apply one change to many accounts, with history on each; returns how many changed."""
    accounts = list(db.session.scalars(select(Account).where(Account.id.in_(account_ids))))
    changed = 0
    for account in accounts:
        if action == "team_reason":
            others = [r.reason_id for r in account.reasons_for("team") if r.reason_id != value]
            changed += set_view(
                account, "team", [value, *others], value, account.team_notes, None, user
            )
        else:
            changed += update_section(account, "facts", {BULK_ACTIONS[action]: value}, None, user)
    return changed
