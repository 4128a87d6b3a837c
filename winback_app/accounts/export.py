"""The accounts list as CSV: the same filters and order as the page, every row, streamed.

Rows are fetched in batches (``yield_per``) with what each one shows loaded alongside, so an
export of 100,000 accounts runs a handful of queries per batch and never holds the whole list.
"""

from collections.abc import Iterator
from datetime import date

from sqlalchemy.orm import contains_eager, selectinload

from winback_app.accounts import search
from winback_app.accounts.imports.values import write_csv
from winback_app.accounts.models import Account, AccountReason, LossReason
from winback_app.accounts.services import contract_end
from winback_app.extensions import db

BATCH = 500
# A spreadsheet runs a cell that starts with one of these as a formula (tab and carriage
# return too: some spreadsheets drop them and read what follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADERS = [
    "ID",
    "Name",
    "Kind",
    "Status",
    "Owner",
    "Segment",
    "Lost on",
    "Annual value lost",
    "Lost to",
    "Competitor price",
    "Contract start",
    "Contract term (months)",
    "Contract end",
    "Friendly",
    "Do not contact",
    "Likelihood",
    "Customer primary reason",
    "Customer reasons",
    "Customer's words",
    "Team primary reason",
    "Team reasons",
    "Team notes",
    "Views disagree",
    "Primary contact name",
    "Primary contact email",
    "Primary contact phone",
]


def neutralise(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet: a would-be formula gets a leading quote."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def unneutralise(cell: str) -> str:
    """The cell as it was before ``neutralise`` (so the app reads its own exports back)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _reasons(account: Account, view: str) -> tuple[str, str]:
    """The view's primary reason and all its reasons (primary first), as "Category › Reason"."""
    chosen = account.reasons_for(view)
    primary = chosen[0].reason.label if chosen and chosen[0].is_primary else ""
    return primary, "; ".join(choice.reason.label for choice in chosen)


def row_values(account: Account) -> list:
    """One account's values, in the order of HEADERS."""
    customer_primary, customer_all = _reasons(account, "customer")
    team_primary, team_all = _reasons(account, "team")
    contact = account.contacts[0] if account.contacts else None
    return [
        account.id,
        account.name,
        account.kind_label,
        account.status_label,
        account.owner.name if account.owner else "",
        account.segment,
        account.lost_on,
        account.annual_value_lost,
        account.competitor.name if account.competitor else "No decision",
        account.competitor_price,
        account.contract_start,
        account.contract_term_months,
        contract_end(account),
        account.friendly,
        account.do_not_contact,
        account.likelihood,
        customer_primary,
        customer_all,
        account.customer_words,
        team_primary,
        team_all,
        account.team_notes,
        account.views_disagree,
        contact.name if contact else "",
        contact.email if contact else "",
        contact.phone if contact else "",
    ]


def query(filters: search.Filters):
    """The list's SELECT (all pages) with everything a row needs loaded in batches."""
    return (
        search.ordered(filters)
        .options(
            # Owner and competitor are joined by the list query already.
            contains_eager(Account.owner),
            contains_eager(Account.competitor),
            selectinload(Account.reasons)
            .joinedload(AccountReason.reason)
            .joinedload(LossReason.category),
            selectinload(Account.contacts),
        )
        .execution_options(yield_per=BATCH)
    )


def lines(filters: search.Filters) -> Iterator[str]:
    """The CSV text, a batch of rows at a time, every cell neutralised.

    It starts with a byte-order mark so spreadsheets read the file as UTF-8.
    """
    yield "\ufeff" + write_csv([HEADERS])
    for batch in db.session.scalars(query(filters)).partitions():
        yield write_csv([[neutralise(_text(v)) for v in row_values(account)] for account in batch])


def filename(today: date) -> str:
    """The download's file name, dated."""
    return f"winback-accounts-{today.isoformat()}.csv"
