"""The printable plan summary and its PDF."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories import make_account, make_plan
from tests.helpers import QueryCounter
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.plans.printing import services as printing

HEADINGS = (
    "Our relationship",
    "What caused the defection",
    "Your needs now",
    "Our commitment",
    "What's different now",
    "Our offer",
)


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_of_a_typical_plan_fits_two_pages_with_every_section(member_client):
    plan = make_plan(make_account(name="Harbour Print Ltd"))
    response = member_client.get(f"/plans/{plan.id}.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    pages, text = _pdf_text(response.data)
    assert 1 <= pages <= 2
    for heading in HEADINGS:
        assert heading in text.replace("\u2019", "'")
    assert "Harbour Print Ltd" in text
    assert "TEST COMPANY" in text.upper()
    assert "Rita Rep" in text


def test_pdf_fits_two_pages_on_letter_paper_too(app, app_ctx):
    plan = make_plan()
    with app.test_request_context():
        from winback_app.plans.printing.routes import _render

        html = _render(plan.id, for_pdf=True)[1]
    letter = html.replace("</head>", "<style>@page { size: letter; }</style></head>")
    pages, text = _pdf_text(printing.render_pdf(letter, app.static_folder))
    assert pages <= 2
    assert "Our offer" in text


def test_pdf_renderer_never_fetches_from_the_network(app, tmp_path):
    html = (
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<img src="file:///etc/passwd"><p>Still rendered</p>'
    )
    _, text = _pdf_text(printing.render_pdf(html, app.static_folder))
    assert "Still rendered" in text
    fetcher = printing.static_only_fetcher(app.static_folder)
    for url in ("http://127.0.0.1:9/evil.css", "file:///etc/passwd", "ftp://example.com/x"):
        with pytest.raises(ValueError, match="Only local static files"):
            fetcher.fetch(url)
    css = Path(app.static_folder) / "print_plan.css"
    assert fetcher.fetch(css.as_uri()) is not None


def test_print_view_is_a_clean_document(member_client):
    plan = make_plan(cause_statement="Their product is rubbish and you were wrong to leave.")
    response = member_client.get(f"/plans/{plan.id}/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for heading in ("Our relationship", "Your needs now", "Our offer"):
        assert heading in html
    assert "What&#39;s different now" in html or "What's different now" in html
    for absent in ("<nav", "<button", "<form", "site-header", "tone"):
        assert absent not in html
    assert "print_plan.css" in html
    assert "Download PDF" in html and "data-print" in html
    assert "late deliveries 12% → 1% (−92%)" in html


def test_print_view_runs_a_constant_number_of_queries(app, member_client):
    small = make_plan()
    big = make_plan()
    for n in range(5):
        db.session.add(ActionItem(account_id=big.account_id, plan_id=big.id, what=f"Call {n}"))
    db.session.commit()
    with QueryCounter(db.engine) as first:
        member_client.get(f"/plans/{small.id}/print")
    with QueryCounter(db.engine) as second:
        member_client.get(f"/plans/{big.id}/print")
    assert first.count == second.count


def test_a_metric_with_a_before_of_zero_shows_the_values(member_client):
    plan = make_plan()
    evidence = plan.solutions[2].evidence
    assert evidence.metric_before == Decimal(0)
    html = member_client.get(f"/plans/{plan.id}/print").get_data(as_text=True)
    assert "sites served 0 → 4 (+4)" in html
    response = member_client.get(f"/plans/{plan.id}.pdf")
    assert response.status_code == 200


def test_empty_sections_are_left_out(member_client):
    plan = make_plan(customer_offer="", customer_needs="  ")
    html = member_client.get(f"/plans/{plan.id}/print").get_data(as_text=True)
    assert "<h2>Our offer" not in html and "<h2>Your needs now" not in html
    assert "<h2>Our commitment" in html


def test_unknown_plans_are_404(member_client):
    assert member_client.get("/plans/999/print").status_code == 404
    assert member_client.get("/plans/999.pdf").status_code == 404


def test_viewers_may_print(viewer_client):
    plan = make_plan()
    assert viewer_client.get(f"/plans/{plan.id}/print").status_code == 200
    assert viewer_client.get(f"/plans/{plan.id}.pdf").status_code == 200


def test_anonymous_visitors_go_to_the_login_page(app_ctx, client):
    plan = make_plan()
    response = client.get(f"/plans/{plan.id}.pdf")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
