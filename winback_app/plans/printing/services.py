"""The printable plan summary: what the document shows, and its PDF rendering."""

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from winback_app.plans import customer
from winback_app.plans.evidence import services as evidence
from winback_app.plans.evidence.models import Evidence
from winback_app.plans.models import Plan


@dataclass(frozen=True)
class PrintedEvidence:
    """One piece of evidence as printed: its public fields and its metric as people read it,
    e.g. "returns 4.0% → 0.2% (−95%)" ("" without one)."""

    evidence: Evidence
    metric: str


@dataclass(frozen=True)
class PlanDocument:
    """Everything the printed plan shows, loaded up front so the template runs no queries.

    The document is the customer's: it holds only words written for them. ``sections`` are
    the plan's customer texts (section → heading and text), empty ones left out. A solution's
    own words are the team's, so "what's different now" is the approved evidence behind the
    solutions (its public fields).
    ``warnings`` (sections empty or still our unedited notes) are shown on screen only.
    """

    plan: Plan
    sections: dict[str, tuple[str, str]]
    evidence: list[PrintedEvidence]
    warnings: dict[str, str]


def load_document(plan: Plan) -> PlanDocument:
    """What the document shows of ``plan`` (loaded with its account, people, solutions and
    evidence, as ``plans.routes.load_plan`` does)."""
    sections = {
        section: (customer.heading(section), customer.text(plan, section))
        for section in customer.PRINTED
    }
    shown = []
    for solution in plan.solutions:
        item = solution.evidence
        # Evidence is written for customers once approved; a retired item no longer holds.
        if item is not None and item.approved and not item.retired and item not in shown:
            shown.append(item)
    return PlanDocument(
        plan,
        {section: shown for section, shown in sections.items() if shown[1]},
        [PrintedEvidence(item, evidence.metric_text(item)) for item in shown],
        customer.warnings(plan),
    )


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
