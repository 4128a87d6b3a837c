"""Incentives: the list of thank-yous (what is still owed first), the account page's panel,
and the moves offered → pledged → paid. Each move answers an htmx request with the updated
row (or panel) and a plain form post with Post/Redirect/Get."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.accounts import page, panels
from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.incentives.forms import (
    IncentiveFilterForm,
    IncentiveForm,
    PayForm,
    PledgeForm,
)
from winback_app.formatting import today_local
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation

bp = Blueprint("incentives", __name__, url_prefix="/discovery")

PAGE = "discovery/incentives.html"


def account_panel(account) -> dict:
    """The account page's thank-you panel: its incentives and a blank form to add one."""
    return {
        "incentives": incentives.for_account(account),
        "incentive_form": IncentiveForm(formdata=None).fill(account),
        "incentive_errors": {},
        **_shared(),
    }


def _shared() -> dict:
    """What both the list and the panel need to show amounts and the move forms."""
    return {
        "charities": incentives.charities(),
        "amount_text": incentives.amount_text,
        "today": today_local(),
    }


def _render_list(block=None, status=200, **context):
    filters = IncentiveFilterForm()
    context = {"row_errors": {}, **_shared(), **context}
    if block == "incentive_row" and htmx.is_partial():
        return htmx.render(PAGE, block=block, status=status, list_args=filters.args(), **context)
    return htmx.render(
        PAGE,
        block=block,
        status=status,
        list_args=filters.args(),
        filters=filters,
        listing=incentives.page(filters.show.data, filters.page.data),
        totals=incentives.totals(),
        **context,
    )


@bp.route("/incentives/")
def index():
    """Thank-yous promised to contacts: what is still owed first, then what was paid."""
    return _render_list()


@bp.route("/accounts/<int:account_id>/incentives", methods=["POST"])
def add(account_id):
    """Promise a thank-you to a contact of the account (from the account page)."""
    account = page.load_account(account_id)
    form = IncentiveForm().fill(account)
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("contact_id", "charity", "amount", "notes")}
        try:
            incentive = incentives.offer(account, values, current_user, form.status.data)
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return _account_done(
                account_id, f"Thank-you recorded: {incentives.describe(incentive)}."
            )
    return page.render_account(account, block="incentives", status=422, incentive_form=form)


def _incentive(incentive_id: int):
    return incentives.get(incentive_id) or abort(404)


@bp.route("/incentives/<int:incentive_id>/pledge", methods=["POST"])
def pledge(incentive_id):
    """Offered → pledged: the contact took part and picked the charity."""
    return _move(
        incentive_id,
        PledgeForm(),
        lambda incentive, form: incentives.pledge(incentive, form.charity.data, current_user),
        "Pledged",
    )


@bp.route("/incentives/<int:incentive_id>/pay", methods=["POST"])
def pay(incentive_id):
    """Pledged → paid, with the date and the payment's reference."""
    return _move(
        incentive_id,
        PayForm(),
        lambda incentive, form: incentives.pay(
            incentive, form.paid_on.data, form.reference.data, current_user, today_local()
        ),
        "Paid",
    )


def _move(incentive_id: int, form, change, done: str):
    """Apply one move from a small form; its refusal is shown beside the incentive."""
    incentive = _incentive(incentive_id)
    try:
        if not form.validate_on_submit():
            raise RuleViolation(_first_error(form))
        change(incentive, form)
    except RuleViolation as violation:
        return _refused(incentive, violation.message)
    return _moved(incentive, f"{done}: {incentives.describe(incentive)}.")


def _first_error(form) -> str:
    if "paid_on" in form and form.paid_on.errors:
        return "Enter the date it was paid, like 2026-03-01."
    errors = [message for name, found in form.errors.items() for message in found]
    return errors[0] if errors else "Check the form and try again."


def _from_account() -> bool:
    return request.form.get("back") == "account"


def _account_done(account_id: int, message: str):
    """After a change made on the account page: the panel again, or the page (PRG)."""
    if not htmx.is_partial():
        flash(message, "success")
        return redirect(
            url_for("accounts.detail", account_id=account_id, _anchor="incentives"), 303
        )
    account = page.load_account(account_id)
    response = page.render_account(account, "incentives", changed={panels.INCENTIVES})
    return htmx.trigger(response, "flash", {"message": message})


def _moved(incentive, message: str):
    if _from_account():
        return _account_done(incentive.account_id, message)
    if not htmx.is_partial():
        flash(message, "success")
        return redirect(url_for("incentives.index", **IncentiveFilterForm().args()), 303)
    response = _render_list("incentive_row", incentive=_incentive(incentive.id))
    return htmx.trigger(response, "flash", {"message": message})


def _refused(incentive, message: str):
    errors = {incentive.id: message}
    if _from_account():
        account = page.load_account(incentive.account_id)
        return page.render_account(account, block="incentives", status=422, incentive_errors=errors)
    return _render_list("incentive_row", 422, incentive=incentive, row_errors=errors)
