"""The accounts list, new accounts and bulk changes. Other account views live in the
routes_*.py modules of this package and register on the same blueprint."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from .. import htmx
from ..rules import RuleViolation
from . import choices, search, services
from .forms import BulkForm, NewAccountForm
from .models import KINDS, STATUSES

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _bulk_form(owners, groups) -> BulkForm:
    form = BulkForm()
    form.owner_id.choices = [SelectChoice("", "Choose…"), *owners]
    form.reason_id.choices = [SelectChoice("", "Choose…"), *choices.reason_ids(groups)]
    return form


def _list(filters, bulk=None, status=200):
    owners, groups = choices.owners()[1:], choices.reason_groups()
    return htmx.render(
        "accounts/index.html",
        block="results",
        status=status,
        filters=filters,
        page=search.page(filters),
        bulk=bulk or _bulk_form(owners, groups),
        kinds=KINDS,
        statuses=STATUSES,
        owners=owners,
        competitors=choices.competitors()[1:],
        categories=[category for category, _ in groups],
    )


@bp.route("/")
def index():
    """The list: search as you type, filters, sorting and pages, all carried in the URL."""
    return _list(search.parse(request.args))


@bp.route("/new", methods=["GET", "POST"])
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
            form[violation.field or "name"].errors.append(violation.message)
        else:
            flash(f"{account.name} was added. Record why it was lost below.", "success")
            return redirect(url_for("accounts.detail", account_id=account.id), 303)
    status = 422 if request.method == "POST" else 200
    return htmx.render("accounts/new.html", form=form, status=status)


@bp.route("/bulk", methods=["POST"])
def bulk():
    """Apply one change (owner, status or team's primary reason) to the ticked accounts."""
    form = _bulk_form(choices.owners()[1:], choices.reason_groups())
    filters = search.parse(request.args)
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


from . import routes_contacts, routes_detail  # noqa: E402, F401  (register their views)

# isort: split
from . import routes_import  # noqa: E402, F401  (registers its views)
