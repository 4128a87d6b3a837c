"""The regions of the account page, what each shows, and so what refreshes after an action.

Every region is declared once: the account page's own sections by accounts, the panels other
domains add by their ``init_app``. A region names the kinds of data it shows (the constants
below); an in-place action names the kinds it changed, and every region that shows any of them
comes back in the same response (as an ``<hx-partial>``), so the page always equals a fresh
load of its URL. A region is a block of ``accounts/detail.html`` or, for a panel, a template of
its own; a partial request for one region runs only the loaders of the regions it renders.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

EXTENSION = "winback.account_regions"

# The kinds of data an in-place action can change on an account.
FACTS = "facts"  # kind, status, owner, value, dates, friendly, do-not-contact, notes
REASONS = "reasons"  # the customer's and the team's views of why
CONTRACT = "contract"  # competitor, price, contract dates
SUMMARY = "summary"  # the sales-history summary
CONTACTS = "contacts"
ATTEMPTS = "attempts"
CALLBACKS = "callbacks"
INTERVIEWS = "interviews"
INCENTIVES = "incentives"
RESPONSES = "responses"
PLAN = "plan"
# What the account's history records: its fields, contacts, thank-yous, the status moves that
# attempts, plans and survey answers make, and the reasons answers add.
RECORDED = frozenset(
    {FACTS, REASONS, CONTRACT, SUMMARY, CONTACTS, ATTEMPTS, INCENTIVES, RESPONSES, PLAN}
)


@dataclass(frozen=True)
class Panel:
    """One region of the account page.

    ``element_id`` is the id of the region's outermost element (it is replaced whole);
    ``shows`` the kinds of data it shows; ``template`` and ``load`` are a panel's own template
    and the loader that returns its context for an account (the page's own sections are blocks
    of accounts/detail.html and need neither).
    """

    name: str
    element_id: str
    shows: frozenset[str]
    template: str | None = None
    load: Callable[..., dict] | None = None


def register(app, panel: Panel) -> None:
    """Add ``panel`` to ``app``'s account page, after the regions registered before it."""
    regions = app.extensions.setdefault(EXTENSION, {})
    if panel.name in regions:
        raise ValueError(f"An account page region named {panel.name!r} is already registered.")
    regions[panel.name] = panel


def declared() -> dict[str, Panel]:
    """The current app's account page regions, by name, in page order."""
    return current_app.extensions.get(EXTENSION, {})


def refreshed_by(changed, main: str) -> list[str]:
    """The regions other than ``main`` that show any of the ``changed`` kinds, in page order."""
    changed = set(changed)
    return [name for name, panel in declared().items() if name != main and panel.shows & changed]
