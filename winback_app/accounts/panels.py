"""The panels other domains add to the account page.

A panel is declared once, from its domain's ``init_app``: its name (also the name its template
gives its region), its template, and the loader that returns what the template needs. The
account page shows the declared panels in the order they were registered; a partial request
for one panel runs only that panel's loader.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

EXTENSION = "winback.account_panels"


@dataclass(frozen=True)
class Panel:
    """One region of the account page that belongs to another domain."""

    name: str
    template: str
    load: Callable[..., dict]


def register(app, panel: Panel) -> None:
    """Add ``panel`` to ``app``'s account page, after the panels registered before it."""
    panels = app.extensions.setdefault(EXTENSION, {})
    if panel.name in panels:
        raise ValueError(f"An account panel named {panel.name!r} is already registered.")
    panels[panel.name] = panel


def declared() -> dict[str, Panel]:
    """The current app's account panels, by name, in page order."""
    return current_app.extensions.get(EXTENSION, {})
