"""Security headers, the per-request CSP nonce, access rules and cookie flags.

Access is decided before any view runs, so a new endpoint is protected the day it is added:
every endpoint needs a logged-in user unless its view is marked ``@public``, and a ``viewer``
may not make any unsafe request unless the view is marked ``@viewer_may_write`` (logging out).
"""

import base64
import hashlib
import secrets
from functools import wraps
from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from winback_app import htmx
from winback_app.config import HTMX_CDN_ORIGIN, HTMX_CDN_URL, HTMX_VERSION

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Static files are served by Flask's own endpoint, which no decorator can mark.
PUBLIC_ENDPOINTS = frozenset({"static"})


def public(view):
    """Mark a view as reachable without logging in."""
    view.is_public = True
    return view


def viewer_may_write(view):
    """Mark a view whose unsafe requests a read-only ``viewer`` may still make."""
    view.viewer_may_write = True
    return view


def admin_required(view):
    """Allow only admins; everyone else gets 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def writer_required(view):
    """Refuse read-only viewers a page that is only a form (403), not just its save.

    Their unsafe requests are refused before any view runs (``enforce_access``); this also
    refuses the GET that would show them the form.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.can_write:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def is_public_endpoint(app, endpoint: str | None) -> bool:
    """True when ``endpoint`` may be reached without logging in."""
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return True
    return getattr(app.view_functions.get(endpoint), "is_public", False)


def enforce_access():
    """before_request: log-in wall and the viewer's read-only rule."""
    app = current_app._get_current_object()
    endpoint = request.endpoint
    if is_public_endpoint(app, endpoint):
        return None
    if not current_user.is_authenticated:
        # Come back here after logging in, unless this was a form post (it cannot be replayed).
        if request.method in SAFE_METHODS and not htmx.is_partial():
            login_url = url_for("auth.login", next=request.full_path.rstrip("?"))
        else:
            login_url = url_for("auth.login")
        return htmx.redirect(login_url) if htmx.is_htmx() else redirect(login_url)
    view = app.view_functions.get(endpoint)
    if (
        request.method not in SAFE_METHODS
        and current_user.role == "viewer"
        and not getattr(view, "viewer_may_write", False)
    ):
        abort(403)
    return None


def csp_nonce() -> str:
    """The nonce for this request's inline scripts, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def set_security_headers(response):
    """after_request: the CSP and the other security headers, on every response."""
    script_src = ["'self'"]
    if current_app.config["HTMX_SOURCE"] == "cdn":
        script_src.append(HTMX_CDN_ORIGIN)
    if "csp_nonce" in g:
        script_src.append(f"'nonce-{g.csp_nonce}'")
    policy = {
        "default-src": "'self'",
        "script-src": " ".join(script_src),
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    response.headers["Content-Security-Policy"] = "; ".join(f"{k} {v}" for k, v in policy.items())
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Session cookie marked Secure whenever the request came over HTTPS.

    Behind the reverse proxy, ProxyFix makes ``request.is_secure`` reflect the original scheme,
    so the flag follows how users actually reach the app.
    """

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def htmx_asset(static_folder: str) -> dict:
    """The pinned htmx script: CDN URL, SRI hash of the vendored copy, and the local path.

    The hash is computed from the self-hosted file, so the CDN copy is only accepted when it
    is byte-for-byte the file the tests ran against.
    """
    data = (Path(static_folder) / "vendor" / f"htmx-{HTMX_VERSION}.min.js").read_bytes()
    digest = base64.b64encode(hashlib.sha384(data).digest()).decode()
    return {
        "version": HTMX_VERSION,
        "cdn_url": HTMX_CDN_URL,
        "integrity": f"sha384-{digest}",
        "local_file": f"vendor/htmx-{HTMX_VERSION}.min.js",
    }


def safe_next_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
