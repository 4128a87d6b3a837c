"""Accounts: the list, a new account, bulk changes, the CSV export, and an account's page with
its sections shown and edited in place."""

from flask import Blueprint, flash, redirect, request, stream_with_context, url_for
from flask_login import current_user
from wtforms import SelectChoice

from winback_app import htmx
from winback_app.accounts import choices, export, panels, search, services
from winback_app.accounts.forms import AccountFilterForm, BulkForm, NewAccountForm
from winback_app.accounts.models import Account
from winback_app.accounts.page import SECTION, VIEWS, load_account, render_account, section_form
from winback_app.downloads import csv_download
from winback_app.formatting import now_local
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.sections import EditConflict
from winback_app.security import writer_required

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

# What saving each section can change: a new status or contract date moves the call-backs.
SECTION_CHANGES = {
    "facts": {panels.FACTS, panels.CALLBACKS},
    "contract": {panels.CONTRACT, panels.CALLBACKS},
    "summary": {panels.SUMMARY},
    "customer_view": {panels.REASONS},
    "team_view": {panels.REASONS},
}


def _bulk_form(owners, groups) -> BulkForm:
    form = BulkForm()
    form.owner_id.choices = [SelectChoice("", "Choose…"), *owners]
    form.reason_id.choices = [SelectChoice("", "Choose…"), *choices.reason_ids(groups)]
    return form


def _list(filters: AccountFilterForm, bulk=None, status=200):
    owners, groups = choices.owners()[1:], choices.reason_groups()
    categories = [category for category, _ in groups]
    return htmx.render(
        "accounts/index.html",
        block="results",
        status=status,
        filters=filters.offer(owners, choices.competitors()[1:], categories),
        page=search.page(filters.filters()),
        bulk=bulk or _bulk_form(owners, groups),
    )


@bp.route("/")
def index():
    """The list: search as you type, filters, sorting and pages, all carried in the URL."""
    return _list(AccountFilterForm())


@bp.route("/new", methods=["GET", "POST"])
@writer_required
def new():
    """Add a lost account, then carry on on its page."""
    form = NewAccountForm()
    form.owner_id.choices = choices.owners()
    form.competitor_id.choices = choices.competitors()
    if request.method == "GET":
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        values = {name: form[name].data for name in services.NEW_ACCOUNT_FIELDS}
        try:
            account = services.create_account(values, current_user)
        except RuleViolation as violation:
            show_violation(form, violation, "name")
        else:
            flash(f"{account.name} was added. Record why it was lost below.", "success")
            return redirect(url_for("accounts.detail", account_id=account.id), 303)
    status = 422 if request.method == "POST" else 200
    return htmx.render("accounts/new.html", form=form, status=status)


@bp.route("/bulk", methods=["POST"])
def bulk():
    """Apply one change (owner, status or team's primary reason) to the ticked accounts."""
    form = _bulk_form(choices.owners()[1:], choices.reason_groups())
    filters = AccountFilterForm()
    action = request.form.get("action", "")
    value = {"owner": form.owner_id, "status": form.status, "team_reason": form.reason_id}.get(
        action
    )
    if form.validate_on_submit() and value is not None and value.data:
        count = services.bulk_update(form.ids.data, action, value.data, current_user)
        message = f"{count} account{'s' if count != 1 else ''} changed."
        if htmx.is_partial():
            return htmx.trigger(_list(filters), "flash", {"message": message})
        flash(message, "success")
        return redirect(url_for("accounts.index", **filters.args()), 303)
    if value is not None and not value.data and form.ids.data:
        value.errors = [*value.errors, f"Choose the {value.label.text.lower()} to set."]
    if value is None:
        form.form_errors.append("Choose what to change.")
    return _list(filters, bulk=form, status=422)


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
@writer_required
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
            show_violation(form, violation)
        else:
            if htmx.is_partial():
                changed = SECTION_CHANGES[section]
                return render_account(load_account(account_id), block=section, changed=changed)
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


@bp.route("/export.csv")
def export_csv():
    """The accounts list as CSV: the same filters and order as on screen, every page."""
    filters = AccountFilterForm().filters()
    lines = stream_with_context(export.lines(filters))
    return csv_download(lines, export.filename(now_local().date()))
