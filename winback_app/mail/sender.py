"""Sending: building the email, the SMTP and file transports, the retry policy, the worker.

The outbox (outbox.py) decides what is due and records what happened; this module only turns
one stored message into a MIME email and hands it to a transport. With ``MAIL_SERVER`` set the
transport is SMTP; without it each email is written as an .eml file to ``instance/mail/``, so
the app works with no mail server at all.
"""

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from winback_app.models import utcnow

MAX_TRIES = 5
# How long to wait after the 1st, 2nd, 3rd and 4th failed try; the 5th failure is final.
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 60))
SMTP_TIMEOUT = 30  # seconds; far below the outbox's claim lease
WORKER_INTERVAL = 10  # seconds between two rounds of the worker

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A message could not be handed over.

    ``permanent``: trying again cannot help (the server refused it for good). ``bounced``: the
    recipient's address was refused. ``server_down``: nothing reached a server, so the rest of
    the batch waits for the next round instead of failing one by one.
    """

    def __init__(self, text: str, permanent=False, bounced=False, server_down=False):
        super().__init__(text)
        self.text = text
        self.permanent = permanent
        self.bounced = bounced
        self.server_down = server_down


def next_try(tries: int, now: datetime) -> datetime | None:
    """When to try again after ``tries`` failed tries; None when that was the last one."""
    if tries >= MAX_TRIES:
        return None
    return now + BACKOFF[min(tries, len(BACKOFF)) - 1]


def build(message, config: dict, filled: dict[str, str] | None = None) -> EmailMessage:
    """The MIME email of a stored message: text and HTML parts, its Message-ID, unsubscribe;
    each placeholder in ``filled`` replaced by its value (never stored)."""

    def fill(text: str) -> str:
        for placeholder, value in (filled or {}).items():
            text = text.replace(placeholder, value)
        return text

    email = EmailMessage()
    email["From"] = formataddr((config["WINBACK_COMPANY_NAME"], config["MAIL_FROM"]))
    email["To"] = formataddr((message.to_name, message.to_address))
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = message.message_id
    if message.list_unsubscribe:
        email["List-Unsubscribe"] = f"<{fill(message.list_unsubscribe)}>"
        # RFC 8058: mail clients may unsubscribe with one POST, without opening a page.
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(fill(message.text_body))
    if message.html_body:
        email.add_alternative(fill(message.html_body), subtype="html")
    return email


class FileTransport:
    """Writes each email to ``folder`` as an .eml file (no mail server configured).

    A file is a copy to read, not a delivery: private links stay placeholders in it.
    """

    delivers = False

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, email: EmailMessage, outbox_id: int) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{utcnow():%Y%m%d-%H%M%S}-{outbox_id:06d}.eml"
            (self.folder / name).write_bytes(bytes(email))
        except OSError as error:
            raise DeliveryError(f"Could not write the email file: {error}") from error

    def close(self) -> None:
        """Nothing to close."""


class SMTPTransport:
    """One SMTP connection per round, opened on the first message and reused for the rest."""

    delivers = True

    def __init__(self, config: dict):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        host, port = self.config["MAIL_SERVER"], self.config["MAIL_PORT"]
        context = ssl.create_default_context()
        if self.config["MAIL_USE_SSL"]:
            connection = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=context)
        else:
            connection = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        try:
            if self.config["MAIL_USE_TLS"] and not self.config["MAIL_USE_SSL"]:
                connection.starttls(context=context)
            if self.config["MAIL_USERNAME"]:
                connection.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"])
        except (OSError, smtplib.SMTPException):
            connection.close()
            raise
        return connection

    def send(self, email: EmailMessage, outbox_id: int) -> None:
        try:
            if self.connection is None:
                try:
                    self.connection = self._connect()
                except (OSError, smtplib.SMTPException) as error:
                    raise DeliveryError(
                        f"Could not connect to {self.config['MAIL_SERVER']}:"
                        f"{self.config['MAIL_PORT']}: {error}",
                        server_down=True,
                    ) from error
            self.connection.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            permanent = all(code >= 500 for code in codes)
            raise DeliveryError(
                f"Recipient refused: {_describe(error.recipients)}",
                permanent=permanent,
                bounced=permanent,
            ) from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raise DeliveryError(
                f"The server answered {error.smtp_code}: {_text(error.smtp_error)}",
                permanent=error.smtp_code >= 500,
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            # The connection broke part-way: start a new one for the next message.
            self.close()
            raise DeliveryError(f"Sending failed: {error}", server_down=True) from error

    def close(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (OSError, smtplib.SMTPException):
            # Already gone; nothing more to tidy.
            self.connection.close()
        self.connection = None


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _describe(recipients: dict) -> str:
    return "; ".join(
        f"{address}: {code} {_text(reply)}" for address, (code, reply) in recipients.items()
    )


def transport_for(config: dict, instance_path: str):
    """SMTP when ``MAIL_SERVER`` is set, else .eml files in the instance folder."""
    if config["MAIL_SERVER"]:
        return SMTPTransport(config)
    return FileTransport(Path(instance_path) / "mail")


def run_worker(app, send_due: Callable, interval: float, stop: threading.Event) -> None:
    """Call ``send_due`` every ``interval`` seconds until ``stop`` is set.

    A failing round (the database restarting, say) is logged and the loop goes on: messages
    stay in the outbox and the next round picks them up.
    """
    while not stop.is_set():
        with app.app_context():
            try:
                send_due()
            except Exception:
                log.exception("The outbox round failed; trying again in %s s.", interval)
        stop.wait(interval)


def start_background(app, send_due: Callable, interval: float = WORKER_INTERVAL):
    """Run the worker in a daemon thread of this process (MAIL_BACKGROUND_SENDER=true).

    Several processes may each run one: the outbox's claims make sure no message goes twice.
    Returns the event that stops it.
    """
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        args=(app, send_due, interval, stop),
        name="winback-mail-sender",
        daemon=True,
    )
    thread.start()
    return stop
