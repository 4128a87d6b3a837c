"""Real servers for the tests, each a subprocess on 127.0.0.1 with throwaway state.

``dovecot.DovecotServer`` (IMAP), ``slapd.SlapdServer`` (LDAP) and ``oidc.OIDCProvider``
(OpenID Connect) share ``ServerProcess``: a free port picked once and kept across restarts,
a private temporary directory, a log file there, ``start()``, ``stop()`` and ``down()`` for
"the server is down" tests. ``tests/servers/fixtures.py`` has the pytest fixtures;
``.ci/install-servers`` installs what they need.
"""

import contextlib
import ctypes
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
# Random ports below Linux's ephemeral range (32768-60999), so that no outgoing connection and
# no other xdist worker's bind(0) is likely to take a port we picked between restarts.
PORT_RANGE = (20000, 32000)


class ServerUnavailable(Exception):
    """What a server needs is not installed; the fixtures skip, or fail in CI."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    for _ in range(200):
        port = random.randint(*PORT_RANGE)
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found on 127.0.0.1")


def port_open(port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def find_binary(name: str, *candidates: str) -> str:
    """The path of ``name`` on PATH or at one of ``candidates``, else ServerUnavailable."""
    found = shutil.which(name)
    if found:
        return found
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise ServerUnavailable(f"{name} is not installed: run .ci/install-servers")


def _die_with_parent() -> None:
    # Linux: the server gets SIGTERM if the test process dies without its teardown.
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ServerProcess:
    """A server subprocess on 127.0.0.1; subclasses say how to configure, run and probe it."""

    name = "server"
    start_timeout = 15.0

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=f"winback-{self.name}-"))
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = self.directory / f"{self.name}.log"
        self._log_offset = 0

    # Subclasses: the command line, and a check that *this* instance answers on self.port.
    def command(self) -> list[str]:
        raise NotImplementedError

    def configure(self) -> None:
        """Write the configuration for ``self.port``; called before the first start."""

    def ready(self) -> bool:
        raise NotImplementedError

    def environment(self) -> dict[str, str] | None:
        return None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the server (on a free port the first time, on the same port afterwards)."""
        if self.running:
            return
        if self.port:
            self._spawn()
            return
        for attempt in range(3):
            self.port = free_port()
            self.configure()
            try:
                self._spawn()
                return
            except RuntimeError:
                if attempt == 2:
                    raise

    def _spawn(self) -> None:
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                env=self.environment(),
                # Its own process group: ``close()`` ends the server with every child at once.
                start_new_session=True,
                preexec_fn=(
                    _die_with_parent
                    if threading.current_thread() is threading.main_thread()
                    else None
                ),
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.ready():
                if self.process.poll() is None:
                    return
                break
            time.sleep(0.05)
        self._kill()
        raise RuntimeError(
            f"{self.name} did not start on {HOST}:{self.port}; its log:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Stop the server; connections to its port are refused until ``start()``."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._kill()
        self.process = None
        deadline = time.monotonic() + 5
        while port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def restart(self) -> None:
        self.stop()
        self.start()

    @contextlib.contextmanager
    def down(self):
        """``with server.down():`` the server is stopped inside the block, running after it."""
        self.stop()
        try:
            yield self
        finally:
            self.start()

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        """Kill the server (no need for a graceful stop) and remove its directory."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def log_since_start(self) -> str:
        """What the running process has logged so far."""
        with contextlib.suppress(FileNotFoundError), self.log_path.open("rb") as log:
            log.seek(self._log_offset)
            return log.read().decode(errors="replace")
        return ""

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
