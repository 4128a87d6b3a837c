"""The access rules hold for every endpoint, including ones added later.

These tests walk the app's URL map, so a new endpoint is checked the day it is added: it
must either be on the public allowlist below or send anonymous visitors to the login page,
and every unsafe method it accepts must refuse a viewer.
"""

from urllib.parse import urlsplit

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

PUBLIC = {"static", "auth.login", "auth.set_password", "core.healthz", "calendar.feed"}
PUBLIC |= {"public.respond", "public.unsubscribe", "public.unknown"}
VIEWER_MAY_WRITE = {"auth.logout"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _sample_url(rule: Rule) -> str:
    """A URL that matches ``rule``, with a plausible value for each argument."""
    values = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]
        if isinstance(converter, AnyConverter):
            values[argument] = sorted(converter.items)[0]
        else:
            values[argument] = 1 if isinstance(converter, IntegerConverter) else "x"
    return rule.build(values, append_unknown=False)[1]


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_public_allowlist_is_exactly_the_views_marked_public(app):
    from winback_app.security import is_public_endpoint

    public = {rule.endpoint for rule in app.url_map.iter_rules()}
    public = {endpoint for endpoint in public if is_public_endpoint(app, endpoint)}
    assert public == PUBLIC


def test_every_private_endpoint_sends_anonymous_visitors_to_login(app, client):
    checked = 0
    for rule in _rules(app):
        if rule.endpoint in PUBLIC:
            continue
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, csrf=False)
            assert response.status_code in (302, 303), (rule.endpoint, method)
            location = urlsplit(response.headers["Location"])
            assert location.path == "/login", (rule.endpoint, method)
            checked += 1
    assert checked >= 5


def test_every_unsafe_endpoint_refuses_a_viewer(app, viewer_client):
    checked = 0
    for rule in _rules(app):
        unsafe = sorted(rule.methods & UNSAFE)
        if not unsafe or rule.endpoint in PUBLIC | VIEWER_MAY_WRITE:
            continue
        for method in unsafe:
            response = viewer_client.open(_sample_url(rule), method=method)
            assert response.status_code == 403, (rule.endpoint, method)
            checked += 1
    assert checked >= 4


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/app.css"])
def test_public_pages_need_no_login(client, path):
    assert client.get(path).status_code == 200


def test_unknown_url_is_a_404_page(client, member_client):
    for c in (client, member_client):
        response = c.get("/no/such/page")
        assert response.status_code == 404
        assert "Not found" in response.get_data(as_text=True)
