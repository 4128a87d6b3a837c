"""What only a browser proves: logging in, htmx swaps with CSRF, the CDN fallback, no-JS use."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, mark_page, still_same_page
from winback_app.auth import services
from winback_app.extensions import db

pytestmark = pytest.mark.browser

CDN = "https://cdn.jsdelivr.net/**"


def test_log_in_and_out(page, admin_user):
    page.goto("/")
    expect(page).to_have_url("/login?next=/")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("wrong password!")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an active account")
    log_in(page, "ada@example.com")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada")
    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url("/login")
    expect(page.locator("#flash")).to_contain_text("You have logged out.")
    page.goto("/admin/users/")
    expect(page).to_have_url("/login?next=/admin/users/")


def test_htmx_form_post_carries_the_csrf_header(page, admin_user):
    log_in(page, "ada@example.com")
    page.goto("/admin/users/")
    mark_page(page)
    # Take the token out of the form: only the hx-headers on <body> can carry it now.
    page.evaluate("document.querySelector('#users-panel form input[name=csrf_token]').remove()")
    page.get_by_label("Name").fill("Nora New")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_label("One-time password link")).to_have_value(re.compile(r"/set-password/"))
    expect(page.locator("#users-panel")).to_contain_text("nora@example.com")
    assert still_same_page(page)
    assert services.user_by_email("nora@example.com") is not None


def test_htmx_request_without_the_csrf_header_is_refused(page, admin_user):
    log_in(page, "ada@example.com")
    page.goto("/admin/users/")
    mark_page(page)
    page.evaluate(
        "document.querySelector('#users-panel form input[name=csrf_token]').remove();"
        "document.body.removeAttribute('hx-headers:inherited')"
    )
    page.get_by_label("Name").fill("Nora New")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("#flash")).to_contain_text("nothing was saved")
    assert still_same_page(page)
    db.session.expire_all()
    assert services.user_by_email("nora@example.com") is None


def test_role_change_swaps_only_the_row(page, admin_user, app):
    member = services.create_user("max@example.com", "Max Member", "member", password=None)
    log_in(page, "ada@example.com")
    page.goto("/admin/users/")
    mark_page(page)
    role_url = f"/admin/users/{member.id}/role"
    with page.expect_response(lambda response: response.url.endswith(role_url)) as answer:
        page.get_by_label("Role of Max Member").select_option("viewer")
    assert answer.value.status == 200
    expect(page.get_by_label("Role of Max Member")).to_have_value("viewer")
    assert still_same_page(page)
    db.session.expire_all()
    assert services.user_by_email("max@example.com").role == "viewer"
    # The last admin may not step down: the row shows why, and nothing changes.
    page.get_by_label("Role of Ada Admin").select_option("member")
    expect(page.locator(f"#user-{admin_user.id}")).to_contain_text("at least one active admin")
    assert still_same_page(page)


def _htmx_loaded_from(page, live_server, route=None):
    """Log in and report where htmx came from (the test sets ``htmx_source="cdn"``)."""
    local_requests = []
    page.on(
        "request",
        lambda request: (
            local_requests.append(request.url) if "/static/vendor/" in request.url else None
        ),
    )
    if route:
        page.route(CDN, route)
    log_in(page, "ada@example.com")
    page.goto("/admin/users/")
    assert page.evaluate("window.htmx && window.htmx.version") == "4.0.1"
    return local_requests


def _check_htmx_works(page):
    mark_page(page)
    page.get_by_label("Name").fill("Nora New")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("#users-panel")).to_contain_text("nora@example.com")
    assert still_same_page(page)


@pytest.mark.options(htmx_source="cdn")
def test_htmx_falls_back_to_the_local_copy_when_the_cdn_is_unreachable(
    page, live_server, admin_user
):
    local = _htmx_loaded_from(page, live_server, route=lambda route: route.abort())
    assert any("htmx-4.0.1.min.js" in url for url in local)
    _check_htmx_works(page)


@pytest.mark.options(htmx_source="cdn")
def test_htmx_comes_from_the_cdn_when_it_answers(page, live_server, admin_user):
    body = (Path(live_server.app.static_folder) / "vendor" / "htmx-4.0.1.min.js").read_bytes()

    def serve(route):
        route.fulfill(
            status=200,
            body=body,
            headers={"Content-Type": "text/javascript", "Access-Control-Allow-Origin": "*"},
        )

    local = _htmx_loaded_from(page, live_server, route=serve)
    assert local == []
    _check_htmx_works(page)


@pytest.mark.options(htmx_source="cdn")
def test_a_tampered_cdn_copy_is_refused_and_the_local_copy_used(page, live_server, admin_user):
    def serve_tampered(route):
        route.fulfill(
            status=200,
            body="window.htmx = {version: 'evil'};",
            headers={"Content-Type": "text/javascript", "Access-Control-Allow-Origin": "*"},
        )

    local = _htmx_loaded_from(page, live_server, route=serve_tampered)
    assert any("htmx-4.0.1.min.js" in url for url in local)
    page.console_errors.clear()  # Chromium reports the refused file as a console error
    _check_htmx_works(page)


def test_no_console_errors_on_the_main_pages(page, admin_user):
    token = services.issue_password_link(
        services.create_user("new@example.com", "New Person", password=None)
    )
    page.goto(f"/set-password/{token}")
    page.goto("/login")
    log_in(page, "ada@example.com")
    for path in ("/", "/admin/users/", "/logout"):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
    assert page.console_errors == []


def test_login_and_user_admin_work_without_javascript(browser, live_server, admin_user):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "ada@example.com")
    page.goto("/admin/users/")
    page.get_by_label("Name").fill("Nora New")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_label("One-time password link")).to_be_visible()
    row = page.locator("tr", has_text="Nora New")
    row.get_by_label("Role of Nora New").select_option("viewer")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#flash")).to_contain_text("Nora New is now viewer.")
    db.session.expire_all()
    assert services.user_by_email("nora@example.com").role == "viewer"
    context.close()
