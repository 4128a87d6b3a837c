"""The public survey pages: one response per invitation, unsubscribing, tampered, expired and
replayed links, malformed answers, and pages that show nothing internal."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from tests.factories import (
    EVERY_KIND,
    make_account,
    make_contact,
    make_invitation,
    make_reason,
    make_survey,
    make_user,
)
from tests.helpers import QueryCounter
from winback_app import tokens
from winback_app.accounts.models import Account, AccountChange, AccountReason, Contact
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.discovery.public import services as survey_responses
from winback_app.extensions import db
from winback_app.models import utcnow


@pytest.fixture
def reasons(app_ctx):
    return {
        "price": make_reason("Price", "Price too high"),
        "late": make_reason("Delivery problems", "Late deliveries"),
        "support": make_reason("Service", "Slow support"),
    }


@pytest.fixture
def invited(app, reasons):
    """An open survey with a question of every kind; Anna Berg of Harbor Dental is invited."""
    owner = make_user(name="Olivia Owner")
    account = make_account(name="Harbor Dental", owner_id=owner.id, notes="Secret notes")
    contact = make_contact(account, name="Anna Berg", email="anna@harbor.example", phone="555-0100")
    survey = make_survey(EVERY_KIND, title="Why did you leave us?", thank_you="Thanks a lot!")
    invitation, token = make_invitation(survey, contact)
    return survey, invitation, token


def _by_kind(survey):
    return {question.kind: question for question in survey.questions}


def _answers(survey, reasons=("Late deliveries",), **overrides):
    """A complete, valid set of answers as the form posts them."""
    q = _by_kind(survey)
    data = {
        f"q{q['rating'].id}": "4",
        f"q{q['likelihood'].id}": "0",
        f"q{q['single'].id}": str(q["single"].options[1].id),
        f"q{q['multiple'].id}": [str(o.id) for o in q["multiple"].options if o.label in reasons],
        f"q{q['text'].id}": "Deliveries were late three times.",
    }
    data.update({f"q{q[kind].id}": value for kind, value in overrides.items()})
    return data


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _public_layout(body: str) -> None:
    """The page uses the public layout and gives nothing of the app away."""
    assert 'href="/static/public.css"' in body
    for internal in ("app.css", "site-header", "main-nav", "Winback", "Traceback", "/accounts"):
        assert internal not in body, internal


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_survey_the_company_and_the_first_name_only(client, invited):
    survey, _, token = invited
    response = client.get(f"/s/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Why did you leave us?" in body and "Hi Anna," in body and "Test Company" in body
    for private in ("Harbor Dental", "Berg", "anna@harbor", "555-0100", "Olivia", "Secret notes"):
        assert private not in body, private
    _public_layout(body)
    assert 'name="csrf_token"' in body and "<script" not in body
    assert f'href="/s/{token}/unsubscribe"' in body
    assert response.headers["Cache-Control"] == "no-store"
    # Every question is labelled: a legend for the groups, a label for the text box.
    q = _by_kind(survey)
    assert body.count("<legend>") == 4
    assert f'<label class="question-label" for="q{q["text"].id}"' in body
    assert "Late deliveries" in body and "(optional)" in body


def test_the_page_runs_the_same_queries_however_many_questions(client, reasons):
    contact = make_contact(make_account())
    small = make_survey(EVERY_KIND)
    large = make_survey(EVERY_KIND * 3)
    counts = []
    for survey in (small, large):
        _, token = make_invitation(survey, contact)
        client.get(f"/s/{token}")  # the first visit also notes the opening
        with QueryCounter(db.engine) as counter:
            assert client.get(f"/s/{token}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_the_first_visit_marks_the_link_opened(client, invited):
    _, invitation, token = invited
    client.get(f"/s/{token}")
    db.session.expire_all()
    first = db.session.get(Invitation, invitation.id).opened_at
    assert first is not None
    client.get(f"/s/{token}")
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).opened_at == first


# --- Exactly one response per invitation -------------------------------------------------------


def test_answers_are_stored_once_then_the_thank_you_is_shown(client, invited):
    survey, invitation, token = invited
    response = client.post(f"/s/{token}", data=_answers(survey))
    assert response.status_code == 303 and response.headers["Location"] == f"/s/{token}"
    thanks = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Thank you, Anna" in thanks and "Thanks a lot!" in thanks
    _public_layout(thanks)
    q = _by_kind(survey)
    stored = {a.question_id: a for a in db.session.scalars(select(Answer))}
    assert stored[q["rating"].id].number == 4
    assert stored[q["likelihood"].id].number == 0  # zero is an answer, not a blank
    assert stored[q["single"].id].option_id == q["single"].options[1].id
    assert stored[q["multiple"].id].option.label == "Late deliveries"
    assert stored[q["text"].id].text == "Deliveries were late three times."
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).answered_at is not None

    # The same form sent again (a double click, the back button): the thank-you, nothing more.
    again = client.post(f"/s/{token}", data=_answers(survey, reasons=("Price too high",)))
    assert again.status_code == 200 and "Thank you, Anna" in again.get_data(as_text=True)
    assert (_count(Response), _count(Answer)) == (1, 5)


def test_a_second_request_that_got_there_first_wins(app, invited):
    survey, invitation, token = invited
    invitation = survey_responses.invitation_for(token)
    answers, errors = survey_responses.read_answers(survey, _answers(survey))
    assert errors == {}
    # Another request stores its response between this one's check and its insert.
    with db.engine.begin() as other:
        other.execute(insert(Response).values(invitation_id=invitation.id, submitted_at=utcnow()))
        other.execute(
            update(Invitation).where(Invitation.id == invitation.id).values(answered_at=utcnow())
        )
    assert survey_responses.submit(invitation, answers, date(2026, 5, 4)) is False
    assert (_count(Response), _count(Answer)) == (1, 0)
    assert _count(AccountReason) == 0  # the reasons of the refused response were not added


def test_a_missing_csrf_token_shows_the_form_again_with_the_answers(client, invited):
    survey, _, token = invited
    response = client.post(f"/s/{token}", data=_answers(survey), csrf=False)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "press “Send my answers” again" in body and "Deliveries were late three times." in body
    assert 'value="4" checked' in body
    _public_layout(body)
    assert _count(Response) == 0


# --- Unsubscribing -----------------------------------------------------------------------------


def test_unsubscribe_asks_once_and_takes_effect_at_once(client, invited):
    _, invitation, token = invited
    page = client.get(f"/s/{token}/unsubscribe").get_data(as_text=True)
    assert "Stop survey emails?" in page and "Hi Anna" in page and 'name="csrf_token"' in page
    _public_layout(page)
    response = client.post(f"/s/{token}/unsubscribe", data={})
    assert response.status_code == 303
    assert "You are unsubscribed" in client.get(f"/s/{token}/unsubscribe").get_data(as_text=True)
    db.session.expire_all()
    contact = db.session.get(Contact, invitation.contact_id)
    assert contact.unsubscribed_at is not None
    assert db.session.get(Invitation, invitation.id).unsubscribed_at is not None
    change = db.session.scalars(select(AccountChange).where(AccountChange.field == "contact"))
    assert "Anna Berg: unsubscribed from survey emails" in [c.new_value for c in change]


def test_one_click_unsubscribe_needs_no_cookie_and_no_csrf_token(app, invited):
    _, invitation, token = invited
    response = app.test_client().post(
        f"/s/{token}/unsubscribe", data={"List-Unsubscribe": "One-Click"}, csrf=False
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Contact, invitation.contact_id).unsubscribed_at is not None


def test_a_forged_unsubscribe_form_changes_nothing(client, invited):
    _, invitation, token = invited
    response = client.post(f"/s/{token}/unsubscribe", data={"csrf_token": "forged"}, csrf=False)
    assert response.status_code == 400
    assert "press the button again" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contact, invitation.contact_id).unsubscribed_at is None


def test_unsubscribe_works_after_the_link_expired_and_the_survey_closed(client, invited):
    survey, invitation, token = invited
    invitation.expires_at = utcnow() - timedelta(days=1)
    survey.status = "closed"
    db.session.commit()
    assert client.post(f"/s/{token}/unsubscribe", data={}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Contact, invitation.contact_id).unsubscribed_at is not None


# --- Tampered, expired and closed links --------------------------------------------------------


def _flip(token: str) -> str:
    return ("B" if token[0] == "A" else "A") + token[1:]


@pytest.mark.parametrize(
    "tamper",
    [
        _flip,
        lambda t: t[:-1],
        lambda t: t + "x",
        lambda t: t.upper() if t != t.upper() else t.lower(),
        lambda t: tokens.new_token(),
        lambda t: "x",
        lambda t: t * 5,
        lambda t: t[:20] + "%2e%2e" + t[20:],
        lambda t: t + "/extra",
    ],
)
def test_tampered_links_are_a_polite_404_and_store_nothing(client, invited, tamper):
    survey, invitation, token = invited
    url = f"/s/{tamper(token)}"
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and "This link does not work" in body
    _public_layout(body)
    assert client.post(url, data=_answers(survey)).status_code == 404
    assert client.post(f"{url}/unsubscribe", data={}).status_code == 404
    assert _count(Response) == 0
    db.session.expire_all()
    invitation = db.session.get(Invitation, invitation.id)
    assert (invitation.opened_at, invitation.contact.unsubscribed_at) == (None, None)


def test_an_expired_link_is_410_and_takes_no_answers(client, invited):
    survey, invitation, token = invited
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(f"/s/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 410 and "This link has expired" in body
    _public_layout(body)
    assert client.post(f"/s/{token}", data=_answers(survey)).status_code == 410
    assert _count(Response) == 0


def test_a_closed_survey_is_410_a_draft_unknown(client, invited):
    survey, _, token = invited
    survey.status = "closed"
    db.session.commit()
    closed = client.get(f"/s/{token}")
    assert closed.status_code == 410 and "This survey has closed" in closed.get_data(as_text=True)
    survey.status = "draft"
    db.session.commit()
    assert client.get(f"/s/{token}").status_code == 404


def test_an_answered_link_still_thanks_after_the_survey_closed(client, invited):
    survey, _, token = invited
    client.post(f"/s/{token}", data=_answers(survey))
    survey.status = "closed"
    db.session.commit()
    response = client.get(f"/s/{token}")
    assert response.status_code == 200 and "Thank you, Anna" in response.get_data(as_text=True)


# --- Malformed and missing answers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("rating", "abc", "Choose a number from 1 to 5."),
        ("rating", "6", "Choose a number from 1 to 5."),
        ("rating", "0", "Choose a number from 1 to 5."),
        ("rating", "-1", "Choose a number from 1 to 5."),
        ("rating", "3.5", "Choose a number from 1 to 5."),
        ("rating", "9" * 5000, "Choose a number from 1 to 5."),
        ("rating", ["3", "4"], "Choose a number from 1 to 5."),
        ("rating", "", "Choose a number from 1 to 5."),  # required
        ("likelihood", "11", "Choose a number from 0 to 10."),
        ("single", "999999", "Choose from the options given."),
        ("single", "not-a-number", "Choose from the options given."),
        ("multiple", ["999999"], "Choose from the options given."),
    ],
)
def test_malformed_answers_are_422_with_the_rest_kept(client, invited, kind, value, message):
    survey, _, token = invited
    response = client.post(f"/s/{token}", data=_answers(survey, **{kind: value}))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body and "Please check your answers" in body
    assert 'role="alert"' in body and "Deliveries were late three times." in body
    _public_layout(body)
    assert _count(Response) == 0


def test_an_option_of_another_question_is_refused(client, invited):
    survey, _, token = invited
    q = _by_kind(survey)
    foreign = str(q["multiple"].options[0].id)
    response = client.post(f"/s/{token}", data=_answers(survey, single=foreign))
    assert response.status_code == 422 and _count(Response) == 0


def test_a_missing_required_answer_links_to_its_question(client, invited):
    survey, _, token = invited
    q = _by_kind(survey)
    data = _answers(survey)
    del data[f"q{q['rating'].id}"]
    body = client.post(f"/s/{token}", data=data).get_data(as_text=True)
    assert f'<a href="#q{q["rating"].id}-1">Question 1: Choose a number from 1 to 5.</a>' in body
    assert f'id="q{q["rating"].id}-1"' in body
    assert f'aria-describedby="q{q["rating"].id}-hint q{q["rating"].id}-error"' in body
    # The valid answers are still chosen.
    assert f'value="{q["single"].options[1].id}" checked' in body


def test_over_long_text_is_refused_and_kept(client, invited):
    survey, _, token = invited
    text = "x" * 2001
    response = client.post(f"/s/{token}", data=_answers(survey, text=text))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please keep this under 2000 characters (it has 2001)." in body and text in body
    assert _count(Response) == 0


def test_line_breaks_count_once_and_control_characters_are_dropped(client, invited):
    survey, _, token = invited
    text = "ab\r\n" * 499 + "late\x00 again"  # 2,007 characters as sent, 1,509 as typed
    assert client.post(f"/s/{token}", data=_answers(survey, text=text)).status_code == 303
    stored = db.session.scalar(select(Answer.text).where(Answer.text != ""))
    assert stored == "ab\n" * 499 + "late again"


def test_an_empty_form_is_refused(client, reasons):
    contact = make_contact(make_account())
    survey = make_survey([{"kind": "text", "text": "Else?"}, {"kind": "rating", "text": "Rate"}])
    _, token = make_invitation(survey, contact)
    response = client.post(f"/s/{token}", data={"q0": "stray"})
    assert response.status_code == 422
    assert "Please answer at least one question before sending." in response.get_data(as_text=True)
    assert _count(Response) == 0


# --- Answers bound to loss reasons -------------------------------------------------------------


def test_bound_answers_join_the_customer_view_marked_as_from_the_survey(
    frozen_today, client, reasons
):
    account = make_account(customer=[reasons["price"]])
    survey = make_survey(EVERY_KIND)
    _, token = make_invitation(survey, make_contact(account, name="Ben Okafor"))
    data = _answers(survey, reasons=("Late deliveries", "Price too high"))
    assert client.post(f"/s/{token}", data=data).status_code == 303
    db.session.expire_all()
    account = db.session.get(Account, account.id)
    chosen = {c.reason.name: c for c in account.reasons_for("customer")}
    assert set(chosen) == {"Price too high", "Late deliveries"}
    price = chosen["Price too high"]
    assert (price.is_primary, price.source, price.noted_on) == (True, "manual", None)
    late = chosen["Late deliveries"]
    assert (late.is_primary, late.source) == (False, "survey")
    assert late.noted_on == frozen_today
    entry = account.history[0]
    assert (entry.field, entry.user_id) == ("customer_reasons", None)
    assert entry.new_value == (
        "Price › Price too high (primary), Delivery problems › Late deliveries"
    )


def test_the_first_bound_answer_becomes_primary_and_views_may_disagree(client, reasons):
    account = make_account(team=[reasons["price"]])
    survey = make_survey(EVERY_KIND)
    _, token = make_invitation(survey, make_contact(account))
    data = _answers(survey, reasons=("Late deliveries", "Slow support"))
    assert client.post(f"/s/{token}", data=data).status_code == 303
    db.session.expire_all()
    account = db.session.get(Account, account.id)
    assert account.customer_primary.name == "Late deliveries"
    assert account.views_disagree is True
    assert [c.source for c in account.reasons_for("customer")] == ["survey", "survey"]


# --- Errors leak nothing -----------------------------------------------------------------------


def test_too_many_requests_get_a_polite_429(client, invited):
    _, _, token = invited
    for _ in range(30):
        assert client.get(f"/s/{token}").status_code == 200
    response = client.get(f"/s/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 429 and "Too many tries" in body
    assert "Retry-After" in response.headers
    _public_layout(body)


def test_an_unexpected_error_is_a_polite_500_without_detail(client, invited, monkeypatch):
    survey, _, token = invited

    def broken(*args):
        raise RuntimeError("internal detail: table responses")

    monkeypatch.setattr(survey_responses, "submit", broken)
    response = client.post(f"/s/{token}", data=_answers(survey))
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong on our side" in body
    assert "internal detail" not in body and "RuntimeError" not in body
    _public_layout(body)


def test_an_oversized_post_is_a_polite_413(client, invited):
    survey, _, token = invited
    response = client.post(f"/s/{token}", data=_answers(survey, text="x" * (9 * 1024 * 1024)))
    assert response.status_code == 413
    _public_layout(response.get_data(as_text=True))
    assert _count(Response) == 0
