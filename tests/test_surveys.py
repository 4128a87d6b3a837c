"""The survey builder: surveys, questions and their options, loss-reason binding, order,
preview and the states draft → open → closed."""

import pytest
from sqlalchemy import select

from tests.factories import make_reason, make_survey
from tests.helpers import PARTIAL
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.discovery.surveys import services as surveys
from winback_app.discovery.surveys.models import Survey, SurveyQuestion
from winback_app.extensions import db
from winback_app.outreach.scripts import services as scripts
from winback_app.rules import RuleViolation

SETTINGS = {"expires_days": "30", "max_reminders": "2", "reminder_after_days": "7"}
RATING = {"kind": "rating", "text": "How was our service?"}
THIRTY_ONE = "\n".join(f"Option {n}" for n in range(31))


def _survey(survey_id: int) -> Survey:
    db.session.expire_all()
    return db.session.get(Survey, survey_id)


def _texts(survey_id: int) -> list[str]:
    return [question.text for question in _survey(survey_id).questions]


# --- The list and the survey's own settings ----------------------------------------------------


def test_the_list_shows_each_survey_and_offers_a_new_one(member_client, viewer_client):
    make_survey([RATING], title="Why did you leave us?")
    body = member_client.get("/discovery/surveys/").get_data(as_text=True)
    assert "Why did you leave us?" in body and "Open" in body and "New survey" in body
    viewer = viewer_client.get("/discovery/surveys/").get_data(as_text=True)
    assert "Why did you leave us?" in viewer and "New survey" not in viewer


def test_an_empty_list_says_how_to_start(member_client):
    assert "No surveys yet" in member_client.get("/discovery/surveys/").get_data(as_text=True)


def test_creating_a_survey_starts_a_draft(member_client, member):
    page = member_client.get("/discovery/surveys/new").get_data(as_text=True)
    assert "why you chose as you did" in page  # a sensible introduction to start from
    assert "two minutes" not in page  # the public page counts the minutes itself
    assert 'name="expires_days" required type="number" value="30"' in page
    data = {"title": "  Why   did you leave?  ", "intro": "Hi", "thank_you": "Thanks", **SETTINGS}
    response = member_client.post("/discovery/surveys/new", data=data)
    survey = db.session.scalar(select(Survey))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/discovery/surveys/{survey.id}"
    assert (survey.title, survey.status, survey.created_by_id) == (
        "Why did you leave?",
        "draft",
        member.id,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the survey a title."),
        ({"title": "x" * 201}, "Use at most 200 characters."),
        ({"intro": "x" * 2001}, "Use at most 2000 characters."),
        ({"expires_days": "0"}, "Links can last from 1 to 365 days."),
        ({"max_reminders": "9"}, "Send from 0 to 5 reminders."),
        ({"reminder_after_days": "soon"}, "Not a valid integer value."),
        ({"script_id": "987"}, "Not a valid choice."),
    ],
)
def test_bad_survey_settings_are_422_with_the_input_kept(member_client, changes, message):
    data = {"title": "Kept title", "thank_you": "Kept thanks", **SETTINGS, **changes}
    response = member_client.post("/discovery/surveys/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body
    assert "Kept thanks" in body
    assert db.session.scalar(select(Survey)) is None


def test_editing_the_details_is_allowed_in_any_state(member_client):
    script = scripts.create_script(
        {"kind": "email", "name": "Survey invite", "subject": "Hi", "body": "Hello"}, None
    )
    survey = make_survey([RATING], status="closed")
    form = member_client.get(f"/discovery/surveys/{survey.id}/edit").get_data(as_text=True)
    assert "Survey invite" in form
    data = {"title": "New title", "thank_you": "Merci", "script_id": str(script.id), **SETTINGS}
    response = member_client.post(f"/discovery/surveys/{survey.id}/edit", data=data)
    assert response.status_code == 303
    survey = _survey(survey.id)
    assert (survey.title, survey.thank_you, survey.script_id) == ("New title", "Merci", script.id)
    assert "Survey invite" in member_client.get(f"/discovery/surveys/{survey.id}").get_data(
        as_text=True
    )


def test_viewers_get_no_forms(viewer_client):
    survey = make_survey([RATING], status="draft")
    assert viewer_client.get("/discovery/surveys/new").status_code == 403
    assert viewer_client.get(f"/discovery/surveys/{survey.id}/edit").status_code == 403
    question = survey.questions[0]
    edit = f"/discovery/surveys/{survey.id}/questions/{question.id}/edit"
    assert viewer_client.get(edit).status_code == 403
    page = viewer_client.get(f"/discovery/surveys/{survey.id}").get_data(as_text=True)
    assert "Add a question" not in page and "Open survey" not in page and "Preview" in page


def test_unknown_surveys_and_questions_are_404(member_client):
    one, other = make_survey([RATING], status="draft"), make_survey([RATING], status="draft")
    assert member_client.get("/discovery/surveys/999").status_code == 404
    foreign = other.questions[0].id
    url = f"/discovery/surveys/{one.id}/questions/{foreign}"
    assert member_client.get(f"{url}/edit").status_code == 404
    assert member_client.post(f"{url}/delete").status_code == 404
    assert _texts(other.id) == ["How was our service?"]


# --- Questions ---------------------------------------------------------------------------------


def test_adding_a_question_returns_the_questions_in_place(member_client):
    survey = make_survey(status="draft")
    data = {"kind": "single", "text": "How often?", "options": "Weekly\r\n\r\n  Monthly \r\n"}
    url = f"/discovery/surveys/{survey.id}/questions"
    response = member_client.post(url, data=data, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="survey-questions"' in body and "How often?" in body and "Monthly" in body
    question = _survey(survey.id).questions[0]
    assert [o.label for o in question.options] == ["Weekly", "Monthly"]
    assert question.required is False


def test_adding_without_javascript_comes_back_to_the_question(member_client):
    survey = make_survey(status="draft")
    url = f"/discovery/surveys/{survey.id}/questions"
    response = member_client.post(url, data={**RATING, "required": "y"})
    question = _survey(survey.id).questions[0]
    assert response.status_code == 303 and question.required is True
    assert response.headers["Location"] == f"/discovery/surveys/{survey.id}#question-{question.id}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "rating", "text": ""}, "Write the question."),
        ({"kind": "rating", "text": "x" * 501}, "Use at most 500 characters."),
        ({"kind": "slider", "text": "Slide"}, "Not a valid choice."),
        ({"kind": "single", "text": "Pick", "options": "Only one"}, "at least two options"),
        ({"kind": "multiple", "text": "Pick", "options": "A\na"}, "Each option must be different."),
        ({"kind": "single", "text": "Pick", "options": "A\n" + "b" * 201}, "under 200 characters"),
        ({"kind": "single", "text": "Pick", "options": THIRTY_ONE}, "Use at most 30 options."),
    ],
)
def test_bad_questions_are_422_in_place(member_client, data, message):
    survey = make_survey(status="draft")
    url = f"/discovery/surveys/{survey.id}/questions"
    response = member_client.post(url, data=data, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and message in body and "<html" not in body
    assert _texts(survey.id) == []


def test_options_are_dropped_from_questions_that_take_none(member_client):
    survey = make_survey(status="draft")
    url = f"/discovery/surveys/{survey.id}/questions"
    member_client.post(url, data={"kind": "text", "text": "Anything else?", "options": "A\nB"})
    assert _survey(survey.id).questions[0].options == []


def test_editing_a_question_in_place_and_as_a_page(member_client):
    survey = make_survey([{"kind": "single", "text": "Pick one"}], status="draft")
    question = survey.questions[0]
    url = f"/discovery/surveys/{survey.id}/questions/{question.id}/edit"
    partial = member_client.get(url, headers=PARTIAL).get_data(as_text=True)
    assert "<html" not in partial and "Save question" in partial and "A\nB\nC" in partial
    page = member_client.get(url).get_data(as_text=True)
    assert "<html" in page and "Save question" in page
    data = {"kind": "multiple", "text": "Pick some", "options": "A\nC", "required": "y"}
    response = member_client.post(url, data=data, headers=PARTIAL)
    assert response.status_code == 200 and "Pick some" in response.get_data(as_text=True)
    question = _survey(survey.id).questions[0]
    assert (question.kind, question.required) == ("multiple", True)
    assert [o.label for o in question.options] == ["A", "C"]
    cancel = member_client.get(f"/discovery/surveys/{survey.id}/questions", headers=PARTIAL)
    assert "Save question" not in cancel.get_data(as_text=True)


def test_a_bad_edit_is_422_and_changes_nothing(member_client):
    survey = make_survey([{"kind": "single", "text": "Pick one"}], status="draft")
    question = survey.questions[0]
    url = f"/discovery/surveys/{survey.id}/questions/{question.id}/edit"
    data = {"kind": "single", "text": "Changed", "options": "Only"}
    response = member_client.post(url, data=data, headers=PARTIAL)
    assert response.status_code == 422 and "Changed" in response.get_data(as_text=True)
    assert _texts(survey.id) == ["Pick one"]


def test_questions_move_up_and_down_and_are_removed(member_client):
    survey = make_survey(
        [{"kind": "rating", "text": t} for t in ("First", "Second", "Third")], status="draft"
    )
    first, second, third = (q.id for q in survey.questions)
    base = f"/discovery/surveys/{survey.id}/questions"
    response = member_client.post(f"{base}/{third}/move", data={"direction": "up"}, headers=PARTIAL)
    assert response.status_code == 200
    assert _texts(survey.id) == ["First", "Third", "Second"]
    member_client.post(f"{base}/{first}/move", data={"direction": "up"})  # already first
    member_client.post(f"{base}/{first}/move", data={"direction": "down"})
    assert _texts(survey.id) == ["Third", "First", "Second"]
    response = member_client.post(f"{base}/{first}/delete")
    assert response.status_code == 303
    assert _texts(survey.id) == ["Third", "Second"]
    assert [q.position for q in _survey(survey.id).questions] == [0, 1]
    assert db.session.get(SurveyQuestion, second) is not None


def test_binding_to_loss_reasons_makes_one_option_per_active_reason(member_client):
    price = make_reason("Price", "Price too high")
    late = make_reason("Delivery problems", "Late deliveries")
    retired = make_reason("Price", "Old reason")
    taxonomy.set_retired(retired, True)
    survey = make_survey([{"kind": "multiple", "text": "Why did you leave?"}], status="draft")
    question = survey.questions[0]
    url = f"/discovery/surveys/{survey.id}/questions/{question.id}/reasons"
    response = member_client.post(url, data={"bind": "yes"}, headers=PARTIAL)
    assert response.status_code == 200 and "Loss reasons" in response.get_data(as_text=True)
    question = _survey(survey.id).questions[0]
    assert question.bound_to_reasons is True
    assert [(o.label, o.reason_id) for o in question.options] == [
        ("Price too high", price.id),
        ("Late deliveries", late.id),
    ]
    # Typed options do not replace the reasons of a question that stays bound.
    edit = f"/discovery/surveys/{survey.id}/questions/{question.id}/edit"
    data = {"kind": "single", "text": "Main reason?", "options": "X\nY", "bound_to_reasons": "y"}
    member_client.post(edit, data=data)
    question = _survey(survey.id).questions[0]
    assert [o.reason_id for o in question.options] == [price.id, late.id]
    form = member_client.get(edit).get_data(as_text=True)
    assert 'id="edit-options"' not in form
    assert 'checked id="edit-bound_to_reasons"' in form
    # Unbinding keeps the labels as plain options.
    member_client.post(url, data={"bind": "no"})
    question = _survey(survey.id).questions[0]
    assert question.bound_to_reasons is False
    assert [(o.label, o.reason_id) for o in question.options] == [
        ("Price too high", None),
        ("Late deliveries", None),
    ]


def test_a_question_can_be_added_bound_to_the_loss_reasons(member_client):
    price = make_reason("Price", "Price too high")
    survey = make_survey(status="draft")
    data = {"kind": "multiple", "text": "Why did you leave?", "bound_to_reasons": "y"}
    response = member_client.post(f"/discovery/surveys/{survey.id}/questions", data=data)
    assert response.status_code == 303
    question = _survey(survey.id).questions[0]
    assert question.bound_to_reasons is True
    assert [(o.label, o.reason_id) for o in question.options] == [("Price too high", price.id)]
    # The flag means nothing to a rating, as options do not.
    data = {"kind": "rating", "text": "Rate us", "bound_to_reasons": "y", "options": "A\nB"}
    member_client.post(f"/discovery/surveys/{survey.id}/questions", data=data)
    rating = _survey(survey.id).questions[1]
    assert (rating.bound_to_reasons, rating.options) == (False, [])


def test_changing_a_bound_question_to_a_rating_drops_its_options(member_client):
    make_reason("Price", "Price too high")
    survey = make_survey([{"kind": "single", "text": "Why?", "reasons": True}], status="draft")
    question = survey.questions[0]
    edit = f"/discovery/surveys/{survey.id}/questions/{question.id}/edit"
    member_client.post(edit, data={"kind": "rating", "text": "Rate us", "bound_to_reasons": "y"})
    question = _survey(survey.id).questions[0]
    assert (question.kind, question.bound_to_reasons, question.options) == ("rating", False, [])


def test_only_choice_questions_bind_and_only_to_existing_reasons(app_ctx):
    survey = make_survey([RATING, {"kind": "single", "text": "Why?"}], status="draft")
    rating, choice = survey.questions
    with pytest.raises(RuleViolation, match="Only single and multiple choice"):
        surveys.bind_to_reasons(rating)
    with pytest.raises(RuleViolation, match="no active loss reasons"):
        surveys.bind_to_reasons(choice)


def test_a_survey_has_at_most_forty_questions(app_ctx):
    survey = make_survey([RATING] * surveys.QUESTIONS_MAX, status="draft")
    with pytest.raises(RuleViolation, match="at most 40 questions"):
        surveys.add_question(survey, RATING)


# --- States and the preview --------------------------------------------------------------------


def test_a_survey_without_questions_cannot_open(member_client):
    survey = make_survey(status="draft")
    response = member_client.post(f"/discovery/surveys/{survey.id}/status", data={"status": "open"})
    assert response.status_code == 422
    assert "Add at least one question" in response.get_data(as_text=True)
    assert _survey(survey.id).status == "draft"


def test_draft_open_closed_and_reopened(member_client):
    survey = make_survey([RATING], status="draft")
    url = f"/discovery/surveys/{survey.id}/status"
    assert member_client.post(url, data={"status": "closed"}).status_code == 422
    assert member_client.post(url, data={"status": "open"}).status_code == 303
    opened = _survey(survey.id)
    assert opened.status == "open" and opened.opened_at is not None
    assert member_client.post(url, data={"status": "draft"}).status_code == 422
    member_client.post(url, data={"status": "closed"})
    assert _survey(survey.id).closed_at is not None
    member_client.post(url, data={"status": "open"})
    reopened = _survey(survey.id)
    assert (reopened.status, reopened.closed_at) == ("open", None)
    assert reopened.opened_at == opened.opened_at


def test_questions_are_fixed_once_the_survey_is_open(member_client):
    survey = make_survey([RATING, {"kind": "single", "text": "Pick"}])
    question = survey.questions[0]
    base = f"/discovery/surveys/{survey.id}/questions"
    page = member_client.get(f"/discovery/surveys/{survey.id}").get_data(as_text=True)
    assert "The questions are fixed" in page and "Add a question" not in page
    attempts = [
        member_client.post(base, data=RATING, headers=PARTIAL),
        member_client.get(f"{base}/{question.id}/edit", headers=PARTIAL),
        member_client.post(f"{base}/{question.id}/edit", data=RATING, headers=PARTIAL),
        member_client.post(f"{base}/{question.id}/move", data={"direction": "down"}),
        member_client.post(f"{base}/{question.id}/delete", headers=PARTIAL),
        member_client.post(f"{base}/{survey.questions[1].id}/reasons", headers=PARTIAL),
    ]
    for response in attempts:
        assert response.status_code == 422
        assert surveys.LOCKED in response.get_data(as_text=True)
    assert _texts(survey.id) == ["How was our service?", "Pick"]


def test_the_preview_is_the_public_page_that_sends_nothing(member_client):
    survey = make_survey(
        [RATING, {"kind": "text", "text": "Anything else?"}], title="We miss you", status="draft"
    )
    body = member_client.get(f"/discovery/surveys/{survey.id}/preview").get_data(as_text=True)
    assert "We miss you" in body and "Hi Alex," in body and "Test Company" in body
    assert 'href="/static/public.css"' in body and "main-nav" not in body
    assert "action=" not in body and 'name="csrf_token"' not in body
    assert 'class="public-button" disabled' in body and "Unsubscribe" not in body
    assert f'href="/discovery/surveys/{survey.id}"' in body


def test_a_draft_can_be_deleted_a_used_survey_not(member_client):
    draft, used = make_survey(status="draft"), make_survey([RATING])
    response = member_client.post(f"/discovery/surveys/{draft.id}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/discovery/surveys/"
    response = member_client.post(f"/discovery/surveys/{used.id}/delete")
    assert response.headers["Location"] == f"/discovery/surveys/{used.id}"
    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only a draft nobody was invited to can be deleted" in page
    assert [s.id for s in db.session.scalars(select(Survey))] == [used.id]


def test_the_survey_page_leaves_room_for_invitations(app):
    source = app.jinja_env.loader.get_source(app.jinja_env, "discovery/survey_detail.html")[0]
    assert "{% block invitations %}" in source
