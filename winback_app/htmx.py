"""htmx 4 request detection and response helpers.

Whether a request gets a fragment or a whole page is decided here and nowhere else: only a
partial htmx request (``HX-Request-Type: partial``) that is not a history restore gets a block.
Boosted navigation and history restores swap the whole body, so they get the full page.
"""

import json

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block
from markupsafe import Markup

VARY_HEADERS = ("HX-Request", "HX-Request-Type")


def is_htmx() -> bool:
    """True for any request htmx made (partial or full)."""
    return request.headers.get("HX-Request") == "true"


def is_partial() -> bool:
    """True when the response should be a fragment rather than a whole page."""
    return (
        is_htmx()
        and request.headers.get("HX-Request-Type") == "partial"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def vary(response):
    """Mark a response as depending on the htmx request headers (for caches)."""
    for header in VARY_HEADERS:
        response.vary.add(header)
    return response


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render ``block`` of ``template`` for partial requests and the whole page otherwise."""
    if block is not None and is_partial():
        html = render_block(template, block, **context)
    else:
        html = render_template(template, **context)
    return vary(make_response(html, status))


def partial(target_id: str, html: str) -> Markup:
    """``html`` as an ``<hx-partial>`` that updates the element ``#target_id`` in the same swap
    as the response's main content (htmx 4 multi-target updates).

    It morphs rather than replaces: a field the user has typed into keeps its text when the
    server renders it as it was (htmx's morph leaves a value alone unless its markup changed).
    """
    return Markup('<hx-partial hx-target="#{}" hx-swap="outerMorph">{}</hx-partial>').format(
        target_id, Markup(html)
    )


def trigger(response, event: str, detail: dict | None = None):
    """Add an event to the response's ``HX-Trigger`` header, keeping any already there.

    The event is fired on <body>: htmx would otherwise fire it on the element that made the
    request, which the swap may just have removed, and a removed element's events reach no one.
    """
    existing = response.headers.get("HX-Trigger")
    events = json.loads(existing) if existing else {}
    events[event] = {**(detail or {}), "target": "body"}
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


def location(response, url: str, target: str | None = None):
    """Ask htmx to load ``url`` as if a link was followed (no full reload)."""
    response.headers["HX-Location"] = json.dumps({"path": url, "target": target}) if target else url
    return response


def redirect(url: str, status: int = 303):
    """Redirect that works for both: htmx follows ``HX-Redirect``, browsers the Location."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return vary(response)
    response = make_response("", status)
    response.headers["Location"] = url
    return vary(response)
