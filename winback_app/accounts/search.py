"""The accounts list: filters from the query string, search, sorting and pagination.

Everything the list shows comes from a fixed number of queries (a count and one page of rows
with their owner, competitor and primary reasons joined in), whatever the page size.
"""

from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from ..auth.models import User
from ..extensions import db
from ..models import page_bounds
from .models import KINDS, STATUSES, Account, AccountReason, Competitor, Contact, LossReason

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
    """The list's state, as carried in the URL."""

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

    def args(self, **overrides) -> dict:
        """Query-string arguments for this state (defaults left out), with ``overrides``."""
        values = asdict(self) | overrides
        defaults = Filters()
        out = {}
        for name, value in values.items():
            if value in (None, "", False) or value == getattr(defaults, name):
                continue
            out[name] = "1" if value is True else str(value)
        return out

    @property
    def narrowed(self) -> bool:
        """True when anything narrows the list (sorting and paging do not)."""
        return bool(self.args(sort="lost_on", direction="desc", page=1))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _money(value: str) -> Decimal | None:
    try:
        amount = Decimal(value.replace(",", "").strip()) if value else None
    except InvalidOperation:
        return None
    return amount if amount is not None and amount.is_finite() else None


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


def _id_or(value: str, *words: str) -> str:
    return value if value.isdigit() or value in words else ""


def parse(args) -> Filters:
    """Filters from query-string arguments; a value that makes no sense is dropped."""
    get = lambda name: (args.get(name) or "").strip()  # noqa: E731
    page = get("page")
    return Filters(
        q=get("q")[:100],
        kind=_choice(get("kind"), KINDS),
        status=_choice(get("status"), STATUSES),
        owner=_id_or(get("owner"), "none"),
        category=_id_or(get("category")),
        competitor=_id_or(get("competitor"), "none"),
        disagree=get("disagree") in ("1", "on", "true"),
        friendly=get("friendly") in ("1", "on", "true"),
        lost_from=_date(get("lost_from")),
        lost_to=_date(get("lost_to")),
        value_min=_money(get("value_min")),
        value_max=_money(get("value_max")),
        sort=_choice(get("sort"), SORTS) or "lost_on",
        direction="asc" if get("direction") == "asc" else "desc",
        page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1,
    )


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered(filters: Filters):
    """A SELECT of the accounts matching ``filters`` (not sorted, not paged)."""
    query = select(Account).outerjoin(Account.owner).outerjoin(Account.competitor)
    if filters.q:
        pattern = _like(filters.q)
        contact_match = exists().where(
            Contact.account_id == Account.id,
            or_(
                func.lower(Contact.name).like(pattern, escape="\\"),
                func.lower(Contact.email).like(pattern, escape="\\"),
            ),
        )
        query = query.where(
            or_(
                func.lower(Account.name).like(pattern, escape="\\"),
                func.lower(Competitor.name).like(pattern, escape="\\"),
                contact_match,
            )
        )
    if filters.kind:
        query = query.where(Account.kind == filters.kind)
    if filters.status:
        query = query.where(Account.status == filters.status)
    if filters.owner == "none":
        query = query.where(Account.owner_id.is_(None))
    elif filters.owner:
        query = query.where(Account.owner_id == int(filters.owner))
    if filters.category:
        query = query.where(
            exists().where(
                AccountReason.account_id == Account.id,
                AccountReason.reason_id == LossReason.id,
                LossReason.category_id == int(filters.category),
            )
        )
    if filters.competitor == "none":
        query = query.where(Account.competitor_id.is_(None))
    elif filters.competitor:
        query = query.where(Account.competitor_id == int(filters.competitor))
    if filters.disagree:
        query = query.where(Account.views_disagree.is_(True))
    if filters.friendly:
        query = query.where(Account.friendly.is_(True))
    if filters.lost_from:
        query = query.where(Account.lost_on >= filters.lost_from)
    if filters.lost_to:
        query = query.where(Account.lost_on <= filters.lost_to)
    if filters.value_min is not None:
        query = query.where(Account.annual_value_lost >= filters.value_min)
    if filters.value_max is not None:
        query = query.where(Account.annual_value_lost <= filters.value_max)
    return query


def ordered(filters: Filters):
    """The filtered SELECT in the chosen order (ties broken by id, so pages never overlap)."""
    column = SORTS[filters.sort]
    order = column.asc() if filters.direction == "asc" else column.desc()
    tiebreak = Account.id.asc() if filters.direction == "asc" else Account.id.desc()
    return filtered(filters).order_by(order.nulls_last(), tiebreak)


@dataclass
class Page:
    """One page of the list."""

    accounts: list
    total: int
    page: int
    pages: int
    per_page: int


def page(filters: Filters, per_page: int = PER_PAGE) -> Page:
    """The page of accounts ``filters`` asks for, with everything each row shows loaded."""
    total, number, pages = page_bounds(filtered(filters), filters.page, per_page)
    rows = db.session.scalars(
        ordered(filters)
        .options(
            # Owner and competitor are already joined for search and sorting.
            contains_eager(Account.owner),
            contains_eager(Account.competitor),
            joinedload(Account.customer_primary).joinedload(LossReason.category),
            joinedload(Account.team_primary).joinedload(LossReason.category),
        )
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).unique()
    return Page(list(rows), total, number, pages, per_page)


FILTER_FIELDS = [f.name for f in fields(Filters)]
