"""The accounts list, new accounts and bulk changes. Other account views live in the
routes_*.py modules of this package and register on the same blueprint."""

from flask import Blueprint, request

from .. import htmx
from . import search

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.route("/")
def index():
    """The list: search as you type, filters, sorting and pages, all carried in the URL."""
    filters = search.parse(request.args)
    return htmx.render(
        "accounts/index.html", block="results", filters=filters, page=search.page(filters)
    )
