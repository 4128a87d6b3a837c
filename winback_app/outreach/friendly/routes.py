"""The friendly-losses list."""

from flask import Blueprint

from winback_app import htmx
from winback_app.forms import PageForm
from winback_app.outreach.today import services as today

bp = Blueprint("friendly", __name__, url_prefix="/outreach/friendly")


@bp.route("")
def index():
    """Friendly losses: accounts whose contact agreed to follow-ups, with the next call-back."""
    page = PageForm().page.data
    return htmx.render("outreach/friendly.html", listing=today.friendly_losses(page))
