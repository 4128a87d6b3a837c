"""The admin's lists: the loss-reason taxonomy, the competitors, and the team settings.

Categories, reasons and competitors share one set of inline actions (rename, move, retire or
restore, delete) at /admin/<kind>/<id>/…, where kind is categories, reasons or competitors.
An htmx request gets back the fragment that changed (the entry, or the list it sits in) and a
``taxonomyChanged`` event that reloads the recent-changes panel; a plain form post gets
Post/Redirect/Get with a flash message.
"""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.accounts.models import Competitor, LossReason, ReasonCategory
from winback_app.accounts.taxonomy import defaults
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.accounts.taxonomy.forms import NameForm, ReasonForm
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import admin_required

bp = Blueprint("taxonomy", __name__, url_prefix="/admin")
CHANGED = "taxonomyChanged"


@dataclass(frozen=True)
class Kind:
    """Where one kind of entry lives: its model, its page and the blocks that show it."""

    model: type
    page: str
    entry_block: str  # the entry itself, swapped by rename
    list_block: str  # the list it is ordered in, swapped by move, retire and delete


KINDS = {
    "categories": Kind(ReasonCategory, "reasons", "category", "reasons_list"),
    "reasons": Kind(LossReason, "reasons", "reason_row", "category"),
    "competitors": Kind(Competitor, "competitors", "competitor_row", "competitors_list"),
}
KIND_OF = {kind.model: name for name, kind in KINDS.items()}
TEMPLATES = {"reasons": "admin/reasons.html", "competitors": "admin/competitors.html"}
MOVES = {"up": -1, "down": 1}
RETIRE = {"yes": True, "no": False}


def _key(item) -> str:
    """The entry's element id, also the anchor a no-JS redirect returns to."""
    return f"{KIND_OF[type(item)]}-{item.id}"


def _lists(page: str) -> dict:
    """What a page shows: its entries, how many accounts use each, the recent changes."""
    if page == "reasons":
        entries = {"categories": taxonomy.categories(include_retired=True)}
        usage = taxonomy.reason_usage()
        subjects = ("category", "reason")
    else:
        entries = {"competitors": taxonomy.competitors(include_retired=True)}
        usage = taxonomy.competitor_usage()
        subjects = ("competitor",)
    return {**entries, "usage": usage, "changes": taxonomy.recent_changes(subjects)}


def _render(page: str, block: str | None = None, status: int = 200, item=None, **extra):
    """The page, or one of its blocks; ``item`` fills the loop variables an entry block uses."""
    context = {
        "add_form": NameForm(formdata=None),
        "editing": None,
        "name_form": None,
        "row_errors": {},
        "reason_form": None,
        "reason_form_for": None,
        "added": None,
        **_lists(page),
        **extra,
    }
    if item is not None:
        context[taxonomy.SUBJECTS[type(item)]] = item
        if isinstance(item, LossReason):
            context["category"] = item.category
    return htmx.render(TEMPLATES[page], block=block, status=status, **context)


def _done(kind: str, item, message: str, block: str, status: int = 200, **extra):
    """After a change: the changed fragment for htmx, else back to the page (PRG).

    ``item`` is the entry to show and return to; None after deleting a category or competitor.
    """
    page = KINDS[kind].page
    if not htmx.is_partial():
        flash(message, "success")
        anchor = _key(item) if item is not None else None
        return redirect(url_for(f"taxonomy.{page}", _anchor=anchor), 303)
    response = _render(page, block, status, item, **extra)
    # The panel block holds the recent changes itself; other fragments ask it to reload.
    return response if block == "panel" else htmx.trigger(response, CHANGED)


def _entry(kind: str, item_id: int):
    """The entry the URL names, or 404 for an unknown kind or id."""
    if kind not in KINDS:
        abort(404)
    return db.session.get(KINDS[kind].model, item_id) or abort(404)


def _choice(field: str, options: dict):
    """The meaning of a posted button value; anything else is a bad request."""
    value = request.form.get(field)
    if value not in options:
        abort(400)
    return options[value]


@bp.route("/reasons/")
@admin_required
def reasons():
    """Categories in order with their reasons, each reason's use, and the recent changes.

    A brand-new team gets the default taxonomy here, so the page never starts empty.
    """
    defaults.ensure_defaults()
    return _render("reasons")


@bp.route("/competitors/")
@admin_required
def competitors():
    """The competitors in order, how many accounts each took, and the recent changes."""
    defaults.ensure_defaults()
    return _render("competitors")


@bp.route("/<page>/changes")
@admin_required
def changes(page):
    """The recent-changes panel of a page, reloaded after each inline change."""
    if page not in TEMPLATES:
        abort(404)
    return _render(page, "changes")


@bp.route("/reasons/", methods=["POST"])
@admin_required
def add_category():
    """Add a category at the end of the taxonomy."""
    return _add("categories", taxonomy.add_category)


@bp.route("/competitors/", methods=["POST"])
@admin_required
def add_competitor():
    """Add a competitor at the end of the list."""
    return _add("competitors", taxonomy.add_competitor)


def _add(kind: str, add):
    """Add a category or competitor from the form beside the list."""
    form = NameForm()
    if form.validate_on_submit():
        try:
            item = add(form.name.data, current_user)
        except RuleViolation as violation:
            show_violation(form, violation, "name")
        else:
            return _done(kind, item, f"Added “{item.name}”.", "panel", 201, added=item)
    return _render(KINDS[kind].page, "panel", 422, add_form=form)


@bp.route("/categories/<int:item_id>/reasons", methods=["POST"])
@admin_required
def add_reason(item_id):
    """Add a reason at the end of a category."""
    category = _entry("categories", item_id)
    form = NameForm()
    if form.validate_on_submit():
        try:
            reason = taxonomy.add_reason(category, form.name.data, current_user)
        except RuleViolation as violation:
            show_violation(form, violation, "name")
        else:
            # The field comes back focused and empty, ready for the next reason.
            return _done(
                "categories",
                category,
                f"Added “{reason.name}” to {category.name}.",
                "category",
                201,
                reason_form=NameForm(formdata=None),
                reason_form_for=category.id,
            )
    return _render(
        "reasons", "category", 422, category, reason_form=form, reason_form_for=category.id
    )


@bp.route("/<kind>/<int:item_id>/rename", methods=["GET", "POST"])
@admin_required
def rename(kind, item_id):
    """Rename in place: GET puts a name field where the name was (for a reason, also what
    customers read of it), POST saves it."""
    item = _entry(kind, item_id)
    old_name = item.name
    form = ReasonForm(obj=item) if kind == "reasons" else NameForm(obj=item)
    if form.validate_on_submit():
        wording = form.customer_wording.data if kind == "reasons" else None
        try:
            taxonomy.rename(item, form.name.data, current_user, wording)
        except RuleViolation as violation:
            show_violation(form, violation, "name")
        else:
            message = (
                f"Saved “{item.name}”."
                if item.name == old_name
                else f"Renamed “{old_name}” to “{item.name}”."
            )
            return _done(kind, item, message, KINDS[kind].entry_block)
    status = 422 if form.errors else 200
    return _render(
        KINDS[kind].page,
        KINDS[kind].entry_block,
        status,
        item,
        editing=_key(item),
        name_form=form,
    )


@bp.route("/<kind>/<int:item_id>/move", methods=["POST"])
@admin_required
def move(kind, item_id):
    """Move an entry one place up or down in its list."""
    item = _entry(kind, item_id)
    taxonomy.move(item, _choice("direction", MOVES), current_user)
    message = f"Moved “{item.name}” {request.form['direction']}."
    return _done(kind, item, message, KINDS[kind].list_block)


@bp.route("/<kind>/<int:item_id>/retired", methods=["POST"])
@admin_required
def set_retired(kind, item_id):
    """Retire an entry (kept on the accounts that use it, no longer offered) or restore it."""
    item = _entry(kind, item_id)
    retired = _choice("retired", RETIRE)
    taxonomy.set_retired(item, retired, current_user)
    message = (
        f"Retired “{item.name}”: accounts keep it, new choices no longer offer it."
        if retired
        else f"Restored “{item.name}”."
    )
    return _done(kind, item, message, KINDS[kind].list_block)


@bp.route("/<kind>/<int:item_id>/delete", methods=["POST"])
@admin_required
def delete(kind, item_id):
    """Delete an entry nothing uses; an entry in use stays, with the reason shown beside it."""
    item = _entry(kind, item_id)
    name = item.name
    # What is left to show afterwards: a reason's category, or the whole list.
    parent = item.category if isinstance(item, LossReason) else None
    try:
        taxonomy.delete(item, current_user)
    except RuleViolation as violation:
        return _render(
            KINDS[kind].page,
            KINDS[kind].list_block,
            422,
            parent or item,
            row_errors={_key(item): violation.message},
        )
    return _done(kind, parent, f"Deleted “{name}”.", KINDS[kind].list_block)
