"""The reports page (losses, reasons, win-back, reach) and a CSV download for each table."""

from flask import Blueprint, request, url_for

from winback_app import htmx
from winback_app.accounts.models import KINDS
from winback_app.downloads import csv_download
from winback_app.formatting import today_local
from winback_app.reports import figures, filters, services, tables

bp = Blueprint("reports", __name__, url_prefix="/reports")

PAGE = "reports/index.html"


def _figures(form: filters.FilterForm, today) -> dict:
    """Every report for valid filters (none for filters that could not be used)."""
    if not form.valid:
        return {}
    report = {
        "losses": services.losses(form.filters),
        "reasons": services.reasons(form.filters),
        "win_back": services.win_back(form.filters),
        "reach": services.reach(form.filters, today),
    }
    pairs = tables.category_pairs(report["reasons"])
    return {**report, "pairs": pairs, "charts": figures.draw(**report)}


def _page(form: filters.FilterForm | None, owners=(), **context):
    """The page, or its reports block for a partial request; 400 when a filter is unusable."""
    status = 400 if form is not None and not form.valid else 200
    response = htmx.render(
        PAGE,
        block="reports",
        status=status,
        form=form,
        owners=owners,
        periods=filters.PERIODS,
        kinds=KINDS,
        tables=tables.TABLES,
        review=request.args.get("review") == "1",
        **context,
    )
    if htmx.is_partial():
        # The address bar shows the filters in their short form, and never unusable ones.
        pushed = url_for("reports.index", **form.args()) if form and form.valid else "false"
        response.headers["HX-Push-Url"] = pushed
    return response


@bp.route("/")
def index():
    """Losses, reasons, win-back and reach for the period and filters in the query string."""
    if services.is_empty():
        return _page(None, empty=True)
    today = today_local()
    owners = filters.owner_choices()
    form = filters.parse(request.args, today, owners)
    return _page(form, owners, **_figures(form, today))


@bp.route("/<any(" + ", ".join(f'"{name}"' for name in tables.TABLES) + "):table>.csv")
def table_csv(table):
    """One table as CSV, for the same filters as the page (the page with messages, 400, when
    a filter is unusable)."""
    today = today_local()
    owners = filters.owner_choices()
    form = filters.parse(request.args, today, owners)
    if not form.valid:
        return _page(form, owners)
    return csv_download(
        tables.csv_text(table, form.filters, today), tables.filename(table, form.filters)
    )
