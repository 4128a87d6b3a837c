"""Browser test fixtures: the app on a real HTTP server thread, driven by Chromium.

Chromium comes from CHROMIUM_PATH, else /usr/bin/chromium, else Playwright's own download.
With none of them the browser tests skip with one reason, unless WINBACK_REQUIRE_BROWSER is
set (as CI does), where a missing browser is an error instead.
"""

import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_user
from tests.helpers import FROZEN_AT

# No sandbox (CI runs as root), and no background traffic to Google's hosts, which a closed
# network refuses (docs/ARCHITECTURE.md, "Tests").
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return None  # let Playwright use its own browser, if one was installed


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run."""
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=_chromium_path(), args=LAUNCH_ARGS, headless=True
            )
        except PlaywrightError as error:
            if os.environ.get("WINBACK_REQUIRE_BROWSER"):
                raise
            pytest.skip(
                "No Chromium found: install Debian's chromium or set CHROMIUM_PATH "
                f"({str(error).splitlines()[0]})"
            )
        yield chromium
        chromium.close()


@dataclass
class LiveServer:
    """The app served over HTTP on a free 127.0.0.1 port."""

    app: Flask
    url: str
    _server: object = field(repr=False)

    def stop(self) -> None:
        self._server.shutdown()


@pytest.fixture
def live_server(app):
    """Serve the test's ``app`` (and its fresh database) from a background thread.

    Replaces pytest-flask's ``live_server``, which forks a process per session: it would serve
    one app for the whole run instead of each test's own, fork a process that already runs
    Playwright's threads and holds database connections, and rewrite ``SERVER_NAME``. A thread
    in this process serves the very ``app`` the test fills, and stops with the test.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}", _server=server)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def frozen_today(time_machine) -> date:
    """The suite's ``frozen_today``, on the real date: the clock starts at ``FROZEN_AT``'s time.

    Chromium keeps its own clock, and the session cookie expires a fortnight after the server's
    "now": set on a fixed date in the past, it would be expired before the browser stored it.
    """
    morning = datetime.combine(datetime.now(UTC).date(), FROZEN_AT.timetz())
    time_machine.move_to(morning)
    return morning.date()


class ConsoleErrors(list):
    """Console errors and uncaught exceptions seen by a page."""


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile pointed at the live server."""
    ctx = browser.new_context(base_url=live_server.url)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that records console errors in ``page.console_errors``."""
    tab = context.new_page()
    errors = ConsoleErrors()
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.console_errors = errors
    return tab


def mark_page(page) -> None:
    """Set a marker that a full page load would wipe, to prove later swaps happened in place."""
    page.evaluate("window.__noReload = true")


def still_same_page(page) -> bool:
    """True when the page marked by ``mark_page`` has not been reloaded since."""
    return page.evaluate("window.__noReload === true")


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def admin_user(app_ctx):
    return make_user(role="admin", name="Ada Admin", email="ada@example.com")
