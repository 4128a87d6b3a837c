"""Reports in a real browser: filters that refresh the figures in place and follow the URL,
the same filters without JavaScript, and the monthly review printed on one page."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in, mark_page, still_same_page
from tests.factories import make_account, make_competitor, make_reason
from winback_app.dates import add_months
from winback_app.formatting import today_local
from winback_app.reports.filters import period_range

# The default period is last month, counted from today.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def losses(app, admin_user):
    """One account lost last month (to Valetta Group) and one six months ago (to no one)."""
    last_month, _ = period_range("last_month", today_local())
    price = make_reason("Price", "Too expensive")
    service = make_reason("Service", "Slow support")
    make_account(
        name="Harbor Logistics",
        lost_on=last_month,
        annual_value_lost=Decimal("10000"),
        competitor_id=make_competitor("Valetta Group").id,
        customer=[price],
        team=[service],
    )
    make_account(
        name="Orion Print",
        kind="lost_deal",
        lost_on=add_months(today_local().replace(day=1), -6),
        annual_value_lost=Decimal("5000"),
        customer=[service],
    )
    return last_month


def _figure(page, label: str):
    return page.locator(".report-figures div", has_text=label).locator("dd")


def test_changing_the_period_redraws_charts_and_tables_in_place(page, losses, tmp_path):
    log_in(page, "ada@example.com")
    page.goto("/reports/")
    mark_page(page)
    # Last month is the default: the monthly review.
    expect(_figure(page, "Accounts lost")).to_have_text("1")
    expect(_figure(page, "Value lost")).to_have_text("€10,000")
    competitors = page.locator("table[aria-labelledby='losses-by-competitor-title'] tbody tr")
    expect(competitors).to_have_count(1)
    expect(competitors.first).to_contain_text("Valetta Group")
    # One month has no month-by-month chart; the competitor chart shows one bar.
    expect(page.locator("#chart-month-accounts-title")).to_have_count(0)
    expect(page.locator("#chart-competitor-desc")).to_have_text(
        "Accounts lost to each competitor, or to no decision. Valetta Group: 1."
    )

    page.get_by_label("Period", exact=True).select_option("last_12_months")
    expect(page).to_have_url(re.compile(r"/reports/\?period=last_12_months$"))
    expect(_figure(page, "Accounts lost")).to_have_text("2")
    expect(page.locator("#chart-month-accounts-title")).to_have_text("Accounts lost per month")
    expect(competitors).to_have_count(2)
    csv_link = page.get_by_role("link", name="CSV of losses by competitor")
    expect(csv_link).to_have_attribute("href", re.compile(r"period=last_12_months"))

    # A date typed in makes the period custom.
    page.get_by_label("From", exact=True).fill(losses.isoformat())
    expect(page).to_have_url(re.compile(r"period=custom&from=\d{4}-\d\d-01&to=\d{4}-\d\d-\d\d"))
    expect(_figure(page, "Accounts lost")).to_have_text("1")
    expect(page.get_by_label("Period", exact=True)).to_have_value("custom")
    assert still_same_page(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"period=last_12_months$"))
    expect(_figure(page, "Accounts lost")).to_have_text("2")
    assert page.console_errors == []


def test_the_monthly_review_prints_on_one_page(page, losses, tmp_path):
    log_in(page, "ada@example.com")
    page.goto("/reports/")
    page.get_by_role("link", name="Print the monthly review").click()
    month = losses.strftime("%B %Y")
    expect(page.locator(".report-review-note")).to_contain_text(f"{month} review, ready to print.")
    page.emulate_media(media="print")
    expect(page.locator(".report-filters")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#chart-competitor-title")).to_be_attached()
    screenshot = tmp_path / "monthly-review.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    for paper in ("A4", "Letter"):
        reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
        assert len(reader.pages) == 1, paper
        text = reader.pages[0].extract_text()
        for heading in ("Losses", "Why they left", "Win-back", "Reach and discovery"):
            assert heading in text, (paper, heading)
        assert "Valetta Group" in text and "€10,000" in text
        assert "Print the monthly review" not in text and "Counting:" not in text


def test_the_filters_work_without_javascript(browser, live_server, losses):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "ada@example.com")
    page.goto("/reports/")
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From", exact=True).fill("2001-01-01")
    page.get_by_label("To", exact=True).fill("2000-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The last day comes before the first day: swap them.")).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_have_value("2001-01-01")
    page.get_by_label("Period", exact=True).select_option("last_month")
    page.get_by_label("Kind", exact=True).select_option("former_customer")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"period=last_month.*kind=former_customer"))
    expect(_figure(page, "Accounts lost")).to_have_text("1")
    expect(page.locator(".report-scope")).to_contain_text(f"from {losses.day} {losses:%b %Y}")
    context.close()
