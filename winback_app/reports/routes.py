"""The reports page (losses, reasons, win-back, reach) and a CSV download for each table."""

from flask import Blueprint, request, url_for

from winback_app import htmx
from winback_app.accounts.models import KINDS
from winback_app.downloads import csv_download
from winback_app.formatting import today_local
from winback_app.reports import figures, filters, services, tables
from winback_app.reports.forms import ReportFilterForm

bp = Blueprint("reports", __name__, url_prefix="/reports")

PAGE = "reports/index.html"


def _figures(chosen: filters.Filters | None, today) -> dict:
    """Every report for usable filters (none for filters that could not be used)."""
    if chosen is None:
        return {}
    report = {
        "losses": services.losses(chosen),
        "reasons": services.reasons(chosen),
        "win_back": services.win_back(chosen),
        "reach": services.reach(chosen, today),
    }
    pairs = tables.category_pairs(report["reasons"])
    # An empty period points to the nearest month that has losses, so the page is never a dead end.
    nearest = services.nearest_loss_month(chosen) if not report["losses"].total.accounts else None
    return {**report, "pairs": pairs, "charts": figures.draw(**report), "nearest": nearest}


def _page(form: ReportFilterForm | None, chosen=None, **context):
    """The page, or its reports block for a partial request; 400 when a filter is unusable."""
    status = 400 if form is not None and chosen is None else 200
    response = htmx.render(
        PAGE,
        block="reports",
        status=status,
        form=form,
        filters=chosen,
        kinds=KINDS,
        tables=tables.TABLES,
        review=request.args.get("review") == "1",
        **context,
    )
    if htmx.is_partial():
        # The address bar shows the filters in their short form, and never unusable ones.
        pushed = url_for("reports.index", **form.args()) if chosen else "false"
        response.headers["HX-Push-Url"] = pushed
    return response


def _form(today) -> ReportFilterForm:
    return ReportFilterForm(today, filters.owner_choices())


@bp.route("/")
def index():
    """Losses, reasons, win-back and reach for the period and filters in the query string."""
    if services.is_empty():
        return _page(None, empty=True)
    today = today_local()
    form = _form(today)
    chosen = form.resolve()
    return _page(form, chosen, **_figures(chosen, today))


@bp.route("/<any(" + ", ".join(f'"{name}"' for name in tables.TABLES) + "):table>.csv")
def table_csv(table):
    """One table as CSV, for the same filters as the page (the page with messages, 400, when
    a filter is unusable)."""
    today = today_local()
    form = _form(today)
    chosen = form.resolve()
    if chosen is None:
        return _page(form)
    return csv_download(tables.csv_text(table, chosen, today), tables.filename(table, chosen))
