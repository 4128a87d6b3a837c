"""The loss-reason admin in a real browser: inline rename and reorder, without a reload."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in, mark_page, still_same_page
from winback_app.accounts.models import LossReason
from winback_app.extensions import db

pytestmark = pytest.mark.browser


def test_rename_a_reason_inline_and_move_it_without_a_reload(page, admin_user):
    log_in(page, "ada@example.com")
    page.goto("/admin/reasons/")
    # A marker that a reload would wipe: every change below must happen in place.
    mark_page(page)
    price = page.locator("section", has=page.get_by_role("heading", name="Price", exact=True))
    rows = price.locator("tbody tr")

    price.get_by_role("link", name="Rename Price too high").click()
    field = page.get_by_label("New name for the reason Price too high")
    expect(field).to_be_focused()
    field.fill("Too expensive")
    field.press("Enter")
    expect(rows.first).to_contain_text("Too expensive")
    expect(page.get_by_label("New name for the reason Price too high")).to_have_count(0)

    move_down = price.get_by_role("button", name="Move Too expensive down")
    move_down.click()
    expect(rows.nth(1)).to_contain_text("Too expensive")
    expect(rows.first).to_contain_text("Competitor offered a discount")
    # The list is morphed, not replaced, so the button keeps the focus for the next move.
    expect(move_down).to_be_focused()
    # The recent-changes panel reloads itself after each change.
    changes = page.locator("#recent-changes")
    expect(changes).to_contain_text("Moved reason Price › Too expensive to place 2")
    expect(changes).to_contain_text("Renamed reason Price too high → Too expensive")

    assert still_same_page(page)
    assert page.console_errors == []
    db.session.expire_all()
    reasons = db.session.scalars(
        select(LossReason.name).where(LossReason.category_id == 1).order_by(LossReason.position)
    )
    assert list(reasons)[:2] == ["Competitor offered a discount", "Too expensive"]
