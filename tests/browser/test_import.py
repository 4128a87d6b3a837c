"""The CSV import and export in a real browser: with htmx, without JavaScript, downloads."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_competitor, make_reason
from winback_app.accounts.models import Account
from winback_app.extensions import db

pytestmark = pytest.mark.browser

FILE = (
    "\ufeffCompany;Closed Lost Date;Amount;Lost to;Loss reason;Contact;Email\r\n"
    "Harbour Foods;31/01/2026;12.500,00;Northpeak;Too high;Dana Whitfield;dana@harbour.example\r\n"
    "Orion Print;someday;900;;;;\r\n"
    "Quiet Dental;13/02/2026;€ 4 000;No decision;Price: Too high;Sam Smith;not-an-email\r\n"
    "Atlas Freight;02/03/2026;7000;Northpeak;;;\r\n"
).encode()


def _upload(page, data: bytes = FILE) -> None:
    page.goto("/accounts/import")
    page.get_by_label("CSV file", exact=True).set_input_files(
        files=[{"name": "crm-export.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns")


def _names() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Account.name)))


@pytest.fixture
def lists(app):
    make_reason("Price", "Too high")
    make_competitor("Northpeak")


def test_good_and_bad_rows_are_previewed_then_imported(page, admin_user, lists):
    log_in(page, "ada@example.com")
    _upload(page)
    expect(page.get_by_label("Company")).to_have_value("name")
    expect(page.get_by_label("Closed Lost Date")).to_have_value("lost_on")
    page.get_by_role("button", name="Check the rows").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the rows")
    expect(page.locator(".import-go")).to_contain_text("2 rows are invalid")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)
    bad = page.locator("tr", has_text="Orion Print")
    expect(bad).to_contain_text("Lost on: “someday” is not a date")
    expect(page.locator("tr", has_text="Harbour Foods")).to_contain_text("€12,500")

    # The row filter swaps the table in place and keeps the address shareable.
    mark_page(page)
    page.get_by_role("link", name="Invalid 2").click()
    expect(page).to_have_url(re.compile(r"show=invalid$"))
    expect(page.locator("#preview-rows tbody tr")).to_have_count(2)
    assert still_same_page(page)

    page.get_by_role("link", name="Change the matching or options").click()
    page.get_by_label("Skip invalid rows and import the others").check()
    page.get_by_role("button", name="Check the rows").click()
    page.get_by_role("button", name="Import 2 rows").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished")
    expect(page.locator("main .alert-success")).to_contain_text("2 accounts created and 0 updated.")
    assert _names() == {"Harbour Foods", "Atlas Freight"}
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the skipped rows (CSV)").click()
    report = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(report), delimiter=";"))
    assert rows[0][-1] == "errors"
    assert [row[0] for row in rows[1:]] == ["Orion Print", "Quiet Dental"]
    assert "not a date" in rows[1][-1] and "Contact email" in rows[2][-1]
    assert page.console_errors == []


def test_the_import_works_without_javascript(browser, live_server, admin_user, lists):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "ada@example.com")
    _upload(page, b"Name;Lost to\nNorth Co;Northpeak\nSouth Co;Rival Ltd\n")
    page.get_by_label("Add the reasons and competitors Winback does not know yet").check()
    page.get_by_role("button", name="Check the rows").click()
    expect(page.locator(".import-unknown")).to_contain_text("Rival Ltd")
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator(".import-summary")).to_contain_text("Rival Ltd")
    assert _names() == {"North Co", "South Co"}
    context.close()


def test_the_export_downloads_from_the_real_server(page, admin_user):
    for n in range(3):
        make_account(name=f"=Account {n}")
    log_in(page, "ada@example.com")
    response = page.request.get("/accounts/export.csv?sort=name&direction=asc")
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert [row["Name"] for row in rows] == ["'=Account 0", "'=Account 1", "'=Account 2"]
