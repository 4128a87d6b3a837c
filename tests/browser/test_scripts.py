"""Scripts in a real browser: choosing a contact swaps the preview in place."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_contact, make_user
from winback_app.outreach.scripts import services as scripts

pytestmark = pytest.mark.browser


def test_choosing_a_contact_renders_the_preview_without_reload(page, app_ctx):
    make_user(name="Rita Rep", email="rita@example.com", title="Account manager")
    harbor = make_account(name="Harbor Dental")
    alex = make_contact(harbor, name="Alex Morgan", email="alex@harbor.example")
    script = scripts.create_script(
        {
            "kind": "email",
            "name": "Check-in",
            "subject": "{{ contact_first_name }}, 15 minutes for {{ company_name }}?",
            "body": "Hi {{ contact_first_name }},\nThanks from {{ sender_name }}.",
        },
        None,
    )
    log_in(page, "rita@example.com")
    page.goto(f"/outreach/scripts/{script.id}")
    mark_page(page)
    expect(page.locator("#preview-subject")).to_have_text("Alex, 15 minutes for Test Company?")
    page.get_by_label("Find a contact").press_sequentially("harbor", delay=30)
    page.get_by_label("Preview for").select_option(label="Alex Morgan — Harbor Dental")

    expect(page.locator("#preview")).to_contain_text("For Alex Morgan at Harbor Dental")
    expect(page.locator("#preview-body")).to_have_text("Hi Alex,\nThanks from Rita Rep.")
    assert still_same_page(page)
    mailto = page.get_by_role("link", name="Open in mail client").get_attribute("href")
    link = urlsplit(mailto)
    assert link.path == "alex@harbor.example"
    assert parse_qs(link.query)["subject"] == ["Alex, 15 minutes for Test Company?"]
    # The preview's address is bookmarkable.
    pushed = urlsplit(page.url)
    assert pushed.path == f"/outreach/scripts/{script.id}/preview"
    assert parse_qs(pushed.query) == {"q": ["harbor"], "contact_id": [str(alex.id)]}
    # With JavaScript the copy buttons show, and copying says so.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = page.locator('[data-copy="#preview-subject"]')
    expect(copy).to_have_text("Copy subject")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "Alex, 15 minutes for Test Company?"
    assert page.console_errors == []
