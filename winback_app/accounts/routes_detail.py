"""An account's page and its sections, each shown and edited in place."""

from collections.abc import Callable

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from .. import htmx
from ..extensions import db
from ..rules import RuleViolation
from . import choices, history, services
from .forms import ContactForm, ContractForm, FactsForm, SummaryForm, ViewForm
from .history import EditConflict
from .models import Account, AccountChange, AccountReason, LossReason
from .routes import bp

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


# Other domains add their panels to the account page, by the name of the panel's block in
# accounts/detail.html: each function takes the account and returns the context that block needs.
PANELS: dict[str, Callable[[Account], dict]] = {}


def render_account(account: Account, block: str | None = None, status: int = 200, **context):
    """The account page, or one of its blocks for a partial request."""
    # A partial request gets one block, so only what that block shows is loaded.
    whole_page = block is None or not htmx.is_partial()
    everything = request.args.get("history") == "all"
    entries = _history(account, everything) if whole_page or block == "history" else []
    for name, panel in PANELS.items():
        if whole_page or name == block:
            for key, value in panel(account).items():
                context.setdefault(key, value)
    return htmx.render(
        "accounts/detail.html",
        block=block,
        status=status,
        account=account,
        history=entries[:HISTORY_SHOWN] if not everything else entries,
        history_more=not everything and len(entries) > HISTORY_SHOWN,
        contract_end=services.contract_end(account),
        months_remaining=services.months_remaining(account),
        contact_form=context.pop("contact_form", None) or ContactForm(formdata=None),
        labels=history.LABELS,
        **context,
    )


@bp.route("/<int:account_id>")
def detail(account_id):
    """The account's page: facts, both views of why, contract, contacts and history."""
    return render_account(load_account(account_id))


@bp.route(
    "/<int:account_id>/<any(header,history,contacts,facts,contract,summary,customer_view,team_view):section>"
)
def section(account_id, section):
    """One section as shown (used by Cancel and by regions that refresh after a change)."""
    return render_account(load_account(account_id), block=section)


@bp.route(f"/<int:account_id>/{SECTION}/edit")
def edit_section(account_id, section):
    """One section as a form, in place; without JavaScript, the page with that form open."""
    account = load_account(account_id)
    form = section_form(section, account)
    return render_account(account, block=section, editing=section, form=form)


@bp.route(f"/<int:account_id>/{SECTION}", methods=["POST"])
def save_section(account_id, section):
    """Save one section; 422 with messages in place, 409 when someone else changed it."""
    account = load_account(account_id)
    form = section_form(section, account)
    if form.validate_on_submit():
        try:
            _save(account, section, form)
        except EditConflict as conflict:
            form.version.data = str(conflict.current_version)
            return render_account(
                account, block=section, status=409, editing=section, form=form, conflict=conflict
            )
        except RuleViolation as violation:
            target = violation.field if violation.field in form else None
            (form[target].errors if target else form.form_errors).append(violation.message)
        else:
            if htmx.is_partial():
                response = render_account(load_account(account_id), block=section)
                return htmx.trigger(response, "accountChanged")
            flash("Saved.", "success")
            return redirect(url_for("accounts.detail", account_id=account_id), 303)
    return render_account(account, block=section, status=422, editing=section, form=form)


def _save(account: Account, section: str, form) -> None:
    if section in VIEWS:
        services.set_view(
            account,
            VIEWS[section],
            form.reasons.data,
            form.primary.data,
            form.words.data,
            form.expected_version,
            current_user,
        )
        return
    values = {name: form[name].data for name in services.SECTIONS[section]}
    services.update_section(account, section, values, form.expected_version, current_user)
