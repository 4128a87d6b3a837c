"""Logging in and out, sessions, password links and the login rate limits."""

from datetime import timedelta

import pytest

from tests.factories import PASSWORD, make_user
from tests.helpers import PARTIAL, logged_in_client
from winback_app.auth import services
from winback_app.auth.routes import LOGIN_FAILED
from winback_app.extensions import db
from winback_app.models import utcnow


def _logged_in(client) -> bool:
    """True when the client's session is logged in (a private page answers instead of
    sending it to the login page)."""
    response = client.get("/accounts/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _login(client, email, password, next_path=None):
    url = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"email": email, "password": password})


def test_login_page_shows_the_form(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<form method="post"' in page
    assert 'name="email"' in page and 'name="password"' in page
    assert 'autocomplete="current-password"' in page


def test_good_login_goes_home_and_records_the_time(app_ctx, client):
    user = make_user(email="pat@example.com")
    response = _login(client, "Pat@Example.com ", PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert _logged_in(client)
    db.session.refresh(user)
    assert user.last_login_at is not None


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "inactive user"])
def test_failed_logins_all_say_the_same(app_ctx, client, case):
    user = make_user(email="pat@example.com")
    if case == "inactive user":
        services.set_active(user, False)
    email = "nobody@example.com" if case == "unknown email" else "pat@example.com"
    password = "wrong password!" if case == "wrong password" else PASSWORD
    response = _login(client, email, password)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert LOGIN_FAILED in page
    assert 'value="pat@example.com"' in page or case == "unknown email"
    assert not _logged_in(client)


def test_next_goes_back_to_a_page_of_this_site(app_ctx, client):
    make_user(email="pat@example.com")
    assert client.get("/admin/users/?x=1").headers["Location"] == "/login?next=/admin/users/?x%3D1"
    response = _login(client, "pat@example.com", PASSWORD, next_path="/admin/users/")
    assert response.headers["Location"] == "/admin/users/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "x"],
)
def test_next_outside_this_site_is_ignored(app_ctx, client, target):
    make_user(email="pat@example.com")
    response = _login(client, "pat@example.com", PASSWORD, next_path=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_logged_in_user_visiting_login_goes_home(member_client):
    assert member_client.get("/login").headers["Location"] == "/"


def test_logout_asks_on_get_and_logs_out_on_post(member_client):
    page = member_client.get("/logout").get_data(as_text=True)
    assert "Log out?" in page
    assert _logged_in(member_client)
    response = member_client.post("/logout")
    assert response.status_code == 303
    assert not _logged_in(member_client)


def test_logout_without_csrf_token_is_refused(member_client):
    response = member_client.post("/logout", csrf=False)
    assert response.status_code == 400
    assert _logged_in(member_client)


def test_deactivating_a_user_ends_their_sessions(app, member):
    client = logged_in_client(app, member)
    assert _logged_in(client)
    services.set_active(member, False)
    assert not _logged_in(client)


def test_changing_the_password_ends_other_sessions(app, member):
    client = logged_in_client(app, member)
    services.set_password(member, "a brand new password")
    assert not _logged_in(client)


def test_expired_session_on_an_htmx_request_redirects_the_whole_page(client):
    response = client.get("/admin/users/", headers=PARTIAL)
    assert response.headers["HX-Redirect"] == "/login"


def test_failed_logins_are_limited_per_email(app_ctx, client):
    make_user(email="pat@example.com")
    for _ in range(5):
        assert _login(client, "pat@example.com", "wrong password!").status_code == 422
    response = _login(client, "pat@example.com", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Another person's login from the same address still works.
    make_user(email="kim@example.com")
    assert _login(client, "kim@example.com", PASSWORD).status_code == 303


def test_failed_logins_are_limited_per_address(app, client):
    for n in range(20):
        assert _login(client, f"nobody{n}@example.com", "wrong password!").status_code == 422
    assert _login(client, "someone@example.com", "wrong password!").status_code == 429


def test_successful_logins_do_not_count_towards_the_limit(app_ctx, client):
    make_user(email="pat@example.com")
    for _ in range(8):
        assert _login(client, "pat@example.com", PASSWORD).status_code == 303
        client.post("/logout")


def test_password_link_sets_the_password_once(app_ctx, client):
    user = make_user(email="new@example.com", password=None)
    token = services.issue_password_link(user)
    page = client.get(f"/set-password/{token}").get_data(as_text=True)
    assert "new@example.com" in page
    short = client.post(f"/set-password/{token}", data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert "at least 10" in short.get_data(as_text=True)
    response = client.post(
        f"/set-password/{token}",
        data={"password": "a long good password", "confirm": "a long good password"},
    )
    assert response.status_code == 303
    assert _logged_in(client)
    assert services.authenticate("new@example.com", "a long good password") is not None
    client.post("/logout")
    assert client.get(f"/set-password/{token}").status_code == 404


def test_password_link_mismatch_is_refused(app_ctx, client):
    token = services.issue_password_link(make_user(password=None))
    response = client.post(
        f"/set-password/{token}",
        data={"password": "a long good password", "confirm": "another long password"},
    )
    assert response.status_code == 422
    assert "The two passwords differ." in response.get_data(as_text=True)


def test_expired_unknown_and_replaced_links_are_refused(app_ctx, client):
    user = make_user(password=None)
    old = services.issue_password_link(user)
    new = services.issue_password_link(user)
    assert client.get(f"/set-password/{old}").status_code == 404
    assert client.get("/set-password/not-a-token").status_code == 404
    link = services.valid_password_link(new)
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/set-password/{new}").status_code == 404


def test_only_the_token_hash_is_stored(app_ctx):
    user = make_user(password=None)
    token = services.issue_password_link(user)
    assert all(token not in link.token_hash for link in user.password_links)


def test_session_cookie_flags(app_ctx, client):
    make_user(email="pat@example.com")
    response = _login(client, "pat@example.com", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    secure = client.post(
        "/login",
        data={"email": "pat@example.com", "password": PASSWORD},
        base_url="https://winback.example",
    )
    assert "Secure" in secure.headers.get("Set-Cookie", "Secure")
