"""The account page: loading an account with what its page shows, the section forms, and
rendering the page or one of its regions (its own sections and the panels other domains add)."""

from flask import abort, make_response, render_template, request
from jinja2_fragments.flask import render_block
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


# The account page's own regions, each a block of accounts/detail.html; other domains add panels.
OWN_REGIONS = (
    panels.Panel(
        "header", "account-header", frozenset({panels.FACTS, panels.REASONS, panels.CONTRACT})
    ),
    panels.Panel("facts", "section-facts", frozenset({panels.FACTS})),
    panels.Panel("customer_view", "section-customer_view", frozenset({panels.REASONS})),
    panels.Panel("team_view", "section-team_view", frozenset({panels.REASONS})),
    panels.Panel("contract", "section-contract", frozenset({panels.CONTRACT})),
    panels.Panel("summary", "section-summary", frozenset({panels.SUMMARY})),
    panels.Panel("contacts", "contacts", frozenset({panels.CONTACTS})),
    panels.Panel("history", "account-history", panels.RECORDED),
)
# The page sends the regions that are open for editing: a refresh never replaces what is being
# typed (saving it checks the version, so a change made meanwhile is a conflict, not lost).
EDITING_HEADER = "X-Editing-Regions"


def _context(account: Account, names, context: dict) -> dict:
    """What the regions ``names`` need: their panels' loaders run, the others' don't."""
    regions = panels.declared()
    for name in names:
        if regions[name].load is not None:
            for key, value in regions[name].load(account).items():
                context.setdefault(key, value)
    if "history" in names:
        everything = request.args.get("history") == "all"
        entries = _history(account, everything)
        context["history"] = entries if everything else entries[:HISTORY_SHOWN]
        context["history_more"] = not everything and len(entries) > HISTORY_SHOWN
    context.setdefault("contact_form", ContactForm(formdata=None))
    return {
        "account": account,
        "panels": [region for region in regions.values() if region.template],
        "contract_end": services.contract_end(account),
        "months_remaining": services.months_remaining(account),
        "labels": history.LABELS,
        **context,
    }


def _region_html(region: panels.Panel, context: dict) -> str:
    if region.template:
        return render_template(region.template, **context)
    return render_block("accounts/detail.html", region.name, **context)


def render_account(
    account: Account, block: str | None = None, status: int = 200, changed=(), **context
):
    """The account page; for a partial request, its region ``block``.

    After an in-place action that ``changed`` some kinds of data (see accounts/panels.py), every
    other region showing any of them comes in the same response as an ``<hx-partial>``, except
    regions the page says are open for editing, so the page equals a fresh load of its URL.
    """
    regions = panels.declared()
    if block is None or not htmx.is_partial():
        return htmx.render(
            "accounts/detail.html", status=status, **_context(account, list(regions), context)
        )
    editing = set(request.headers.get(EDITING_HEADER, "").split(","))
    others = [name for name in panels.refreshed_by(changed, block) if name not in editing]
    context = _context(account, [block, *others], context)
    parts = [_region_html(regions[block], context)]
    parts += [
        htmx.partial(regions[name].element_id, _region_html(regions[name], context))
        for name in others
    ]
    response = htmx.vary(make_response("".join(parts), status))
    if changed:
        htmx.trigger(response, "accountChanged", {"changed": sorted(changed)})
    return response
