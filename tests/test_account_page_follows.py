"""Actions taken on other pages show on the account page: holding an interview, a customer's
survey answer and a plan's new status are on its regions when it is next opened."""

from tests.factories import (
    make_account,
    make_contact,
    make_interview,
    make_invitation,
    make_plan,
    make_reason,
    make_survey,
)
from winback_app.discovery.interviews import services as interviews
from winback_app.formatting import today_local
from winback_app.plans import services as plans


def _region(html: str, element_id: str) -> str:
    return html.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


def test_a_held_interview_moves_the_header_and_facts_to_discovery(member_client, member):
    account = make_account(status="contacting")
    interview = make_interview(account, interviewer=member)
    interviews.close(interview, interviews.Closing(summary="Heard them."), member, today_local())
    html = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Discovery" in html.split('id="account-header"', 1)[1].split("</div>", 1)[0]
    assert "Discovery" in _region(html, "section-facts")
    assert "Held" in _region(html, "interviews")
    assert '<span class="old">Contacting</span> → Discovery' in _region(html, "account-history")


def test_a_survey_answer_shows_in_the_responses_and_the_customers_view(app, member_client):
    reason = make_reason("Delivery", "Late deliveries")
    survey = make_survey([{"kind": "multiple", "text": "Why did you leave?", "reasons": True}])
    account = make_account(name="Harbor")
    invitation, token = make_invitation(survey, make_contact(account, name="Ann Lee"))
    question = survey.questions[0]
    option = next(o for o in question.options if o.reason_id == reason.id)
    public = app.test_client()
    answered = public.post(f"/s/{token}", data={f"q{question.id}": str(option.id)})
    assert answered.status_code in (200, 303)
    html = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    responses = _region(html, "survey-responses")
    assert "Ann Lee" in responses and "Why did you leave?" in responses
    assert "Late deliveries" in _region(html, "section-customer_view")


def test_a_plans_new_status_shows_in_the_plan_panel(member_client, member):
    account = make_account()
    plan = make_plan(account)
    plans.set_status(plan, "ready", member)
    html = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Ready" in _region(html, "plan")
