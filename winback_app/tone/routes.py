"""The tone check's list of words and phrases, kept by admins."""

from flask import Blueprint, abort, flash, redirect, url_for
from sqlalchemy import select

from winback_app import htmx
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import admin_required
from winback_app.tone import rules as tone_rules
from winback_app.tone.forms import ToneRuleForm
from winback_app.tone.models import TONE_KINDS, ToneRule

bp = Blueprint("tone", __name__, url_prefix="/plans/tone-rules")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def rules():
    """The tone check's words and phrases: add one here, remove one from its row."""
    form = ToneRuleForm()
    if form.validate_on_submit():
        try:
            tone_rules.add_rule(form.phrase.data, form.kind.data, form.suggestion.data)
        except RuleViolation as violation:
            show_violation(form, violation, "phrase")
        else:
            flash("Phrase added.", "success")
            return redirect(url_for("tone.rules"), 303)
    status = 422 if form.is_submitted() else 200
    return htmx.render(
        "plans/tone_rules.html",
        status=status,
        rules=tone_rules.rules(),
        kinds=TONE_KINDS,
        form=form,
    )


@bp.route("/<int:rule_id>/remove", methods=["POST"])
@admin_required
def remove_rule(rule_id):
    """Take a phrase off the tone check's list."""
    rule = db.session.scalar(select(ToneRule).where(ToneRule.id == rule_id)) or abort(404)
    tone_rules.remove_rule(rule)
    flash("Phrase removed.", "success")
    return redirect(url_for("tone.rules"), 303)
