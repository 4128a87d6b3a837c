"""The account page: loading an account with what its page shows, the section forms, and
rendering the page or one of its regions (its own sections and the panels other domains add)."""

from flask import abort, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from winback_app import htmx
from winback_app.accounts import choices, history, panels, services
from winback_app.accounts.forms import ContactForm, ContractForm, FactsForm, SummaryForm, ViewForm
from winback_app.accounts.models import Account, AccountChange, AccountReason, LossReason
from winback_app.extensions import db

FORMS = {"facts": FactsForm, "contract": ContractForm, "summary": SummaryForm}
VIEWS = {"customer_view": "customer", "team_view": "team"}
SECTION = "<any(facts,contract,summary,customer_view,team_view):section>"
HISTORY_SHOWN = 30


def load_account(account_id: int) -> Account:
    """The account with everything its page shows, in a fixed number of queries; or 404."""
    account = (
        db.session.scalars(
            select(Account)
            .where(Account.id == account_id)
            .options(
                joinedload(Account.owner),
                joinedload(Account.competitor),
                joinedload(Account.customer_primary).joinedload(LossReason.category),
                joinedload(Account.team_primary).joinedload(LossReason.category),
                selectinload(Account.reasons)
                .joinedload(AccountReason.reason)
                .joinedload(LossReason.category),
                # Joined rather than a query of its own: an account has a handful of contacts,
                # and every query counts on a page that many panels share.
                joinedload(Account.contacts),
            )
        )
        .unique()
        .first()
    )
    if account is None:
        abort(404)
    return account


def _history(account: Account, everything: bool) -> list[AccountChange]:
    query = (
        select(AccountChange)
        .where(AccountChange.account_id == account.id)
        .options(joinedload(AccountChange.user))
        .order_by(AccountChange.id.desc())
    )
    return list(db.session.scalars(query if everything else query.limit(HISTORY_SHOWN + 1)))


def section_form(section: str, account: Account):
    """The form for ``section``: the posted values on POST, the account's own otherwise."""
    if section in VIEWS:
        view = VIEWS[section]
        chosen = account.reasons_for(view)
        primary = next((r.reason_id for r in chosen if r.is_primary), None)
        words = account.customer_words if view == "customer" else account.team_notes
        form = ViewForm(
            data={
                "reasons": [r.reason_id for r in chosen],
                "primary": primary,
                "words": words,
                "version": account.version,
            }
        )
        groups = choices.reason_groups(keep={r.reason_id for r in chosen})
        form.reasons.choices = choices.reason_ids(groups)
        form.primary.choices = [SelectChoice("", "Choose…"), *form.reasons.choices]
        form.groups = groups
        return form
    form = FORMS[section](obj=account)
    if section == "facts":
        form.owner_id.choices = choices.owners(keep=account.owner_id)
    if section == "contract":
        form.competitor_id.choices = choices.competitors(keep=account.competitor_id)
    return form


def render_account(account: Account, block: str | None = None, status: int = 200, **context):
    """The account page, or one of its blocks for a partial request."""
    # A partial request gets one block, so only what that block shows is loaded.
    whole_page = block is None or not htmx.is_partial()
    everything = request.args.get("history") == "all"
    entries = _history(account, everything) if whole_page or block == "history" else []
    declared = panels.declared()
    shown = declared.values() if whole_page else [declared[block]] if block in declared else []
    for panel in shown:
        for key, value in panel.load(account).items():
            context.setdefault(key, value)
    # A panel's region is its own template, included by the page and rendered alone on refresh.
    template = declared[block].template if block in declared and not whole_page else None
    return htmx.render(
        template or "accounts/detail.html",
        block=None if template else block,
        status=status,
        account=account,
        panels=declared.values(),
        history=entries[:HISTORY_SHOWN] if not everything else entries,
        history_more=not everything and len(entries) > HISTORY_SHOWN,
        contract_end=services.contract_end(account),
        months_remaining=services.months_remaining(account),
        contact_form=context.pop("contact_form", None) or ContactForm(formdata=None),
        labels=history.LABELS,
        **context,
    )
