"""Home page and health check."""

from flask import Blueprint, current_app, redirect, url_for

from .. import htmx
from ..security import public
from . import services

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    """Send reps to their Today list once it exists; until then show the team's home."""
    if "outreach.today" in current_app.view_functions:
        return redirect(url_for("outreach.today"))
    return htmx.render("core/home.html", team=services.team_summary())


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers, 503 when it does not (for load balancers)."""
    if services.database_answers():
        return {"status": "ok"}, 200
    return {"status": "unavailable", "database": "not answering"}, 503
