"""Today and friendly losses: the lists a rep works from.

Today is a person's open call-backs due up to the end of the coming week, split into overdue,
due today and this week; the team view shows everyone's, person by person, unassigned ones
last. Each list is loaded in a fixed number of queries whatever its length: the call-backs
with their accounts, primary reasons and assignees in one, contacts in one, each account's
latest attempt in one (a window function) and the counts in one (GROUP BY).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import aliased, joinedload, with_expression

from winback_app.accounts import services as accounts
from winback_app.accounts.models import Account, LossReason
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.attempts.services import HitRatio
from winback_app.outreach.callbacks.models import Callback
from winback_app.pagination import paginate

WEEK_DAYS = 7
GROUPS = {"overdue": "Overdue", "today": "Due today", "week": "This week"}
# Hit-ratio periods offered on Today, in days; the first is the default.
PERIODS = (30, 90, 365)
# Rows shown per group (per person in the team view); the counts still cover every row.
MINE_LIMIT = 50
TEAM_LIMIT = 10
FRIENDLY_PER_PAGE = 50


# An account stops being one to call once it is won back, or the team has closed it.
FINISHED = ("won_back", "closed")


@dataclass
class Row:
    """One call-back on Today, with what the rep needs to make the call."""

    callback: Callback
    last_attempt: Attempt | None
    today: date

    @property
    def account(self) -> Account:
        return self.callback.account

    @property
    def contact(self):
        """The primary contact (contacts are ordered primary first), if there is any."""
        return self.account.contacts[0] if self.account.contacts else None

    @property
    def group(self) -> str:
        due = self.callback.due_on
        return "overdue" if due < self.today else "today" if due == self.today else "week"

    @property
    def days_overdue(self) -> int:
        return (self.today - self.callback.due_on).days

    @property
    def contract_months(self) -> int | None:
        """Months until the competitor's contract ends; None without one or once it ended."""
        end = accounts.contract_end(self.account)
        if end is None or end < self.today:
            return None
        return accounts.months_remaining(self.account, self.today)

    @property
    def no_contact_reason(self) -> str | None:
        """Why Today offers no call or email for this row, if it offers none."""
        if self.account.do_not_contact:
            return "Do not contact: nobody at this account is to be called or emailed."
        return None

    @property
    def may_email(self) -> bool:
        """True when the contact's email may be used (not refused, not unsubscribed)."""
        contact = self.contact
        return bool(
            contact and contact.email and not contact.do_not_email and not contact.unsubscribed_at
        )

    @property
    def finished(self) -> str | None:
        """The status of an account that needs no call any more (won back, closed)."""
        return self.account.status_label if self.account.status in FINISHED else None

    @property
    def needs_confirm(self) -> bool:
        """True when logging an attempt may need the "log it anyway" box."""
        return self.account.do_not_contact or any(c.do_not_email for c in self.account.contacts)


@dataclass
class Group:
    """Overdue, due today or this week: the rows shown and how many there are in all."""

    key: str
    rows: list[Row]
    total: int

    @property
    def label(self) -> str:
        return GROUPS[self.key]


@dataclass
class Person:
    """Someone's call-backs by group and their hit ratio; ``user`` None = unassigned."""

    user: User | None
    groups: list[Group]
    ratio: HitRatio | None = None

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    def count(self, key: str) -> int:
        return next(group.total for group in self.groups if group.key == key)


def _row_options(callback):
    """Everything a row shows, loaded with the call-backs (contacts in one extra query)."""
    account = joinedload(callback.account)
    return (
        joinedload(callback.user),
        account.joinedload(Account.customer_primary).joinedload(LossReason.category),
        account.joinedload(Account.team_primary).joinedload(LossReason.category),
        account.selectinload(Account.contacts),
    )


ROW_OPTIONS = _row_options(Callback)


def _group_of(today: date):
    """SQL for the group of a call-back due on ``Callback.due_on``."""
    return case(
        (Callback.due_on < today, literal("overdue")),
        (Callback.due_on == today, literal("today")),
        else_=literal("week"),
    )


def _open_until_week_end(today: date) -> tuple:
    return (Callback.done_at.is_(None), Callback.due_on <= today + timedelta(days=WEEK_DAYS))


def latest_attempts(account_ids: set[int]) -> dict[int, Attempt]:
    """Each account's latest attempt, with who made it, in one query."""
    if not account_ids:
        return {}
    ranked = (
        select(
            Attempt.id,
            func.row_number()
            .over(partition_by=Attempt.account_id, order_by=(Attempt.at.desc(), Attempt.id.desc()))
            .label("rank"),
        )
        .where(Attempt.account_id.in_(account_ids))
        .subquery()
    )
    found = db.session.scalars(
        select(Attempt)
        .join(ranked, ranked.c.id == Attempt.id)
        .where(ranked.c.rank == 1)
        .options(joinedload(Attempt.user))
    )
    return {attempt.account_id: attempt for attempt in found}


def _rows(callbacks, today: date) -> list[Row]:
    callbacks = list(callbacks)
    latest = latest_attempts({c.account_id for c in callbacks})
    return [Row(c, latest.get(c.account_id), today) for c in callbacks]


def _ranked_rows(where, today: date, limit: int) -> list[Row]:
    """The first ``limit`` call-backs of each person's groups, soonest due first.

    The call-backs are read once, ranked, from the subquery: joining the ranks back to the
    table would let PostgreSQL scan every call-back to find the few ranked ones.
    """
    ranked = (
        select(
            Callback,
            func.row_number()
            .over(
                partition_by=(Callback.user_id, _group_of(today)),
                order_by=(Callback.due_on, Callback.id),
            )
            .label("rank"),
        )
        .where(*where)
        .subquery()
    )
    callback = aliased(Callback, ranked)
    callbacks = db.session.scalars(
        select(callback)
        .where(ranked.c.rank <= limit)
        .options(*_row_options(callback))
        .order_by(callback.due_on, callback.id)
    )
    return _rows(callbacks, today)


def _counts(where, today: date) -> dict[tuple[int | None, str], int]:
    """{(assignee id, group): number of call-backs}."""
    # Grouped in an outer query: PostgreSQL would not match a CASE with bound parameters in
    # the select list to the same CASE in GROUP BY.
    grouped = select(Callback.user_id, _group_of(today).label("grp")).where(*where).subquery()
    query = select(grouped.c.user_id, grouped.c.grp, func.count()).group_by(
        grouped.c.user_id, grouped.c.grp
    )
    return {(user_id, grp): n for user_id, grp, n in db.session.execute(query)}


def _person(user, user_id, rows, counts, ratio=None) -> Person:
    groups = [
        Group(key, [r for r in rows if r.group == key], counts.get((user_id, key), 0))
        for key in GROUPS
    ]
    return Person(user, groups, ratio)


def my_list(user: User, today: date) -> Person:
    """``user``'s open call-backs due by the end of the coming week, by group."""
    where = (*_open_until_week_end(today), Callback.user_id == user.id)
    rows = _ranked_rows(where, today, MINE_LIMIT)
    return _person(user, user.id, rows, _counts(where, today))


def team_list(today: date, since: datetime) -> list[Person]:
    """Everyone's open call-backs by person (by name, unassigned last), each with their hit
    ratio since ``since``; people with attempts but nothing due are listed too."""
    where = _open_until_week_end(today)
    rows = _ranked_rows(where, today, TEAM_LIMIT)
    counts = _counts(where, today)
    by_user = attempts.hit_ratio_by_user(since)
    ratios = {user.id: ratio for user, ratio in by_user}
    users = {row.callback.user_id: row.callback.user for row in rows}
    users.update({user.id: user for user, _ in by_user})
    people = [
        _person(
            user,
            user_id,
            [r for r in rows if r.callback.user_id == user_id],
            counts,
            ratios.get(user_id, HitRatio(0, 0)) if user else None,
        )
        for user_id, user in users.items()
    ]
    return sorted(people, key=lambda p: (p.user is None, p.user.name.lower() if p.user else ""))


def row(callback_id: int, today: date) -> Row | None:
    """One call-back as a Today row (open or not), or None when there is no such call-back."""
    callback = db.session.scalar(
        select(Callback).where(Callback.id == callback_id).options(*ROW_OPTIONS)
    )
    return _rows([callback], today)[0] if callback else None


def friendly_losses(page: int = 1) -> Pagination:
    """Accounts whose contact agreed to follow-ups and that are still worth a call (won back
    and closed ones are left out), next call-back soonest (none last), each with the day of
    that call-back in ``next_callback_on``."""
    worth_a_call = Account.status.not_in(FINISHED)
    next_due = (
        select(Callback.account_id, func.min(Callback.due_on).label("due_on"))
        .join(Account, Account.id == Callback.account_id)
        .where(Callback.done_at.is_(None), Account.friendly.is_(True), worth_a_call)
        .group_by(Callback.account_id)
        .subquery()
    )
    friendly = and_(Account.friendly.is_(True), worth_a_call)
    rows = (
        select(Account)
        .where(friendly)
        .outerjoin(next_due, next_due.c.account_id == Account.id)
        .options(
            with_expression(Account.next_callback_on, next_due.c.due_on),
            joinedload(Account.owner),
            joinedload(Account.customer_primary).joinedload(LossReason.category),
            joinedload(Account.team_primary).joinedload(LossReason.category),
        )
        .order_by(next_due.c.due_on.is_(None), next_due.c.due_on, func.lower(Account.name))
    )
    return paginate(rows, page, FRIENDLY_PER_PAGE, count=select(Account.id).where(friendly))
