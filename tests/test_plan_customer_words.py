"""The customer reads only words written for them: the print view and the PDF carry the
plan's customer texts and approved evidence, never a team note from anywhere a plan reaches."""

import io
import secrets
from datetime import date

from pypdf import PdfReader

from tests.factories import make_account, make_evidence, make_interview, make_plan, make_reason
from winback_app.discovery.interviews.models import ActionItem, InterviewNote
from winback_app.extensions import db
from winback_app.plans import customer, services
from winback_app.plans.models import PlanSolution

CUSTOMER_TEXTS = {
    "customer_relationship": "CUSTOMER-relationship: seven good years together.",
    "customer_cause": "CUSTOMER-cause: our deliveries were late.",
    "customer_needs": "CUSTOMER-needs: next-day delivery to two sites.",
    "customer_commitment": "CUSTOMER-commitment: one named account manager.",
    "customer_offer": "CUSTOMER-offer: three months at last year's prices.",
}


def _marker(field: str) -> str:
    return f"INTERNAL-{field}-{secrets.token_hex(4)}"


def _plan_full_of_internal_words(member):
    """A plan whose every internal text reachable from it holds a unique marker; returns the
    plan and the markers."""
    markers = {}

    def mark(field: str) -> str:
        markers[field] = _marker(field)
        return markers[field]

    team_reason = make_reason("Service", mark("team_reason"))
    customer_reason = make_reason("Price", mark("customer_reason"))
    account = make_account(
        name="Harbour Print Ltd",
        customer=[customer_reason],
        team=[team_reason],
        sales_history=mark("sales_history"),
        notes=mark("account_notes"),
        competitor_terms=mark("competitor_terms"),
        segment=mark("segment"),
    )
    # Set after the views, which save their own words.
    account.customer_words = mark("customer_words")
    account.team_notes = mark("team_notes")
    interview = make_interview(account)
    interview.status = "held"
    interview.summary = mark("interview_summary")
    interview.key_quotes = mark("interview_key_quotes")
    question_id = interview.guide.items[0].question_id
    db.session.add(
        InterviewNote(interview=interview, question_id=question_id, text=mark("interview_note"))
    )
    db.session.commit()
    # Drafted the way reps draft it: prefilled from the notes above.
    plan = services.create_plan(account, member)
    assert markers["interview_note"] in plan.new_needs
    assert markers["team_notes"] in plan.cause_statement
    for field in ("relationship_summary", "commitment", "offer", "escalate_when"):
        setattr(plan, field, mark(field))
    plan.decision_words = mark("decision_words")
    for field, value in CUSTOMER_TEXTS.items():
        setattr(plan, field, value)
    approved = make_evidence(
        title="CUSTOMER-evidence-title",
        what_changed="CUSTOMER-evidence-what-changed",
        metric_name="late deliveries",
        metric_before=12,
        metric_after=1,
        metric_unit="%",
        effective_on=date(2026, 4, 1),
    )
    unapproved = make_evidence(title=mark("unapproved_evidence"), approved=False)
    retired = make_evidence(title=mark("retired_evidence"), retired=True)
    for position, item in enumerate((approved, unapproved, retired)):
        text = mark(f"solution_text_{position}")
        plan.solutions.append(PlanSolution(position=position, text=text, evidence=item))
    db.session.add(ActionItem(account_id=account.id, plan_id=plan.id, what=mark("action_item")))
    db.session.commit()
    return plan, markers


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_print_view_and_pdf_carry_no_internal_words(member_client, member):
    plan, markers = _plan_full_of_internal_words(member)
    html = member_client.get(f"/plans/{plan.id}/print").get_data(as_text=True)
    response = member_client.get(f"/plans/{plan.id}.pdf")
    assert response.status_code == 200
    pdf = _pdf_text(response.data).replace("\n", " ")
    for field, marker in markers.items():
        assert marker not in html, field
        assert marker not in pdf, field
    assert "INTERNAL-" not in html and "INTERNAL-" not in pdf
    for text in CUSTOMER_TEXTS.values():
        assert text.replace("'", "&#39;") in html
        assert text.split(":")[0] in pdf
    for text in ("CUSTOMER-evidence-title", "CUSTOMER-evidence-what-changed", "12% → 1%"):
        assert text in html and text in pdf


def test_an_empty_customer_section_is_left_out_whatever_the_team_wrote(member_client):
    plan = make_plan(customer_needs="", new_needs="Team words about their needs")
    html = member_client.get(f"/plans/{plan.id}/print").get_data(as_text=True)
    assert "<h2>Your needs now" not in html and "Team words" not in html
    assert "“Your needs now” is empty" in html
    pdf = _pdf_text(member_client.get(f"/plans/{plan.id}.pdf").data)
    assert "Your needs now" not in pdf and "Not ready" not in pdf


def test_the_suggestion_is_the_team_text_or_the_customers_own_view(app, app_ctx):
    reason = make_reason("Service", "Late deliveries")
    account = make_account(customer=[reason])
    account.customer_words = "You were late again."
    plan = make_plan(account, commitment="A weekly report.", cause_statement="In our view: x")
    assert customer.suggestion(plan, "commitment") == "A weekly report."
    assert customer.suggestion(plan, "commitment", "Typed, unsaved") == "Typed, unsaved"
    cause = customer.suggestion(plan, "cause")
    assert "Late deliveries" in cause and "You were late again." in cause
    assert "In our view" not in cause


def test_warnings_name_empty_and_unedited_sections(app, app_ctx):
    plan = make_plan(customer_needs="", commitment="A weekly report.")
    plan.customer_commitment = "A weekly report."
    assert customer.warnings(plan) == {"needs": customer.EMPTY, "commitment": customer.UNEDITED}
    plan.customer_commitment = "A weekly report, sent every Monday."
    plan.customer_needs = "Two sites."
    assert customer.warnings(plan) == {}


def test_suggest_fills_the_box_and_saves_nothing(member_client, app, app_ctx):
    plan = make_plan(customer_commitment="")
    response = member_client.post(
        f"/plans/{plan.id}/commitment",
        data={
            "version": plan.version,
            "commitment": "Typed team words",
            "customer_commitment": "",
            "suggest": "y",
        },
        headers={"HX-Request": "true", "HX-Request-Type": "partial"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Typed team words</textarea>" in html
    # The team's box, the customer's box and the preview of what the customer will see.
    assert html.count("Typed team words") == 3
    assert "not saved" in html
    db.session.expire_all()
    assert plan.customer_commitment == "" and plan.commitment != "Typed team words"


def test_preview_shows_what_is_typed_and_saves_nothing(member_client, app, app_ctx):
    plan = make_plan()
    response = member_client.post(
        f"/plans/{plan.id}/offer",
        data={
            "version": plan.version,
            "offer": plan.offer,
            "customer_offer": "A fresh offer",
            "preview": "y",
        },
    )
    html = response.get_data(as_text=True)
    assert "What the customer will see" in html and "(not saved yet)" in html
    assert '<p class="customer-preview-text">A fresh offer</p>' in html
    db.session.expire_all()
    assert plan.customer_offer != "A fresh offer"


def test_saving_the_customer_text_records_it_and_a_stale_edit_is_a_conflict(
    member_client, app, app_ctx
):
    plan = make_plan()
    version = plan.version
    data = {"version": version, "cause_statement": plan.cause_statement}
    response = member_client.post(
        f"/plans/{plan.id}/cause", data={**data, "customer_cause": "Our fault, plainly."}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert plan.customer_cause == "Our fault, plainly."
    response = member_client.post(
        f"/plans/{plan.id}/cause", data={**data, "customer_cause": "Someone else's words"}
    )
    assert response.status_code == 409
    assert "Why they left, for the customer" in response.get_data(as_text=True)


def test_a_ready_plan_with_warnings_says_so(member_client, member, app, app_ctx):
    plan = make_plan(customer_offer="")
    services.set_status(plan, "ready", member)
    html = member_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Marked ready, but the customer would see" in html
    assert "The customer will see nothing for this section" in html
    assert "the printed plan shows the approved evidence behind each solution" in html
