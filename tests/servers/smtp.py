"""A real SMTP server (aiosmtpd on 127.0.0.1) that tests stop and start, and what it received."""

import re
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from winback_app.mail import outbox

REFUSED = "nobody@customer.example"


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses one address for good."""

    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def messages(self):
        return [message_from_bytes(content, policy=policy.default) for _, content in self.received]


class SMTPServer:
    """A real SMTP server on a fixed free port that can be stopped and started again."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def deliver(app, smtp: SMTPServer) -> list[EmailMessage]:
    """Send what the outbox holds through ``smtp`` (in the caller's app context); the emails the
    server received by this round."""
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_TLS=False, MAIL_USE_SSL=False
    )
    seen = len(smtp.inbox.received)
    outbox.send_due()
    return smtp.inbox.messages()[seen:]


SURVEY_LINK = re.compile(r"https?://[^\s/]+/s/([A-Za-z0-9_-]{22,128})(?=\s)")


def survey_token(email: EmailMessage) -> str:
    """The private survey link's token in a delivered email's text."""
    return SURVEY_LINK.search(email.get_body(("plain",)).get_content()).group(1)
