"""Private link tokens: survey links, password links and calendar feeds each carry at least
128 random bits, and the database keeps only their hash, the same one links always had."""

import base64
import hashlib
import secrets

import pytest
from sqlalchemy import inspect

from tests.factories import make_account, make_contact, make_survey, make_user
from winback_app import tokens
from winback_app.auth import services as users
from winback_app.discovery.invitations import services as invitations
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.calendar import services as feed


def _survey_link(user):
    contact = make_contact(make_account())
    survey = make_survey([{"kind": "text", "text": "Anything else?"}])
    invitation, token = invitations.new_invitation(survey, contact.account_id, contact.id, utcnow())
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def _password_link(user):
    token = users.issue_password_link(user)
    return user.password_links[-1], token


def _calendar_feed(user):
    token = feed.issue_token(user)
    return feed.feed_of(user), token


KINDS = {"survey link": _survey_link, "password link": _password_link, "calendar": _calendar_feed}


@pytest.fixture
def drawn(monkeypatch):
    """Each random token drawn from ``secrets`` while the test runs, with its byte count."""
    draws = {}
    real = secrets.token_urlsafe

    def token_urlsafe(nbytes=None):
        token = real(nbytes)
        draws[token] = nbytes
        return token

    monkeypatch.setattr(secrets, "token_urlsafe", token_urlsafe)
    return draws


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_token_is_random_enough_and_only_its_hash_is_stored(app, drawn, kind, app_ctx):
    row, token = KINDS[kind](make_user())
    assert drawn.get(token, 0) >= 16, "not drawn from secrets with at least 128 bits"
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 16
    assert row.token_hash == tokens.hash_token(token)
    db.session.expire_all()
    stored = [getattr(row, column.key) for column in inspect(row).mapper.column_attrs]
    assert not any(token in str(value) for value in stored)


def test_new_tokens_differ_in_every_byte_position():
    made = [tokens.new_token() for _ in range(64)]
    raw = [base64.urlsafe_b64decode(token + "=") for token in made]
    assert len(set(made)) == 64
    # No fixed part pads a token out to its length.
    assert all(len({token[i] for token in raw}) > 1 for i in range(tokens.TOKEN_BYTES))


def test_the_stored_hash_is_the_hex_sha256_of_the_token_links_were_always_stored_with():
    assert tokens.hash_token("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    token = tokens.new_token()
    assert tokens.hash_token(token) == hashlib.sha256(token.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("token", ["", None, "short", "x" * 129, "a" * 30 + "/..", "é" * 43])
def test_a_token_we_could_not_have_made_is_refused_before_any_lookup(token):
    assert not tokens.well_formed(token)
    assert tokens.well_formed(tokens.new_token())
