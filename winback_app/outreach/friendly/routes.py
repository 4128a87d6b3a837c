"""The friendly-losses list."""

from flask import Blueprint, request

from winback_app import htmx
from winback_app.outreach.today import services as today

bp = Blueprint("friendly", __name__, url_prefix="/outreach/friendly")


@bp.route("")
def index():
    """Friendly losses: accounts whose contact agreed to follow-ups, with the next call-back."""
    page = request.args.get("page", 1, type=int)
    return htmx.render("outreach/friendly.html", listing=today.friendly_losses(page))
