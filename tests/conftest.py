"""Fixtures: an app with a fresh database per test, its app context, clients per role, a clock
held at a fixed moment for tests that depend on the date."""

import contextvars
from datetime import date

import pytest
from flask.ctx import RequestContext
from flask.testing import EnvironBuilder, FlaskClient, FlaskCliRunner
from flask_wtf.csrf import generate_csrf

from tests import database
from tests.factories import make_user
from tests.helpers import FROZEN_AT, logged_in_client
from tests.servers.fixtures import (  # noqa: F401 (fixtures)
    dovecot_server,
    imap_mailbox,
    ldap_directory,
    mail_app,
    make_oidc_provider,
    oidc_provider,
    oidc_server,
    slapd_server,
    smtp,
)
from winback_app import create_app
from winback_app.config import TestConfig
from winback_app.extensions import db


class Client(FlaskClient):
    """A test client that sends the CSRF token the way the pages do (an htmx header).

    Pass ``csrf=False`` to send an unsafe request without it.
    """

    def csrf_token(self) -> str:
        """The CSRF token a page would carry for this client's session.

        Flask-WTF keeps a raw token in the session and signs it for each page; this does the
        same with the session in the client's cookie, adding the raw token (and saving the
        cookie) when the session has none yet.
        """
        return contextvars.Context().run(self._sign_session_token)

    def _sign_session_token(self) -> str:
        with self.session_transaction() as session:
            environ = EnvironBuilder(self.application).get_environ()
            with RequestContext(self.application, environ, session=session):
                return generate_csrf()

    def open(self, *args, csrf=True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        # Run the request outside the test's own app context, as a real request would be:
        # Flask would otherwise reuse the test's context, and with it its database session and
        # ``g``, so requests would see objects the test loaded and skip queries they really run.
        return contextvars.Context().run(super().open, *args, **kwargs)


class CliRunner(FlaskCliRunner):
    """Runs a command as the ``flask`` program does: in an app context of its own.

    ``flask`` pushes an app context for every command; ``FlaskCliRunner`` alone pushes none.
    Like ``Client``'s requests, the command runs outside the test's own context.
    """

    def invoke(self, cli=None, args=None, **kwargs):
        def run():
            with self.app.app_context():
                return FlaskCliRunner.invoke(self, cli, args, **kwargs)

        return contextvars.Context().run(run)


def build_app(tmp_path, **overrides):
    """An app on a fresh database, for tests and the browser tests' server."""
    app = create_app(
        TestConfig(database.url_for_test(tmp_path), str(tmp_path / "instance"), **overrides)
    )
    app.test_client_class = Client
    app.test_cli_runner_class = CliRunner
    with app.app_context():
        database.prepare_schema()
    return app


@pytest.fixture(autouse=True)
def _push_request_context():
    """Turn off pytest-flask's autouse fixture of the same name.

    It would push a test request context around every test that uses ``app``, so factories,
    services and ``url_for`` would work by accident. Tests here ask for what they need instead:
    ``app_ctx`` for the database and services, ``app.test_request_context()`` for code that
    reads the request, the session or ``url_for``.
    """


@pytest.fixture
def app(tmp_path):
    """The app with an empty database of its own."""
    app = build_app(tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app):
    """``app``'s application context, pushed for the whole test.

    Factories, services and ``db.session`` need it. Requests made with ``Client`` still run in
    contexts of their own, so they never share the test's session or ``g``.
    """
    with app.app_context() as ctx:
        yield ctx


@pytest.fixture
def frozen_today(time_machine) -> date:
    """Start the clock at ``FROZEN_AT`` for the test and return that date.

    For tests whose outcome depends on the date: what the test takes as "today" and what the app
    does are then the same day in every run, never one on each side of midnight or a month's end.
    The clock ticks on from there, so timestamps still follow each other. With a UTC moment
    time-machine also sets the process's zone to UTC, so ``date.today()`` agrees with the team's
    ``today_local()``. Ask for it before any logged-in client (or through ``pytestmark``): a
    session signed before the clock moved back would be from the future, and refused.
    """
    time_machine.move_to(FROZEN_AT)
    return FROZEN_AT.date()


@pytest.fixture
def client(app):
    """An anonymous visitor.

    Replaces pytest-flask's ``client``, which opens the client with ``with``: Flask then keeps
    each request's contexts open after the response, the opposite of what ``Client`` is for.
    pytest-flask's ``config`` fixture and ``options`` marker are used as they are, e.g.
    ``@pytest.mark.options(htmx_source="cdn")`` for a setting read at request time.
    """
    return app.test_client()


@pytest.fixture
def admin(app_ctx):
    """An admin; asking for one pushes the app context, as its factory needs."""
    return make_user(role="admin", name="Ada Admin", email="ada@example.com")


@pytest.fixture
def member(app_ctx):
    """A member (a rep); asking for one pushes the app context, as its factory needs."""
    return make_user(role="member", name="Max Member", email="max@example.com")


@pytest.fixture
def viewer(app_ctx):
    """A viewer (reads only); asking for one pushes the app context, as its factory needs."""
    return make_user(role="viewer", name="Vic Viewer", email="vic@example.com")


@pytest.fixture
def admin_client(app, admin):
    return logged_in_client(app, admin)


@pytest.fixture
def member_client(app, member):
    return logged_in_client(app, member)


@pytest.fixture
def viewer_client(app, viewer):
    return logged_in_client(app, viewer)
