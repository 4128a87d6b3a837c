"""The sender against a real SMTP server (aiosmtpd on 127.0.0.1) that the tests stop and start.

The server down means messages stay queued with the error and a next try; once it is back they
go out, every one of them, each exactly once.
"""

from datetime import timedelta

from tests.factories import make_account, make_contact, make_invitation, make_survey
from tests.servers.smtp import REFUSED
from winback_app.extensions import db
from winback_app.mail import outbox
from winback_app.mail.models import OutboxMessage
from winback_app.models import utcnow


def _queue(to="pat@customer.example", invitation=None):
    message = outbox.queue(
        to,
        "Three minutes?",
        "Hi Pat,\nhttps://winback.example/s/token",
        '<p>Hi Pat,<br><a href="https://winback.example/s/token">link</a></p>',
        "https://winback.example/s/token/unsubscribe",
        invitation=invitation,
        to_name="Pat Doe",
    )
    db.session.commit()
    return message


def test_server_down_keeps_messages_queued_then_delivers_each_once(mail_app, smtp):
    with mail_app.app_context():
        message = _queue()
        smtp.stop()
        now = utcnow()
        report = outbox.send_due(now)
        db.session.expire_all()
        waiting = db.session.get(OutboxMessage, message.id)
        assert (report.sent, report.retrying) == (0, 1)
        assert waiting.status == "queued" and waiting.tries == 1
        assert "Could not connect" in waiting.last_error
        assert waiting.next_attempt_at == now + timedelta(minutes=1)

        smtp.start()
        assert outbox.send_due(now).sent == 0  # not due yet: the backoff holds
        report = outbox.send_due(now + timedelta(minutes=1))
        assert report.sent == 1
        assert outbox.send_due(now + timedelta(days=1)).sent == 0
        db.session.expire_all()
        sent = db.session.get(OutboxMessage, message.id)
        assert sent.status == "sent" and sent.tries == 2

    assert len(smtp.inbox.received) == 1
    rcpt_tos, _ = smtp.inbox.received[0]
    assert rcpt_tos == ["pat@customer.example"]
    (received,) = smtp.inbox.messages()
    assert received["Message-ID"] == sent.message_id
    assert received["To"] == "Pat Doe <pat@customer.example>"
    assert received["Subject"] == "Three minutes?"
    assert received["List-Unsubscribe"] == "<https://winback.example/s/token/unsubscribe>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received.get_content_type() == "multipart/alternative"
    assert "https://winback.example/s/token" in received.get_body(("plain",)).get_content()
    assert (
        '<a href="https://winback.example/s/token">' in received.get_body(("html",)).get_content()
    )


def test_one_connection_carries_a_whole_round(mail_app, smtp):
    with mail_app.app_context():
        for n in range(5):
            _queue(f"person{n}@customer.example")
        assert outbox.send_due().sent == 5
    assert sorted(r[0][0] for r in smtp.inbox.received) == [
        f"person{n}@customer.example" for n in range(5)
    ]


def test_a_refused_address_fails_at_once_and_marks_the_invitation_bounced(mail_app, smtp):
    with mail_app.app_context():
        survey = make_survey([{"kind": "text", "text": "Why did you leave?"}])
        contact = make_contact(make_account(), email=REFUSED)
        invitation, _ = make_invitation(survey, contact)
        invitation.sent_at = None
        db.session.commit()
        refused = _queue(REFUSED, invitation=invitation)
        fine = _queue()
        report = outbox.send_due()
        assert (report.sent, report.failed, report.retrying) == (1, 1, 0)
        db.session.expire_all()
        failed = db.session.get(OutboxMessage, refused.id)
        assert failed.status == "failed" and failed.tries == 1
        assert "550" in failed.last_error and REFUSED in failed.last_error
        assert db.session.get(type(invitation), invitation.id).bounced_at is not None
        assert db.session.get(OutboxMessage, fine.id).status == "sent"
    assert len(smtp.inbox.received) == 1
