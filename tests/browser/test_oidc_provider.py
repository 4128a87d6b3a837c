"""The test OpenID Connect provider's login page works in Chromium, and stays on 127.0.0.1."""

import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.servers import HOST, free_port
from tests.servers.oidc import callback_params, pkce_pair

pytestmark = pytest.mark.browser


def test_sign_in_through_the_provider_login_page(browser, oidc_provider):
    redirect_uri = f"http://{HOST}:{free_port()}/auth/oidc/callback"
    client = oidc_provider.register_client([redirect_uri])
    verifier, challenge = pkce_pair()
    url = oidc_provider.authorization_url(client["client_id"], redirect_uri, challenge, "st", "n")

    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urllib.parse.urlsplit(request.url).hostname))
    # Nothing listens at the redirect URI: answer it here, as the app's callback would.
    page.route(f"{redirect_uri}?*", lambda route: route.fulfill(body="signed in"))
    try:
        page.goto(url)
        page.get_by_label("Email or username").fill("ada@example.test")
        page.get_by_label("Password").fill("not-her-password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")

        page.get_by_label("Password").fill("ada-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{redirect_uri}?*")
        expect(page.locator("body")).to_have_text("signed in")
        params = callback_params(page.url)
    finally:
        context.close()

    assert params["state"] == "st"
    tokens = oidc_provider.exchange_code(client, params["code"], redirect_uri, verifier)
    claims = oidc_provider.verify_id_token(tokens["id_token"], client["client_id"], nonce="n")
    assert (claims["email"], claims["groups"]) == ("ada@example.test", ["winback-admins", "sales"])
    assert hosts == {HOST}
