"""The team's settings page (admins): currency, call-back timing and the charity list."""

from flask import Blueprint, flash, redirect, url_for

from winback_app import htmx
from winback_app.core.settings import services as team_settings
from winback_app.core.settings.forms import SettingsForm
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import admin_required

bp = Blueprint("settings", __name__, url_prefix="/admin/settings")

SETTINGS_FIELDS = (
    "currency",
    "callback_start_percent",
    "callback_interval_months",
    "nurture_interval_months",
    "charities",
    "donation_amount",
)


@bp.route("/", methods=["GET", "POST"])
@admin_required
def edit():
    """The team's settings: currency, and when automatic call-backs fall due."""
    form = SettingsForm(obj=team_settings.get())
    saved = None
    if form.validate_on_submit():
        values = {name: form[name].data for name in SETTINGS_FIELDS}
        try:
            team_settings.update(**values)
        except RuleViolation as violation:
            show_violation(form, violation, "currency")
        else:
            saved = "Settings saved. New call-backs follow the new timing."
            if not htmx.is_partial():
                flash(saved, "success")
                return redirect(url_for("settings.edit"), 303)
    status = 422 if form.errors else 200
    return htmx.render(
        "admin/settings.html", block="settings_panel", status=status, form=form, saved=saved
    )
