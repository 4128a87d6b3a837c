"""The customer's words of a plan: the text each printed section reads, what may be suggested
for it from the team's words, and what is still missing.

The team's sections (and the account's notes, the team's view, interview notes) are internal.
The print view and the PDF read only the ``customer_*`` fields; a suggestion is offered when the
rep asks for one, lands in the form for editing and is saved only when the rep saves.
"""

from winback_app.plans.models import Plan

# Each printed section: its heading on the document and the team's field a suggestion starts
# from (None: the cause is suggested from the customer's own view on the account).
PRINTED = {
    "relationship": ("Our relationship", "relationship_summary"),
    "cause": ("What caused the defection", None),
    "needs": ("Your needs now", "new_needs"),
    "commitment": ("Our commitment", "commitment"),
    "offer": ("Our offer", "offer"),
}
EMPTY = "empty"
UNEDITED = "unedited"
WARNINGS = {
    EMPTY: "The customer will see nothing for this section: write it for them.",
    UNEDITED: "This is still the suggestion from our notes, word for word: edit it for the "
    "customer before it is printed.",
}


def field(section: str) -> str:
    """The plan's field that holds the customer's text of ``section``."""
    return f"customer_{section}"


def heading(section: str) -> str:
    """The section's heading on the printed document."""
    return PRINTED[section][0]


def text(plan: Plan, section: str) -> str:
    """What the customer reads for ``section``: its customer text, trimmed."""
    return (getattr(plan, field(section)) or "").strip()


def _customer_view(plan: Plan) -> str:
    """The account's customer view (their reasons and their words), which is theirs already;
    the team's view never goes into a suggestion."""
    account = plan.account
    reasons = [r.reason.name for r in account.reasons_for("customer")]
    lines = []
    if reasons:
        lines.append(f"You told us you left because of: {', '.join(reasons)}.")
    if account.customer_words.strip():
        lines.append(account.customer_words.strip())
    return "\n".join(lines)


def suggestion(plan: Plan, section: str, team_text: str | None = None) -> str:
    """A starting point for the customer's text of ``section``, never saved by itself.

    ``team_text`` is the team's text as typed in the form; the saved one when not given.
    """
    source = PRINTED[section][1]
    if source is None:
        return _customer_view(plan)
    words = getattr(plan, source) if team_text is None else team_text
    return (words or "").strip()


def warnings(plan: Plan) -> dict[str, str]:
    """The printed sections the customer would see empty, or still exactly the unedited
    suggestion, each with its warning kind (``EMPTY`` or ``UNEDITED``)."""
    found = {}
    for section in PRINTED:
        written = text(plan, section)
        if not written:
            found[section] = EMPTY
        elif written == suggestion(plan, section):
            found[section] = UNEDITED
    return found
