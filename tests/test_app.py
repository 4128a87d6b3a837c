"""The factory, settings, security headers, htmx helpers, errors and the health check."""

import base64
import hashlib
import re

import pytest
from flask import Blueprint

from tests.helpers import PARTIAL
from winback_app import config, create_app, htmx
from winback_app.config import Config, ConfigError, TestConfig
from winback_app.extensions import db


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.instance_secret_key(str(tmp_path))
    assert len(first) == 64
    assert config.instance_secret_key(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_settings(tmp_path):
    settings = Config(
        str(tmp_path),
        environ={
            "SECRET_KEY": "from-env",
            "DATABASE_URL": "postgresql://u@127.0.0.1:5432/winback",
            "HTMX_SOURCE": "LOCAL",
            "WINBACK_COMPANY_NAME": "Northwind",
            "WINBACK_TIMEZONE": "Europe/Berlin",
            "MAIL_USE_TLS": "no",
        },
    )
    assert settings.SECRET_KEY == "from-env"
    assert settings.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@127.0.0.1:5432/winback"
    assert settings.HTMX_SOURCE == "local"
    assert settings.WINBACK_COMPANY_NAME == "Northwind"
    assert settings.WINBACK_TIMEZONE == "Europe/Berlin"
    assert settings.MAIL_USE_TLS is False
    assert not (tmp_path / "secret_key").exists()


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path):
    settings = Config(str(tmp_path), environ={})
    assert f"sqlite:///{tmp_path / 'winback.sqlite3'}" == settings.SQLALCHEMY_DATABASE_URI
    assert settings.HTMX_SOURCE == "cdn"
    assert settings.MAIL_PORT == 587
    assert settings.PASSWORD_HASH_METHOD == "scrypt"
    assert (tmp_path / "secret_key").read_text() == settings.SECRET_KEY


def test_the_process_environment_is_read_when_none_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("WINBACK_COMPANY_NAME", "Shell Company")
    monkeypatch.setenv("WINBACK_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    settings = Config()
    assert settings.WINBACK_COMPANY_NAME == "Shell Company"
    assert str(tmp_path / "elsewhere") == settings.INSTANCE_PATH


def test_the_test_settings_ignore_the_shell_and_take_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("WINBACK_COMPANY_NAME", "Shell Company")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    settings = TestConfig("sqlite://", str(tmp_path), WINBACK_TIMEZONE="Asia/Tokyo")
    assert settings.WINBACK_COMPANY_NAME == "Test Company"
    assert settings.MAIL_SERVER == ""
    assert settings.WINBACK_TIMEZONE == "Asia/Tokyo"
    assert settings.PASSWORD_HASH_METHOD != Config.PASSWORD_HASH_METHOD
    app = create_app(settings)
    assert app.config["TESTING"] is True
    assert app.config["WINBACK_TIMEZONE"] == "Asia/Tokyo"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.instance_path == str(tmp_path)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HTMX_SOURCE", "unpkg", "HTMX_SOURCE"),
        ("WINBACK_TIMEZONE", "Mars/Olympus", "time zone"),
        ("MAIL_PORT", "twenty-five", "whole number"),
        ("MAIL_USE_TLS", "maybe", "true or false"),
        ("MAIL_BACKGROUND_SENDER", "sometimes", "MAIL_BACKGROUND_SENDER must be true or false"),
        ("WINBACK_BASE_URL", "winback.example.com", "WINBACK_BASE_URL must start with http"),
    ],
)
def test_bad_settings_stop_the_app_with_a_clear_message(tmp_path, name, value, message):
    with pytest.raises(ConfigError, match=message):
        Config(str(tmp_path), environ={name: value})


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app(TestConfig(f"sqlite:///{tmp_path}/pragmas.sqlite3", str(tmp_path)))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    broken = create_app(TestConfig(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3", str(tmp_path)))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_security_headers_on_every_response(client):
    for path in ("/login", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]


def test_local_htmx_is_served_from_this_site_only(client):
    response = client.get("/login")
    page = response.get_data(as_text=True)
    assert '<script src="/static/vendor/htmx-4.0.1.min.js"></script>' in page
    assert "cdn.jsdelivr.net" not in page
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]


@pytest.mark.options(htmx_source="cdn")
def test_cdn_htmx_has_sri_and_a_nonced_local_fallback(app, client):
    response = client.get("/login")
    page = response.get_data(as_text=True)
    with open(app.static_folder + "/vendor/htmx-4.0.1.min.js", "rb") as local:
        digest = base64.b64encode(hashlib.sha384(local.read()).digest()).decode()
    assert (
        '<script src="https://cdn.jsdelivr.net/npm/htmx.org@4.0.1/dist/htmx.min.js" '
        f'integrity="sha384-{digest}" crossorigin="anonymous"></script>'
    ) in page
    nonce = re.search(r'<script nonce="([^"]+)">window.htmx \|\|', page).group(1)
    policy = response.headers["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" in policy and "https://cdn.jsdelivr.net" in policy
    second = app.test_client().get("/login").headers["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" not in second


def test_pinned_htmx_is_a_4_0_release(app):
    with open(app.static_folder + "/vendor/htmx-4.0.1.min.js") as source:
        assert "4.0.1" in source.read()


@pytest.fixture
def demo_app(app):
    """The app with a test-only blueprint that exercises the htmx helpers."""
    bp = Blueprint("demo_helpers", __name__)

    @bp.route("/_demo")
    def page():
        return htmx.render("errors/error.html", block="error", title="T", message="M", code=299)

    @bp.route("/_demo/trigger")
    def triggered():
        response = htmx.trigger(htmx.trigger(app.response_class("ok"), "a"), "b", {"n": 1})
        return htmx.location(response, "/x")

    @bp.route("/_demo/redirect")
    def redirected():
        return htmx.redirect("/elsewhere")

    @bp.route("/_demo/boom", methods=["GET", "POST"])
    def boom():
        from winback_app.auth.models import User

        db.session.add(User(email="half@example.com", name="Half Saved", role="member"))
        db.session.flush()
        raise RuntimeError("after a write")

    app.register_blueprint(bp)
    return app


def test_render_gives_a_block_to_partial_requests_and_a_page_otherwise(demo_app, member_client):
    full = member_client.get("/_demo")
    assert "<html" in full.get_data(as_text=True)
    partial = member_client.get("/_demo", headers=PARTIAL)
    body = partial.get_data(as_text=True)
    assert "<html" not in body and "alert-error" in body
    for response in (full, partial):
        assert {"HX-Request", "HX-Request-Type"} <= set(response.vary)


def test_boosted_and_history_restore_requests_get_the_whole_page(demo_app, member_client):
    boosted = {"HX-Request": "true", "HX-Request-Type": "full", "HX-Boosted": "true"}
    restore = dict(PARTIAL, **{"HX-History-Restore-Request": "true"})
    for headers in (boosted, restore):
        assert "<html" in member_client.get("/_demo", headers=headers).get_data(as_text=True)


def test_trigger_location_and_redirect_headers(demo_app, member_client):
    response = member_client.get("/_demo/trigger")
    assert response.headers["HX-Trigger"] == (
        '{"a": {"target": "body"}, "b": {"n": 1, "target": "body"}}'
    )
    assert response.headers["HX-Location"] == "/x"
    assert member_client.get("/_demo/redirect").headers["Location"] == "/elsewhere"
    htmx_redirect = member_client.get("/_demo/redirect", headers=PARTIAL)
    assert htmx_redirect.status_code == 200
    assert htmx_redirect.headers["HX-Redirect"] == "/elsewhere"


def test_a_crash_is_a_500_page_and_nothing_is_half_saved(demo_app, member_client):
    from winback_app.auth.services import user_by_email

    response = member_client.get("/_demo/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    partial = member_client.get("/_demo/boom", headers=PARTIAL)
    assert partial.status_code == 500 and "<html" not in partial.get_data(as_text=True)
    assert user_by_email("half@example.com") is None
    assert "after a write" not in response.get_data(as_text=True)


def test_missing_or_tampered_csrf_token_is_400_and_saves_nothing(admin_client):
    from winback_app.auth.services import user_by_email

    data = {"name": "Nora", "email": "nora@example.com", "role": "member"}
    missing = admin_client.post("/admin/users/", data=data, csrf=False)
    assert missing.status_code == 400
    assert "nothing was saved" in missing.get_data(as_text=True)
    tampered = admin_client.post(
        "/admin/users/", data=data, headers=dict(PARTIAL, **{"X-CSRFToken": "forged"})
    )
    assert tampered.status_code == 400
    assert tampered.headers["HX-Retarget"] == "#flash"
    assert "<html" not in tampered.get_data(as_text=True)
    assert user_by_email("nora@example.com") is None
