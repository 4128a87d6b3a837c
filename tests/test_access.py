"""The access rules hold for every endpoint, including ones added later.

These tests walk the app's URL map, so a new endpoint is checked the day it is added: it
must either be on the public allowlist below or send anonymous visitors to the login page,
and every unsafe method it accepts must refuse a viewer.
"""

from urllib.parse import urlsplit

import pytest
from flask import url_for
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from tests.factories import (
    make_account,
    make_callback,
    make_contact,
    make_evidence,
    make_guide,
    make_reason,
    make_survey,
)
from winback_app.accounts.imports import services as importer
from winback_app.outreach.scripts import services as scripts

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


# Pages that accept both GET and POST, and the "…/edit" and "new…" pages, show a form. A
# viewer, who may not send it, is refused the page itself. These pages are open to every role
# that may reach them, for the reason given.
FORM_PAGES_FOR_EVERYONE = {
    "auth.login": "signing in comes before any role",
    "auth.logout": "everyone may log out (the GET asks to confirm)",
    "auth.set_password": "a one-time link for setting one's own password, used before signing in",
    "public.respond": "the public survey: no login, a private link",
    "public.unsubscribe": "the public survey's unsubscribe page",
    "public.unknown": "the public survey's answer to a link that is not one",
}
# Refused to members too; an admin shows that the URL is a real page.
ADMIN_PAGES = {"taxonomy.rename", "settings.edit", "tone.rules"}


def _shows_a_form(rule: Rule) -> bool:
    if {"GET", "POST"} <= rule.methods:
        return True
    name = rule.endpoint.rsplit(".", 1)[-1]
    return "GET" in rule.methods and (rule.rule.endswith("/edit") or name.startswith("new"))


def _form_page_arguments(member) -> dict[str, dict]:
    """The URL arguments of each form page, naming records that exist."""
    account = make_account()
    contact = make_contact(account)
    guide = make_guide()
    question = {"kind": "text", "text": "Anything else?"}
    draft = make_survey([question], status="draft")
    open_survey = make_survey([question])
    make_survey([question])  # a second open survey, so that the invite page asks which one
    script = scripts.create_script(
        {
            "kind": "voicemail",
            "name": "Hello",
            "subject": "",
            "body": "Hi {{ contact_first_name }}.",
        },
        None,
    )
    return {
        "accounts.new": {},
        "accounts.edit_section": {"account_id": account.id, "section": "facts"},
        "contacts.edit": {"account_id": account.id, "contact_id": contact.id},
        "imports.upload": {},
        "imports.mapping": {"import_id": importer.upload("lost.csv", b"Name\nAcme\n", member).id},
        "today.attempt": {"callback_id": make_callback(account, member).id},
        "interviews.new": {"account_id": account.id},
        "guides.edit_item": {"guide_id": guide.id, "item_id": guide.items[0].id},
        "guides.edit_question": {"question_id": guide.items[0].question_id},
        "surveys.new": {},
        "surveys.edit": {"survey_id": draft.id},
        "surveys.edit_question": {"survey_id": draft.id, "question_id": draft.questions[0].id},
        "invitations.start": {},
        "invitations.invite": {"survey_id": open_survey.id},
        "scripts.new": {},
        "scripts.edit": {"script_id": script.id},
        "evidence.new": {},
        "evidence.edit": {"evidence_id": make_evidence().id},
        "taxonomy.rename": {"kind": "categories", "item_id": make_reason().category_id},
        "settings.edit": {},
        "tone.rules": {},
    }


def test_every_form_page_refuses_a_viewer(app, member, admin_client, member_client, viewer_client):
    arguments = _form_page_arguments(member)
    pages = {rule.endpoint for rule in _rules(app) if _shows_a_form(rule)}
    # A new form page fails here until it is listed above: refused to viewers, or open to all.
    assert pages - FORM_PAGES_FOR_EVERYONE.keys() == arguments.keys()
    for endpoint, values in arguments.items():
        with app.test_request_context():
            url = url_for(endpoint, **values)
        writer = admin_client if endpoint in ADMIN_PAGES else member_client
        assert writer.get(url).status_code == 200, endpoint
        refused = viewer_client.get(url)
        assert refused.status_code == 403, endpoint
        assert "Your role does not allow this" in refused.get_data(as_text=True), endpoint
