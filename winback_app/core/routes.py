"""Home page and health check."""

from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user

from winback_app import htmx
from winback_app.core import services
from winback_app.formatting import today_local
from winback_app.reports.summary import lead_summary
from winback_app.security import public

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    """Members go to their Today list; leads (admins and viewers) get the team's home with
    last month's losses and win-back at a glance, as the Reports page counts them."""
    if current_user.role == "member" and "today.index" in current_app.view_functions:
        return redirect(url_for("today.index"))
    return htmx.render(
        "core/home.html", team=services.team_summary(), summary=lead_summary(today_local())
    )


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers, 503 when it does not (for load balancers)."""
    if services.database_answers():
        return {"status": "ok"}, 200
    return {"status": "unavailable", "database": "not answering"}, 503
