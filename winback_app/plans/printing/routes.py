"""The plan as a clean document to take into the meeting: a print page and the same as a PDF."""

import re

from flask import Blueprint, current_app, make_response, render_template, url_for

from winback_app.formatting import today_local
from winback_app.plans.customer import PRINTED
from winback_app.plans.printing import services as printing
from winback_app.plans.routes import load_plan

bp = Blueprint("printing", __name__, url_prefix="/plans")

PRINT_TEMPLATE = "plans/print.html"
STYLESHEET = "print_plan.css"


def _render(plan_id: int, for_pdf: bool) -> tuple[printing.PlanDocument, str]:
    document = printing.load_document(load_plan(plan_id))
    # WeasyPrint reads the stylesheet from the static folder (its base URL), never over HTTP.
    stylesheet = STYLESHEET if for_pdf else url_for("static", filename=STYLESHEET)
    html = render_template(
        PRINT_TEMPLATE,
        doc=document,
        plan=document.plan,
        printed_on=today_local(),
        stylesheet=stylesheet,
        for_pdf=for_pdf,
        headings={section: heading for section, (heading, _) in PRINTED.items()},
    )
    return document, html


@bp.get("/<int:plan_id>/print")
def view(plan_id: int):
    """The plan as a printable page, with Print and Download PDF links hidden on paper."""
    return _render(plan_id, for_pdf=False)[1]


@bp.get("/<int:plan_id>.pdf")
def pdf(plan_id: int):
    """The same document rendered to PDF on the server."""
    document, html = _render(plan_id, for_pdf=True)
    response = make_response(printing.render_pdf(html, current_app.static_folder))
    response.headers["Content-Type"] = "application/pdf"
    slug = re.sub(r"[^a-z0-9]+", "-", document.plan.account.name.lower()).strip("-") or "plan"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="winback-plan-{document.plan.id}-{slug}.pdf"'
    )
    return response
