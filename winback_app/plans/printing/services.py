"""The printable plan summary: what the document shows, and its PDF rendering."""

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.plans.evidence import services as evidence
from winback_app.plans.evidence.models import Evidence
from winback_app.plans.models import Plan


@dataclass(frozen=True)
class PrintedSolution:
    """One solution as printed: its text and the evidence behind it."""

    text: str
    evidence: Evidence | None
    # The metric as people read it, e.g. "returns 4.0% → 0.2% (−95%)"; "" without one.
    metric: str


@dataclass(frozen=True)
class PlanDocument:
    """Everything the printed plan shows, loaded up front so the template runs no queries."""

    plan: Plan
    solutions: list[PrintedSolution]
    action_items: list[ActionItem]


def load_document(plan: Plan) -> PlanDocument:
    """What the document shows of ``plan``, loaded with its account, people, solutions and
    evidence (as ``routes_plans.load_plan`` does): one more query for the action items with
    their owners and partners, whatever their number.
    """
    items = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.plan_id == plan.id)
        .options(joinedload(ActionItem.owner), joinedload(ActionItem.partner))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    ).all()
    solutions = [
        PrintedSolution(s.text, s.evidence, evidence.metric_text(s.evidence) if s.evidence else "")
        for s in plan.solutions
    ]
    return PlanDocument(plan, solutions, list(items))


def static_only_fetcher(root: str | Path):
    """A WeasyPrint URL fetcher that reads files under ``root`` and refuses everything else.

    The document is rendered on the server, so it must never reach the network (the intranet
    may have none, and a fetch could be pointed at internal hosts).
    """
    # Imported here: WeasyPrint loads Pango, which nothing else in the app needs.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = Path(root).resolve()

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(root) or not path.is_file():
                raise ValueError(f"Only local static files may be loaded, not {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesOnly()


def render_pdf(html: str, base_url: str | Path) -> bytes:
    """Render the print page's HTML to PDF bytes; relative links resolve under ``base_url``,
    and only files there are read."""
    from weasyprint import HTML

    root = Path(base_url).resolve()
    document = HTML(
        string=html, base_url=f"{root.as_uri()}/", url_fetcher=static_only_fetcher(root)
    )
    return document.write_pdf()
