"""What a survey's email promises, the survey keeps: the minutes counted from its questions,
the charity the contact picks (into the thank-you ledger), a footer true to the account's
kind, and reasons in the customer's words."""

import re

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_account,
    make_contact,
    make_invitation,
    make_reason,
    make_survey,
    make_user,
)
from tests.servers.smtp import deliver, survey_token
from winback_app.core.settings import services as team_settings
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.invitations import mail as invitation_mail
from winback_app.discovery.invitations import services as invitations
from winback_app.discovery.surveys.models import Survey
from winback_app.discovery.surveys.services import minutes_to_answer
from winback_app.extensions import db
from winback_app.mail.models import OutboxMessage

BASE = "https://winback.example.com"
TEXTS = [{"kind": "text", "text": f"Question {n}?"} for n in range(4)]


def _text(response) -> str:
    return response.get_data(as_text=True)


def _minutes_line(body: str) -> str:
    return re.search(r"about (\d+) minutes?", body).group(1)


# --- The minutes ------------------------------------------------------------------------------


def test_minutes_follow_a_rule_per_question_kind(app, app_ctx):
    two_texts = make_survey(TEXTS[:2])
    assert minutes_to_answer(two_texts) == 2  # 2 × 60 s
    rating = make_survey([{"kind": "rating", "text": "How was it?"}])
    assert minutes_to_answer(rating) == 1  # 10 s, at least a minute
    # A choice question: 15 s and 3 s per option shown; 10 options of 3 s tip it over.
    labels = [f"Option {n}" for n in range(10)]
    mixed = make_survey([*TEXTS[:1], {"kind": "multiple", "text": "Which?", "options": labels}])
    assert minutes_to_answer(mixed) == 2  # 60 + 15 + 30 = 105 s
    assert minutes_to_answer(make_survey([], status="draft")) == 1
    # When a donation is offered, the charity question counts too: 15 s + 3 s per choice.
    team_settings.update(charities="WaterAid")
    assert minutes_to_answer(two_texts) == 3  # 120 + 15 + 2 × 3 s


def test_the_same_minutes_in_the_email_the_intro_and_the_thank_you(app, client, app_ctx, smtp):
    survey = make_survey(TEXTS, intro="Tell us how it went.", thank_you="Thanks!")
    account = make_account(name="Harbor Dental")
    make_contact(account, name="Jane Doe", email="jane@harbor.example")
    with app.test_request_context("/"):
        invitation_mail.ensure_invitation_script()
        script = invitation_mail.invitation_scripts()[0]
        invitations.invite(survey, make_user(), BASE, script, ids=[account.id])
    message = db.session.scalar(select(OutboxMessage))
    assert minutes_to_answer(survey) == 4
    assert message.subject == "Jane, 4 minutes to tell us where we fell short?"
    assert _minutes_line(message.text_body) == "4"
    (email,) = deliver(app, smtp)
    assert _minutes_line(email.get_body(("plain",)).get_content()) == "4"
    token = survey_token(email)

    page = _text(client.get(f"/s/{token}"))
    assert "It takes about 4 minutes." in page
    assert "two minutes" not in page and "3 minutes" not in page
    question = survey.questions[0]
    sent = client.post(f"/s/{token}", data={f"q{question.id}": "Late deliveries"})
    assert sent.status_code == 303
    assert "Thank you for the 4 minutes you gave us." in _text(client.get(f"/s/{token}"))


# --- The charity ------------------------------------------------------------------------------


@pytest.fixture
def offered(app, app_ctx):
    """A donation is offered: the team has two charities; Anna of Harbor Dental is invited."""
    team_settings.update(charities="WaterAid\nThe local food bank")
    account = make_account(name="Harbor Dental")
    contact = make_contact(account, name="Anna Berg", email="anna@harbor.example")
    survey = make_survey(TEXTS[:1])
    invitation, token = make_invitation(survey, contact)
    return survey, invitation, token


def _answer(survey, **extra):
    return {f"q{survey.questions[0].id}": "It was fine.", **extra}


def _incentives() -> list[Incentive]:
    return list(db.session.scalars(select(Incentive)))


def test_the_contact_picks_a_charity_which_lands_in_the_ledger_and_the_thank_you(client, offered):
    survey, invitation, token = offered
    page = _text(client.get(f"/s/{token}"))
    assert "Which charity should we donate to" in page
    assert 'value="WaterAid"' in page and 'value="The local food bank"' in page
    assert client.post(f"/s/{token}", data=_answer(survey, charity="WaterAid")).status_code == 303
    (incentive,) = _incentives()
    assert (incentive.account_id, incentive.contact_id) == (
        invitation.account_id,
        invitation.contact_id,
    )
    assert (incentive.invitation_id, incentive.charity) == (invitation.id, "WaterAid")
    assert incentive.status == "pledged" and incentive.amount == 25
    thanks = _text(client.get(f"/s/{token}"))
    assert "we will make our donation to WaterAid" in thanks


def test_another_charity_can_be_named(client, offered):
    survey, _, token = offered
    data = _answer(survey, charity="other", charity_other="  Red   Cross ")
    assert client.post(f"/s/{token}", data=data).status_code == 303
    (incentive,) = _incentives()
    assert incentive.charity == "Red Cross"
    assert "donation to Red Cross" in _text(client.get(f"/s/{token}"))


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"charity": "Some charity not listed"}, "Choose one of the charities listed"),
        ({"charity": "other"}, "write the name of the charity"),
        ({"charity": ["WaterAid", "The local food bank"]}, "Choose one of the charities listed"),
        ({"charity": "other", "charity_other": "x" * 201}, "under 200 characters"),
    ],
)
def test_a_bad_charity_answer_is_a_422_that_keeps_the_answers(client, offered, posted, message):
    survey, _, token = offered
    response = client.post(f"/s/{token}", data=_answer(survey, **posted))
    body = _text(response)
    assert response.status_code == 422 and message in body
    assert "It was fine." in body  # nothing typed is lost
    assert _incentives() == []


def test_no_pick_leaves_the_donation_offered_and_owed(client, offered):
    survey, _, token = offered
    assert client.post(f"/s/{token}", data=_answer(survey)).status_code == 303
    (incentive,) = _incentives()
    assert (incentive.status, incentive.charity) == ("offered", "")


def test_without_charities_neither_the_email_nor_the_survey_mentions_a_donation(
    app, client, app_ctx
):
    survey = make_survey(TEXTS[:1])
    account = make_account(name="Harbor Dental")
    contact = make_contact(account, name="Jane Doe", email="jane@harbor.example")
    with app.test_request_context("/"):
        invitation_mail.ensure_invitation_script()
        script = invitation_mail.invitation_scripts()[0]
        invitations.invite(survey, make_user(), BASE, script, ids=[account.id])
    message = db.session.scalar(select(OutboxMessage))
    for text in (message.text_body, message.html_body):
        assert "donation" not in text and "charity" not in text
    _, token = make_invitation(make_survey(TEXTS[:1]), contact)
    page = _text(client.get(f"/s/{token}"))
    assert "charity" not in page.lower() and "donat" not in page.lower()
    answered = make_survey(TEXTS[:1])
    _, token = make_invitation(answered, contact)
    assert client.post(f"/s/{token}", data=_answer(answered)).status_code == 303
    thanks = _text(client.get(f"/s/{token}")).lower()
    assert "charity" not in thanks and "donat" not in thanks
    assert db.session.scalar(select(func.count(Incentive.id))) == 0


# --- The footer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "wording"),
    [
        ("former_customer", "because you were a customer of Test Company"),
        ("lapsed_customer", "because you were a customer of Test Company"),
        ("lost_deal", "because you considered Test Company for your business"),
    ],
)
def test_the_footer_follows_the_account_kind(app, client, kind, wording, app_ctx):
    account = make_account(name="Harbor Dental", kind=kind)
    contact = make_contact(account, name="Jane Doe", email="jane@harbor.example")
    survey = make_survey(TEXTS[:1])
    with app.test_request_context("/"):
        invitation_mail.ensure_invitation_script()
        script = invitation_mail.invitation_scripts()[0]
        email = invitation_mail.compose(script, 1, contact, account, make_user(), BASE, BASE)
    assert f"You receive this email {wording}." in email.text
    assert wording in email.html
    _, token = make_invitation(survey, contact)
    page = _text(client.get(f"/s/{token}"))
    assert f"You receive this {wording}." in page
    assert ("was a customer" in page or "were a customer" in page) == (kind != "lost_deal")
    assert ("were a customer" in email.text) == (kind != "lost_deal")


# --- Reasons in the customer's words ----------------------------------------------------------


def test_a_reason_question_shows_the_chosen_reasons_in_the_customer_wording(app, client, app_ctx):
    status_quo = make_reason("No decision", "Stayed with the status quo")
    status_quo.customer_wording = "We decided not to change anything"
    price = make_reason("Price", "Price too high")
    make_reason("Price", "Discount ended")  # not chosen for the question
    db.session.commit()
    survey = make_survey(
        [
            {
                "kind": "multiple",
                "text": "Why did you choose as you did?",
                "reasons": True,
                "reason_ids": [status_quo.id, price.id],
            }
        ]
    )
    contact = make_contact(make_account())
    _, token = make_invitation(survey, contact)
    page = _text(client.get(f"/s/{token}"))
    assert "We decided not to change anything" in page and "Price too high" in page
    for internal in ("Stayed with the status quo", "Discount ended", "No decision", "Price ›"):
        assert internal not in page, internal
    assert 'class="choice-group"' not in page
    assert page.count('type="checkbox"') == 2


def test_admins_edit_what_customers_read_of_a_reason(app, admin_client, app_ctx):
    reason = make_reason("No decision", "Stayed with the status quo")
    form = _text(admin_client.get(f"/admin/reasons/{reason.id}/rename"))
    assert 'name="customer_wording"' in form
    data = {"name": reason.name, "customer_wording": " We kept   what we had "}
    assert admin_client.post(f"/admin/reasons/{reason.id}/rename", data=data).status_code == 303
    db.session.expire_all()
    assert reason.customer_text == "We kept what we had"
    page = _text(admin_client.get("/admin/reasons/"))
    assert "Customers read: We kept what we had" in page
    too_long = {"name": reason.name, "customer_wording": "x" * 201}
    response = admin_client.post(f"/admin/reasons/{reason.id}/rename", data=too_long)
    assert response.status_code == 422 and 'value="' + "x" * 201 in _text(response)
    blank = {"name": reason.name, "customer_wording": ""}
    admin_client.post(f"/admin/reasons/{reason.id}/rename", data=blank)
    db.session.expire_all()
    assert reason.customer_text == "Stayed with the status quo"  # blank reads as its name


def test_new_teams_get_plain_words_for_internal_reason_names(app, app_ctx):
    from winback_app.accounts.models import LossReason
    from winback_app.accounts.taxonomy import defaults

    defaults.ensure_defaults()
    reason = db.session.scalar(
        select(LossReason).where(LossReason.name == "Stayed with the status quo")
    )
    assert reason.customer_text == "We decided not to change anything"
    price = db.session.scalar(select(LossReason).where(LossReason.name == "Price too high"))
    assert price.customer_text == "Price too high"


def test_the_builder_binds_a_question_to_the_reasons_ticked_for_it(app, member_client, app_ctx):
    def _survey(survey_id):
        db.session.expire_all()
        return db.session.get(Survey, survey_id)

    price = make_reason("Price", "Price too high")
    late = make_reason("Delivery problems", "Late deliveries")
    support = make_reason("Service", "Slow support")
    survey = make_survey(status="draft")
    page = _text(member_client.get(f"/discovery/surveys/{survey.id}"))
    assert f'name="reason_ids" value="{support.id}"' in page  # the picker lists the reasons
    data = {
        "kind": "multiple",
        "text": "Why did you leave?",
        "bound_to_reasons": "y",
        "reason_ids": [str(late.id), str(price.id)],
    }
    response = member_client.post(f"/discovery/surveys/{survey.id}/questions", data=data)
    assert response.status_code == 303
    question = _survey(survey.id).questions[0]
    assert [o.reason_id for o in question.options] == [price.id, late.id]  # taxonomy order
    # Editing ticks other reasons; the form shows the ones ticked now.
    edit = f"/discovery/surveys/{survey.id}/questions/{question.id}/edit"
    form = _text(member_client.get(edit))
    assert f'value="{price.id}" checked' in form and f'value="{support.id}" checked' not in form
    member_client.post(edit, data={**data, "reason_ids": [str(support.id)]})
    question = _survey(survey.id).questions[0]
    assert [o.reason_id for o in question.options] == [support.id]
