"""Survey results: invitations by state, the response rate, answer distributions drawn as
accessible SVG charts, free texts, the list's counts, and responses on the account page."""

from datetime import date, timedelta

import pytest

from tests.factories import (
    EVERY_KIND,
    make_account,
    make_contact,
    make_invitation,
    make_reason,
    make_survey,
)
from tests.helpers import QueryCounter
from winback_app.discovery.public import services as survey_responses
from winback_app.discovery.surveys import results
from winback_app.extensions import db
from winback_app.models import utcnow


@pytest.fixture
def survey(app_ctx):
    make_reason("Price", "Price too high")
    make_reason("Delivery problems", "Late deliveries")
    return make_survey(EVERY_KIND, title="Why did you leave us?")


def _respond(survey, account=None, rating=4, likelihood=7, single=0, reasons=(), text=""):
    """Invite a new contact and store their answers through the service."""
    contact = make_contact(account or make_account(), name="Anna Berg")
    invitation, _ = make_invitation(survey, contact)
    q = {question.kind: question for question in survey.questions}
    form = {
        f"q{q['rating'].id}": [str(rating)] if rating is not None else [],
        f"q{q['likelihood'].id}": [str(likelihood)] if likelihood is not None else [],
        f"q{q['single'].id}": [str(q["single"].options[single].id)],
        f"q{q['multiple'].id}": [str(o.id) for o in q["multiple"].options if o.label in reasons],
        f"q{q['text'].id}": [text],
    }
    answers, errors = survey_responses.read_answers(survey, form)
    assert errors == {}
    assert survey_responses.submit(invitation, answers, date(2026, 5, 4))
    return invitation


def _result(survey, kind):
    return next(r for r in results.question_results(survey) if r.question.kind == kind)


def test_invitations_are_counted_by_state_with_the_response_rate(survey):
    now = utcnow()
    states = [
        {"answered_at": now, "opened_at": now},
        {"answered_at": now},
        {"opened_at": now},
        {},  # sent, not opened
        {"sent_at": None},
        {"expires_at": now - timedelta(days=1)},
        {"unsubscribed_at": now},
        {"bounced_at": now},
    ]
    for values in states:
        invitation, _ = make_invitation(survey, make_contact(make_account()))
        for name, value in values.items():
            setattr(invitation, name, value)
    db.session.commit()
    counted = results.invitation_states(survey)
    assert {key: n for key, _, n in counted["states"]} == {
        "answered": 2,
        "opened": 1,
        "sent": 1,
        "waiting": 1,
        "expired": 1,
        "unsubscribed": 1,
        "bounced": 1,
    }
    assert (counted["total"], counted["delivered"], counted["rate"]) == (8, 7, "29%")


def test_a_survey_nobody_was_invited_to_has_no_rate(survey):
    counted = results.invitation_states(survey)
    assert (counted["total"], counted["rate"]) == (0, "—")


def test_each_question_counts_every_answer_zeros_included(survey):
    _respond(survey, rating=5, likelihood=0, single=1, reasons=("Late deliveries",), text="Late")
    _respond(survey, rating=4, likelihood=10, reasons=("Late deliveries", "Price too high"))
    _respond(survey, rating=5, likelihood=None, text="  ")
    rating = _result(survey, "rating")
    assert rating.answered == 3 and rating.average == 4.7
    assert [b.count for b in rating.bars] == [0, 0, 0, 1, 2]
    assert [b.label for b in rating.bars] == ["1", "2", "3", "4", "5"]
    likelihood = _result(survey, "likelihood")
    assert likelihood.answered == 2 and len(likelihood.bars) == 11
    assert (likelihood.bars[0].count, likelihood.bars[10].count, likelihood.average) == (1, 1, 5.0)
    single = _result(survey, "single")
    assert [(b.label, b.count) for b in single.bars] == [("Weekly", 2), ("Monthly", 1)]
    multiple = _result(survey, "multiple")
    assert multiple.answered == 2
    assert [(b.label, b.count, b.share) for b in multiple.bars] == [
        ("Price too high", 1, 0.5),
        ("Late deliveries", 2, 1.0),
    ]
    text = _result(survey, "text")
    assert text.answered == 1 and [row.text for row in text.texts] == ["Late"]


def test_the_results_page_draws_accessible_charts_with_tables(member_client, survey):
    account = make_account(name="Harbor Dental")
    _respond(survey, account=account, reasons=("Late deliveries",), text="Three late deliveries.")
    body = member_client.get(f"/discovery/surveys/{survey.id}/results").get_data(as_text=True)
    assert "Why did you leave us?" in body and "100%" in body
    assert body.count('<svg class="chart"') == 4  # every question but the free text
    assert 'role="img" aria-labelledby="chart-' in body
    assert "<title id=" in body and "<desc id=" in body
    assert "Late deliveries: 1; Price too high" not in body  # option order kept
    assert "Price too high: 0; Late deliveries: 1." in body
    assert body.count('<table class="table result-table">') == 4
    assert "Three late deliveries." in body and f'href="/accounts/{account.id}"' in body
    assert "<script" not in body.split("</head>")[1]


def test_the_results_page_runs_the_same_queries_however_many_answers(member_client, survey):
    url = f"/discovery/surveys/{survey.id}/results"
    member_client.get(url)
    _respond(survey, text="one")
    with QueryCounter(db.engine) as few:
        member_client.get(url)
    for n in range(6):
        _respond(survey, rating=1 + n % 5, reasons=("Price too high",), text=f"text {n}")
    with QueryCounter(db.engine) as many:
        assert member_client.get(url).status_code == 200
    assert many.count == few.count


def test_the_list_shows_counts_and_the_response_rate(member_client, survey):
    _respond(survey)
    make_invitation(survey, make_contact(make_account()))
    make_survey(title="Draft survey", status="draft")
    body = member_client.get("/discovery/surveys/").get_data(as_text=True)
    assert "50%" in body and body.index("Why did you leave us?") < body.index("Draft survey")


def test_the_account_page_shows_its_responses(member_client, survey):
    account = make_account(name="Harbor Dental")
    _respond(survey, account=account, rating=2, single=1, reasons=("Late deliveries",), text="Slow")
    body = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert 'id="survey-responses"' in body and "Why did you leave us?" in body
    assert "Anna Berg" in body and "2 of 5" in body and "Monthly" in body and "Slow" in body
    assert "Late deliveries" in body and "from survey, 4 May 2026" in body


def test_the_account_page_hides_the_panel_without_responses(member_client, survey):
    account = make_account()
    make_invitation(survey, make_contact(account))
    body = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    # The region stays on the page, hidden, so an answer arriving later has a place to show.
    assert 'aria-labelledby="survey-responses-title" hidden>' in body
    assert "Survey responses" not in body.split('id="survey-responses"')[1].split("</section>")[0]


def test_the_account_panel_runs_the_same_queries_however_many_responses(member_client, survey):
    account = make_account()
    _respond(survey, account=account)
    url = f"/accounts/{account.id}"
    member_client.get(url)
    with QueryCounter(db.engine) as one:
        member_client.get(url)
    for _ in range(3):
        _respond(survey, account=account, reasons=("Price too high",))
    with QueryCounter(db.engine) as four:
        member_client.get(url)
    assert four.count == one.count


def test_viewers_read_the_results(viewer_client, survey):
    _respond(survey)
    assert viewer_client.get(f"/discovery/surveys/{survey.id}/results").status_code == 200
