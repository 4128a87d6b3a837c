"""`python -m bench.seed`: a large data set that keeps every rule the app keeps."""

from datetime import date

import pytest
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from bench.seed import reference
from bench.seed.__main__ import seed_bench
from tests.conftest import build_app
from winback_app.accounts.models import Account, AccountChange, AccountReason, Contact, LossReason
from winback_app.auth.models import User
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.plans.evidence.models import Evidence
from winback_app.plans.models import Plan, PlanSolution

# The bench data is dated from today: one seed gives the same data on the same day.
pytestmark = pytest.mark.usefixtures("frozen_today")

ACCOUNTS = 200
REP = "bench-rep1@example.com"
TABLES = (Account, Contact, AccountReason, AccountChange, Attempt, Callback, Invitation, Plan)


def _seed(app, *extra):
    # The command runs in an app context of its own, as `flask` runs it, on the test's database.
    return app.test_cli_runner().invoke(seed_bench, args=["--accounts", str(ACCOUNTS), *extra])


@pytest.fixture
def seeded(app, app_ctx):
    """The test database after `python -m bench.seed --accounts 200`; the command's output."""
    result = _seed(app)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _scalars(query) -> list:
    return list(db.session.scalars(query))


def test_fills_every_table_in_proportion_and_prints_the_logins(seeded):
    assert _count(Account) == ACCOUNTS
    assert _count(Contact) == ACCOUNTS * 5 // 2
    assert _count(Attempt) == ACCOUNTS * 10
    assert _count(Callback) == ACCOUNTS * 3
    assert _count(Invitation) == ACCOUNTS // 5
    assert _count(Plan) == ACCOUNTS // 10
    assert _count(User) == 30 and _count(Evidence) >= 20
    assert 0.2 * ACCOUNTS // 5 <= _count(Response) <= 0.5 * ACCOUNTS // 5
    assert _count(Answer) >= _count(Response)
    for table in ("accounts", "attempts", "callbacks", "plans", "total"):
        assert table in seeded
    assert "bench-admin@example.com" in seeded and REP in seeded
    assert reference.PASSWORD in seeded


def test_accounts_keep_the_apps_rules(seeded):
    primaries = select(func.count()).where(Contact.account_id == Account.id, Contact.is_primary)
    assert _scalars(select(Account.id).where(primaries.scalar_subquery() != 1)) == []

    for view, column in (
        ("customer", Account.customer_primary_id),
        ("team", Account.team_primary_id),
    ):
        row = aliased(AccountReason)
        primary_row = select(row.reason_id).where(
            row.account_id == Account.id, row.view == view, row.is_primary
        )
        mismatched = select(Account.id).where(
            func.coalesce(column, 0) != func.coalesce(primary_row.scalar_subquery(), 0)
        )
        assert _scalars(mismatched) == []
        several = select(func.count()).where(row.account_id == Account.id, row.view == view)
        assert _scalars(select(Account.id).where(several.scalar_subquery() > 3)) == []

    customer, team = aliased(LossReason), aliased(LossReason)
    computed = and_(
        Account.customer_primary_id.is_not(None),
        Account.team_primary_id.is_not(None),
        customer.category_id != team.category_id,
    )
    rows = db.session.execute(
        select(Account.views_disagree, computed)
        .outerjoin(customer, customer.id == Account.customer_primary_id)
        .outerjoin(team, team.id == Account.team_primary_id)
    ).all()
    assert all(bool(flag) == bool(expected) for flag, expected in rows)
    assert any(flag for flag, _ in rows) and not all(flag for flag, _ in rows)

    latest = select(func.max(Attempt.at)).where(Attempt.account_id == Account.id).scalar_subquery()
    last_contacts = db.session.execute(select(Account.last_contact_at, latest)).all()
    assert all(stored == real for stored, real in last_contacts)

    won = _scalars(select(Account).where(Account.status == "won_back"))
    assert won and all(a.won_back_on >= a.lost_on and a.value_recovered for a in won)
    assert _count(AccountChange) == ACCOUNTS
    assert _scalars(select(AccountChange.field).distinct()) == ["created"]


def test_outreach_keeps_the_apps_rules(seeded):
    tried = _scalars(select(Attempt).join(Account, Account.id == Attempt.account_id))
    assert all(attempt.at.date() >= attempt.account.lost_on for attempt in tried)
    assert all(attempt.at <= utcnow() for attempt in tried)
    untried = select(Account.id).where(Account.status.in_(("new", "researching")))
    assert _scalars(select(Attempt.id).where(Attempt.account_id.in_(untried))) == []
    foreign = (
        select(Attempt.id)
        .join(Contact, Contact.id == Attempt.contact_id)
        .where(Contact.account_id != Attempt.account_id)
    )
    assert _scalars(foreign) == []

    outcomes = dict(
        db.session.execute(select(Attempt.outcome, func.count()).group_by(Attempt.outcome)).all()
    )
    conversations = sum(outcomes.get(o, 0) for o in attempts.REACHED) / (ACCOUNTS * 10)
    assert 0.25 <= conversations <= 0.4
    per_account = select(func.count()).select_from(Attempt).group_by(Attempt.account_id)
    assert max(db.session.scalars(per_account)) >= 40

    finished = select(Account.id).where(Account.status.in_(("won_back", "closed")))
    open_finished = select(Callback.id).where(
        Callback.done_at.is_(None), Callback.account_id.in_(finished)
    )
    assert _scalars(open_finished) == []
    nurture = select(func.count()).where(
        Callback.account_id == Account.id, Callback.kind == "nurture", Callback.done_at.is_(None)
    )
    counts = _scalars(select(nurture.scalar_subquery()).where(Account.status == "nurture"))
    assert counts and set(counts) == {1}
    kinds = set(_scalars(select(Callback.kind).distinct()))
    assert kinds == {"contract", "nurture", "manual", "planner"}
    assert _scalars(select(Callback.id).where(Callback.attempt_id.is_not(None)).limit(1))
    overdue = select(Callback.id).where(Callback.done_at.is_(None), Callback.due_on < date.today())
    assert _scalars(overdue.limit(1))


def test_plans_follow_their_accounts_status(seeded):
    allowed = {
        "plan_drafted": {"draft", "ready"},
        "plan_presented": {"presented", "accepted", "declined"},
        "won_back": {"won_back"},
        "nurture": {"declined"},
        "closed": {"closed"},
    }
    plans = _scalars(select(Plan))
    for plan in plans:
        assert plan.status in allowed[plan.account.status]
        assert plan.relationship_summary and plan.cause_statement and plan.commitment
        assert plan.offer and plan.new_needs and plan.escalate_when and plan.solutions
        if plan.decided_on:
            assert plan.presented_on <= plan.decided_on
        if plan.status == "won_back":
            assert plan.won_back_on == plan.account.won_back_on
    drafted = select(Account.id).where(Account.status.in_(("plan_drafted", "plan_presented")))
    assert set(_scalars(drafted)) <= {plan.account_id for plan in plans}
    assert _count(PlanSolution) >= len(plans)


def test_the_first_account_has_a_long_history_and_a_plan(seeded):
    first = db.session.scalar(select(Account).order_by(Account.id).limit(1))
    assert _count(select(Attempt.id).where(Attempt.account_id == first.id).subquery()) >= 20
    assert _count(select(Callback.id).where(Callback.account_id == first.id).subquery()) >= 5
    assert db.session.scalar(select(Plan.status).where(Plan.account_id == first.id)) == "presented"


def test_values_are_stored_as_the_app_stores_them(seeded):
    """Seeded rows compare and sort like the rows the app writes (same text on SQLite)."""
    dialect = db.engine.dialect
    for model, column in ((Attempt, "at"), (Account, "lost_on"), (Account, "annual_value_lost")):
        row = db.session.scalar(select(model).where(getattr(model, column).is_not(None)).limit(1))
        stored = (
            db.session.connection()
            .exec_driver_sql(f"SELECT {column} FROM {model.__tablename__} WHERE id = {row.id}")
            .scalar()
        )
        process = model.__table__.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        loaded = getattr(row, column)
        assert stored == (process(loaded) if process else loaded)


def test_a_second_run_refuses_and_writes_nothing(seeded, app):
    before = {model: _count(model) for model in TABLES}
    result = _seed(app)
    assert result.exit_code != 0
    assert "already has accounts" in result.output
    db.session.expire_all()
    assert {model: _count(model) for model in TABLES} == before


def test_the_app_works_on_the_seeded_data(seeded, client):
    soonest = db.session.scalar(
        select(Callback)
        .join(User, User.id == Callback.user_id)
        .where(User.role == "member", Callback.done_at.is_(None))
        .order_by(Callback.due_on, Callback.id)
        .limit(1)
    )
    rep = soonest.user
    assert rep.email.startswith("bench-rep")
    response = client.post("/login", data={"email": rep.email, "password": reference.PASSWORD})
    assert response.status_code == 303
    today = client.get("/today")
    assert today.status_code == 200
    assert soonest.account.name.replace("&", "&amp;") in today.get_data(as_text=True)
    first = db.session.scalar(select(Account).order_by(Account.id).limit(1))
    for url in ("/accounts/", f"/accounts/{first.id}", "/plans/", "/discovery/surveys/"):
        assert client.get(url).status_code == 200, url
    contact = db.session.scalar(
        select(Contact).where(Contact.email != "").order_by(Contact.id.desc())
    )
    found = client.get("/accounts/", query_string={"q": contact.email}).get_data(as_text=True)
    assert contact.account.name.replace("&", "&amp;") in found

    # New rows get the next ids (on PostgreSQL, the sequences were moved past the seeded ids).
    last_account, last_attempt = (
        db.session.scalar(select(func.max(model.id))) for model in (Account, Attempt)
    )
    data = {"name": "Brand New Lost Account", "kind": "lost_deal", "status": "new"}
    created = client.post("/accounts/new", data={**data, "competitor_id": ""})
    account = db.session.scalar(select(Account).where(Account.name == data["name"]))
    assert created.headers["Location"] == f"/accounts/{account.id}"
    assert account.id == last_account + 1
    attempt = attempts.log_attempt(account, rep, channel="phone", outcome="reached")
    assert attempt.id == last_attempt + 1


def test_the_same_seed_gives_the_same_data(seeded, tmp_path):
    def fingerprint():
        names = _scalars(select(Account.name).order_by(Account.id))
        outcomes = db.session.execute(
            select(Attempt.outcome, func.count(), func.max(Attempt.at))
            .group_by(Attempt.outcome)
            .order_by(Attempt.outcome)
        ).all()
        return names, outcomes, _count(Response)

    first = fingerprint()
    db.session.remove()  # PostgreSQL empties the shared test database for the second app
    again = build_app(tmp_path / "again")
    try:
        with again.app_context():
            assert _seed(again).exit_code == 0
            assert fingerprint() == first
            assert _seed(again).exit_code != 0
    finally:
        with again.app_context():
            db.session.remove()
            db.engine.dispose()
