"""The calendar feed: the secret .ics address calendars subscribe to, and making a new one."""

from flask import Blueprint, abort, make_response, url_for
from flask_login import current_user

from winback_app.outreach.calendar import services as feeds
from winback_app.outreach.today.routes import render_today
from winback_app.security import public

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _external(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


@bp.route("/<token>.ics")
@public
def feed(token):
    """The feed of the token's owner; a wrong or replaced token is a 404.

    Public because calendar apps fetch it without a session: the token is the credential.
    """
    user = feeds.user_for_token(token)
    if user is None:
        abort(404)
    response = make_response(feeds.build_calendar(user, _external))
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = 'inline; filename="winback.ics"'
    # The address is a secret: keep the feed out of shared caches.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/new", methods=["POST"])
def new():
    """Make the user a new feed address (the old one stops working) and show it, once."""
    replaced = feeds.feed_of(current_user) is not None
    token = feeds.issue_token(current_user)
    return render_today(
        "feed_box",
        status=201,
        calendar=feeds.feed_of(current_user),
        feed_url=_external("calendar.feed", token=token),
        replaced=replaced,
    )
