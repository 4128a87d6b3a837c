"""Accounts in a real browser: active search, inline contact edits, bulk changes, conflicts."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_contact, make_user
from winback_app.accounts.models import Account, Contact
from winback_app.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def rep(app_ctx):
    return make_user(name="Rita Rep", email="rita@example.com")


def test_active_search_narrows_the_list_and_the_url_follows(page, rep):
    for name in ("Harbor Logistics", "Harbor Dental", "Orion Print"):
        make_account(name=name)
    log_in(page, "rita@example.com")
    page.goto("/accounts/")
    mark_page(page)
    rows = page.locator("#account-results tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_label("Search").press_sequentially("harb", delay=40)
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/accounts/\?q=harb"))
    page.get_by_label("Search").fill("orion")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=orion"))
    page.get_by_label("Kind").select_option("lost_deal")
    expect(page.locator("#account-results")).to_contain_text("No account matches these filters")
    expect(page).to_have_url(re.compile(r"kind=lost_deal"))
    assert still_same_page(page)
    page.go_back()
    expect(rows).to_have_count(1)
    expect(page.locator("#account-results")).to_contain_text("Orion Print")
    # The bookmarked URL gives the same list on a fresh load.
    page.goto("/accounts/?q=harb")
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Search")).to_have_value("harb")


def test_pages_swap_in_place_keep_the_filters_and_work_without_javascript(browser, page, rep):
    for n in range(30):
        make_account(name=f"Acme {n:02d}", kind="lost_deal")
    make_account(name="Other Co")
    log_in(page, "rita@example.com")
    page.goto("/accounts/?kind=lost_deal&sort=name&direction=asc")
    mark_page(page)
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"kind=lost_deal&sort=name&direction=asc&page=2$"))
    expect(page.locator("#account-results")).to_contain_text("Showing 26–30 of 30")
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
    assert still_same_page(page)
    page.get_by_role("link", name="Previous").click()
    expect(page.locator("#account-results .account-link").first).to_have_text("Acme 00")
    # Without JavaScript the same links load whole pages.
    plain = browser.new_context(base_url=page.url.split("/accounts")[0], java_script_enabled=False)
    tab = plain.new_page()
    log_in(tab, "rita@example.com")
    tab.goto("/accounts/?kind=lost_deal&sort=name&direction=asc")
    tab.get_by_role("link", name="2", exact=True).click()
    expect(tab).to_have_url(re.compile(r"kind=lost_deal&sort=name&direction=asc&page=2$"))
    expect(tab.locator("#account-results")).to_contain_text("Acme 29")
    plain.close()


def test_sorting_and_bulk_status_change_without_reload(page, rep):
    for name in ("Beta", "Alpha", "Gamma"):
        make_account(name=name)
    log_in(page, "rita@example.com")
    page.goto("/accounts/")
    mark_page(page)
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    names = page.locator("#account-results .account-link")
    expect(names).to_have_text(["Gamma", "Beta", "Alpha"])
    page.get_by_label("Select Alpha").check()
    page.get_by_label("Select Beta").check()
    page.get_by_label("New status").select_option("researching")
    page.get_by_role("button", name="Set status").click()
    expect(page.locator("#flash")).to_contain_text("2 accounts changed.")
    expect(page.locator("#account-results")).to_contain_text("Researching")
    assert still_same_page(page)
    db.session.expire_all()
    statuses = {a.name: a.status for a in db.session.query(Account)}
    assert statuses == {"Alpha": "researching", "Beta": "researching", "Gamma": "new"}


def test_a_contact_is_edited_inline(page, rep):
    account = make_account(name="Harbor Logistics")
    contact = make_contact(account, name="Ann Lee", email="ann@harbor.example")
    log_in(page, "rita@example.com")
    page.goto(f"/accounts/{account.id}")
    mark_page(page)
    page.get_by_role("link", name="Edit Ann Lee").click()
    row = page.locator(f"#contact-{contact.id}")
    row.get_by_label("Email", exact=True).fill("not-an-email")
    row.get_by_role("button", name="Save contact").click()
    expect(page.locator(f"#contact-{contact.id}")).to_contain_text("name@example.com")
    row = page.locator(f"#contact-{contact.id}")
    row.get_by_label("Email", exact=True).fill("ann.lee@harbor.example")
    row.get_by_label("Title").fill("Head of Operations")
    row.get_by_role("button", name="Save contact").click()
    expect(page.locator("#contacts")).to_contain_text("Head of Operations")
    expect(page.locator("#account-history")).to_contain_text("Head of Operations")
    assert still_same_page(page)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).email == "ann.lee@harbor.example"


def test_a_section_is_edited_in_place_and_the_header_follows(page, rep):
    account = make_account(name="Harbor Logistics", status="new")
    log_in(page, "rita@example.com")
    page.goto(f"/accounts/{account.id}")
    mark_page(page)
    page.get_by_role("link", name="Edit Facts").click()
    section = page.locator("#section-facts")
    section.get_by_label("Lost on").fill("2999-01-01")
    section.get_by_role("button", name="Save").click()
    expect(page.locator("#section-facts")).to_contain_text("cannot be in the future")
    page.locator("#section-facts").get_by_label("Lost on").fill("2026-02-03")
    page.locator("#section-facts").get_by_label("Win-back status").select_option("discovery")
    page.locator("#section-facts").get_by_role("button", name="Save").click()
    expect(page.locator("#account-header")).to_contain_text("Discovery")
    expect(page.locator("#account-history")).to_contain_text("New → Discovery")
    assert still_same_page(page)


def test_two_people_editing_the_same_account_get_a_conflict(browser, live_server, rep):
    make_user(name="Sam Second", email="sam@example.com")
    account = make_account(name="Harbor Logistics", status="new")
    pages = []
    for email in ("rita@example.com", "sam@example.com"):
        context = browser.new_context(base_url=live_server.url)
        tab = context.new_page()
        log_in(tab, email)
        tab.goto(f"/accounts/{account.id}")
        tab.get_by_role("link", name="Edit Facts").click()
        expect(tab.locator("#section-facts form")).to_be_visible()
        pages.append(tab)
    rita, sam = pages
    rita.locator("#section-facts").get_by_label("Win-back status").select_option("contacting")
    rita.locator("#section-facts").get_by_role("button", name="Save").click()
    expect(rita.locator("#account-header")).to_contain_text("Contacting")

    sam.locator("#section-facts").get_by_label("Win-back status").select_option("nurture")
    sam.locator("#section-facts").get_by_role("button", name="Save").click()
    warning = sam.locator("#section-facts .alert-warning")
    expect(warning).to_contain_text("Someone else changed this while you were editing")
    expect(warning).to_contain_text("Rita Rep")
    expect(warning).to_contain_text("New → Contacting")
    expect(sam.locator("#section-facts").get_by_label("Win-back status")).to_have_value("nurture")
    db.session.expire_all()
    assert db.session.get(Account, account.id).status == "contacting"

    sam.locator("#section-facts").get_by_role("button", name="Save").click()
    expect(sam.locator("#account-header")).to_contain_text("Nurture")
    db.session.expire_all()
    assert db.session.get(Account, account.id).status == "nurture"
    for tab in pages:
        tab.context.close()
