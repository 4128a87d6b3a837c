"""Win-back plans: prefill, sections and conflicts, solutions, status rules, tone, routes."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_account, make_evidence, make_plan, make_reason, make_user
from tests.helpers import PARTIAL, QueryCounter
from winback_app.accounts.models import Account
from winback_app.discovery.interviews.models import ActionItem
from winback_app.extensions import db
from winback_app.plans import services
from winback_app.plans.models import Plan
from winback_app.rules import RuleViolation
from winback_app.tone import rules as tone


def _plan(plan_id) -> Plan:
    db.session.expire_all()
    return db.session.get(Plan, plan_id)


def test_new_plan_is_prefilled_and_replaces_the_current_one(app, member):
    price = make_reason("Price", "Too expensive")
    service = make_reason("Service", "Late deliveries")
    account = make_account(customer=[price], team=[service], sales_history="Ten years of toner.")
    first = services.create_plan(account, member)
    second = services.create_plan(account, member)
    assert second.relationship_summary == "Ten years of toner."
    assert "Too expensive" in second.cause_statement and "Late deliveries" in second.cause_statement
    assert not _plan(first.id).is_current and _plan(second.id).is_current
    assert db.session.get(Account, account.id).status == "plan_drafted"


def test_new_route_unknown_account_is_404_and_viewer_403(member_client, viewer_client, app):
    assert member_client.post("/plans/new?account_id=999").status_code == 404
    account = make_account()
    assert viewer_client.post(f"/plans/new?account_id={account.id}").status_code == 403
    response = member_client.post(f"/plans/new?account_id={account.id}")
    assert response.status_code == 303
    plan = db.session.query(Plan).one()
    assert response.headers["Location"].endswith(f"/plans/{plan.id}")


def test_section_save_422_on_overlong_and_409_on_stale(member_client, app):
    plan = make_plan()
    url = f"/plans/{plan.id}/cause"
    too_long = member_client.post(
        url, data={"cause_statement": "x" * 5001, "version": plan.version}, headers=PARTIAL
    )
    assert too_long.status_code == 422 and b"at most 5000" in too_long.data
    old = plan.version
    ok = member_client.post(
        url, data={"cause_statement": "Late deliveries.", "version": old}, headers=PARTIAL
    )
    assert ok.status_code == 200 and b"Late deliveries." in ok.data
    stale = member_client.post(
        url, data={"cause_statement": "Mine.", "version": old}, headers=PARTIAL
    )
    assert stale.status_code == 409 and b"Someone else changed this" in stale.data
    assert _plan(plan.id).cause_statement == "Late deliveries."
    # Another section saved from the same stale page is no conflict.
    other = member_client.post(
        f"/plans/{plan.id}/offer", data={"offer": "A price break.", "version": old}
    )
    assert other.status_code == 303 and _plan(plan.id).offer == "A price break."


def test_status_path_and_won_back_updates_the_account(app, member):
    plan = make_plan()
    with pytest.raises(RuleViolation):
        services.set_status(plan, "accepted", member, on=date(2026, 5, 1))
    services.set_status(plan, "ready", member)
    services.set_status(plan, "presented", member, on=date(2026, 5, 1))
    assert db.session.get(Account, plan.account_id).status == "plan_presented"
    services.set_status(plan, "accepted", member, on=date(2026, 5, 8), words="Let's try again.")
    with pytest.raises(RuleViolation):
        services.set_status(plan, "won_back", member, on=date(2026, 6, 1))
    db.session.rollback()
    services.set_status(plan, "won_back", member, on=date(2026, 6, 1), value=Decimal("9000"))
    account = db.session.get(Account, plan.account_id)
    assert account.status == "won_back" and account.value_recovered == Decimal("9000")
    # The win-back is dated by the plan, not by the day it was recorded.
    assert account.won_back_on == date(2026, 6, 1)
    assert _plan(plan.id).decision_words == "Let's try again."


def test_account_history_names_the_value_recovered(member_client, member):
    plan = make_plan()
    for status, extra in (
        ("ready", {}),
        ("presented", {"on": "2026-05-01"}),
        ("accepted", {"on": "2026-05-08"}),
        ("won_back", {"on": "2026-06-01", "value": "9000"}),
    ):
        response = member_client.post(f"/plans/{plan.id}/status", data={"status": status, **extra})
        assert response.status_code == 303
    page = member_client.get(f"/accounts/{plan.account_id}").get_data(as_text=True)
    assert "Value recovered" in page


def test_declined_plan_next_steps(member_client, app):
    plan = make_plan()
    for status in ("ready", "presented", "declined"):
        response = member_client.post(
            f"/plans/{plan.id}/status",
            data={"status": status, "on": "2026-05-01", "words": "Not now."},
        )
        assert response.status_code == 303
    before = db.session.query(ActionItem).count()
    member_client.post(f"/plans/{plan.id}/next-step", data={"step": "sponsor"})
    db.session.expire_all()
    assert db.session.query(ActionItem).count() == before + 1
    member_client.post(f"/plans/{plan.id}/next-step", data={"step": "nurture"})
    db.session.expire_all()
    assert db.session.get(Account, plan.account_id).status == "nurture"


def test_status_without_date_is_422(member_client, app):
    plan = make_plan(status="ready")
    response = member_client.post(
        f"/plans/{plan.id}/status", data={"status": "presented"}, headers=PARTIAL
    )
    assert response.status_code == 422 and b"Give the date" in response.data


def test_tone_hits_and_misses(app_ctx):
    hits = tone.check("Their product is INFERIOR and, actually, the real reason was price.")
    assert {h.phrase for h in hits} == {"inferior", "actually, the real reason"}
    assert {h.kind for h in hits} == {"competitor", "argue"}
    assert tone.check("We value your feedback about inferiority complexes.") == []
    assert [h.phrase for h in tone.check("That’s not true.")] == ["that's not true"]


def test_tone_rules_admin(admin_client, member_client, app):
    assert member_client.get("/plans/tone-rules/").status_code == 403
    assert (
        admin_client.post("/plans/tone-rules/", data={"phrase": "", "kind": "argue"}).status_code
        == 422
    )
    admin_client.post("/plans/tone-rules/", data={"phrase": "Rip-off", "kind": "competitor"})
    assert [h.phrase for h in tone.check("a rip-off")] == ["rip-off"]


def test_tone_warning_shown_beside_section(member_client, app):
    plan = make_plan(commitment="You are wrong about us.")
    page = member_client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "A thought on tone" in page
    response = member_client.post(
        f"/plans/{plan.id}/offer/tone", data={"offer": "They lied."}, headers=PARTIAL
    )
    assert b"they lied" in response.data


def test_picker_ranks_by_reason_and_adds_solution(member_client, app):
    reason = make_reason("Service", "Late")
    account = make_account(customer=[reason])
    plan = make_plan(account)
    unrelated = make_evidence(title="Unrelated change")
    matching = make_evidence(reasons=[reason], title="Matching change")
    make_evidence(title="Not approved yet", approved=False)
    page = member_client.get(f"/plans/{plan.id}/evidence-picker", headers=PARTIAL).get_data(
        as_text=True
    )
    assert page.index("Matching change") < page.index("Unrelated change")
    assert "Not approved yet" not in page
    added = member_client.post(
        f"/plans/{plan.id}/solutions", data={"text": "", "evidence_id": matching.id}
    )
    assert added.status_code == 303, added.data
    assert [(s.position, s.evidence_id) for s in _plan(plan.id).solutions][-1] == (3, matching.id)
    assert unrelated.id
    empty = member_client.post(f"/plans/{plan.id}/solutions", data={"text": ""}, headers=PARTIAL)
    assert empty.status_code == 422


def test_action_items_added_and_ticked(member_client, member, app):
    plan = make_plan()
    bad = member_client.post(
        f"/plans/{plan.id}/actions", data={"what": "Call", "owner_id": member.id}, headers=PARTIAL
    )
    assert bad.status_code == 422 and b"due date" in bad.data
    member_client.post(
        f"/plans/{plan.id}/actions",
        data={"what": "Call Jo", "owner_id": member.id, "due_on": "2026-12-01"},
    )
    item = db.session.query(ActionItem).filter_by(what="Call Jo").one()
    assert item.plan_id == plan.id
    response = member_client.post(f"/plans/{plan.id}/actions/{item.id}/done", headers=PARTIAL)
    assert response.status_code == 200 and b"Done" in response.data
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).done_at is not None


def test_pages_404_and_viewer_cannot_write(viewer_client, app):
    assert viewer_client.get("/plans/999").status_code == 404
    plan = make_plan()
    assert viewer_client.get(f"/plans/{plan.id}").status_code == 200
    assert viewer_client.post(f"/plans/{plan.id}/offer", data={"offer": "x"}).status_code == 403


def test_index_groups_by_status_with_constant_queries(member_client, app):
    make_plan()
    member_client.get("/plans/")
    with QueryCounter(db.engine) as few:
        member_client.get("/plans/")
    make_plan(status="ready")
    make_plan(status="presented", presented_on=date(2026, 5, 1))
    with QueryCounter(db.engine) as more:
        page = member_client.get("/plans/").get_data(as_text=True)
    assert more.count == few.count
    assert "Presented" in page and "Ready" in page


def test_account_page_shows_plan_panel(member_client, app):
    account = make_account()
    assert b"Draft a win-back plan" in member_client.get(f"/accounts/{account.id}").data
    plan = make_plan(account)
    assert f"/plans/{plan.id}".encode() in member_client.get(f"/accounts/{account.id}").data
    assert make_user()


def test_demo_seed_makes_plans_in_several_states_once(app_ctx):
    from winback_app import demo

    demo.seed()
    statuses = {plan.status for plan in db.session.query(Plan)}
    assert {"draft", "presented", "won_back"} <= statuses
    count = db.session.query(Plan).count()
    demo.seed()
    assert db.session.query(Plan).count() == count
