"""The plan's print view in a real browser: clean on paper, and at most two pages."""

import io

from pypdf import PdfReader

from tests.browser.conftest import log_in
from tests.factories import make_account, make_plan


def test_print_view_prints_cleanly_in_two_pages(page, member):
    plan = make_plan(make_account(name="Harbour Print Ltd"))
    log_in(page, member.email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/plans/{plan.id}/print")
    print_link = page.get_by_role("link", name="Print", exact=True)
    download = page.get_by_role("link", name="Download PDF")
    assert print_link.is_visible() and download.is_visible()
    page.screenshot(path="/tmp/plan-print-screen-1280.png", full_page=True)

    page.emulate_media(media="print")
    assert not print_link.is_visible() and not download.is_visible()
    page.screenshot(path="/tmp/plan-print-media.png", full_page=True)
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, prefer_css_page_size=True)
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) <= 2, paper
        assert "Our offer" in "".join(p.extract_text() for p in reader.pages)
        with open(f"/tmp/plan-print-browser-{paper}.pdf", "wb") as out:
            out.write(pdf)

    served = page.request.get(f"/plans/{plan.id}.pdf")
    assert served.headers["content-type"] == "application/pdf"
    with open("/tmp/plan-print-server.pdf", "wb") as out:
        out.write(served.body())

    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/plan-print-screen-390.png", full_page=True)
    assert page.console_errors == []
