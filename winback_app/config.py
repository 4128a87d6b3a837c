"""Settings, read from environment variables once when the app is created.

Every setting has a documented default (see README.md, "Configuration"), so `make run` works
with no environment at all. Invalid values stop the app at start-up with a clear message
rather than failing later on a request.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

HTMX_VERSION = "4.0.1"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_CDN_ORIGIN = "https://cdn.jsdelivr.net"
ROLES = ("admin", "member", "viewer")


class ConfigError(RuntimeError):
    """A setting has a value the app cannot run with."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


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


def from_environment(instance_path: str) -> dict:
    """Build the app's settings from the environment."""
    htmx_source = os.environ.get("HTMX_SOURCE", "cdn").lower()
    if htmx_source not in ("cdn", "local"):
        raise ConfigError(f"HTMX_SOURCE must be 'cdn' or 'local', not {htmx_source!r}")
    timezone = os.environ.get("WINBACK_TIMEZONE", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"WINBACK_TIMEZONE {timezone!r} is not a known time zone") from None
    default_db = "sqlite:///" + str(Path(instance_path) / "winback.sqlite3")
    secure_cookies = _flag("WINBACK_SECURE_COOKIES", False)
    base_url = os.environ.get("WINBACK_BASE_URL", "").rstrip("/")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"WINBACK_BASE_URL must start with http:// or https://, not {base_url!r}")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL") or default_db),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 587),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "winback@localhost"),
        "MAIL_BACKGROUND_SENDER": _flag("MAIL_BACKGROUND_SENDER", False),
        "WINBACK_BASE_URL": base_url,
        "HTMX_SOURCE": htmx_source,
        "WINBACK_COMPANY_NAME": os.environ.get("WINBACK_COMPANY_NAME", "Acme Supplies"),
        "WINBACK_TIMEZONE": timezone,
        "WINBACK_PROXY_COUNT": _int("WINBACK_PROXY_COUNT", 0),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "PASSWORD_HASH_METHOD": "scrypt",
    }


# Settings that are the same everywhere and not meant to be changed by an environment.
FIXED = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_PER_ADDRESS": "20 per 10 minutes",
    "LOGIN_RATE_PER_EMAIL": "5 per 10 minutes",
    "PASSWORD_LINK_DAYS": 7,
}


def for_tests(database_uri: str, instance_path: str) -> dict:
    """Settings for the test suite: a given database, fast hashing, nothing from the shell."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url(database_uri),
        "MAIL_SERVER": "",
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_FROM": "winback@test.invalid",
        "MAIL_BACKGROUND_SENDER": False,
        "WINBACK_BASE_URL": "",
        "HTMX_SOURCE": "local",
        "WINBACK_COMPANY_NAME": "Test Company",
        "WINBACK_TIMEZONE": "UTC",
        "WINBACK_PROXY_COUNT": 0,
        "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Cheap hashing keeps a suite that creates hundreds of users fast.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "INSTANCE_PATH": instance_path,
    }
