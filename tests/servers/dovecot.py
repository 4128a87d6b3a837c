"""A private Dovecot IMAP server: plaintext login on 127.0.0.1, users from a passwd-file.

Not the system service: its own configuration, base_dir, state and maildirs in a temporary
directory, run in the foreground with ``dovecot -F -c CONFIG``. Running as root (CI does), the
mail belongs to Debian's unprivileged ``mail`` user (Dovecot refuses to access mail as root) and
Dovecot's own users ``dovecot`` and ``dovenull`` (which its Debian package creates) run its auth
and login processes; as any other user, everything runs as that user.
"""

import contextlib
import email.policy
import getpass
import imaplib
import os
import pwd
import re
import secrets
import time
from email.message import EmailMessage

from tests.servers import HOST, ServerProcess, ServerUnavailable, find_binary

MAIL_USER = "mail"

DEFAULT_USERS = {
    "winback@example.test": "winback-imap-password",
    "bounces@example.test": "bounces-imap-password",
}

CONFIG = """\
# A throwaway Dovecot for the tests; generated, see tests/servers/dovecot.py.
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = winback-test-{port}
log_path = {dir}/dovecot.log
protocols = imap
listen = {host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_uid = {uid}
mail_gid = {gid}
mail_location = maildir:{dir}/mail/%u
mailbox_list_index = no

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = static
  args = home={dir}/home/%u
}}

service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
  # No growing delay after failed logins from one address (the tests fail some on purpose).
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def as_bytes(message: bytes | str | EmailMessage) -> bytes:
    """A message as RFC 5322 bytes with CRLF line ends, as IMAP wants it."""
    if isinstance(message, EmailMessage):
        return message.as_bytes(policy=email.policy.SMTP)
    if isinstance(message, str):
        message = message.encode()
    return re.sub(rb"\r?\n", b"\r\n", message)


class DovecotServer(ServerProcess):
    """Dovecot on 127.0.0.1:``port``; ``users`` maps login names to passwords."""

    name = "dovecot"

    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.binary = find_binary("dovecot", "/usr/sbin/dovecot")
        super().__init__()
        # Dovecot's auth and login processes run unprivileged and read files in here.
        os.chmod(self.directory, 0o755)
        self.default_users = dict(DEFAULT_USERS if users is None else users)
        # A user only this instance knows: proves the server that answers is ours.
        self._probe = (f"probe-{secrets.token_hex(4)}", secrets.token_urlsafe(12))
        self.users = dict(self.default_users)
        self._write_users()

    # -- the process

    def configure(self) -> None:
        if os.geteuid() == 0:
            # Dovecot never accesses mail as root: as root, mail belongs to Debian's "mail" user.
            internal_user, login_user = "dovecot", "dovenull"
            if not (_user_exists(internal_user) and _user_exists(login_user)):
                raise ServerUnavailable("Dovecot's users dovecot and dovenull are missing")
            owner = pwd.getpwnam(MAIL_USER if _user_exists(MAIL_USER) else "nobody")
            uid, gid = owner.pw_uid, owner.pw_gid
        else:
            internal_user = login_user = getpass.getuser()
            uid, gid = os.getuid(), os.getgid()
        for folder in ("mail", "home"):
            (self.directory / folder).mkdir(exist_ok=True)
            os.chown(self.directory / folder, uid, gid)
        (self.directory / "dovecot.conf").write_text(
            CONFIG.format(
                dir=self.directory,
                host=HOST,
                port=self.port,
                internal_user=internal_user,
                login_user=login_user,
                uid=uid,
                gid=gid,
            )
        )

    def command(self) -> list[str]:
        return [self.binary, "-F", "-c", str(self.directory / "dovecot.conf")]

    def ready(self) -> bool:
        try:
            with imaplib.IMAP4(HOST, self.port, timeout=1) as imap:
                imap.login(*self._probe)
                status, _ = imap.select("INBOX")
        except (OSError, imaplib.IMAP4.error):
            return False
        return status == "OK"

    # -- users

    def set_users(self, users: dict[str, str]) -> None:
        """Replace every user. Each change of the users takes up to a second (see below)."""
        if users == self.users:
            return
        self.users = dict(users)
        self._write_users()

    def add_user(self, user: str, password: str) -> None:
        self.users[user] = password
        self._write_users()

    def set_password(self, user: str, password: str) -> None:
        if user not in self.users:
            raise KeyError(user)
        self.add_user(user, password)

    def remove_user(self, user: str) -> None:
        del self.users[user]
        self._write_users()

    def _write_users(self) -> None:
        entries = {**self.users, self._probe[0]: self._probe[1]}
        lines = []
        for user, password in entries.items():
            if any(c in user + password for c in ":\n"):
                raise ValueError("a user or password with ':' or a newline")
            lines.append(f"{user}:{{PLAIN}}{password}::::::\n")
        path = self.directory / "users"
        temporary = path.with_suffix(".new")
        temporary.write_text("".join(lines))
        os.chmod(temporary, 0o644)
        # Dovecot reads the file again when its mtime changes: make sure it does, even for a
        # second change within the same second.
        previous = path.stat().st_mtime if path.exists() else 0
        stamp = max(time.time(), previous + 1)
        os.utime(temporary, (stamp, stamp))
        os.replace(temporary, path)
        if self.running:
            # ... but looks at it at most once a second: wait for the next second, so that the
            # next login sees the change.
            time.sleep(1.02 - time.time() % 1)

    # -- IMAP helpers

    def connect(self, user: str, password: str | None = None) -> imaplib.IMAP4:
        """An IMAP connection logged in as ``user`` (with their password by default)."""
        imap = imaplib.IMAP4(HOST, self.port, timeout=10)
        try:
            imap.login(user, self.users[user] if password is None else password)
        except BaseException:
            with contextlib.suppress(Exception):
                imap.shutdown()
            raise
        return imap

    def deliver(
        self,
        user: str,
        message: bytes | str | EmailMessage,
        mailbox: str = "INBOX",
        flags: str = "",
    ) -> None:
        """Put a raw RFC 5322 message into ``user``'s ``mailbox`` (IMAP APPEND), unread."""
        with self.connect(user) as imap:
            if mailbox != "INBOX":
                imap.create(_quote(mailbox))
            status, response = imap.append(
                _quote(mailbox), f"({flags})" if flags else None, None, as_bytes(message)
            )
            if status != "OK":
                raise RuntimeError(f"APPEND failed: {response}")

    def messages(self, user: str, mailbox: str = "INBOX") -> list[bytes]:
        """Every message in ``user``'s ``mailbox``, raw, oldest first (without marking seen)."""
        with self.connect(user) as imap:
            status, _ = imap.select(_quote(mailbox), readonly=True)
            if status != "OK":
                raise RuntimeError(f"no mailbox {mailbox!r} for {user}")
            _, data = imap.uid("SEARCH", None, "ALL")
            found = []
            for uid in data[0].split():
                _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
                found.extend(part[1] for part in parts if isinstance(part, tuple))
        return found

    def mailboxes(self, user: str) -> list[str]:
        """The names of ``user``'s mailboxes."""
        with self.connect(user) as imap:
            _, data = imap.list()
        return [_mailbox_name(line) for line in data if line]

    def empty(self, user: str) -> None:
        """Delete every message of ``user`` and every mailbox but INBOX."""
        with self.connect(user) as imap:
            _, data = imap.list()
            for name in (_mailbox_name(line) for line in data if line):
                if name.upper() != "INBOX":
                    imap.delete(_quote(name))
            _, count = imap.select("INBOX")
            if int(count[0]):
                imap.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                imap.expunge()

    def reset(self) -> None:
        """Running again, with the default users and passwords and empty mailboxes."""
        self.start()
        self.set_users(self.default_users)
        for user in self.users:
            self.empty(user)


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mailbox_name(line: bytes) -> str:
    # (\HasNoChildren) "." "Name"   or   (\HasNoChildren) "." Name
    name = line.decode().rsplit(' "." ', 1)[-1] if b' "." ' in line else line.decode().split()[-1]
    return name[1:-1].replace('\\"', '"').replace("\\\\", "\\") if name.startswith('"') else name
