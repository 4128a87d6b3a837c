"""Survey invitations: who is invited and who is left out, private links, states, reminders."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_account, make_contact, make_survey, make_user
from tests.helpers import PARTIAL
from tests.servers.smtp import deliver, survey_token
from winback_app import tokens
from winback_app.accounts import search
from winback_app.core.settings import services as team_settings
from winback_app.discovery.invitations import mail as invitation_mail
from winback_app.discovery.invitations import reminders, states
from winback_app.discovery.invitations import services as invitations
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.public import services as survey_responses
from winback_app.discovery.surveys.services import minutes_to_answer
from winback_app.extensions import db
from winback_app.mail.models import OutboxMessage
from winback_app.models import utcnow
from winback_app.outreach.scripts import merge
from winback_app.outreach.scripts.models import Script
from winback_app.rules import RuleViolation

BASE = "https://winback.example.com"
QUESTIONS = [{"kind": "rating", "text": "How was our service?"}]


def _script() -> Script:
    invitation_mail.ensure_invitation_script()
    return invitation_mail.invitation_scripts()[0]


def _invite(survey, ids=None, filters=None, user=None, now=None):
    user = user or make_user()
    return invitations.invite(survey, user, BASE, _script(), filters, ids, now=now)


def _messages() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _stored_text(message: OutboxMessage) -> str:
    return message.text_body + message.html_body + message.list_unsubscribe


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield app


def test_tokens_are_long_random_and_only_their_hash_is_kept(ctx, smtp):
    made = {tokens.new_token() for _ in range(200)}
    assert len(made) == 200
    for token in made:
        assert len(token) >= 22  # 128 bits in URL-safe base64
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    token = made.pop()
    assert re.fullmatch(r"[0-9a-f]{64}", tokens.hash_token(token))
    assert tokens.hash_token(token) == tokens.hash_token(token) != tokens.hash_token(token + "x")

    survey = make_survey(QUESTIONS)
    contact = make_contact(make_account())
    _invite(survey, ids=[contact.account_id])
    (email,) = deliver(ctx, smtp)
    sent_token = survey_token(email)
    (message,) = _messages()
    assert sent_token not in _stored_text(message)  # made as the email left, never stored
    stored = db.session.scalar(select(Invitation))
    assert stored.token_hash == tokens.hash_token(sent_token)
    assert sent_token not in stored.token_hash
    assert survey_responses.invitation_for(sent_token).id == stored.id
    tampered = sent_token[:-1] + ("B" if sent_token.endswith("A") else "A")
    assert survey_responses.invitation_for(tampered) is None


def test_preview_lists_who_is_left_out_and_why(ctx):
    survey = make_survey(QUESTIONS)
    fine = make_account(name="Fine Foods")
    ok = make_contact(fine, name="Olive Ok", email="olive@fine.example")
    make_contact(fine, name="Nora Noemail", email="")
    make_contact(fine, name="Dan Dontemail", email="dan@fine.example", do_not_email=True)
    gone = make_contact(fine, name="Una Unsub", email="una@fine.example")
    gone.unsubscribed_at = utcnow()
    blocked = make_account(name="Blocked Bakery", do_not_contact=True)
    make_contact(blocked, name="Bea Blocked", email="bea@blocked.example")
    empty = make_account(name="Empty Estates")
    # The same person, unsubscribed at one account, is not invited at another.
    elsewhere = make_account(name="Elsewhere Engineering")
    make_contact(elsewhere, name="Una Unsub", email="UNA@fine.example")
    db.session.commit()
    ids = [fine.id, blocked.id, empty.id, elsewhere.id]

    result = invitations.preview(survey, ids=ids)
    assert result.accounts == 4
    assert [c.contact.id for c in result.invite] == [ok.id]
    reasons = {
        (c.account.name, c.contact.name if c.contact else None): c.left_out for c in result.left_out
    }
    assert reasons == {
        ("Fine Foods", "Nora Noemail"): "no_email",
        ("Fine Foods", "Dan Dontemail"): "do_not_email",
        ("Fine Foods", "Una Unsub"): "unsubscribed",
        ("Blocked Bakery", "Bea Blocked"): "do_not_contact",
        ("Empty Estates", None): "no_contact",
        ("Elsewhere Engineering", "Una Unsub"): "unsubscribed",
    }
    assert all(c.reason for c in result.left_out)

    _invite(survey, ids=ids)
    again = invitations.preview(survey, ids=ids)
    assert again.invite == []
    assert ("already_invited", ok.id) in {
        (c.left_out, c.contact and c.contact.id) for c in again.left_out
    }


def test_preview_takes_the_accounts_lists_filters(ctx):
    survey = make_survey(QUESTIONS)
    friendly = make_account(name="Friendly Firm", friendly=True)
    make_contact(friendly)
    make_contact(make_account(name="Cold Company"))
    result = invitations.preview(survey, filters=search.Filters(friendly=True))
    assert [c.account.name for c in result.invite] == ["Friendly Firm"]


def test_too_many_accounts_at_once_are_refused(ctx, monkeypatch):
    monkeypatch.setattr(invitations, "MAX_ACCOUNTS", 2)
    survey = make_survey(QUESTIONS)
    ids = [make_account().id for _ in range(3)]
    with pytest.raises(RuleViolation, match="at most 2 at a time"):
        invitations.preview(survey, ids=ids)


def test_invite_stores_invitations_and_emails_together(ctx, smtp):
    team_settings.update(charities="WaterAid\nThe local food bank")
    survey = make_survey(QUESTIONS, expires_days=10)
    account = make_account(name="Harbor Dental")
    contact = make_contact(account, name="Jane Doe", email="jane@harbor.example")
    now = utcnow()
    _invite(survey, ids=[account.id], user=make_user(name="Sam Patel"), now=now)

    invitation = db.session.scalar(select(Invitation))
    assert (invitation.account_id, invitation.contact_id) == (account.id, contact.id)
    assert invitation.expires_at == now + timedelta(days=10)
    assert invitation.sent_at is None  # sent when the outbox sends it
    (message,) = _messages()
    assert message.invitation_id == invitation.id and message.status == "queued"
    assert (message.to_address, message.to_name) == ("jane@harbor.example", "Jane Doe")
    minutes = minutes_to_answer(survey)
    assert message.subject.startswith(f"Jane, {minutes} minute")
    text = message.text_body
    assert "Harbor Dental" in text and "Sam Patel" in text and f"about {minutes} minute" in text
    assert "- WaterAid\n- The local food bank" in text
    # The stored email has a placeholder where the private link goes.
    placeholder = f"{BASE}/s/{invitations.LINK_PLACEHOLDER}"
    assert f"{placeholder}/unsubscribe" in text
    assert message.list_unsubscribe == f"{placeholder}/unsubscribe"
    assert "<li>WaterAid</li>" in message.html_body
    assert f'<a href="{placeholder}">' in message.html_body
    assert db.session.get(type(survey), survey.id).script_id == _script().id

    (email,) = deliver(ctx, smtp)
    token = survey_token(email)
    assert email["List-Unsubscribe"] == f"<{BASE}/s/{token}/unsubscribe>"
    assert f'<a href="{BASE}/s/{token}">' in email.get_body(("html",)).get_content()
    assert f"{BASE}/s/{token}/unsubscribe" in email.get_body(("plain",)).get_content()
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).sent_at is not None
    assert survey_responses.invitation_for(token).id == invitation.id


def test_one_person_on_two_accounts_gets_a_link_per_account(ctx, smtp):
    survey = make_survey(QUESTIONS)
    first, second = make_account(name="Alpha"), make_account(name="Beta")
    make_contact(first, name="Pat Twice", email="pat@shared.example")
    make_contact(second, name="Pat Twice", email="pat@shared.example")
    _invite(survey, ids=[first.id, second.id])
    emails = deliver(ctx, smtp)
    assert len(emails) == 2
    found = {survey_responses.invitation_for(survey_token(e)).account.name for e in emails}
    assert found == {"Alpha", "Beta"}
    for email in emails:
        invitation = survey_responses.invitation_for(survey_token(email))
        assert invitation.contact.account_id == invitation.account_id
        assert invitation.account.name in email.get_body(("plain",)).get_content()


def test_only_an_open_survey_with_a_linked_email_takes_invitations(ctx):
    contact = make_contact(make_account())
    draft = make_survey(QUESTIONS, status="draft")
    with pytest.raises(RuleViolation, match="Open the survey"):
        _invite(draft, ids=[contact.account_id])
    plain = Script(kind="email", name="No link", subject="Hi", body="Hello {{ contact_name }}")
    db.session.add(plain)
    db.session.commit()
    with pytest.raises(RuleViolation, match="has no"):
        invitations.choose_script(plain.id)
    with pytest.raises(RuleViolation, match="Nobody to invite"):
        _invite(make_survey(QUESTIONS), ids=[make_account().id])
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert _messages() == []


def test_states_follow_the_invitation_and_sql_agrees(ctx):
    survey = make_survey(QUESTIONS)
    accounts = [make_account() for _ in range(7)]
    for account in accounts:
        make_contact(account)
    _invite(survey, ids=[a.id for a in accounts])
    now = utcnow()
    rows = list(db.session.scalars(select(Invitation).order_by(Invitation.id)))
    queued, sent, opened, answered, bounced, expired, unsubscribed = rows
    for row in rows[1:]:
        row.sent_at = now
    opened.opened_at = now
    answered.opened_at = answered.answered_at = now
    bounced.bounced_at = now
    expired.expires_at = now - timedelta(seconds=1)
    unsubscribed.contact.unsubscribed_at = now
    db.session.commit()
    expected = ["queued", "sent", "opened", "answered", "bounced", "expired", "unsubscribed"]
    assert [states.state_of(row, now) for row in rows] == expected
    assert states.counts(survey, now) == dict.fromkeys(states.STATES, 1)
    assert [i.id for i in states.listing(survey, now, "expired")] == [expired.id]


def _sent_invitations(survey, count, sent_at):
    accounts = [make_account() for _ in range(count)]
    for account in accounts:
        make_contact(account)
    _invite(survey, ids=[a.id for a in accounts], now=sent_at)
    rows = list(db.session.scalars(select(Invitation).order_by(Invitation.id)))
    for row in rows:
        row.sent_at = sent_at
    db.session.commit()
    return rows


def test_reminders_go_only_to_those_who_have_not_answered(ctx, smtp):
    survey = make_survey(QUESTIONS, reminder_after_days=7, max_reminders=2, expires_days=60)
    start = utcnow() - timedelta(days=30)
    waiting, answered, unsubscribed, bounced, quiet = _sent_invitations(survey, 5, start)
    answered.answered_at = start + timedelta(days=1)
    unsubscribed.unsubscribed_at = start + timedelta(days=1)
    bounced.bounced_at = start
    quiet.contact.do_not_email = True  # asked since the invitation
    db.session.commit()
    first_emails = {email["To"].addresses[0].addr_spec: email for email in deliver(ctx, smtp)}
    first_token = survey_token(first_emails[waiting.contact.email])
    assert survey_responses.invitation_for(first_token).id == waiting.id
    before = len(_messages())

    assert reminders.send_reminders(BASE, now=start + timedelta(days=6)).queued == 0
    first = reminders.send_reminders(BASE, now=start + timedelta(days=7))
    assert first.queued == 1
    reminder = _messages()[before]
    assert reminder.to_address == waiting.contact.email
    assert reminder.subject.startswith("Reminder: ")
    assert "fresh link" in reminder.text_body
    # The reminder's link is the invitation's link now; the first one no longer works.
    (delivered,) = deliver(ctx, smtp)
    new_token = survey_token(delivered)
    assert survey_responses.invitation_for(new_token).id == waiting.id
    assert survey_responses.invitation_for(first_token) is None

    assert reminders.send_reminders(BASE, now=start + timedelta(days=13)).queued == 0
    assert reminders.send_reminders(BASE, now=start + timedelta(days=14)).queued == 1
    # Two reminders were the most; a third is never sent.
    assert reminders.send_reminders(BASE, now=start + timedelta(days=29)).queued == 0
    db.session.expire_all()
    assert db.session.get(Invitation, waiting.id).reminders_sent == 2
    assert len(_messages()) == before + 2


def test_no_reminder_after_the_link_expired_or_once_the_survey_closed(ctx):
    survey = make_survey(QUESTIONS, reminder_after_days=1, expires_days=5)
    start = utcnow() - timedelta(days=10)
    _sent_invitations(survey, 1, start)
    assert reminders.reminders_due(survey, start + timedelta(days=6)) == []
    assert len(reminders.reminders_due(survey, start + timedelta(days=2))) == 1
    survey.status = "closed"
    db.session.commit()
    assert reminders.reminders_due(survey, start + timedelta(days=2)) == []


def test_a_reminder_is_taken_once_even_by_two_rounds_at_once(ctx):
    survey = make_survey(QUESTIONS, reminder_after_days=1)
    start = utcnow() - timedelta(days=3)
    (invitation,) = _sent_invitations(survey, 1, start)
    assert reminders.send_reminders(BASE, now=utcnow()).queued == 1
    # Another round that read the invitation (0 reminders sent) before this one took it:
    assert reminders._take(invitation.id, 0, utcnow()) is False
    assert reminders.send_reminders(BASE, now=utcnow()).queued == 0


def test_surveys_remind_command(app, app_ctx):
    with app.test_request_context("/"):
        survey = make_survey(QUESTIONS, reminder_after_days=1)
        _sent_invitations(survey, 2, utcnow() - timedelta(days=2))
    result = app.test_cli_runner().invoke(args=["surveys", "remind"])
    assert result.exit_code == 0, result.output
    assert "2 reminders queued" in result.output
    assert "WINBACK_BASE_URL is not set" in result.output
    with app.app_context():
        reminder = db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id.desc())
        ).first()
        assert "http://127.0.0.1:5000/s/" in reminder.text_body


def test_merge_fields_and_the_invitation_email_are_registered_once(ctx):
    assert {"survey_link", "charity_list"} <= set(merge.fields())
    team_settings.update(charities="WaterAid\n\nFood bank")
    assert merge.sample_values()["charity_list"] == "- WaterAid\n- Food bank"
    invitation_mail.ensure_invitation_script()
    invitation_mail.ensure_invitation_script()
    linked = invitation_mail.invitation_scripts()
    assert [s.name for s in linked] == ["Survey invitation (email)"]
    # The outreach examples are there too: seeding ours did not stop theirs.
    assert db.session.scalar(select(func.count(Script.id))) == 3
    merge.check(linked[0].subject, linked[0].body)


# Routes


def _open_survey_with_contacts(app, n=2):
    with app.test_request_context("/"):
        survey = make_survey(QUESTIONS)
        accounts = [make_account(name=f"Route Account {i}") for i in range(n)]
        for account in accounts:
            make_contact(account)
        return survey.id, [a.id for a in accounts]


def test_invite_page_previews_then_confirm_queues(app, member_client):
    survey_id, ids = _open_survey_with_contacts(app)
    url = f"/discovery/surveys/{survey_id}/invite"
    empty = member_client.get(url)
    assert empty.status_code == 200
    assert "Choose the accounts to invite" in empty.get_data(as_text=True)

    query = "&".join(f"ids={i}" for i in ids)
    preview = member_client.get(f"{url}?{query}", headers=PARTIAL)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<html" not in html
    assert "2 contacts will be invited" in html and "Send 2 invitations" in html
    assert "The email Contact Person" in html

    with app.app_context():
        script_id = invitation_mail.invitation_scripts()[0].id
    confirm = member_client.post(url, data={"ids": ids, "script_id": script_id})
    assert confirm.status_code == 303
    assert confirm.headers["Location"].endswith(f"/discovery/surveys/{survey_id}/invitations")
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 2
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
    panel = member_client.get(confirm.headers["Location"]).get_data(as_text=True)
    assert "2 invitations queued" in panel
    assert "Route Account 0" in panel and "Queued" in panel


def test_invite_by_filters_and_refusals(app, member_client, viewer_client):
    survey_id, _ = _open_survey_with_contacts(app)
    url = f"/discovery/surveys/{survey_id}/invite"
    found = member_client.get(f"{url}?q=Route+Account+1").get_data(as_text=True)
    assert "1 contact will be invited" in found
    bad = member_client.post(url, data={"q": "Route Account 1", "script_id": "999"})
    assert bad.status_code == 422
    assert "Choose the email to send" in bad.get_data(as_text=True)
    assert viewer_client.post(url, data={"q": "Route"}).status_code == 403
    assert member_client.get("/discovery/surveys/999/invite").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_invite_start_carries_the_accounts_to_the_open_survey(app, member_client):
    survey_id, ids = _open_survey_with_contacts(app)
    posted = member_client.post("/discovery/invite", data={"ids": ids, "action": "owner"})
    assert posted.status_code == 303
    step = member_client.get(posted.headers["Location"])
    assert step.status_code == 302
    assert (
        f"/discovery/surveys/{survey_id}/invite?ids={ids[0]}&ids={ids[1]}"
        in step.headers["Location"]
    )
    listing = member_client.get("/accounts/?friendly=1").get_data(as_text=True)
    assert "/discovery/invite?friendly=1" in listing


def test_panel_and_reminders_button(app, member_client):
    with app.test_request_context("/"):
        survey = make_survey(QUESTIONS, reminder_after_days=1)
        _sent_invitations(survey, 2, utcnow() - timedelta(days=2))
        survey_id = survey.id
    panel = member_client.get(f"/discovery/surveys/{survey_id}/invitations", headers=PARTIAL)
    html = panel.get_data(as_text=True)
    assert 'id="survey-invitations"' in html and "<html" not in html
    assert "2 due now" in html and "Send 2 reminders now" in html
    sent = member_client.post(f"/discovery/surveys/{survey_id}/reminders", headers=PARTIAL)
    assert sent.status_code == 200
    assert "2 reminders queued" in sent.headers["HX-Trigger"]
    assert "Send 2 reminders now" not in sent.get_data(as_text=True)
    sent_only = member_client.get(f"/discovery/surveys/{survey_id}/invitations?state=answered")
    assert "No invitation is answered" in sent_only.get_data(as_text=True)
