"""The outbox: stored with what caused it, claimed once, retried with backoff, then failed."""

import email
import socket
import threading
import time
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import build_app
from tests.helpers import PARTIAL
from winback_app.config import Config
from winback_app.extensions import db
from winback_app.mail import outbox, sender
from winback_app.mail.models import OutboxMessage
from winback_app.models import utcnow
from winback_app.rules import RuleViolation


def _queue(n=1, **overrides):
    messages = []
    for i in range(n):
        values = {
            "to": f"person{i}@customer.example",
            "subject": f"Hello {i}",
            "text": f"Plain text {i}\nhttps://winback.example/s/abc",
            "html": f"<p>HTML {i}</p>",
            "list_unsubscribe": "https://winback.example/s/abc/unsubscribe",
        }
        values.update(overrides)
        messages.append(outbox.queue(**values))
    db.session.commit()
    return messages


def _reload(message) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message.id)


def _mail_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "mail").glob("*.eml"))


def _closed_port() -> int:
    # A port nothing listens on: connecting to it is refused at once, like a server that is down.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_queue_joins_the_callers_transaction(app):
    with app.app_context():
        message = outbox.queue("a@b.example", "Hi", "Text", "", "")
        assert message in db.session.new
        db.session.rollback()
        assert db.session.scalar(select(OutboxMessage)) is None
        outbox.queue("a@b.example", "Line one\r\nBcc: evil@x.example", "Text", "", "")
        db.session.commit()
        stored = db.session.scalar(select(OutboxMessage))
    assert stored.status == "queued" and stored.tries == 0
    assert stored.subject == "Line one Bcc: evil@x.example"  # header injection flattened
    assert stored.message_id.startswith("<") and stored.message_id.endswith("@test.invalid>")


def test_without_a_mail_server_messages_are_written_to_the_instance_folder(app):
    with app.app_context():
        first, second = _queue(2)
        report = outbox.send_due()
        assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
        assert _reload(first).status == "sent" and _reload(first).sent_at is not None
        files = _mail_files(app)
        assert len(files) == 2
        parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
        assert parsed["Message-ID"] == _reload(first).message_id
        # Sent once: another round finds nothing.
        assert outbox.send_due().sent == 0
        assert len(_mail_files(app)) == 2


def test_build_gives_text_and_html_parts_message_id_and_unsubscribe_headers(app):
    with app.app_context():
        (message,) = _queue()
        built = sender.build(message, app.config)
    assert built["From"] == "Test Company <winback@test.invalid>"
    assert built["Message-ID"] == message.message_id
    assert built["List-Unsubscribe"] == "<https://winback.example/s/abc/unsubscribe>"
    assert built["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert built.get_content_type() == "multipart/alternative"
    assert built.get_body(("plain",)).get_content().startswith("Plain text 0")
    assert built.get_body(("html",)).get_content().strip() == "<p>HTML 0</p>"


def test_a_message_is_claimed_once(app):
    with app.app_context():
        (message,) = _queue()
        now = utcnow()
        assert outbox.claim(message.id, now) is True
        assert outbox.claim(message.id, now) is False
        claimed = _reload(message)
        assert claimed.status == "sending" and claimed.tries == 1
        # A sender that died leaves it "sending"; once the lease runs out it is taken again.
        assert outbox.claim(message.id, now + outbox.LEASE) is True
        assert _reload(message).tries == 2


def test_two_senders_at_once_send_each_message_exactly_once(app):
    with app.app_context():
        _queue(24)
    errors = []

    def run():
        try:
            with app.app_context():
                outbox.send_due()
        except Exception as error:  # surfaced below; a thread's exception is otherwise lost
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    files = _mail_files(app)
    assert len(files) == 24
    ids = {email.message_from_bytes(f.read_bytes())["Message-ID"] for f in files}
    assert len(ids) == 24
    with app.app_context():
        assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"sent"}


@pytest.fixture
def down_app(tmp_path):
    """An app whose SMTP server is down (nothing listens on its port)."""
    app = build_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=_closed_port())
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_failures_back_off_then_fail_after_the_last_try_and_retry_starts_afresh(down_app):
    with down_app.app_context():
        (message,) = _queue()
        now = utcnow()
        waits = []
        for attempt in range(1, sender.MAX_TRIES + 1):
            report = outbox.send_due(now)
            current = _reload(message)
            assert current.tries == attempt
            assert "Could not connect to 127.0.0.1" in current.last_error
            if attempt < sender.MAX_TRIES:
                assert (report.retrying, current.status) == (1, "queued")
                waits.append(current.next_attempt_at - now)
                # Not due before its time.
                assert outbox.send_due(now + waits[-1] - timedelta(seconds=1)).retrying == 0
                now = current.next_attempt_at
            else:
                assert (report.failed, current.status) == (1, "failed")
        assert waits == list(sender.BACKOFF)
        # Failed stays failed: no round picks it up again.
        assert outbox.send_due(now + timedelta(days=1)).failed == 0

        outbox.retry(_reload(message))
        retried = _reload(message)
        assert (retried.status, retried.tries) == ("queued", 0)
        assert retried.last_error  # kept until the next try says otherwise
        assert outbox.claim(message.id, utcnow())
        with pytest.raises(RuleViolation, match="Only a failed message"):
            outbox.retry(_reload(message))


def test_a_server_that_is_down_stops_the_round(down_app):
    with down_app.app_context():
        first, second = _queue(2)
        report = outbox.send_due()
        assert (report.retrying, report.sent) == (1, 0)
        assert _reload(first).tries == 1
        # The second waits, untouched, for the next round instead of failing too.
        assert (_reload(second).tries, _reload(second).last_error) == (0, "")


def test_the_background_sender_sends_without_anyone_asking(app):
    with app.app_context():
        message_id = _queue()[0].id

    def status():
        with app.app_context():
            return db.session.get(OutboxMessage, message_id).status

    stop = sender.start_background(app, outbox.send_due, interval=0.1)
    try:
        # The file is written before the message is marked sent: wait for the mark.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and status() != "sent":
            time.sleep(0.05)
    finally:
        stop.set()
    assert status() == "sent"
    assert len(_mail_files(app)) == 1


def test_the_worker_survives_a_failing_round(app, monkeypatch):
    calls, logged = [], []
    stop = threading.Event()
    monkeypatch.setattr(sender.log, "exception", lambda message, *args: logged.append(message))

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        stop.set()

    sender.run_worker(app, flaky, 0.01, stop)
    assert len(calls) == 2
    assert logged == ["The outbox round failed; trying again in %s s."]


def test_cli_send_sends_what_is_due(app, app_ctx):
    with app.app_context():
        _queue(3)
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "3 sent, 0 to retry, 0 failed" in result.output
    assert len(_mail_files(app)) == 3


def test_outbox_page_lists_filters_and_shows_a_message_safely(app, admin_client):
    with app.app_context():
        hostile = _queue(2)[1]
        hostile_id = hostile.id
        hostile.html_body = '<p onclick="x()">Hi</p><script>alert(1)</script>'
        hostile.status, hostile.last_error, hostile.tries = "failed", "550 mailbox unknown", 5
        db.session.commit()
    page = admin_client.get("/admin/outbox/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hello 0" in html and "Hello 1" in html and "550 mailbox unknown" in html
    assert html.index("Hello 1") < html.index("Hello 0")  # failures first
    failed_only = admin_client.get("/admin/outbox/?status=failed", headers=PARTIAL)
    assert 'id="outbox-list"' in failed_only.get_data(as_text=True)
    assert "Hello 0" not in failed_only.get_data(as_text=True)
    assert "<html" not in failed_only.get_data(as_text=True)

    shown = admin_client.get(f"/admin/outbox/{hostile_id}").get_data(as_text=True)
    assert 'sandbox=""' in shown
    assert "<script>alert(1)</script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "Plain text 1" in shown
    assert admin_client.get("/admin/outbox/9999").status_code == 404


def test_retry_button_requeues_a_failed_message(app, admin_client):
    with app.app_context():
        (message,) = _queue()
        message.status, message.tries, message.last_error = "failed", 5, "timed out"
        db.session.commit()
        message_id = message.id
    response = admin_client.post(f"/admin/outbox/{message_id}/retry", headers=PARTIAL)
    assert response.status_code == 200
    assert "goes out at the next round" in response.headers["HX-Trigger"]
    with app.app_context():
        retried = db.session.get(OutboxMessage, message_id)
        assert (retried.status, retried.tries) == ("queued", 0)
        outbox.send_due()
    again = admin_client.post(f"/admin/outbox/{message_id}/retry", data={"back": "message"})
    assert again.status_code == 303  # sent already: refused, with a message on the page
    assert again.headers["Location"].endswith(f"/admin/outbox/{message_id}")
    assert "can be retried" in admin_client.get(again.headers["Location"]).get_data(as_text=True)


def test_send_now_button_sends_what_is_due(app, admin_client):
    with app.app_context():
        _queue(2)
    response = admin_client.post("/admin/outbox/send")
    assert response.status_code == 303
    assert len(_mail_files(app)) == 2


def test_the_outbox_is_for_admins_only(app, member_client, viewer_client):
    with app.app_context():
        message_id = _queue()[0].id
    for client in (member_client, viewer_client):
        assert client.get("/admin/outbox/").status_code == 403
        assert client.get(f"/admin/outbox/{message_id}").status_code == 403
    assert member_client.post(f"/admin/outbox/{message_id}/retry").status_code == 403


def test_sender_settings_come_from_the_environment(tmp_path):
    settings = Config(
        str(tmp_path),
        environ={
            "MAIL_BACKGROUND_SENDER": "true",
            "WINBACK_BASE_URL": "https://winback.example.com/",
        },
    )
    assert settings.MAIL_BACKGROUND_SENDER is True
    assert settings.WINBACK_BASE_URL == "https://winback.example.com"
