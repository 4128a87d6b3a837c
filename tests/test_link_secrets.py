"""No private link that works is kept anywhere but in the email a contact received.

After a survey round (invitations, a reminder, a resend, an answer, an unsubscribe, emails
through a real SMTP server and as files), every value of every table, every file in the mail
folder and the admin's Outbox pages are searched for anything shaped like a link's token, and
each is tried as a survey, password or calendar link.
"""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tests.factories import make_account, make_contact, make_survey, make_user
from tests.servers.smtp import deliver, survey_token
from winback_app import tokens
from winback_app.auth.models import PasswordLink
from winback_app.discovery.invitations import mail as invitation_mail
from winback_app.discovery.invitations import reminders
from winback_app.discovery.invitations import services as invitations
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.public import services as survey_responses
from winback_app.extensions import db
from winback_app.mail import outbox
from winback_app.mail.models import OutboxMessage
from winback_app.models import utcnow
from winback_app.outreach.calendar.models import CalendarFeed

BASE = "https://winback.example.com"
QUESTIONS = [{"kind": "text", "text": "What should we change?"}]
LINK_MODELS = (Invitation, PasswordLink, CalendarFeed)


def _working(candidates: set[str]) -> set[str]:
    """The candidates that open a survey, a password link or a calendar feed."""
    return {
        token
        for token in candidates
        if any(tokens.lookup(model, token) is not None for model in LINK_MODELS)
    }


def _shaped_like_tokens(text: str) -> set[str]:
    return set(tokens.TOKEN_SHAPE.findall(text))


def _every_stored_value() -> str:
    values = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                values.extend(str(value) for value in row if value is not None)
    return "\n".join(values)


def _survey_round(app, smtp) -> list:
    """Invite three contacts, deliver, remind one, answer one, unsubscribe one, write a copy
    of a resend as a file; the emails the contacts received."""
    survey = make_survey(QUESTIONS, reminder_after_days=1, expires_days=30)
    accounts = [make_account(name=f"Account {n}") for n in range(3)]
    for n, account in enumerate(accounts):
        make_contact(account, name=f"Pat {n}", email=f"pat{n}@customer.example")
    invitation_mail.ensure_invitation_script()
    script = invitation_mail.invitation_scripts()[0]
    with app.test_request_context("/"):
        invitations.invite(survey, make_user(), BASE, script, ids=[a.id for a in accounts])
    received = deliver(app, smtp)
    # A day later: one answers, one unsubscribes, one is reminded.
    answering, leaving, _ = (survey_responses.invitation_for(survey_token(e)) for e in received)
    question = survey.questions[0]
    survey_responses.submit(answering, {question.id: "Deliver on time."}, utcnow().date())
    survey_responses.unsubscribe(leaving)
    assert reminders.send_reminders(BASE, now=utcnow() + timedelta(days=2)).queued == 1
    received += deliver(app, smtp)
    db.session.expire_all()
    assert answering.answered_at is not None and leaving.unsubscribed_at is not None
    # The reminder written again as a file, as without a mail server.
    (reminder,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.subject.startswith("Reminder"))
    )
    app.config["MAIL_SERVER"] = ""
    db.session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.id == reminder.id)
        .values(status="queued", next_attempt_at=utcnow())
    )
    db.session.commit()
    assert outbox.send_due().sent == 1
    return received


def test_no_stored_value_file_or_page_holds_a_working_private_link(
    app, app_ctx, smtp, admin_client
):
    received = _survey_round(app, smtp)
    delivered = {survey_token(email) for email in received}
    # The scan finds links that work: the latest link of each invitation, in the emails.
    email_text = "\n".join(email.as_string() for email in received)
    assert _working(_shaped_like_tokens(email_text)) == _working(delivered) != set()

    assert _working(_shaped_like_tokens(_every_stored_value())) == set()
    mail_folder = Path(app.instance_path) / "mail"
    files = list(mail_folder.glob("*.eml"))
    assert len(files) == 1
    assert invitations.LINK_PLACEHOLDER in files[0].read_text()
    assert _working(_shaped_like_tokens(files[0].read_text())) == set()

    pages = [admin_client.get("/admin/outbox/").get_data(as_text=True)]
    for message_id in db.session.scalars(select(OutboxMessage.id)):
        pages.append(admin_client.get(f"/admin/outbox/{message_id}").get_data(as_text=True))
    assert all(invitations.LINK_PLACEHOLDER in page for page in pages[1:])
    assert _working(_shaped_like_tokens("\n".join(pages))) == set()
