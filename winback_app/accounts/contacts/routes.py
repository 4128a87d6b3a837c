"""Contacts at an account, added, edited and removed in place."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.accounts.contacts import services as contacts
from winback_app.accounts.forms import ContactForm
from winback_app.accounts.models import Contact
from winback_app.accounts.page import load_account, render_account
from winback_app.accounts.panels import CONTACTS
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("contacts", __name__, url_prefix="/accounts/<int:account_id>/contacts")


def _contact(account, contact_id: int) -> Contact:
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.account_id != account.id:
        abort(404)
    return contact


def _values(form: ContactForm) -> dict:
    return {name: form[name].data for name in contacts.FIELDS}


def _done(account_id: int, message: str):
    """The refreshed contacts and every region that shows contacts, or back to the page."""
    if htmx.is_partial():
        return render_account(load_account(account_id), block="contacts", changed={CONTACTS})
    flash(message, "success")
    return redirect(url_for("accounts.detail", account_id=account_id, _anchor="contacts"), 303)


def _invalid(account, form, editing=None):
    return render_account(
        account, block="contacts", status=422, contact_form=form, editing_contact=editing
    )


@bp.route("", methods=["POST"])
def add(account_id):
    """Add a contact to the account."""
    account = load_account(account_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contact = contacts.add(account, _values(form), current_user)
        except RuleViolation as violation:
            show_violation(form, violation, "name")
        else:
            return _done(account_id, f"{contact.name} was added.")
    return _invalid(account, form)


@bp.route("/<int:contact_id>/edit")
@writer_required
def edit(account_id, contact_id):
    """A contact's row as a form, in place."""
    account = load_account(account_id)
    contact = _contact(account, contact_id)
    return render_account(
        account, block="contacts", editing_contact=contact.id, edit_form=ContactForm(obj=contact)
    )


@bp.route("/<int:contact_id>", methods=["POST"])
def update(account_id, contact_id):
    """Save a contact's details."""
    account = load_account(account_id)
    contact = _contact(account, contact_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contacts.update(contact, _values(form), current_user)
        except RuleViolation as violation:
            show_violation(form, violation, "name")
        else:
            return _done(account_id, f"{contact.name} was saved.")
    return render_account(
        account, block="contacts", status=422, editing_contact=contact.id, edit_form=form
    )


@bp.route("/<int:contact_id>/delete", methods=["POST"])
def remove(account_id, contact_id):
    """Remove a contact (the account's history keeps who it was)."""
    account = load_account(account_id)
    contact = _contact(account, contact_id)
    name = contact.name
    contacts.remove(contact, current_user)
    return _done(account_id, f"{name} was removed.")
