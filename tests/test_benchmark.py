"""The benchmark in bench/: on a tiny data set, every page it measures answers as expected, each
page's SQL statements are counted and constant, the JSON names every page, and the floor route
exists only in the benchmark's own app."""

import json
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bench import BenchmarkError, benchmark, floor, report
from tests import database
from tests.factories import (
    EVERY_KIND,
    make_account,
    make_callback,
    make_contact,
    make_plan,
    make_reason,
    make_survey,
    make_user,
)
from winback_app import create_app
from winback_app.accounts.models import AccountChange, AccountReason
from winback_app.config import TestConfig
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.attempts import services as attempts

PAGES = {
    "floor",
    "accounts",
    "accounts_search",
    "accounts_filtered",
    "accounts_by_value",
    "account_detail",
    "today",
    "reports",
    "reports_year",
    "reports_filtered",
    "survey_get",
    "survey_post",
    "plan_print",
}


@pytest.fixture
def bench_app(app):
    """The test app with the floor route, measured through plain test clients."""
    floor.register(app)
    app.test_client_class = FlaskClient
    return app


@pytest.fixture
def tiny_data_set(app_ctx, bench_app):
    """A member who owns three accounts, one with a plan, 20 attempts and 5 call-backs, and an
    open survey with one question of each kind whose contacts can be invited."""
    rep = make_user(name="Rita Rep")
    price = make_reason("Price", "Too expensive")
    survey = make_survey(EVERY_KIND)
    busy = None
    for name in ("Harbour Bakeries", "Harbour Dental", "Summit Bakeries"):
        account = make_account(name=name, owner_id=rep.id, customer=[price], team=[price])
        make_contact(account)
        busy = busy or account
    for day in range(20):
        attempts.log_attempt(
            busy, rep, channel="phone", outcome="no_answer", at=utcnow() - timedelta(days=day + 1)
        )
    for offset in range(5):
        make_callback(busy, rep, due_on=date.today() + timedelta(days=offset - 2))
    plan = make_plan(busy, author=rep)
    return {"rep": rep, "account": busy, "plan": plan, "survey": survey}


def _stored_counts():
    """Rows that answering a survey could add: none may be left behind."""
    return [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Invitation, Response, Answer, AccountReason, AccountChange)
    ]


def test_every_page_answers_with_constant_counted_queries(bench_app, tiny_data_set):
    before = _stored_counts()

    results, data = benchmark.run(bench_app, iterations=2, warmup=1)

    assert data.account_id == tiny_data_set["account"].id
    assert data.plan_id == tiny_data_set["plan"].id
    assert data.member_name == "Rita Rep"
    assert data.search_term in ("harbour", "bakeries")
    assert {result.case.key for result in results} == PAGES
    for result in results:
        assert len(result.seconds) == 2, result.case.name
        assert len(result.queries) == 2, result.case.name
        assert result.queries_constant, (result.case.name, result.queries)
        assert result.queries[0] >= 1, result.case.name
    # The survey links, their responses and answers are gone; the account did not change.
    db.session.expire_all()
    assert _stored_counts() == before


def test_results_are_printed_and_written_for_every_page(bench_app, tiny_data_set, capsys):
    results, data = benchmark.run(bench_app, iterations=2, warmup=1)

    benchmark.print_results(results, data, 2, 1)
    document = json.loads(json.dumps(report.as_json(results, data, 2, 1)))

    printed = capsys.readouterr().out
    assert "Floor (50 accounts)" in printed and "Account page" in printed
    assert document["database"] == ("postgresql" if database.is_postgres() else "sqlite")
    assert document["rows"] == {"accounts": 3, "attempts": 20}
    assert document["cpu"]["count"] >= 1
    pages = {page["key"]: page for page in document["pages"]}
    assert set(pages) == PAGES
    assert pages["floor"]["x_floor"] == 1.0
    for page in pages.values():
        assert page["queries"] == page["queries_min"] >= 1
        assert page["median_ms"] > 0 and page["p95_ms"] >= page["median_ms"]
    assert pages["survey_post"]["method"] == "POST"
    assert pages["survey_get"]["path"] == "/s/TOKEN"


def test_a_data_set_without_a_busy_account_stops_the_benchmark(app_ctx, bench_app):
    rep = make_user()
    make_callback(make_account(owner_id=rep.id), rep)

    with pytest.raises(BenchmarkError, match="No account has a plan, 20 attempts"):
        benchmark.run(bench_app, iterations=1, warmup=0)


def test_the_floor_route_is_not_part_of_the_app(tmp_path):
    app = create_app(TestConfig(database.url_for_test(tmp_path), str(tmp_path / "instance")))

    assert floor.ENDPOINT not in app.view_functions
    assert not [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/bench")]
