"""The tone check's list of words and phrases, kept by admins."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from sqlalchemy import select

from winback_app import htmx
from winback_app.extensions import db
from winback_app.rules import RuleViolation
from winback_app.security import admin_required
from winback_app.tone import rules as tone_rules
from winback_app.tone.models import TONE_KINDS, ToneRule

bp = Blueprint("tone", __name__, url_prefix="/plans/tone-rules")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def rules():
    """The tone check's words and phrases: add one here, remove one from its row."""
    errors, typed, status = {}, {}, 200
    if request.method == "POST":
        typed = request.form
        try:
            tone_rules.add_rule(
                typed.get("phrase", ""), typed.get("kind", ""), typed.get("suggestion", "")
            )
        except RuleViolation as violation:
            errors, status = {violation.field: violation.message}, 422
        else:
            flash("Phrase added.", "success")
            return redirect(url_for("tone.rules"), 303)
    return htmx.render(
        "plans/tone_rules.html",
        status=status,
        rules=tone_rules.rules(),
        kinds=TONE_KINDS,
        errors=errors,
        typed=typed,
    )


@bp.route("/<int:rule_id>/remove", methods=["POST"])
@admin_required
def remove_rule(rule_id):
    """Take a phrase off the tone check's list."""
    rule = db.session.scalar(select(ToneRule).where(ToneRule.id == rule_id)) or abort(404)
    tone_rules.remove_rule(rule)
    flash("Phrase removed.", "success")
    return redirect(url_for("tone.rules"), 303)
