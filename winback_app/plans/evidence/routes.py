"""The evidence library: list and filter, add and edit, approve, retire, delete, proof files."""

from flask import Blueprint, abort, flash, make_response, request, send_file, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.accounts import choices
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.plans.evidence import services as library
from winback_app.plans.evidence.forms import EvidenceFilterForm, EvidenceForm
from winback_app.plans.evidence.models import Evidence
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

FILTERS = {"approved": True, "pending": False}
VALUE_FIELDS = (
    "title",
    "what_changed",
    "effective_on",
    "metric_name",
    "metric_before",
    "metric_after",
    "metric_unit",
    "proof_url",
)


@bp.route("/")
def index():
    """The library, filtered by a loss reason it answers and by approval."""
    filters = EvidenceFilterForm()
    reasons = choices.reason_ids(choices.reason_groups())
    return htmx.render(
        "plans/evidence.html",
        block="results",
        items=library.library(filters.reason_id.data, FILTERS.get(filters.show.data)),
        filters=filters.offer(reasons),
        metric_text=library.metric_text,
    )


def _form_page(form: EvidenceForm, evidence: Evidence | None, status: int = 200):
    keep = {reason.id for reason in evidence.reasons} if evidence else set()
    form.reason_ids.choices = choices.reason_ids(choices.reason_groups(keep))
    return htmx.render(
        "plans/evidence_form.html", block="form", status=status, form=form, evidence=evidence
    )


def _submit(form: EvidenceForm, evidence: Evidence | None):
    """Validate, check the proof file and save; a refusal re-renders the form with 422."""
    if form.validate_on_submit():
        try:
            upload = form.proof.data
            proof = library.check_proof(upload.read(), upload.filename) if upload else None
            values = {name: form[name].data for name in VALUE_FIELDS}
            if evidence is None:
                evidence = library.create(values, form.reason_ids.data, current_user, proof)
            else:
                library.update(evidence, values, form.reason_ids.data, proof)
            flash(f"“{evidence.title}” was saved.", "success")
            return htmx.redirect(url_for("evidence.index"))
        except RuleViolation as violation:
            show_violation(form, violation, "title")
    return _form_page(form, evidence, 422 if request.method == "POST" else 200)


@bp.route("/new", methods=["GET", "POST"])
@writer_required
def new():
    """Add an evidence item; it is offered in plans once approved."""
    return _submit(EvidenceForm(), None)


@bp.route("/<int:evidence_id>/edit", methods=["GET", "POST"])
@writer_required
def edit(evidence_id):
    """Edit an evidence item; leaving the file empty keeps the current proof."""
    evidence = db.get_or_404(Evidence, evidence_id)
    form = EvidenceForm(obj=evidence)
    if request.method == "GET":
        form.reason_ids.data = [reason.id for reason in evidence.reasons]
    return _submit(form, evidence)


def _card(evidence: Evidence, message: str, status: int = 200, error: str | None = None):
    """The updated card for htmx, the library again otherwise."""
    if not htmx.is_partial():
        flash(error or message, "error" if error else "success")
        return htmx.redirect(url_for("evidence.index"))
    response = htmx.render(
        "plans/_evidence_card.html",
        status=status,
        item=evidence,
        error=error,
        metric_text=library.metric_text,
    )
    return response if error else htmx.trigger(response, "flash", {"message": message})


@bp.route("/<int:evidence_id>/<any(approved, retired):flag>", methods=["POST"])
def set_flag(evidence_id, flag):
    """Approve or unapprove (value=0), retire or restore an evidence item."""
    evidence = db.get_or_404(Evidence, evidence_id)
    value = request.form.get("value", "1") != "0"
    library.set_flag(evidence, flag, value)
    words = {"approved": ("approved", "no longer approved"), "retired": ("retired", "restored")}
    return _card(evidence, f"“{evidence.title}” is {words[flag][0 if value else 1]}.")


@bp.route("/<int:evidence_id>/delete", methods=["POST"])
def delete(evidence_id):
    """Delete an evidence item no plan uses; one in use is refused with 422."""
    evidence = db.get_or_404(Evidence, evidence_id)
    title = evidence.title
    try:
        library.delete(evidence)
    except RuleViolation as violation:
        return _card(evidence, "", 422, violation.message)
    if not htmx.is_partial():
        flash(f"“{title}” was deleted.", "success")
        return htmx.redirect(url_for("evidence.index"))
    message = f"“{title}” was deleted."
    return htmx.trigger(htmx.vary(make_response("", 200)), "flash", {"message": message})


@bp.route("/<int:evidence_id>/proof")
def proof(evidence_id):
    """The uploaded proof file, shown inline with its own type and never sniffed."""
    evidence = db.get_or_404(Evidence, evidence_id)
    path = library.proof_path(evidence)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=evidence.proof_content_type,
        download_name=evidence.proof_filename or path.name,
        as_attachment=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
