"""The plan page's forms: conflicts and refusals shown in place with the typing kept, the
evidence picker opened without losing what was typed, status steps, and who may do what."""

import re
from datetime import date
from decimal import Decimal

from tests.factories import make_account, make_evidence, make_plan, make_reason, make_user
from tests.helpers import PARTIAL, logged_in_client
from winback_app.auth import services as users
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.plans.models import Plan, PlanSolution


def _plan(plan_id) -> Plan:
    db.session.expire_all()
    return db.session.get(Plan, plan_id)


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_a_conflict_names_who_changed_what_and_keeps_my_text(app, app_ctx):
    alice, bob = make_user(name="Alice Able"), make_user(name="Bob Baker")
    plan = make_plan(cause_statement="Late deliveries.")
    url = f"/plans/{plan.id}/cause"
    stale = _version(logged_in_client(app, bob).get(f"/plans/{plan.id}").get_data(as_text=True))
    mine = {"cause_statement": "Two late deliveries in March.", "version": stale}
    theirs = {"cause_statement": "Invoices were wrong.", "version": stale}
    assert logged_in_client(app, alice).post(url, data=theirs, headers=PARTIAL).status_code == 200
    for headers in (PARTIAL, {}):
        response = logged_in_client(app, bob).post(url, data=mine, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 409
        assert html.count("Someone else changed this while you were editing") == 1
        assert "Alice Able" in html and "Why they left Late deliveries." in html
        assert "<strong>Invoices were wrong.</strong>" in html
        assert "Two late deliveries in March.</textarea>" in html
    assert _plan(plan.id).cause_statement == "Invoices were wrong."
    # The form now carries their version: saving again replaces it on purpose.
    again = dict(mine, version=_version(html))
    assert logged_in_client(app, bob).post(url, data=again).status_code == 303
    assert _plan(plan.id).cause_statement == "Two late deliveries in March."


def test_refusals_are_422_beside_the_field_with_the_typing_kept(member_client, member):
    plan = make_plan()
    too_long = member_client.post(
        f"/plans/{plan.id}/offer", data={"offer": "x" * 5001, "version": plan.version}
    )
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 422 and 'aria-invalid="true"' in html
    assert 'id="field-offer-error">Use at most 5000 characters.' in html
    assert "x" * 5001 + "</textarea>" in html

    solution = member_client.post(
        f"/plans/{plan.id}/solutions", data={"text": "y" * 1001}, headers=PARTIAL
    )
    html = solution.get_data(as_text=True)
    assert solution.status_code == 422
    assert 'id="solution-text-error">Use at most 1000 characters.' in html
    assert f'value="{"y" * 1001}"' in html

    item = {"what": "Call Jo", "owner_id": member.id, "due_on": ""}
    action = member_client.post(f"/plans/{plan.id}/actions", data=item, headers=PARTIAL)
    html = action.get_data(as_text=True)
    assert action.status_code == 422
    assert 'id="action-due_on-error">Give it a due date.' in html
    assert 'value="Call Jo"' in html and f'<option selected value="{member.id}">' in html
    assert db.session.query(ActionItem).filter_by(what="Call Jo").count() == 0


def test_pick_evidence_keeps_what_was_typed_with_or_without_javascript(member_client, app, app_ctx):
    reason = make_reason("Service", "Late")
    plan = make_plan(make_account(customer=[reason]))
    backing = make_evidence(reasons=[reason], title="New routing")
    typed = {"text": "Deliveries arrive when promised", "pick": "y"}
    for headers in ({}, PARTIAL):
        response = member_client.post(f"/plans/{plan.id}/solutions", data=typed, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'value="Deliveries arrive when promised"' in html
        assert f'name="evidence_id" value="{backing.id}"' in html
        assert ("<html" in html) == (not headers)
    assert len(_plan(plan.id).solutions) == 3
    # A refused solution keeps the picker open, with the evidence still picked if one was.
    for picked, checked in (({}, ""), ({"evidence_id": backing.id}, " checked")):
        refused = member_client.post(
            f"/plans/{plan.id}/solutions", data={"text": "z" * 1001, "picking": "y", **picked}
        )
        assert refused.status_code == 422
        radio = f'name="evidence_id" value="{backing.id}"{checked}>'
        assert radio in refused.get_data(as_text=True)
    added = member_client.post(
        f"/plans/{plan.id}/solutions", data={"text": "On time", "evidence_id": backing.id}
    )
    assert added.status_code == 303
    assert db.session.query(PlanSolution).filter_by(text="On time").one().evidence_id == backing.id


def test_status_refusals_sit_on_the_field_and_amounts_read_as_typed(member_client, app, app_ctx):
    plan = make_plan(status="ready")
    no_date = member_client.post(
        f"/plans/{plan.id}/status", data={"status": "presented", "on": ""}, headers=PARTIAL
    )
    assert no_date.status_code == 422
    assert 'id="presented-on-error">Give the date.' in no_date.get_data(as_text=True)
    stale = member_client.post(
        f"/plans/{plan.id}/status", data={"status": "won_back", "on": "2026-06-01"}
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 422
    assert '<p class="error" role="alert">The plan cannot move to that status' in html
    for status in ("presented", "accepted"):
        member_client.post(f"/plans/{plan.id}/status", data={"status": status, "on": "2026-05-01"})
    won = member_client.post(
        f"/plans/{plan.id}/status",
        data={"status": "won_back", "on": "2026-06-01", "value": "9,000"},
    )
    assert won.status_code == 303
    saved = _plan(plan.id)
    assert (saved.status, saved.value_recovered) == ("won_back", Decimal("9000"))
    assert saved.won_back_on == date(2026, 6, 1)


def test_next_steps_after_a_decline_say_why_they_cannot_be_taken(member_client, app, app_ctx):
    plan = make_plan(status="declined")
    plan.sponsor_id = None
    db.session.commit()
    url = f"/plans/{plan.id}/next-step"
    refused = member_client.post(url, data={"step": "sponsor"}, headers=PARTIAL)
    assert refused.status_code == 422
    assert "Choose an executive sponsor first." in refused.get_data(as_text=True)
    assert member_client.post(url, data={"step": "party"}).status_code == 400


def test_the_sponsor_is_chosen_from_the_team_and_a_departed_one_stays(member_client, app, app_ctx):
    sponsor = make_user(name="Dana Director")
    plan = make_plan(sponsor=sponsor)
    users.set_active(sponsor, False)
    url = f"/plans/{plan.id}/escalation"
    page = member_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert f'<option selected value="{sponsor.id}">Dana Director</option>' in page
    kept = {"sponsor_id": sponsor.id, "escalate_when": "After two weeks.", "version": plan.version}
    assert member_client.post(url, data=kept).status_code == 303
    assert _plan(plan.id).sponsor_id == sponsor.id
    forged = dict(kept, sponsor_id=9999, version=_plan(plan.id).version)
    response = member_client.post(url, data=forged, headers=PARTIAL)
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    assert _plan(plan.id).sponsor_id == sponsor.id


def test_viewers_read_the_plan_but_get_no_form(viewer_client, app, app_ctx):
    plan = make_plan()
    page = viewer_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert plan.offer.replace("'", "&#39;") in page and "<textarea" not in page
    assert viewer_client.get(f"/plans/{plan.id}/evidence-picker").status_code == 403
    assert viewer_client.post(f"/plans/{plan.id}/solutions", data={"text": "x"}).status_code == 403
