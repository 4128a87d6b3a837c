"""Settings, read from environment variables once when the app is created.

Every setting has a documented default (see README.md, "Configuration"), so `make run` works
with no environment at all. Invalid values stop the app at start-up with a clear message
rather than failing later on a request.
"""

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

HTMX_VERSION = "4.0.1"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_CDN_ORIGIN = "https://cdn.jsdelivr.net"
ROLES = ("admin", "member", "viewer")
DEFAULT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


class ConfigError(RuntimeError):
    """A setting has a value the app cannot run with."""


def database_url(raw: str) -> str:
    """Normalise a PostgreSQL URL to the psycopg 3 driver; leave others as they are."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def instance_secret_key(instance_path: str) -> str:
    """Return the key kept in the instance folder, creating it on first use.

    A key generated once and kept on disk survives restarts (sessions stay valid) without
    ever being a constant in the code.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not end up with different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    """The app's settings, read from an environment once, when the app is created.

    ``create_app`` loads the upper-case attributes with ``app.config.from_object``. The class
    attributes are the same everywhere and not meant to be changed by an environment; the rest
    come from ``environ`` (the process environment unless given) with documented defaults.
    ``settings`` replaces any of them after reading.
    """

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_PER_ADDRESS = "20 per 10 minutes"
    LOGIN_RATE_PER_EMAIL = "5 per 10 minutes"
    PASSWORD_LINK_DAYS = 7
    PASSWORD_HASH_METHOD = "scrypt"

    def __init__(
        self,
        instance_path: str | None = None,
        environ: Mapping[str, str] | None = None,
        **settings,
    ):
        self._environ = os.environ if environ is None else environ
        self.INSTANCE_PATH = str(
            Path(instance_path or self._text("WINBACK_INSTANCE_PATH") or DEFAULT_INSTANCE).resolve()
        )
        self.SECRET_KEY = self._text("SECRET_KEY") or instance_secret_key(self.INSTANCE_PATH)
        default_db = "sqlite:///" + str(Path(self.INSTANCE_PATH) / "winback.sqlite3")
        self.SQLALCHEMY_DATABASE_URI = database_url(self._text("DATABASE_URL") or default_db)
        self.MAIL_SERVER = self._text("MAIL_SERVER")
        self.MAIL_PORT = self._int("MAIL_PORT", 587)
        self.MAIL_USE_TLS = self._flag("MAIL_USE_TLS", True)
        self.MAIL_USE_SSL = self._flag("MAIL_USE_SSL", False)
        self.MAIL_USERNAME = self._text("MAIL_USERNAME")
        self.MAIL_PASSWORD = self._text("MAIL_PASSWORD")
        self.MAIL_FROM = self._text("MAIL_FROM") or "winback@localhost"
        self.MAIL_BACKGROUND_SENDER = self._flag("MAIL_BACKGROUND_SENDER", False)
        self.WINBACK_BASE_URL = self._base_url()
        self.HTMX_SOURCE = self._htmx_source()
        self.WINBACK_COMPANY_NAME = self._text("WINBACK_COMPANY_NAME") or "Acme Supplies"
        self.WINBACK_TIMEZONE = self._timezone()
        self.WINBACK_PROXY_COUNT = self._int("WINBACK_PROXY_COUNT", 0)
        self.SESSION_COOKIE_SECURE = self._flag("WINBACK_SECURE_COOKIES", False)
        self.RATELIMIT_STORAGE_URI = self._text("RATELIMIT_STORAGE_URI") or "memory://"
        for name, value in settings.items():
            setattr(self, name, value)

    def _text(self, name: str) -> str:
        return self._environ.get(name) or ""

    def _flag(self, name: str, default: bool) -> bool:
        value = self._text(name).lower()
        if value == "":
            return default
        if value in ("1", "true", "yes", "on"):
            return True
        if value in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{name} must be true or false, not {self._text(name)!r}")

    def _int(self, name: str, default: int) -> int:
        value = self._text(name)
        if value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, not {value!r}") from None

    def _htmx_source(self) -> str:
        source = (self._text("HTMX_SOURCE") or "cdn").lower()
        if source not in ("cdn", "local"):
            raise ConfigError(f"HTMX_SOURCE must be 'cdn' or 'local', not {source!r}")
        return source

    def _timezone(self) -> str:
        timezone = self._text("WINBACK_TIMEZONE") or "UTC"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"WINBACK_TIMEZONE {timezone!r} is not a known time zone") from None
        return timezone

    def _base_url(self) -> str:
        base_url = self._text("WINBACK_BASE_URL").rstrip("/")
        if base_url and not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"WINBACK_BASE_URL must start with http:// or https://, not {base_url!r}"
            )
        return base_url


class TestConfig(Config):
    """Settings for the test suite: a given database, fast hashing, nothing from the shell."""

    __test__ = False  # a settings class, not tests for pytest to collect
    TESTING = True
    # Cheap hashing keeps a suite that creates hundreds of users fast.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"

    def __init__(self, database_uri: str, instance_path: str, **settings):
        environ = {
            "SECRET_KEY": "test-secret-key-not-for-production",
            "DATABASE_URL": database_uri,
            "MAIL_PORT": "25",
            "MAIL_USE_TLS": "false",
            "MAIL_FROM": "winback@test.invalid",
            "HTMX_SOURCE": "local",
            "WINBACK_COMPANY_NAME": "Test Company",
        }
        super().__init__(instance_path, environ, **settings)
