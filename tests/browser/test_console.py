"""No console errors and no Content-Security-Policy violations on any main page, before and
after its main in-place actions, with the demo data a newcomer sees."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from winback_app import demo
from winback_app.accounts.models import Account
from winback_app.discovery.surveys.models import Survey
from winback_app.extensions import db
from winback_app.plans.models import Plan

pytestmark = pytest.mark.browser

# Pages a team uses every day, as (path, what must show once it loaded).
PAGES = [
    ("/today", "Today"),
    ("/accounts/", "Lost accounts"),
    ("/discovery/", "Discovery"),
    ("/discovery/interviews/", "Interviews"),
    ("/discovery/guides/", "Guides"),
    ("/discovery/guides/questions/", "Question bank"),
    ("/discovery/surveys/", "Surveys"),
    ("/discovery/incentives/", "Thank-yous"),
    ("/discovery/invite", "Invite"),
    ("/plans/", "Plans"),
    ("/evidence/", "evidence"),
    ("/reports/", "Reports"),
    ("/outreach/planner", "planner"),
    ("/outreach/friendly", "Friendly"),
    ("/outreach/scripts/", "Scripts"),
    ("/admin/users/", "Users"),
    ("/admin/reasons/", "reasons"),
    ("/admin/competitors/", "Competitors"),
    ("/admin/settings/", "Settings"),
    ("/admin/outbox/", "Outbox"),
    ("/plans/tone-rules/", "Tone"),
]


@pytest.fixture
def demo_page(app, page, app_ctx):
    """The demo team's admin, logged in, with every violation the browser reports recorded."""
    demo.seed()
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto("/login")
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.mark.parametrize(("path", "shows"), PAGES, ids=[path for path, _ in PAGES])
def test_a_main_page_loads_without_console_errors(demo_page, path, shows):
    response = demo_page.goto(path)
    assert response.status == 200
    expect(demo_page.locator("main")).to_contain_text(shows, ignore_case=True)
    assert demo_page.console_errors == []


def test_in_place_actions_raise_no_console_errors(demo_page, app, app_ctx):
    page = demo_page
    with app.app_context():
        account = db.session.scalar(select(Account).order_by(Account.id))
        plan = db.session.scalar(select(Plan).order_by(Plan.id))
        survey = db.session.scalar(select(Survey).order_by(Survey.id))
        account_id, plan_id, survey_id = account.id, plan.id, survey.id

    page.goto("/accounts/")
    page.get_by_label("Search").fill("a")
    page.get_by_label("Views disagree").check()
    expect(page).to_have_url(re.compile("disagree"))

    page.goto(f"/accounts/{account_id}")
    page.locator("#section-facts").get_by_role("link", name="Edit").click()
    page.locator("#section-facts").get_by_role("link", name="Cancel").click()
    expect(page.locator("#section-facts form")).to_have_count(0)
    outreach = page.locator("#outreach")
    outreach.get_by_label("Outcome").select_option("no_answer")
    outreach.get_by_role("button", name="Log attempt").click()
    expect(page.locator("#outreach .timeline")).to_contain_text("No answer")

    page.goto(f"/plans/{plan_id}")
    expect(page.locator("main")).to_be_visible()
    page.goto(f"/discovery/surveys/{survey_id}/results")
    expect(page.locator("main")).to_be_visible()
    page.goto("/reports/")
    page.locator("#f-period").select_option(index=1)
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []
