"""Calendar feeds: each user's secret address serving their dated work as iCalendar events.

Outlook, Google and Apple Calendar subscribe to the address and fetch it again every few
hours. The token is shown to its owner once; only its SHA-256 hash is stored, and making a
new one replaces the old, which then answers 404.

What goes into a feed comes from ``PROVIDERS``: functions that take the user and a link
builder and return ``FeedEvent``s. Call-backs are the first; another domain adds its dated
items (action items, say) by appending its own provider.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.calendar.models import CalendarFeed
from winback_app.outreach.callbacks.models import Callback
from winback_app.outreach.today.services import ROW_OPTIONS
from winback_app.tokens import hash_token, lookup, new_token


@dataclass(frozen=True)
class FeedEvent:
    """One all-day event; ``uid`` must stay the same for the same item across requests."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


# ``link(endpoint, **values)`` returns an absolute URL (services never see the request).
Link = Callable[..., str]
EventProvider = Callable[[User, Link], Iterable[FeedEvent]]
PROVIDERS: list[EventProvider] = []


def feed_of(user: User) -> CalendarFeed | None:
    """The user's calendar feed, if they ever made one."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def issue_token(user: User) -> str:
    """A new secret feed token for ``user``; any earlier one stops working."""
    token = new_token()
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash = hash_token(token)
    feed.created_at = utcnow()
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The active user whose current feed token this is, or None."""
    feed = lookup(CalendarFeed, token, joinedload(CalendarFeed.user))
    return feed.user if feed is not None and feed.user.active else None


def build_calendar(user: User, link: Link) -> bytes:
    """The user's feed as an iCalendar file: every provider's events, all-day."""
    calendar = Calendar()
    calendar.add("prodid", "-//Winback//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Winback — {user.name}")
    # Asks subscribing clients to refresh hourly (most default to much less often).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = utcnow()
    for provider in PROVIDERS:
        for item in provider(user, link):
            event = Event()
            event.add("uid", item.uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
            event.add("summary", item.summary)
            # A reminder, not a meeting: it should not mark the day as busy.
            event.add("transp", "TRANSPARENT")
            if item.description:
                event.add("description", item.description)
            if item.url:
                event.add("url", item.url)
            calendar.add_component(event)
    return calendar.to_ical()


def _callback_description(callback: Callback, url: str) -> str:
    account = callback.account
    lines = [f"{callback.kind_label}: {callback.note}" if callback.note else callback.kind_label]
    for label, reason in (("customer", account.customer_primary), ("team", account.team_primary)):
        if reason is not None:
            lines.append(f"Why they left ({label}): {reason.label}")
    if account.contacts:
        contact = account.contacts[0]
        lines.append(" · ".join(filter(None, (contact.name, contact.phone, contact.email))))
    lines.append(url)
    return "\n".join(lines)


def callback_events(user: User, link: Link) -> list[FeedEvent]:
    """The user's open call-backs, each on its due date."""
    callbacks = db.session.scalars(
        select(Callback)
        .where(Callback.user_id == user.id, Callback.done_at.is_(None))
        .options(*ROW_OPTIONS)
        .order_by(Callback.due_on, Callback.id)
    )
    events = []
    for callback in callbacks:
        url = link("accounts.detail", account_id=callback.account_id)
        events.append(
            FeedEvent(
                uid=f"callback-{callback.id}@winback",
                day=callback.due_on,
                summary=f"Call {callback.account.name}",
                description=_callback_description(callback, url),
                url=url,
            )
        )
    return events


PROVIDERS.append(callback_events)
