"""What the benchmark opens: the pages it measures, and the data they need, found at start-up.

Every page is opened as one member of the data set who has call-backs of their own. The
records each page shows are chosen by query, so the same command works on any data set that
`python -m bench.seed` (or real use) produced.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import exists, func, select

from bench import BenchmarkError, floor
from bench.survey_links import SurveyLinks
from winback_app.accounts.models import Account
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.plans.models import Plan

MIN_ATTEMPTS = 20
MIN_CALLBACKS = 5
REPORTS = "reports.index"
# How far the accounts list's search term is looked for: the first names by id.
NAMES_SAMPLED = 500
WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass
class Case:
    """One row of the results: a page, how to request it, and the target it is held to.

    ``requests`` holds the keyword arguments of ``client.open`` for each run in turn (a single
    one is repeated). ``target`` is "floor×3", "floor×2", "250 ms" or "" (queries only).
    """

    key: str
    name: str
    requests: list[dict] = field(default_factory=list)
    client: str = "member"
    expected: int = 200
    target: str = ""
    shown_path: str = ""

    @property
    def path(self) -> str:
        """The address as shown in the results (a private link's token left out)."""
        return self.shown_path or self.requests[0]["path"]


@dataclass
class DataSet:
    """What the benchmark found in the database."""

    database: str
    accounts: int
    attempts: int
    member_id: int
    member_name: str
    account_id: int
    plan_id: int
    search_term: str
    filters: dict


def _member_with_callbacks(today: date) -> User:
    """The member with the most open call-backs due by the end of the coming week."""
    open_due = func.count(Callback.id)
    row = db.session.execute(
        select(User, open_due)
        .join(Callback, Callback.user_id == User.id)
        .where(
            User.role == "member",
            User.active.is_(True),
            Callback.done_at.is_(None),
            Callback.due_on <= today + timedelta(days=7),
        )
        .group_by(User.id)
        .order_by(open_due.desc(), User.id)
        .limit(1)
    ).first()
    if row is None:
        raise BenchmarkError("No member has open call-backs: Today would have nothing to show.")
    return row[0]


def _busy_account() -> tuple[int, int]:
    """An account with a current plan, enough attempts and call-backs; with its plan's id."""
    attempts = select(func.count()).where(Attempt.account_id == Account.id).scalar_subquery()
    callbacks = select(func.count()).where(Callback.account_id == Account.id).scalar_subquery()
    current_plan = select(Plan.id).where(Plan.account_id == Account.id, Plan.is_current)
    row = db.session.execute(
        select(Account.id, current_plan.order_by(Plan.id.desc()).limit(1).scalar_subquery())
        .where(
            exists(current_plan),
            attempts >= MIN_ATTEMPTS,
            callbacks >= MIN_CALLBACKS,
        )
        .order_by(Account.id)
        .limit(1)
    ).first()
    if row is None:
        raise BenchmarkError(
            f"No account has a plan, {MIN_ATTEMPTS} attempts and {MIN_CALLBACKS} call-backs; "
            "seed the database with `python -m bench.seed`."
        )
    return row[0], row[1]


def _search_term() -> str:
    """The word that occurs most often in the first account names: what someone would type."""
    names = db.session.scalars(select(Account.name).order_by(Account.id).limit(NAMES_SAMPLED))
    words = Counter(word.lower() for name in names for word in WORD.findall(name))
    if not words:
        raise BenchmarkError("No account name has a word to search for.")
    return max(words, key=lambda word: (words[word], word))


def _three_filters() -> dict:
    """The most common status, kind and owner together, so the filtered list has rows."""
    row = db.session.execute(
        select(Account.status, Account.kind, Account.owner_id)
        .where(Account.owner_id.is_not(None))
        .group_by(Account.status, Account.kind, Account.owner_id)
        .order_by(func.count().desc(), Account.status, Account.kind, Account.owner_id)
        .limit(1)
    ).first()
    if row is None:
        raise BenchmarkError("No account has an owner to filter by.")
    return {"status": row.status, "kind": row.kind, "owner": str(row.owner_id)}


def find_data_set(today: date | None = None) -> DataSet:
    """Find, in the app's database, the records the pages will show (app context needed)."""
    member = _member_with_callbacks(today or date.today())
    account_id, plan_id = _busy_account()
    return DataSet(
        database=db.engine.dialect.name,
        accounts=db.session.scalar(select(func.count()).select_from(Account)),
        attempts=db.session.scalar(select(func.count()).select_from(Attempt)),
        member_id=member.id,
        member_name=member.name,
        account_id=account_id,
        plan_id=plan_id,
        search_term=_search_term(),
        filters=_three_filters(),
    )


def _get(path: str) -> list[dict]:
    return [{"path": path, "method": "GET"}]


def _reports_cases(data: DataSet) -> list[Case]:
    """Reports: the default (last month), the last 12 months, and filtered."""
    # A whole past year, one owner and one kind: the filters of winback_app/reports/filters.py.
    filtered = {"period": "last_year", "owner": data.member_id, "kind": data.filters["kind"]}
    year = {"period": "last_12_months"}
    return [
        Case("reports", "Reports (last month)", _get(url_for(REPORTS)), target="250 ms"),
        Case("reports_year", "Reports, 12 months", _get(url_for(REPORTS, **year)), target="250 ms"),
        Case(
            "reports_filtered",
            "Reports, filtered",
            _get(url_for(REPORTS, **filtered)),
            target="250 ms",
        ),
    ]


def _survey_cases(links: SurveyLinks) -> list[Case]:
    """The public survey page: opened (GET), then answered (POST), a fresh link for each run.

    Each request comes from another address, as each former customer does, so the page's
    per-address rate limit is counted as usual but never refuses the benchmark.
    """
    shown = url_for("public.respond", token="TOKEN")
    opened, answered = [], []
    for run, (token, form) in enumerate(zip(links.tokens, links.forms, strict=True)):
        path = url_for("public.respond", token=token)
        environ = {"REMOTE_ADDR": f"10.{run // 62500 % 256}.{run // 250 % 250}.{run % 250 + 1}"}
        opened.append({"path": path, "method": "GET", "environ_base": environ})
        answered.append({"path": path, "method": "POST", "data": form, "environ_base": environ})
    return [
        Case(
            "survey_get", "Survey page (GET)", opened, "public", target="floor×2", shown_path=shown
        ),
        Case(
            "survey_post",
            "Survey page (POST)",
            answered,
            "public",
            expected=303,
            target="floor×2",
            shown_path=shown,
        ),
    ]


def build_cases(app, data: DataSet, links: SurveyLinks) -> list[Case]:
    """Every row of the results, the floor first (request context needed, for url_for)."""
    accounts = "accounts.index"
    return [
        Case("floor", "Floor (50 accounts)", _get(url_for(floor.ENDPOINT))),
        Case("accounts", "Accounts list", _get(url_for(accounts)), target="floor×3"),
        Case(
            "accounts_search",
            f"Accounts, search “{data.search_term}”",
            _get(url_for(accounts, q=data.search_term)),
            target="floor×3",
        ),
        Case(
            "accounts_filtered",
            "Accounts, status+kind+owner",
            _get(url_for(accounts, **data.filters)),
            target="floor×3",
        ),
        Case(
            "accounts_by_value",
            "Accounts, by value",
            _get(url_for(accounts, sort="value", direction="desc")),
            target="floor×3",
        ),
        Case(
            "account_detail",
            "Account page",
            _get(url_for("accounts.detail", account_id=data.account_id)),
            target="floor×3",
        ),
        Case("today", "Today", _get(url_for("today.index")), target="floor×3"),
        *_reports_cases(data),
        *_survey_cases(links),
        Case(
            "plan_print",
            "Plan print view",
            _get(url_for("printing.view", plan_id=data.plan_id)),
        ),
    ]
