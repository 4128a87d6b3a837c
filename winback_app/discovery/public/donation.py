"""The thank-you donation on the public survey: which charity the contact picks.

The question is asked only when the invitation offered a donation (the team's charity list is
not empty). The contact picks one of the team's charities or names another; either way the
pick lands in the incentive ledger with the response, in the same transaction.
"""

from collections.abc import Mapping

from winback_app.discovery.incentives import services as incentives

FIELD = "charity"
OTHER = "other"
OTHER_FIELD = "charity_other"
CHARITY_MAX = incentives.LIMITS["charity"]
# Control characters have no place in a charity's name (PostgreSQL refuses NUL).
CONTROL = dict.fromkeys(range(32))


def read_charity(offered: list[str], form: Mapping[str, list[str]]):
    """The charity picked (``(choice, other)`` as posted) and a message when it is refused.

    Picking none is allowed: the donation stays owed and the team asks. Text typed into
    "another" with nothing ticked is taken as that other charity.
    """
    choice = (form.get(FIELD) or [""])[0]
    other = " ".join((form.get(OTHER_FIELD) or [""])[0].translate(CONTROL).split())
    answer = (choice, other)
    if len(form.get(FIELD) or []) > 1 or choice not in ("", OTHER, *offered):
        return ("", other), "Choose one of the charities listed, or name another."
    if len(other) > CHARITY_MAX:
        return answer, f"Please keep the charity's name under {CHARITY_MAX} characters."
    if choice == OTHER and not other:
        return answer, "Please write the name of the charity you would like."
    return answer, None


def picked(answer) -> str:
    """The charity's name from a read answer ("" when none was picked)."""
    choice, other = answer or ("", "")
    return other if choice in ("", OTHER) else choice
