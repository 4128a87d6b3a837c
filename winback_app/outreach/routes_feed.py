"""The calendar feed: the secret .ics address calendars subscribe to, and making a new one."""

from flask import abort, make_response, url_for
from flask_login import current_user

from ..security import public
from . import feed
from .routes import bp
from .routes_today import render_today


def _external(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token):
    """The feed of the token's owner; a wrong or replaced token is a 404.

    Public because calendar apps fetch it without a session: the token is the credential.
    """
    user = feed.user_for_token(token)
    if user is None:
        abort(404)
    response = make_response(feed.build_calendar(user, _external))
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = 'inline; filename="winback.ics"'
    # The address is a secret: keep the feed out of shared caches.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/calendar/new", methods=["POST"])
def calendar_address():
    """Make the user a new feed address (the old one stops working) and show it, once."""
    replaced = feed.feed_of(current_user) is not None
    token = feed.issue_token(current_user)
    return render_today(
        "feed_box",
        status=201,
        calendar=feed.feed_of(current_user),
        feed_url=_external("outreach.calendar_feed", token=token),
        replaced=replaced,
    )
