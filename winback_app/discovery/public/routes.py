"""The public survey pages, reached through a private link without logging in: answering, and
unsubscribing from survey emails.

They show the survey, the company's name and the contact's first name, and nothing else about
the account. Their pages, errors included, use a minimal layout of their own: no navigation,
no internal names, no details of what went wrong inside.
"""

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException, InternalServerError
from wtforms import ValidationError

from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.invitations.mail import why_you_hear
from winback_app.discovery.public import donation
from winback_app.discovery.public import services as survey_responses
from winback_app.discovery.public.services import link_state
from winback_app.discovery.surveys.services import minutes_to_answer
from winback_app.extensions import csrf, db, limiter
from winback_app.formatting import today_local
from winback_app.security import public

bp = Blueprint("public", __name__, url_prefix="/s")


# Per address: plenty for a person answering, little for someone trying links.
RATE = "30 per minute"
GONE = {
    "unknown": (
        404,
        "This link does not work",
        "Please check that you opened the whole link from the email. If it still does not "
        "work, the survey is no longer available.",
    ),
    "expired": (
        410,
        "This link has expired",
        "Thank you for wanting to help. The time for answering this survey is over.",
    ),
    "closed": (
        410,
        "This survey has closed",
        "Thank you for wanting to help. The survey is no longer taking answers.",
    ),
}
ERRORS = {
    400: ("Something was not right", "Please go back, reload the page and try again."),
    413: ("That was too much to send", "Please shorten your answers and try again."),
    429: ("Too many tries", "Please wait a minute, then try again."),
    500: (
        "Something went wrong on our side",
        "Nothing was saved. Please try again in a few minutes.",
    ),
}
RESEND = "Your answers were not sent yet. Please check them and press “Send my answers” again."


def _page(template: str, status: int = 200, **context):
    return make_response(render_template(template, **context), status)


def _message(status: int, title: str, message: str):
    return _page("public/gone.html", status, title=title, message=message)


def _gone(state: str):
    return _message(*GONE[state])


def _promised(invitation, survey) -> dict:
    """What the email promised and the pages keep: the minutes, the charities, and why the
    contact hears from us."""
    return {
        "minutes": minutes_to_answer(survey),
        "charities": incentives.charities(),
        "why": why_you_hear(invitation.account, current_app.config["WINBACK_COMPANY_NAME"]),
    }


def _thanks(invitation):
    return _page(
        "public/thanks.html",
        survey=invitation.survey,
        invitation=invitation,
        incentive=incentives.for_invitation(invitation),
        **_promised(invitation, invitation.survey),
    )


def _form(invitation, survey, answers=None, errors=None, status=200, notice=None):
    return _page(
        "public/respond.html",
        status,
        **_promised(invitation, survey),
        donation=donation,
        survey=survey,
        first_name=invitation.contact.first_name,
        token=request.view_args["token"],
        answers=answers or {},
        errors=errors or {},
        notice=notice,
        field_name=survey_responses.field_name,
        text_limit=survey_responses.TEXT_ANSWER_MAX,
    )


@bp.route("/<token>", methods=["GET", "POST"])
@public
@limiter.limit(RATE)
def respond(token):
    """The survey form; its answers are stored once, then the thank-you is shown."""
    invitation = survey_responses.invitation_for(token)
    state = link_state(invitation)
    if state == "answered":
        return _thanks(invitation)
    if state != "open":
        return _gone(state)
    survey = survey_responses.with_questions(invitation.survey)
    if request.method == "GET":
        # Noted once the page is rendered: the commit expires what the page shows.
        page = _form(invitation, survey)
        survey_responses.mark_opened(invitation)
        return page
    answers, errors = survey_responses.read_answers(survey, request.form.to_dict(flat=False))
    if errors:
        return _form(invitation, survey, answers, errors, status=422)
    survey_responses.submit(invitation, answers, today_local())
    return redirect(url_for(".respond", token=token), 303)


@bp.route("/<token>/unsubscribe", methods=["GET", "POST"])
@public
@limiter.limit(RATE)
@csrf.exempt
def unsubscribe(token):
    """GET asks to confirm with one button; POST unsubscribes at once.

    Mail programs send RFC 8058's one-click POST (``List-Unsubscribe=One-Click``) without
    cookies, so no CSRF token can come with it: the secret token in the link is what proves
    the request. The page's own form carries a CSRF token as every form does.
    """
    invitation = survey_responses.invitation_for(token)
    if invitation is None:
        return _gone("unknown")
    one_click = request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click"
    if request.method == "POST" and not one_click:
        try:
            validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
        except ValidationError:
            return _page("public/unsubscribe.html", 400, invitation=invitation, retry=True)
    if request.method == "POST":
        survey_responses.unsubscribe(invitation)
        if not one_click:
            return redirect(url_for(".unsubscribe", token=token), 303)
    return _page("public/unsubscribe.html", invitation=invitation)


@bp.route("/", defaults={"rest": ""}, methods=["GET", "POST"])
@bp.route("/<path:rest>", methods=["GET", "POST"])
@public
@limiter.limit(RATE)
def unknown(rest):
    """Any other address under /s/ (a link cut or run together in an email): the polite 404."""
    return _gone("unknown")


@bp.after_request
def _private(response):
    # The address carries a personal token: no shared cache keeps it, no search engine lists it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.errorhandler(CSRFError)
def _csrf_failed(error):
    """The form had no valid CSRF token (e.g. left open past the session): show it again with
    the answers kept, so nothing typed is lost."""
    db.session.rollback()
    if request.endpoint == "public.respond":
        invitation = survey_responses.invitation_for(request.view_args.get("token"))
        if link_state(invitation) == "open":
            survey = survey_responses.with_questions(invitation.survey)
            answers, _ = survey_responses.read_answers(survey, request.form.to_dict(flat=False))
            return _form(invitation, survey, answers, status=400, notice=RESEND)
    return _message(400, *ERRORS[400])


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    """Errors on the public pages, in their own layout and words."""
    if error.code == 404:
        return _gone("unknown")
    title, message = ERRORS.get(error.code, ERRORS[400] if error.code < 500 else ERRORS[500])
    response = _message(error.code, title, message)
    for header, value in error.get_headers():
        if header.lower() == "retry-after":
            response.headers[header] = value
    return response


@bp.errorhandler(InternalServerError)
@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    """Anything unforeseen: undo, log, and say so politely without any detail."""
    db.session.rollback()
    current_app.logger.exception("Unhandled error on a public survey page", exc_info=error)
    return _message(500, *ERRORS[500])
