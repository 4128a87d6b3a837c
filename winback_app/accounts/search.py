"""The accounts list: search, filters, sorting and pagination.

Everything the list shows comes from a fixed number of queries (a count and one page of rows
with their owner, competitor and primary reasons joined in), whatever the page size.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from winback_app.accounts import search_index
from winback_app.accounts.models import Account, AccountReason, Competitor, LossReason
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.pagination import paginate

PER_PAGE = 25
SORTS = {
    "name": func.lower(Account.name),
    "lost_on": Account.lost_on,
    "value": Account.annual_value_lost,
    "status": Account.status,
    "owner": func.lower(User.name),
    "competitor": func.lower(Competitor.name),
}


@dataclass
class Filters:
    """The list's state: what AccountFilterForm read from the address."""

    q: str = ""
    kind: str = ""
    status: str = ""
    owner: str = ""  # a user id, or "none"
    category: str = ""  # a reason category id: any reason of it, in either view
    competitor: str = ""  # a competitor id, or "none" for "no decision"
    disagree: bool = False
    friendly: bool = False
    lost_from: date | None = None
    lost_to: date | None = None
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    sort: str = "lost_on"
    direction: str = "desc"
    page: int = 1


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered(filters: Filters):
    """A SELECT of the accounts matching ``filters`` (not sorted, not paged)."""
    query = select(Account).outerjoin(Account.owner).outerjoin(Account.competitor)
    return query.where(*conditions(filters))


def _text_match(term: str):
    """Accounts whose name, contacts or competitor contain ``term``.

    The competitors are few, so the ones that match are looked up first; the rest is answered
    by the search index. ``id + 0`` stops SQLite from walking the matches one by one by id: it
    then reads the accounts in the list's order and stops once the page is full. PostgreSQL
    gets the plain ``id``: there the expression would turn the lookup into a scan of every
    match for every account read in the list's order.
    """
    pattern = _like(term)
    competitor_ids = list(
        db.session.scalars(
            select(Competitor.id).where(func.lower(Competitor.name).like(pattern, escape="\\"))
        )
    )
    dialect = db.session.get_bind().dialect.name
    account_id = Account.id + 0 if dialect == "sqlite" else Account.id
    match = account_id.in_(search_index.matching_ids(term.lower(), pattern, dialect))
    return or_(match, Account.competitor_id.in_(competitor_ids)) if competitor_ids else match


def conditions(filters: Filters) -> list:
    """The WHERE conditions for ``filters``; they need no joins, so counting stays cheap."""
    where = []
    if filters.q:
        where.append(_text_match(filters.q))
    if filters.kind:
        where.append(Account.kind == filters.kind)
    if filters.status:
        where.append(Account.status == filters.status)
    if filters.owner == "none":
        where.append(Account.owner_id.is_(None))
    elif filters.owner:
        where.append(Account.owner_id == int(filters.owner))
    if filters.category:
        where.append(
            exists().where(
                AccountReason.account_id == Account.id,
                AccountReason.reason_id == LossReason.id,
                LossReason.category_id == int(filters.category),
            )
        )
    if filters.competitor == "none":
        where.append(Account.competitor_id.is_(None))
    elif filters.competitor:
        where.append(Account.competitor_id == int(filters.competitor))
    if filters.disagree:
        where.append(Account.views_disagree.is_(True))
    if filters.friendly:
        where.append(Account.friendly.is_(True))
    if filters.lost_from:
        where.append(Account.lost_on >= filters.lost_from)
    if filters.lost_to:
        where.append(Account.lost_on <= filters.lost_to)
    if filters.value_min is not None:
        where.append(Account.annual_value_lost >= filters.value_min)
    if filters.value_max is not None:
        where.append(Account.annual_value_lost <= filters.value_max)
    return where


def ordered(filters: Filters):
    """The filtered SELECT in the chosen order (ties broken by id, so pages never overlap)."""
    column = SORTS[filters.sort]
    order = column.asc() if filters.direction == "asc" else column.desc()
    tiebreak = Account.id.asc() if filters.direction == "asc" else Account.id.desc()
    return filtered(filters).order_by(order.nulls_last(), tiebreak)


def page(filters: Filters, per_page: int = PER_PAGE) -> Pagination:
    """The page of accounts ``filters`` asks for, with everything each row shows loaded."""
    rows = ordered(filters).options(
        # Owner and competitor are already joined for search and sorting.
        contains_eager(Account.owner),
        contains_eager(Account.competitor),
        joinedload(Account.customer_primary).joinedload(LossReason.category),
        joinedload(Account.team_primary).joinedload(LossReason.category),
    )
    # Counted without the joins: the conditions need none.
    matching = select(Account.id).where(*conditions(filters))
    return paginate(rows, filters.page, per_page, count=matching)
