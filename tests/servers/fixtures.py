"""Fixtures for the real servers (tests/conftest.py imports them).

Each server starts once per test session and xdist worker (its own port and temporary
directory) and stops at the end; the function-scoped fixtures hand a test the same server,
running again if an earlier test stopped it and back to its initial data:

    dovecot_server / imap_mailbox     tests.servers.dovecot.DovecotServer
    slapd_server   / ldap_directory   tests.servers.slapd.SlapdServer
    oidc_server    / oidc_provider    tests.servers.oidc.OIDCProvider
    make_oidc_provider(**options)     a provider of the test's own (other accounts, clients...)
    smtp           / mail_app         tests.servers.smtp.SMTPServer, and an app sending to it

A server that is not installed skips the tests that need it, with the reason, unless
WINBACK_REQUIRE_SERVERS is set (as CI does): then it is an error.
"""

import os

import pytest

from tests.servers import ServerUnavailable


def start_server(factory):
    """``factory()`` started; skips (or fails, in CI) when the server is not installed."""
    try:
        server = factory()
    except ServerUnavailable as missing:
        if os.environ.get("WINBACK_REQUIRE_SERVERS"):
            pytest.fail(f"{missing} (WINBACK_REQUIRE_SERVERS is set)", pytrace=False)
        pytest.skip(str(missing))
    try:
        server.start()
    except BaseException:
        server.close()
        raise
    return server


@pytest.fixture(scope="session")
def dovecot_server():
    """A Dovecot IMAP server for the whole session (this worker's)."""
    from tests.servers.dovecot import DovecotServer

    server = start_server(DovecotServer)
    yield server
    server.close()


@pytest.fixture
def imap_mailbox(dovecot_server):
    """The session's Dovecot, running, with its default users and empty mailboxes."""
    dovecot_server.reset()
    return dovecot_server


@pytest.fixture(scope="session")
def slapd_server():
    """An OpenLDAP slapd for the whole session (this worker's)."""
    from tests.servers.slapd import SlapdServer

    server = start_server(SlapdServer)
    yield server
    server.close()


@pytest.fixture
def ldap_directory(slapd_server):
    """The session's slapd, running, its directory seeded afresh."""
    slapd_server.start()
    slapd_server.reset()
    return slapd_server


@pytest.fixture(scope="session")
def oidc_server():
    """An OpenID Connect provider for the whole session (this worker's)."""
    from tests.servers.oidc import OIDCProvider

    server = start_server(OIDCProvider)
    yield server
    server.close()


@pytest.fixture
def oidc_provider(oidc_server):
    """The session's OpenID Connect provider, running, with its default accounts."""
    oidc_server.reset()
    return oidc_server


@pytest.fixture
def make_oidc_provider():
    """``make_oidc_provider(**options)``: a provider of the test's own (see OIDCProvider),
    started, and removed after the test."""
    from tests.servers.oidc import OIDCProvider

    providers = []

    def make(**options):
        provider = start_server(lambda: OIDCProvider(**options))
        providers.append(provider)
        return provider

    yield make
    for provider in providers:
        provider.close()


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1, started for the test and stopped after it."""
    from tests.servers.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(tmp_path, smtp):
    """An app that sends through ``smtp``."""
    from tests.conftest import build_app
    from winback_app.extensions import db

    app = build_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_TLS=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
