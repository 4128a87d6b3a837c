"""Interview guides and the question bank: the order warning, the time budget, the editor's
in-place changes, bad input and permissions."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_guide, make_interview
from tests.helpers import PARTIAL, QueryCounter
from winback_app.discovery.guides import services as guides
from winback_app.discovery.guides.models import Guide, GuideQuestion, Question
from winback_app.extensions import db
from winback_app.rules import RuleViolation


def _reload(guide_id: int) -> Guide:
    db.session.expire_all()
    return guides.load_guide(guide_id)


def _stages(guide: Guide) -> list[str]:
    return [item.question.stage for item in guide.items]


# --- The order warning and the budget ---------------------------------------------------


def test_a_sensitive_question_before_the_warm_up_is_warned_about(app_ctx):
    guide = make_guide(("sensitive", "warm_up", "core"))
    warnings = guides.order_warnings(guide)
    assert len(warnings) == 1
    sensitive, warm_up = guide.items[0], guide.items[1]
    assert warnings[0].item is sensitive
    assert f"“{sensitive.question.text}” is sensitive" in warnings[0].message
    assert f"warm-up question “{warm_up.question.text}”" in warnings[0].message


def test_each_early_sensitive_question_gets_its_own_warning(app_ctx):
    guide = make_guide(("sensitive", "core", "sensitive", "warm_up", "sensitive"))
    flagged = [w.item for w in guides.order_warnings(guide)]
    assert flagged == [guide.items[0], guide.items[2]]


@pytest.mark.parametrize(
    "stages",
    [
        ("warm_up", "core", "sensitive"),
        ("warm_up", "sensitive", "core"),
        ("core", "sensitive"),  # no warm-up question at all
        ("sensitive",),
        (),
    ],
)
def test_no_warning_when_the_warm_up_comes_first(app_ctx, stages):
    assert guides.order_warnings(make_guide(stages)) == []


def test_moving_the_sensitive_question_down_clears_the_warning(app_ctx):
    guide = make_guide(("warm_up", "sensitive", "warm_up"))
    assert len(guides.order_warnings(guide)) == 1
    guides.move_item(guide, guide.items[1], +1)
    guide = _reload(guide.id)
    assert _stages(guide) == ["warm_up", "warm_up", "sensitive"]
    assert guides.order_warnings(guide) == []


def test_the_budget_adds_up_the_minutes(app_ctx):
    guide = make_guide(("warm_up", "core", "sensitive"), budget_minutes=5)
    budget = guides.budget(guide)
    assert budget.total == Decimal("6") and budget.budget == 5
    assert budget.over and budget.spare == Decimal("-1")
    guides.update_guide(guide, guide.name, "", 15)
    assert not guides.budget(_reload(guide.id)).over


# --- Service rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (("", "core", 2, ""), "text"),
        (("   ", "core", 2, ""), "text"),
        (("x" * 501, "core", 2, ""), "text"),
        (("Why?", "gossip", 2, ""), "stage"),
        (("Why?", "core", 0, ""), "minutes"),
        (("Why?", "core", 31, ""), "minutes"),
        (("Why?", "core", "two", ""), "minutes"),
        (("Why?", "core", 2, "h" * 501), "hint"),
    ],
)
def test_bad_questions_are_refused(app_ctx, values, field):
    with pytest.raises(RuleViolation) as refused:
        guides.add_question(*values)
    assert refused.value.field == field
    assert db.session.scalar(select(func.count(Question.id))) == 0


def test_guide_names_are_unique_whatever_the_case(app_ctx):
    guides.create_guide("Leader call", "", 15, None)
    with pytest.raises(RuleViolation, match="Another guide has this name"):
        guides.create_guide("  leader CALL ", "", 15, None)
    other = guides.create_guide("Other", "", 15, None)
    with pytest.raises(RuleViolation, match="Another guide"):
        guides.update_guide(other, "LEADER call", "", 15)
    assert _reload(other.id).name == "Other"


@pytest.mark.parametrize("budget", [None, 4, 121])
def test_the_budget_must_be_sensible(app, budget):
    with pytest.raises(RuleViolation) as refused:
        guides.create_guide("Short", "", budget, None)
    assert refused.value.field == "budget_minutes"


def test_a_question_is_in_a_guide_once_and_retired_ones_are_not_added(app_ctx):
    guide = make_guide(("core",))
    question = guide.items[0].question
    with pytest.raises(RuleViolation, match="already in the guide"):
        guides.add_to_guide(guide, question)
    retired = guides.set_question_retired(guides.add_question("Old?", "core", 2), True)
    with pytest.raises(RuleViolation, match="retired"):
        guides.add_to_guide(guide, retired)
    assert len(_reload(guide.id).items) == 1


def test_removing_keeps_the_question_in_the_bank_and_renumbers(app_ctx):
    guide = make_guide(("warm_up", "core", "sensitive"))
    removed = guide.items[1].question_id
    guides.remove_item(guide, guide.items[1])
    guide = _reload(guide.id)
    assert [item.position for item in guide.items] == [0, 1]
    assert db.session.get(Question, removed) is not None


def test_moving_past_either_end_changes_nothing(app_ctx):
    guide = make_guide(("warm_up", "core"))
    guides.move_item(guide, guide.items[0], -1)
    guides.move_item(guide, guide.items[-1], +1)
    assert _stages(_reload(guide.id)) == ["warm_up", "core"]


def test_editing_a_question_changes_it_in_every_guide(app_ctx):
    first = make_guide(("core",))
    question = first.items[0].question
    second = guides.create_guide("Second", "", 15, None)
    guides.add_to_guide(second, question)
    guides.update_question(question, "Reworded?", "sensitive", "1.5", "Gently")
    for guide_id in (first.id, second.id):
        shown = _reload(guide_id).items[0].question
        assert (shown.text, shown.stage, shown.minutes) == (
            "Reworded?",
            "sensitive",
            Decimal("1.5"),
        )


# --- Pages --------------------------------------------------------------------------------


def test_guides_page_lists_guides_with_length_and_warning(member_client, app):
    make_guide(("sensitive", "warm_up"), name="Backwards")
    make_guide(("warm_up", "core"), name="Fine")
    page = member_client.get("/discovery/guides/").get_data(as_text=True)
    backwards = page[page.index("Backwards") :]
    assert "Order warning" in backwards[: backwards.index("Fine")]
    assert "Order warning" not in backwards[backwards.index("Fine") :]
    assert "4 of 15 min" in page
    assert "Create guide" in page


def test_viewers_read_guides_but_get_no_forms(viewer_client, app):
    guide = make_guide(("core",))
    assert "Create guide" not in viewer_client.get("/discovery/guides/").get_data(as_text=True)
    editor = viewer_client.get(f"/discovery/guides/{guide.id}").get_data(as_text=True)
    assert "Add from the bank" not in editor and ">Remove" not in editor
    item = guide.items[0]
    assert (
        viewer_client.get(f"/discovery/guides/{guide.id}/items/{item.id}/edit").status_code == 403
    )
    assert (
        viewer_client.post(f"/discovery/guides/{guide.id}/items/{item.id}/remove").status_code
        == 403
    )


def test_creating_a_guide_goes_to_its_editor(member_client, app):
    response = member_client.post(
        "/discovery/guides/", data={"name": "Lapsed", "description": "", "budget_minutes": "15"}
    )
    guide = db.session.scalar(select(Guide).where(Guide.name == "Lapsed"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/discovery/guides/{guide.id}"
    assert "“Lapsed” was created" in member_client.get(response.headers["Location"]).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "budget_minutes": "15"}, "Give the guide a name."),
        ({"name": "x" * 121, "budget_minutes": "15"}, "Use at most 120 characters."),
        ({"name": "Ok", "budget_minutes": "fifteen"}, "Not a valid integer value."),
        ({"name": "Ok", "budget_minutes": "500"}, "Set a budget between 5 and 120 minutes."),
        ({"name": "Taken", "budget_minutes": "15"}, "Another guide has this name."),
    ],
)
def test_bad_guides_get_422_with_the_typing_kept(member_client, app, data, message):
    guides.create_guide("Taken", "", 15, None)
    response = member_client.post("/discovery/guides/", data=data, headers=PARTIAL)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert f'value="{data["name"]}"' in page
    assert db.session.scalar(select(func.count(Guide.id))) == 1


def test_the_editor_adds_a_question_in_place_and_warns_about_the_order(member_client, app):
    guide = make_guide(("warm_up",))
    url = f"/discovery/guides/{guide.id}/items/new"
    data = {"text": "How did our price compare?", "stage": "sensitive", "minutes": "2"}
    response = member_client.post(url, data=data, headers=PARTIAL)
    assert response.status_code == 200
    assert '"flash"' in response.headers["HX-Trigger"]
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="guide-items"')
    assert "How did our price compare?" in page and "ask later" in page
    assert "Sensitive questions come too early" not in page
    assert "4 min</strong> of a 15-minute budget" in page

    sensitive = _reload(guide.id).items[1]
    move = f"/discovery/guides/{guide.id}/items/{sensitive.id}/move"
    page = member_client.post(move, data={"value": "up"}, headers=PARTIAL).get_data(as_text=True)
    assert "Sensitive questions come too early" in page
    assert "is-flagged" in page
    assert _stages(_reload(guide.id)) == ["sensitive", "warm_up"]


def test_a_new_question_posted_twice_is_added_once(member_client, app):
    guide = make_guide(())
    url = f"/discovery/guides/{guide.id}/items/new"
    data = {"text": "What made the difference?", "stage": "core", "minutes": "3"}
    assert member_client.post(url, data=data).status_code == 303
    again = member_client.post(url, data={**data, "text": "what made the difference? "})
    assert again.status_code == 422
    assert "The bank already has this question." in again.get_data(as_text=True)
    assert len(_reload(guide.id).items) == 1
    assert db.session.scalar(select(func.count(Question.id))) == 1


def test_a_new_question_that_is_too_long_is_refused_with_the_typing_kept(member_client, app):
    guide = make_guide(())
    data = {"text": "Why " * 200, "stage": "core", "minutes": "2"}
    url = f"/discovery/guides/{guide.id}/items/new"
    response = member_client.post(url, data=data, headers=PARTIAL)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use at most 500 characters." in page and "Why Why Why" in page
    assert '<details class="guide-new" open>' in page
    assert db.session.scalar(select(func.count(Question.id))) == 0


def test_adding_from_the_bank_offers_only_active_questions_not_in_the_guide(member_client, app):
    guide = make_guide(("core",))
    spare = guides.add_question("Spare question?", "warm_up", 1)
    retired = guides.set_question_retired(guides.add_question("Retired one?", "core", 1), True)
    editor = member_client.get(f"/discovery/guides/{guide.id}").get_data(as_text=True)
    assert "Spare question?" in editor and "Retired one?" not in editor
    url = f"/discovery/guides/{guide.id}/items"
    forged = member_client.post(url, data={"question_id": str(retired.id)}, headers=PARTIAL)
    assert forged.status_code == 422
    added = member_client.post(url, data={"question_id": str(spare.id)}, headers=PARTIAL)
    assert added.status_code == 200
    assert [i.question_id for i in _reload(guide.id).items][-1] == spare.id


def test_editing_a_question_in_place(member_client, app):
    guide = make_guide(("core",))
    item = guide.items[0]
    url = f"/discovery/guides/{guide.id}/items/{item.id}/edit"
    form = member_client.get(url, headers=PARTIAL).get_data(as_text=True)
    assert 'id="edit-text"' in form and item.question.text in form
    bad = member_client.post(
        url, data={"text": "Ok?", "stage": "core", "minutes": "45"}, headers=PARTIAL
    )
    assert bad.status_code == 422
    assert "Allow between 0.5 and 30 minutes." in bad.get_data(as_text=True)
    good = member_client.post(
        url, data={"text": "Reworded?", "stage": "warm_up", "minutes": "1.5"}, headers=PARTIAL
    )
    assert good.status_code == 200 and "Reworded?" in good.get_data(as_text=True)
    assert _reload(guide.id).items[0].question.minutes == Decimal("1.5")


def test_without_javascript_item_actions_redirect_back_to_the_editor(member_client, app):
    guide = make_guide(("warm_up", "core"))
    item = guide.items[1]
    response = member_client.post(f"/discovery/guides/{guide.id}/items/{item.id}/remove", data={})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/discovery/guides/{guide.id}#guide-items"
    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Question removed from the guide." in page


def test_unknown_ids_and_bad_values(member_client, app):
    guide = make_guide(("core",))
    other = make_guide(("core",))
    foreign = other.items[0].id
    assert member_client.get("/discovery/guides/999").status_code == 404
    assert (
        member_client.post(f"/discovery/guides/{guide.id}/items/{foreign}/remove").status_code
        == 404
    )
    assert member_client.get("/discovery/guides/questions/999/edit").status_code == 404
    own = guide.items[0].id
    move = f"/discovery/guides/{guide.id}/items/{own}/move"
    assert member_client.post(move, data={"value": "sideways"}).status_code == 400
    retire = f"/discovery/guides/{guide.id}/retire"
    assert member_client.post(retire, data={"value": "maybe"}).status_code == 400
    assert len(_reload(other.id).items) == 1


def test_the_guide_settings_and_retiring(member_client, app):
    guide = make_guide(("core",))
    url = f"/discovery/guides/{guide.id}"
    bad = member_client.post(url, data={"name": "", "budget_minutes": "15"}, headers=PARTIAL)
    assert bad.status_code == 422 and "Give the guide a name." in bad.get_data(as_text=True)
    data = {"name": "Renamed", "description": "For lapsed customers", "budget_minutes": "20"}
    good = member_client.post(url, data=data, headers=PARTIAL)
    assert good.status_code == 200 and "of a 20-minute budget" in good.get_data(as_text=True)
    member_client.post(f"{url}/retire", data={"value": "yes"}, headers=PARTIAL)
    assert _reload(guide.id).retired
    assert "Renamed" not in member_client.get("/discovery/").get_data(as_text=True)


def test_the_editor_runs_the_same_queries_for_any_number_of_questions(member_client, app):
    small = make_guide(("core",))
    big = make_guide(("warm_up", "core", "sensitive") * 5)
    make_interview(guide=big)

    def count(guide):
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            assert member_client.get(f"/discovery/guides/{guide.id}").status_code == 200
        return counter.count

    assert count(small) == count(big)


# --- The question bank --------------------------------------------------------------------


def test_the_bank_adds_edits_and_retires_questions(member_client, app):
    guide = make_guide(("core",))
    used = guide.items[0].question
    page = member_client.get("/discovery/guides/questions/").get_data(as_text=True)
    assert used.text in page and "in 1 guide" in page

    added = member_client.post(
        "/discovery/guides/questions/",
        data={"text": "What would bring you back?", "stage": "core", "minutes": "2"},
        headers=PARTIAL,
    )
    assert added.status_code == 200 and "What would bring you back?" in added.get_data(as_text=True)
    bad = member_client.post(
        "/discovery/guides/questions/", data={"text": "", "stage": "core", "minutes": "2"}
    )
    assert bad.status_code == 422 and "Write the question." in bad.get_data(as_text=True)

    edit = f"/discovery/guides/questions/{used.id}/edit"
    response = member_client.post(edit, data={"text": "Changed?", "stage": "core", "minutes": "3"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#question-{used.id}")

    retire = member_client.post(
        f"/discovery/guides/questions/{used.id}/retire", data={"value": "yes"}, headers=PARTIAL
    )
    assert retire.status_code == 200
    assert re.search(r"Changed\?\s*<span class=\"badge\">Retired", retire.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Question, used.id).retired
    # Still in the guide that used it: retiring only stops it being offered.
    assert db.session.scalar(select(func.count(GuideQuestion.id))) == 1
