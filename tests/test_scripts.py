"""Outreach scripts: merge fields, the sandbox, the seeded examples, preview and the pages."""

from urllib.parse import parse_qs, urlsplit

import pytest
from jinja2.exceptions import SecurityError
from sqlalchemy import func, select

from tests.factories import make_account, make_contact, make_user
from tests.helpers import PARTIAL
from winback_app.extensions import db
from winback_app.outreach.scripts import merge
from winback_app.outreach.scripts import services as scripts
from winback_app.outreach.scripts.models import Script
from winback_app.rules import RuleViolation
from winback_app.sections import EditConflict, version_of

VALID = "Hi {{ contact_first_name }}, {{ sender_name }} from {{ company_name }} here."


def make_script(**overrides) -> Script:
    values = {"kind": "email", "name": "Hello", "subject": "Hi {{ contact_first_name }}"}
    values.update({"body": VALID, **overrides})
    return scripts.create_script(values, None)


def _refused(text: str, field: str = "body") -> RuleViolation:
    subject, body = ("Subject", text) if field == "body" else (text, "Body")
    with pytest.raises(RuleViolation) as caught:
        merge.check(subject, body)
    assert caught.value.field == field
    assert "Valid fields: contact_first_name, contact_name, account_name" in caught.value.message
    return caught.value


# --- The sandbox ------------------------------------------------------------------------------


def test_every_documented_field_renders(app_ctx):
    values = {name: name.upper() for name in merge.fields()}
    text = " ".join(f"{{{{ {name} }}}}" for name in merge.fields())
    assert merge.render(text, values) == " ".join(name.upper() for name in merge.fields())
    # Other domains may register more fields after these six.
    assert list(merge.fields())[:6] == [
        "contact_first_name",
        "contact_name",
        "account_name",
        "sender_name",
        "sender_title",
        "company_name",
    ]


def test_if_blocks_and_text_filters_are_allowed(app_ctx):
    text = (
        "{{ contact_first_name|upper }}{% if sender_title %}, {{ sender_title|lower }}{% endif %}"
        "{{ ' (' ~ account_name|trim ~ ')' if account_name else '' }}"
        "{{ sender_title|default('colleague', true) }}"
    )
    values = dict.fromkeys(merge.fields(), "") | {"contact_first_name": "al"}
    values["account_name"] = " Acme "
    assert merge.render(text, values) == "AL (Acme)colleague"


def test_an_unknown_field_names_the_valid_ones(app_ctx):
    violation = _refused("Hello {{ contact_surname }}")
    assert "“contact_surname” is not a merge field" in violation.message
    assert "company_name" in violation.message


@pytest.mark.parametrize(
    "text",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ contact_name.__class__ }}",
        "{{ contact_name['__class__'] }}",
        "{{ contact_name.upper() }}",
        "{{ contact_name.ljust(1000000000) }}",
        "{{ config }}",
        "{{ config.SECRET_KEY }}",
        "{{ self }}",
        "{{ request }}",
        "{{ range(10) }}",
        "{{ lipsum() }}",
        "{{ cycler }}",
        "{{ namespace() }}",
        "{{ dict(a=1) }}",
        "{% import 'base.html' as page %}",
        "{% from 'base.html' import x %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{{ contact_name|attr('__class__') }}",
        "{{ contact_name|format('%s') }}",
        "{{ contact_name|map('upper')|list }}",
        "{{ contact_name|center(1000000000) }}",
        "{{ contact_name|pprint }}",
        "{{ contact_name|safe }}",
        "{% filter upper %}x{% endfilter %}",
        "{% for letter in contact_name %}{{ letter }}{% endfor %}",
        "{% set secret = 1 %}",
        "{% macro m() %}x{% endmacro %}",
        "{% block b %}x{% endblock %}",
        "{{ 'a' * 1000000000 }}",
        "{{ '%s' % contact_name }}",
        "{{ contact_name is defined }}",
        "{{ contact_name",
        "{% if contact_name %}no end",
    ],
)
def test_the_sandbox_refuses_anything_but_the_documented_fields(app_ctx, text):
    _refused(text)


def test_subject_errors_belong_to_the_subject(app_ctx):
    violation = _refused("{{ config }}", field="subject")
    assert violation.message.startswith("Line 1:")


def test_the_sandbox_environment_refuses_attributes_even_when_not_checked_first(app):
    env = merge._environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__ }}").render(x="")
    with pytest.raises(SecurityError):
        env.from_string("{{ x.upper() }}").render(x="")
    assert env.globals == {}
    assert set(env.filters) == set(merge.FILTERS)
    assert env.loader is None


def test_a_field_registered_later_becomes_valid(app, app_ctx):
    with pytest.raises(RuleViolation):
        merge.check("Subject", "{{ meeting_room }}")
    merge.register_field(app, "meeting_room", "Where we meet", lambda r: "Room 4", "Room 1")
    merge.check("Subject", "See you in {{ meeting_room }}")
    assert "meeting_room" in merge.valid_fields_text()


@pytest.mark.parametrize(
    ("subject", "body", "kind", "field"),
    [
        ("", VALID, "email", "subject"),
        ("Two\nlines", VALID, "email", "subject"),
        ("Subject", "   ", "email", "body"),
        ("", "", "sms", "kind"),
    ],
)
def test_check_needs_a_subject_for_email_and_a_text(app, subject, body, kind, field):
    with pytest.raises(RuleViolation) as caught:
        merge.check(subject, body, kind)
    assert caught.value.field == field


# --- Saving -----------------------------------------------------------------------------------


def test_create_update_and_delete(app_ctx):
    script = make_script(name="Follow-up", body="Hi {{ contact_first_name }}\r\nBye")
    assert script.body == "Hi {{ contact_first_name }}\nBye"
    scripts.update_script(
        script,
        {"kind": "voicemail", "name": "Call", "subject": "dropped", "body": "Hi"},
        version_of(script),
    )
    saved = db.session.get(Script, script.id)
    assert (saved.kind, saved.name, saved.subject, saved.body) == ("voicemail", "Call", "", "Hi")
    scripts.delete_script(saved)
    assert db.session.scalar(select(func.count(Script.id))) == 0


def test_names_are_unique_whatever_the_case(app_ctx):
    make_script(name="Research")
    with pytest.raises(RuleViolation) as caught:
        make_script(name="research ")
    assert caught.value.field == "name"


def test_a_save_from_a_stale_form_is_a_conflict_not_an_overwrite(app_ctx):
    script = make_script()
    opened = version_of(script)
    scripts.update_script(
        script, {"name": "First", "kind": "email", "subject": "S", "body": "A"}, opened
    )
    with pytest.raises(EditConflict):
        scripts.update_script(
            script, {"name": "Second", "kind": "email", "subject": "S", "body": "B"}, opened
        )
    assert db.session.get(Script, script.id).name == "First"
    with pytest.raises(EditConflict):
        scripts.update_script(
            script, {"name": "X", "kind": "email", "subject": "S", "body": "B"}, "junk"
        )


def test_defaults_are_seeded_once_and_follow_the_field(app_ctx):
    scripts.ensure_defaults()
    scripts.ensure_defaults()
    seeded = scripts.list_scripts()
    assert [s.kind for s in seeded] == ["email", "voicemail"]
    for script in seeded:
        merge.check(script.subject, script.body, script.kind)
        text = (script.subject + script.body).lower()
        assert "15 minutes" in text
        assert "charity" in text
        assert "competitor" not in text
    email = seeded[0]
    assert len(email.body.split()) < 150  # brief


def test_defaults_are_not_added_when_the_team_has_scripts(app_ctx):
    make_script()
    scripts.ensure_defaults()
    assert [s.name for s in scripts.list_scripts()] == ["Hello"]


# --- Preview ----------------------------------------------------------------------------------


@pytest.fixture
def sender(app_ctx):
    return make_user(name="Sam Rivera", title="Account manager")


def test_preview_fills_in_the_contact_and_the_sender(app, sender):
    account = make_account(name="Harbor & Sons")
    contact = make_contact(account, name="Alex Morgan", email="alex@harbor.example")
    script = make_script(
        subject="{{ contact_first_name }}, a question from {{ company_name }}",
        body="Dear {{ contact_name }} of {{ account_name }},\n"
        "{{ sender_name }}, {{ sender_title }}",
    )
    preview = scripts.preview(script, contact, sender)
    assert preview.subject == "Alex, a question from Test Company"
    assert preview.body == "Dear Alex Morgan of Harbor & Sons,\nSam Rivera, Account manager"
    link = urlsplit(preview.mailto)
    assert link.scheme == "mailto" and link.path == "alex@harbor.example"
    query = parse_qs(link.query)
    assert query["subject"] == ["Alex, a question from Test Company"]
    assert query["body"] == ["Dear Alex Morgan of Harbor & Sons,\r\nSam Rivera, Account manager"]
    assert "%0D%0A" in preview.mailto and "+" not in preview.mailto
    assert preview.mail_note is None


@pytest.mark.parametrize(
    ("contact_values", "account_values", "note"),
    [
        ({"do_not_email": True}, {}, "asked not to be emailed"),
        ({"email": ""}, {}, "no email address"),
        ({}, {"do_not_contact": True}, "marked do not contact"),
    ],
)
def test_no_mailto_when_the_contact_must_not_or_cannot_be_emailed(
    app, sender, contact_values, account_values, note
):
    contact = make_contact(make_account(**account_values), **contact_values)
    preview = scripts.preview(make_script(), contact, sender)
    assert preview.mailto is None
    assert note in preview.mail_note


def test_preview_without_a_contact_uses_sample_values(app, sender):
    preview = scripts.preview(make_script(), None, sender)
    assert preview.body == "Hi Alex, Sam Rivera from Test Company here."
    assert preview.mailto is None and preview.mail_note is None


def test_voicemail_preview_has_no_subject_and_a_speaking_time(app, sender):
    contact = make_contact(make_account())
    script = make_script(kind="voicemail", subject="ignored", body=" ".join(["word"] * 75))
    preview = scripts.preview(script, contact, sender)
    assert preview.subject == "" and preview.mailto is None
    assert preview.seconds_to_read == 30


def test_a_stored_script_that_no_longer_renders_raises_a_rule_violation(app, sender):
    script = make_script()
    script.body = "{{ retired_field }}"
    db.session.commit()
    with pytest.raises(RuleViolation):
        scripts.preview(script, None, sender)


def test_find_contacts_searches_contacts_emails_and_accounts(app_ctx):
    harbor = make_account(name="Harbor Dental")
    make_contact(harbor, name="Alex Morgan", email="alex@harbor.example")
    orion = make_account(name="Orion Print")
    kim = make_contact(orion, name="Kim Lee", email="kim@orion.example")
    assert [c.name for c in scripts.find_contacts("harbor")] == ["Alex Morgan"]
    assert [c.name for c in scripts.find_contacts("KIM@")] == ["Kim Lee"]
    assert [c.name for c in scripts.find_contacts("")] == ["Alex Morgan", "Kim Lee"]
    assert scripts.find_contacts("100%") == []
    assert [c.name for c in scripts.find_contacts("harbor", kim.id)] == ["Kim Lee", "Alex Morgan"]


# --- Pages ------------------------------------------------------------------------------------


def test_the_scripts_page_seeds_the_examples_and_previews_the_first(member_client):
    page = member_client.get("/outreach/scripts/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<html" in html and 'aria-label="Outreach"' in html
    assert "Research invitation (email)" in html and "Research invitation (voicemail)" in html
    assert "With sample values" in html
    assert "New script" in html
    assert "Hi Alex," in html


def test_choosing_a_contact_swaps_only_the_preview(app, member_client):
    script = make_script()
    contact = make_contact(make_account(name="Harbor"), name="Alex Morgan", email="a@h.example")
    url = f"/outreach/scripts/{script.id}/preview?contact_id={contact.id}"
    partial = member_client.get(url, headers=PARTIAL)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200
    assert html.lstrip().startswith('<div id="preview"')
    assert "<html" not in html
    assert "For <strong>Alex Morgan</strong> at Harbor" in html
    assert 'href="mailto:a@h.example?subject=Hi%20Alex' in html
    assert "HX-Request-Type" in partial.headers["Vary"]
    full = member_client.get(url)
    assert "<html" in full.get_data(as_text=True)
    assert f'option value="{contact.id}" selected' in full.get_data(as_text=True)


def test_searching_swaps_only_the_contact_choice(app, member_client):
    script = make_script()
    make_contact(make_account(name="Harbor"), name="Alex Morgan")
    make_contact(make_account(name="Orion"), name="Kim Lee")
    response = member_client.get(f"/outreach/scripts/{script.id}?q=orion", headers=PARTIAL)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div class="field" id="contact-choice"')
    assert "Kim Lee — Orion" in html and "Alex Morgan" not in html
    nothing = member_client.get(f"/outreach/scripts/{script.id}?q=zzz", headers=PARTIAL)
    assert "No contact matches “zzz”" in nothing.get_data(as_text=True)


def test_a_do_not_email_contact_gets_a_note_instead_of_a_mailto(app, member_client):
    script = make_script()
    contact = make_contact(make_account(), name="Pat Quiet", do_not_email=True)
    html = member_client.get(
        f"/outreach/scripts/{script.id}/preview?contact_id={contact.id}", headers=PARTIAL
    ).get_data(as_text=True)
    assert "mailto:" not in html
    assert "Pat Quiet asked not to be emailed" in html


@pytest.mark.parametrize(
    "url",
    [
        "/outreach/scripts/999",
        "/outreach/scripts/999/preview",
        "/outreach/scripts/999/edit",
        "/outreach/scripts/{id}/preview?contact_id=999",
        "/outreach/scripts/{id}/preview?contact_id=abc",
    ],
)
def test_unknown_ids_are_404(app, member_client, url):
    script = make_script()
    assert member_client.get(url.format(id=script.id)).status_code == 404


def test_deleting_an_unknown_script_is_404(member_client):
    assert member_client.post("/outreach/scripts/999/delete").status_code == 404


def test_a_broken_stored_script_shows_an_error_not_a_500(app, member_client):
    script = make_script()
    script.body = "{{ retired_field }}"
    db.session.commit()
    response = member_client.get(f"/outreach/scripts/{script.id}")
    assert response.status_code == 200
    assert "This script cannot be shown" in response.get_data(as_text=True)


def _form(**overrides):
    values = {"kind": "email", "name": "Check-in", "subject": "Hello", "body": VALID}
    values.update(overrides)
    return values


def test_creating_a_script_redirects_to_it(app, member_client, member):
    response = member_client.post("/outreach/scripts/new", data=_form())
    script = db.session.scalar(select(Script))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/outreach/scripts/{script.id}")
    assert script.created_by_id == member.id
    partial = member_client.post("/outreach/scripts/new", data=_form(name="Other"), headers=PARTIAL)
    assert partial.status_code == 200 and partial.headers["HX-Redirect"].startswith("/outreach")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"body": "Hi {{ contact_nickname }}"}, "body", "“contact_nickname” is not a merge field"),
        ({"body": "{{ ''.__class__ }}"}, "body", "without dots or brackets"),
        ({"body": "{% include 'base.html' %}"}, "body", "cannot include, import or extend"),
        ({"subject": "{{ config }}"}, "subject", "“config” is not a merge field"),
        ({"body": "{{ contact_name"}, "body", "Line 1:"),
        ({"name": ""}, "name", "Give the script a name."),
        ({"body": "x" * 5001}, "body", "Use at most 5000 characters."),
    ],
)
def test_a_bad_script_is_a_422_with_the_message_beside_the_field(
    app, member_client, values, field, message
):
    form = _form(**values)
    for headers in ({}, PARTIAL):
        response = member_client.post("/outreach/scripts/new", data=form, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert f'id="{field}-error"' in html
        assert message in html
        assert ("<html" in html) == (not headers)
    if field == "body" and "Line" not in message and len(form["body"]) < 100:
        assert "Valid fields: contact_first_name" in html
        # The typed text comes back in the form, escaped.
        assert form["body"].replace("'", "&#39;") in html
    assert db.session.scalar(select(func.count(Script.id))) == 0


def test_editing_saves_and_a_stale_form_is_a_409_showing_their_version(app, member_client):
    script = make_script()
    page = member_client.get(f"/outreach/scripts/{script.id}/edit").get_data(as_text=True)
    version = version_of(script)
    assert f'value="{version}"' in page
    saved = member_client.post(
        f"/outreach/scripts/{script.id}/edit", data=_form(name="Renamed", version=version)
    )
    assert saved.status_code == 303
    stale = member_client.post(
        f"/outreach/scripts/{script.id}/edit", data=_form(body="Mine", version=version)
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Someone else saved this script" in html and "Saved by someone else" in html
    db.session.expire_all()
    saved = db.session.get(Script, script.id)
    assert (saved.name, saved.body) == ("Renamed", VALID)
    # Their version is now the one the form carries: saving again replaces it on purpose.
    assert f'value="{version_of(saved)}"' in html


def test_deleting_a_script(app, member_client):
    script = make_script()
    response = member_client.post(f"/outreach/scripts/{script.id}/delete")
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(Script.id))) == 0


def test_viewers_read_scripts_but_cannot_write(app, viewer_client):
    script = make_script()
    page = viewer_client.get(f"/outreach/scripts/{script.id}").get_data(as_text=True)
    assert "Hi Alex" in page
    assert "New script" not in page and "/edit" not in page and "/delete" not in page
    assert viewer_client.get("/outreach/scripts/new").status_code == 403
    assert viewer_client.get(f"/outreach/scripts/{script.id}/edit").status_code == 403
    assert viewer_client.post("/outreach/scripts/new", data=_form()).status_code == 403
    assert viewer_client.post(f"/outreach/scripts/{script.id}/delete").status_code == 403
    assert db.session.get(Script, script.id) is not None


def test_the_edit_form_lists_the_valid_fields(member_client):
    html = member_client.get("/outreach/scripts/new").get_data(as_text=True)
    for name in merge.fields():
        assert f"{{{{ {name} }}}}" in html
