"""Fixtures: an app with a fresh database per test, clients per role, factories."""

import contextvars
import re

import pytest
from flask.testing import FlaskClient

from tests import database
from tests.factories import make_user
from tests.helpers import logged_in_client
from tests.servers.fixtures import (  # noqa: F401 (fixtures)
    dovecot_server,
    imap_mailbox,
    ldap_directory,
    make_oidc_provider,
    oidc_provider,
    oidc_server,
    slapd_server,
)
from winback_app import create_app
from winback_app.config import for_tests
from winback_app.extensions import db

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


class Client(FlaskClient):
    """A test client that sends the CSRF token the way the pages do (an htmx header).

    Pass ``csrf=False`` to send an unsafe request without it.
    """

    _token = None

    def csrf_token(self) -> str:
        if self._token is None:
            # Every full page carries the token on <body>; a 404 page exists for everyone.
            page = self.open("/no-such-page-for-a-token").get_data(as_text=True)
            self._token = TOKEN.search(page).group(1)
        return self._token

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


def build_app(tmp_path, **overrides):
    """An app on a fresh database, for tests and the browser tests' server."""
    settings = for_tests(database.url_for_test(tmp_path), str(tmp_path / "instance"))
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = Client
    with app.app_context():
        database.prepare_schema()
    return app


@pytest.fixture
def app(tmp_path):
    """The app with an empty database of its own."""
    app = build_app(tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """An anonymous visitor (replaces pytest-flask's, which keeps request contexts open)."""
    return app.test_client()


@pytest.fixture
def admin(app):
    return make_user(role="admin", name="Ada Admin", email="ada@example.com")


@pytest.fixture
def member(app):
    return make_user(role="member", name="Max Member", email="max@example.com")


@pytest.fixture
def viewer(app):
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
