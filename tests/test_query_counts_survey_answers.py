"""Answering the public survey runs the same number of queries with 5 questions, options and
reasons as with 50, and never more than 12 (opening it is in test_query_counts_discovery.py).

The answers are sent through two private links of the same survey, one after the other, and
the second is counted, so nothing a first request does once is counted.
"""

import pytest
from sqlalchemy import func, select

from tests.helpers import QueryCounter
from tests.test_query_counts import (
    LIMIT,
    SIZES,
    accounts,
    add,
    empty_database,
    invite,
    make_site,
    reasons,
    survey,
)
from winback_app import tokens
from winback_app.accounts.models import AccountReason
from winback_app.discovery.invitations.models import Answer
from winback_app.discovery.public.services import field_name
from winback_app.discovery.surveys.models import Survey, SurveyOption
from winback_app.extensions import db

site = pytest.fixture(scope="module", name="site")(make_site)


def _survey(n: int) -> Survey:
    """An open survey of ``n`` questions, one of them a multiple choice of ``n`` loss reasons."""
    asked = survey(n)
    bound = asked.questions[1]
    bound.kind, bound.bound_to_reasons = "multiple", True
    bound.options = [
        SurveyOption(label=reason.name, position=i, reason_id=reason.id)
        for i, reason in enumerate(reasons(n))
    ]
    db.session.flush()
    return asked


def _every_answer(asked: Survey) -> dict:
    """Every question answered, and every option of the multiple choice chosen."""
    form = {}
    for question in asked.questions:
        if question.kind == "rating":
            form[field_name(question)] = "4"
        elif question.kind == "text":
            form[field_name(question)] = "Deliveries were late."
        elif question.kind == "single":
            form[field_name(question)] = str(question.options[0].id)
        else:
            form[field_name(question)] = [str(option.id) for option in question.options]
    return form


def _answering(n: int) -> tuple[list[str], dict, int]:
    """Two links to a survey of ``n`` questions, each for an account that already has ``n``
    more reasons in the customer's view; the answers to send, and how many rows they make."""
    asked = _survey(n)
    already = reasons(n)
    links = []
    for account in accounts(2):
        db.session.add_all(
            AccountReason(account_id=account.id, reason_id=reason.id, view="customer")
            for reason in already
        )
        token = tokens.new_token()
        add(invite(asked, account, account.contacts[0])).token_hash = tokens.hash_token(token)
        links.append(f"/s/{token}")
    form = _every_answer(asked)
    rows = sum(len(value) if isinstance(value, list) else 1 for value in form.values())
    return links, form, rows


def _answered(app, n: int) -> list[str]:
    """The statements of the second link's answers, with ``n`` questions, options and reasons."""
    empty_database()
    links, form, rows = _answering(n)
    db.session.commit()
    client = app.test_client()
    client.csrf_token()
    for link in links:
        with QueryCounter(db.engine) as counter:
            response = client.post(link, data=form)
        assert response.status_code == 303, (link, response.status_code)
    # Everything was stored: the answers of both links, and the chosen reasons on each account.
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 2 * rows
    customer_view = select(func.count()).where(AccountReason.view == "customer")
    assert db.session.scalar(customer_view) == 2 * (1 + n + n)
    return counter.statements


def test_answering_runs_as_many_queries_for_5_questions_options_and_reasons_as_for_50(site):
    seen = {n: _answered(site, n) for n in SIZES}
    counts = {n: len(statements) for n, statements in seen.items()}
    shown = "\n".join(s.split("\n")[0][:160] for s in seen[SIZES[-1]])
    assert len(set(counts.values())) == 1, f"{counts}\n{shown}"
    assert counts[SIZES[-1]] <= LIMIT, f"{counts}\n{shown}"
