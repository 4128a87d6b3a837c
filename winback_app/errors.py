"""Error responses: a fragment for partial htmx requests, a whole page otherwise.

An error fragment is retargeted to the page's flash region, so a failed inline action shows a
message above the content instead of replacing the row or panel that made the request.
"""

from flask import current_app
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from winback_app import htmx
from winback_app.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Reload the page and try again."),
    403: ("Not allowed", "Your role does not allow this. Ask an admin if you need access."),
    404: ("Not found", "There is nothing at this address. It may have been moved or removed."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    410: ("Gone", "This link is no longer valid."),
    413: ("Too large", "What you sent is larger than the app accepts."),
    422: ("Please check your input", "Some of what you entered could not be used."),
    429: ("Too many attempts", "Too many attempts in a short time. Wait a few minutes."),
    500: ("Something went wrong", "The error has been logged. Nothing was saved; try again."),
}
CSRF_MESSAGE = (
    "Your form had expired or came from somewhere else, so nothing was saved. "
    "Reload the page and try again."
)


def error_response(status: int, detail: str | None = None):
    """Render the error page or fragment for ``status``."""
    title, message = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    response = htmx.render(
        "errors/error.html",
        block="error",
        status=status,
        title=title,
        message=detail or message,
        code=status,
    )
    if htmx.is_partial():
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if error.code >= 500:
        db.session.rollback()
    detail = error.description if getattr(error, "show_detail", False) else None
    response = error_response(error.code, detail)
    if error.code == 429 or error.code == 405:
        for header, value in error.get_headers():
            if header.lower() in ("retry-after", "allow"):
                response.headers[header] = value
    return response


def _handle_csrf(error: CSRFError):
    db.session.rollback()
    return error_response(400, CSRF_MESSAGE)


def _handle_unexpected(error: Exception):
    # Whatever the request did is undone: one transaction per action, nothing half-saved.
    db.session.rollback()
    current_app.logger.exception("Unhandled error", exc_info=error)
    return error_response(500)


def register(app):
    """Install the error handlers on ``app``."""
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(Exception, _handle_unexpected)
