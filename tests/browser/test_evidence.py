"""The evidence library in a real browser: approving in place, and a refused upload."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_evidence, make_user
from winback_app.demo import evidence as evidence_demo
from winback_app.extensions import db
from winback_app.plans.evidence.models import Evidence

pytestmark = pytest.mark.browser


def test_approving_swaps_the_card_in_place(page, app_ctx):
    make_user(email="rita@example.com")
    evidence_demo.seed()
    pending = make_evidence(approved=False, title="Weekend support desk")
    log_in(page, "rita@example.com")
    page.goto("/evidence/")
    mark_page(page)
    card = page.locator(f"#evidence-{pending.id}")
    expect(card).to_contain_text("Waiting for approval")
    card.get_by_role("button", name="Approve Weekend support desk").click()
    expect(card).to_contain_text("Approved")
    assert still_same_page(page) and page.console_errors == []
    db.session.expire_all()
    assert db.session.get(Evidence, pending.id).approved


def test_wrong_file_type_is_refused_with_the_typing_kept(page, app_ctx, tmp_path):
    make_user(email="rita@example.com")
    fake = tmp_path / "report.pdf"
    fake.write_text("<html>not a pdf</html>")
    log_in(page, "rita@example.com")
    page.goto("/evidence/new")
    mark_page(page)
    page.get_by_label("Title").fill("New carrier")
    page.get_by_label("Proof file").set_input_files(str(fake))
    page.get_by_role("button", name="Save evidence").click()
    expect(page.locator("#evidence-form-card")).to_contain_text("Upload a PDF, PNG or JPEG file.")
    expect(page.get_by_label("Title")).to_have_value("New carrier")
    assert still_same_page(page)
    assert db.session.query(Evidence).count() == 0
