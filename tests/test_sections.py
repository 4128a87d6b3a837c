"""Versioned sections: one mechanism for accounts, plans and scripts edited by several people."""

import pytest
from sqlalchemy import update

from tests.factories import make_account, make_plan, make_user
from winback_app.accounts import services as accounts
from winback_app.extensions import db
from winback_app.outreach.scripts import services as scripts
from winback_app.outreach.scripts.models import Script
from winback_app.plans import services as plans
from winback_app.plans.models import Plan, PlanChange
from winback_app.sections import EditConflict, version_of

SCRIPT = {
    "kind": "email",
    "name": "Check-in",
    "subject": "Hello {{ contact_first_name }}",
    "body": "Hi {{ contact_first_name }}, it is {{ sender_name }}.",
}


def _plan(plan_id) -> Plan:
    db.session.expire_all()
    return db.session.get(Plan, plan_id)


def test_a_stale_plan_section_names_who_changed_what_and_keeps_their_words(app, app_ctx):
    alice, bob = make_user(name="Alice Able"), make_user(name="Bob Baker")
    plan = make_plan(cause_statement="Late deliveries.")
    opened = version_of(plan)
    plans.update_section(plan, "cause", {"cause_statement": "Late, twice."}, opened, alice)
    with pytest.raises(EditConflict) as caught:
        plans.update_section(plan, "cause", {"cause_statement": "Mine."}, opened, bob)
    conflict = caught.value
    assert conflict.current_version == version_of(_plan(plan.id)) != opened
    assert [(c.user.name, c.field, c.old_value, c.new_value) for c in conflict.changes] == [
        ("Alice Able", "cause_statement", "Late deliveries.", "Late, twice.")
    ]
    assert _plan(plan.id).cause_statement == "Late, twice."
    # Saving again from the version the conflict showed replaces their words on purpose.
    plans.update_section(plan, "cause", {"cause_statement": "Mine."}, conflict.current_version, bob)
    assert _plan(plan.id).cause_statement == "Mine."


def test_someone_elses_save_of_another_section_is_no_conflict(app, app_ctx):
    plan = make_plan()
    opened = version_of(plan)
    plans.update_section(plan, "offer", {"offer": "A price break."}, opened, None)
    plans.update_section(plan, "needs", {"new_needs": "Two new sites."}, opened, None)
    saved = _plan(plan.id)
    assert (saved.offer, saved.new_needs) == ("A price break.", "Two new sites.")


def test_the_sponsor_change_reads_by_name_in_the_plan_history(app, app_ctx):
    plan = make_plan()
    sponsor = make_user(name="Vera Vice-President")
    values = {"sponsor_id": sponsor.id, "escalate_when": plan.escalate_when}
    plans.update_section(plan, "escalation", values, version_of(plan), None)
    change = db.session.query(PlanChange).filter_by(field="sponsor_id").one()
    assert (change.old_value, change.new_value) == ("Sam Sponsor", "Vera Vice-President")


def test_a_save_that_loses_the_race_at_commit_is_a_conflict_not_an_overwrite(app, app_ctx):
    plan = make_plan(offer="Ours.")
    opened = version_of(plan)
    # Another editor's save is committed between this editor's check and commit.
    with db.engine.begin() as other:
        other.execute(
            update(Plan).where(Plan.id == plan.id).values(offer="Theirs.", version=Plan.version + 1)
        )
    with pytest.raises(EditConflict) as caught:
        plans.update_section(plan, "offer", {"offer": "Mine."}, opened, None)
    assert caught.value.current_version == str(int(opened) + 1)
    assert _plan(plan.id).offer == "Theirs."


def test_saves_by_the_app_itself_are_never_refused(app, app_ctx):
    account = make_account(status="new")
    opened = version_of(account)
    accounts.update_section(account, "facts", {"status": "contacting"}, opened, None)
    accounts.update_section(account, "facts", {"status": "discovery"}, None, None)
    assert account.status == "discovery"


def test_a_record_without_history_refuses_any_save_made_since(app, app_ctx):
    script = scripts.create_script(SCRIPT, None)
    opened = version_of(script)
    scripts.update_script(script, dict(SCRIPT, subject="Hi"), opened)
    # The second editor changed another field, but a script is a single section.
    with pytest.raises(EditConflict) as caught:
        scripts.update_script(script, dict(SCRIPT, body="Hello, {{ sender_name }}."), opened)
    assert caught.value.changes == []
    saved = db.session.get(Script, script.id)
    assert caught.value.current_version == version_of(saved) != opened
    assert (saved.subject, saved.body) == ("Hi", SCRIPT["body"])
    scripts.update_script(saved, dict(SCRIPT, body="Hello."), caught.value.current_version)
    assert db.session.get(Script, script.id).body == "Hello."
