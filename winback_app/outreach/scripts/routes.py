"""Outreach scripts: the list with a preview for a chosen contact, and create, edit, delete."""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.accounts.models import Contact
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.outreach.scripts import merge
from winback_app.outreach.scripts import services as scripts
from winback_app.outreach.scripts.forms import ScriptForm
from winback_app.outreach.scripts.models import SCRIPT_KINDS, Script
from winback_app.rules import RuleViolation
from winback_app.sections import EditConflict, version_of
from winback_app.security import writer_required

bp = Blueprint("scripts", __name__, url_prefix="/outreach/scripts")

SEARCH_MAX = 100
CONFLICT = (
    "Someone else saved this script after you opened it. Their version is shown; "
    "your text is still in the form. Save again to replace theirs."
)


def _chosen_contact() -> Contact | None:
    """The contact in ?contact_id= (None: sample values); an unknown one is a 404."""
    raw = request.args.get("contact_id", "")
    if not raw:
        return None
    if not raw.isdigit():
        abort(404)
    return db.get_or_404(Contact, int(raw))


def _script_page(script: Script, block: str | None = None):
    q = request.args.get("q", "").strip()[:SEARCH_MAX]
    contact = _chosen_contact()
    try:
        preview, preview_error = scripts.preview(script, contact, current_user), None
    except RuleViolation as violation:
        preview, preview_error = None, violation.message
    return htmx.render(
        "outreach/scripts.html",
        block=block,
        scripts=scripts.list_scripts(),
        kinds=SCRIPT_KINDS,
        script=script,
        q=q,
        contact=contact,
        contacts=scripts.find_contacts(q, contact.id if contact else None),
        preview=preview,
        preview_error=preview_error,
    )


@bp.route("/")
def index():
    """The scripts, the first one previewed; a team without scripts gets the two examples."""
    scripts.ensure_defaults()
    return _script_page(scripts.list_scripts()[0])


@bp.route("/<int:script_id>")
def detail(script_id):
    """One script with its preview; a partial request refreshes the contacts to choose from."""
    return _script_page(db.get_or_404(Script, script_id), block="contacts")


@bp.route("/<int:script_id>/preview")
def preview(script_id):
    """The script rendered for the chosen contact (a partial request gets the preview only)."""
    return _script_page(db.get_or_404(Script, script_id), block="preview")


def _values(form: ScriptForm) -> dict:
    return {name: form[name].data for name in ("kind", "name", "subject", "body")}


def _form_page(form: ScriptForm, script: Script | None, status: int = 200, conflict=False):
    return htmx.render(
        "outreach/script_form.html",
        block="form",
        status=status,
        form=form,
        script=script,
        conflict=conflict,
        fields=merge.fields().values(),
        filters=merge.FILTERS,
    )


def _saved(script: Script):
    flash(f"“{script.name}” was saved.", "success")
    return htmx.redirect(url_for("scripts.detail", script_id=script.id))


@bp.route("/new", methods=["GET", "POST"])
@writer_required
def new():
    """Write a new script; it is saved only when it renders with the documented fields."""
    form = ScriptForm()
    if form.validate_on_submit():
        try:
            return _saved(scripts.create_script(_values(form), current_user))
        except RuleViolation as violation:
            show_violation(form, violation, "body")
    return _form_page(form, None, 422 if request.method == "POST" else 200)


@bp.route("/<int:script_id>/edit", methods=["GET", "POST"])
@writer_required
def edit(script_id):
    """Edit a script; a save made by someone else meanwhile is shown, not overwritten."""
    script = db.get_or_404(Script, script_id)
    form = ScriptForm(obj=script)
    if request.method == "GET":
        form.version.data = version_of(script)
    elif form.validate_on_submit():
        try:
            scripts.update_script(script, _values(form), form.version.data or "")
            return _saved(script)
        except EditConflict as conflict:
            form.form_errors.append(CONFLICT)
            form.version.data = conflict.current_version
            return _form_page(form, script, 409, conflict=True)
        except RuleViolation as violation:
            show_violation(form, violation, "body")
    return _form_page(form, script, 422 if request.method == "POST" else 200)


@bp.route("/<int:script_id>/delete", methods=["POST"])
def delete(script_id):
    """Delete a script."""
    script = db.get_or_404(Script, script_id)
    name = script.name
    scripts.delete_script(script)
    flash(f"“{name}” was deleted.", "success")
    return htmx.redirect(url_for("scripts.index"))
