"""One form, one request, one truth: however fast a search is typed and a filter ticked, the
accounts list shows the rows that match everything chosen, and the address says so too."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import make_account, make_reason, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def accounts(app, app_ctx):
    price, service = make_reason("Price", "Too expensive"), make_reason("Service", "Slow support")
    for number in range(12):
        disagree = number % 3 == 0  # 4 of the 12 "Harbor" accounts have views that disagree
        make_account(
            name=f"Harbor {number:02d}",
            customer=[price],
            team=[service if disagree else price],
        )
        make_account(name=f"Lumen {number:02d}", customer=[price], team=[service])
    make_user(name="Rita Rep", email="rita@example.com")


def test_typing_then_ticking_at_once_shows_what_both_ask_for(page, accounts):
    log_in(page, "rita@example.com")
    for attempt in range(5):
        page.goto("/accounts/")
        search = page.get_by_label("Search")
        search.fill("harbor")
        # Tick before the search's own request has even been sent (it waits 300 ms).
        page.get_by_label("Views disagree").check()
        rows = page.locator("#account-results tbody tr")
        expect(rows).to_have_count(4)
        expect(page).to_have_url(re.compile(r"q=harbor"))
        expect(page).to_have_url(re.compile(r"disagree=1"))
        for name in rows.locator("td a").all_inner_texts():
            assert name.startswith("Harbor"), (attempt, name)
        # A fresh load of the address shows exactly the same rows.
        shown = rows.all_inner_texts()
        page.goto(page.url)
        assert page.locator("#account-results tbody tr").all_inner_texts() == shown
    assert page.console_errors == []
