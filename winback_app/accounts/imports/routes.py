"""CSV import (upload → match columns → check rows → import) and CSV export of the list.

Each step is a plain page with a plain form, so the import works without JavaScript; an
import belongs to the user who uploaded it, and anyone else asking for it gets a 404.
"""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.utils import secure_filename

from winback_app import htmx
from winback_app.accounts.imports import fields as import_fields
from winback_app.accounts.imports import rows as import_rows
from winback_app.accounts.imports import services as importer
from winback_app.accounts.imports.forms import TOO_LARGE, UploadForm, mapping_form
from winback_app.accounts.imports.models import AccountImport
from winback_app.accounts.models import KINDS
from winback_app.downloads import csv_download
from winback_app.errors import error_response
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import writer_required

bp = Blueprint("imports", __name__, url_prefix="/accounts/import")

UPLOAD = "accounts/import.html"
MAP = "accounts/import_map.html"
PREVIEW = "accounts/import_preview.html"
SUMMARY = "accounts/import_summary.html"


def _own_import(import_id: int) -> AccountImport:
    return importer.get(import_id, current_user) or abort(404)


def _to_summary_when_imported(upload: AccountImport):
    """An import that ran shows its summary instead of its earlier steps."""
    if upload.status == "imported":
        return redirect(url_for("imports.summary", import_id=upload.id), 303)
    return None


def _preview(upload: AccountImport, analysis, show="all", status=200, refusal=None):
    # A refused import shows the whole page, so the reason is seen above the rows.
    return htmx.render(
        PREVIEW,
        block=None if refusal else "preview_rows",
        status=status,
        upload=upload,
        analysis=analysis,
        show=show if show in import_rows.SHOW else "all",
        refusal=refusal,
        kinds=KINDS,
    )


@bp.route("", methods=["GET", "POST"])
@writer_required
def upload():
    """Step 1: upload a CSV file (a CRM export, or the sample filled in)."""
    form = UploadForm()
    if form.validate_on_submit():
        try:
            upload = importer.upload(form.file.data.filename, form.file.data.read(), current_user)
        except RuleViolation as violation:
            show_violation(form, violation, "file")
        else:
            return htmx.redirect(url_for("imports.mapping", import_id=upload.id))
    status = 422 if form.is_submitted() else 200
    return htmx.render(UPLOAD, block="upload", status=status, form=form, fields=import_fields)


@bp.errorhandler(413)
def upload_too_large(error):
    """A file above the app's request limit gets the upload page with a clear message."""
    if request.endpoint != "imports.upload":
        return error_response(413)
    form = UploadForm(formdata=None)  # the request's body is not read again
    form.file.errors = [TOO_LARGE]
    return htmx.render(UPLOAD, block="upload", status=413, form=form, fields=import_fields)


@bp.route("/sample.csv")
def sample():
    """A sample file with the columns Winback reads, to fill in or copy from."""
    return csv_download(import_fields.sample_csv(), "winback-import-sample.csv")


@bp.route("/<int:import_id>/map", methods=["GET", "POST"])
@writer_required
def mapping(import_id):
    """Step 2: match the file's columns to account fields and choose how to import."""
    upload = _own_import(import_id)
    if done := _to_summary_when_imported(upload):
        return done
    file = importer.describe(upload)
    saved = {f"column_{i}": key for i, key in enumerate(importer.columns(upload))}
    form = mapping_form(file.headers, data=saved | importer.options(upload))
    if form.validate_on_submit():
        try:
            importer.save_mapping(upload, form.columns(), form.options(), current_user)
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return htmx.redirect(url_for("imports.preview", import_id=upload.id))
    return htmx.render(
        MAP,
        block="mapping",
        status=422 if form.is_submitted() else 200,
        upload=upload,
        form=form,
        file=file,
        groups=import_fields.GROUPS,
    )


@bp.route("/<int:import_id>/preview")
@writer_required
def preview(import_id):
    """Step 3: every row as it would be imported — new, update, skipped or invalid, and why."""
    upload = _own_import(import_id)
    if done := _to_summary_when_imported(upload):
        return done
    return _preview(upload, importer.analyse(upload), request.args.get("show", "all"))


@bp.route("/<int:import_id>/run", methods=["POST"])
def run(import_id):
    """Step 4: import the rows in one transaction, then show what was done."""
    upload = _own_import(import_id)
    try:
        importer.run(upload, current_user)
    except importer.AlreadyImported:
        flash("This file was imported already. Here is what that import did.", "info")
    except importer.NotReady as refusal:
        return htmx.render(
            PREVIEW,
            status=422,
            upload=upload,
            analysis=refusal.analysis,
            show="all",
            refusal=refusal,
        )
    return htmx.redirect(url_for("imports.summary", import_id=import_id))


@bp.route("/<int:import_id>")
def summary(import_id):
    """What an import did: accounts created and updated, rows skipped, names added."""
    upload = _own_import(import_id)
    if upload.status != "imported":
        return redirect(url_for("imports.preview", import_id=upload.id), 303)
    return htmx.render(SUMMARY, upload=upload, summary=importer.summary(upload))


@bp.route("/<int:import_id>/skipped.csv")
def skipped(import_id):
    """The rows that were (or would be) skipped, with an "errors" column saying why."""
    upload = _own_import(import_id)
    stem = secure_filename(upload.filename.rsplit(".", 1)[0]) or "import"
    return csv_download(importer.skipped_csv(upload), f"{stem}-skipped-rows.csv")
