"""Account rules without HTTP: the two views, disagreement, history, conflicts, contacts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_account, make_competitor, make_contact, make_reason, make_user
from tests.helpers import FROZEN_AT
from winback_app.accounts import services
from winback_app.accounts.contacts import services as contacts
from winback_app.accounts.models import AccountChange
from winback_app.extensions import db
from winback_app.rules import RuleViolation
from winback_app.sections import EditConflict


@pytest.fixture
def reasons(app_ctx):
    return {
        "price": make_reason("Price", "Price too high"),
        "discount": make_reason("Price", "Discount ended"),
        "delivery": make_reason("Delivery problems", "Late deliveries"),
        "service": make_reason("Service / support", "Slow support"),
    }


def _fields(account):
    return [c.field for c in db.session.query(AccountChange).filter_by(account_id=account.id)]


def test_views_disagree_only_when_primary_categories_differ(reasons):
    same = make_account(customer=[reasons["price"]], team=[reasons["discount"]])
    assert same.views_disagree is False
    differ = make_account(customer=[reasons["price"]], team=[reasons["delivery"]])
    assert differ.views_disagree is True
    one_view = make_account(customer=[reasons["price"]])
    assert one_view.views_disagree is False


def test_disagreement_follows_a_changed_view(reasons):
    account = make_account(customer=[reasons["price"]], team=[reasons["delivery"]])
    services.set_view(account, "team", [reasons["discount"].id], None, "", None, None)
    assert account.views_disagree is False
    assert account.team_primary == reasons["discount"]


def test_several_reasons_need_a_primary(reasons):
    account = make_account()
    ids = [reasons["price"].id, reasons["delivery"].id]
    with pytest.raises(RuleViolation, match="primary"):
        services.set_view(account, "customer", ids, None, "", None, None)
    services.set_view(account, "customer", [reasons["price"].id], None, "", None, None)
    assert account.customer_primary == reasons["price"]
    services.set_view(account, "customer", [], reasons["service"].id, "", None, None)
    assert [r.reason for r in account.reasons_for("customer")] == [reasons["service"]]


def test_unknown_reason_is_refused(reasons):
    account = make_account()
    with pytest.raises(RuleViolation):
        services.set_view(account, "customer", [99999], 99999, "", None, None)


def test_a_view_change_is_in_the_history_with_old_and_new(reasons):
    user = make_user(name="Rita Rep")
    account = make_account(customer=[reasons["price"]])
    services.set_view(
        account, "customer", [reasons["delivery"].id], None, "Too many late trucks", None, user
    )
    change = (
        db.session.query(AccountChange)
        .filter_by(account_id=account.id, field="customer_reasons")
        .order_by(AccountChange.id.desc())
        .first()
    )
    assert change.old_value == "Price › Price too high (primary)"
    assert change.new_value == "Delivery problems › Late deliveries (primary)"
    assert change.user == user
    assert "customer_words" in _fields(account)


def test_reopening_keeps_the_reasons(reasons):
    account = make_account(status="closed", customer=[reasons["price"]], team=[reasons["service"]])
    services.update_section(account, "facts", {"status": "new"}, None, None)
    services.update_section(account, "facts", {"status": "contacting"}, None, None)
    assert account.customer_primary == reasons["price"]
    assert account.team_primary == reasons["service"]
    statuses = [
        (c.old_value, c.new_value)
        for c in db.session.query(AccountChange).filter_by(account_id=account.id, field="status")
    ]
    assert statuses == [("Closed", "New"), ("New", "Contacting")]


def test_renaming_a_reason_does_not_rewrite_history(reasons):
    from winback_app.accounts.taxonomy import services as taxonomy

    account = make_account(customer=[reasons["price"]])
    taxonomy.rename(reasons["price"], "Priced out")
    assert account.customer_primary.name == "Priced out"
    change = db.session.query(AccountChange).filter_by(field="customer_reasons").one()
    assert "Price too high" in change.new_value


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "  "}, "name"),
        ({"lost_on": FROZEN_AT.date() + timedelta(days=1)}, "lost_on"),
        ({"annual_value_lost": Decimal("-1")}, "annual_value_lost"),
        ({"competitor_price": Decimal("-0.01")}, "competitor_price"),
        ({"contract_term_months": 0}, "contract_term_months"),
        ({"contract_term_months": 241}, "contract_term_months"),
        ({"likelihood": 11}, "likelihood"),
        ({"notes": "x" * 5001}, "notes"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_bad_values_are_refused(frozen_today, app_ctx, values, field):
    assert field in services.check_values(values)
    account = make_account()
    section = next(s for s, fields in services.SECTIONS.items() if field in fields)
    with pytest.raises(RuleViolation):
        services.update_section(account, section, values, None, None)


def test_contract_end_and_months_remaining(app_ctx):
    account = make_account()
    services.update_section(
        account,
        "contract",
        {"contract_start": date(2026, 1, 31), "contract_term_months": 1},
        None,
        None,
    )
    assert services.contract_end(account) == date(2026, 2, 28)
    services.update_section(account, "contract", {"contract_term_months": 36}, None, None)
    assert services.contract_end(account) == date(2029, 1, 31)
    assert services.months_remaining(account, today=date(2026, 11, 22)) == 26
    assert services.months_remaining(account, today=date(2030, 1, 1)) == 0


def test_a_stale_save_of_the_same_section_is_a_conflict(app_ctx):
    alice, bob = make_user(name="Alice"), make_user(name="Bob")
    account = make_account(status="new")
    loaded = account.version
    services.update_section(account, "facts", {"status": "contacting"}, loaded, alice)
    with pytest.raises(EditConflict) as conflict:
        services.update_section(account, "facts", {"status": "nurture"}, loaded, bob)
    assert [(c.field, c.old_value, c.new_value, c.user.name) for c in conflict.value.changes] == [
        ("status", "New", "Contacting", "Alice")
    ]
    db.session.refresh(account)
    assert account.status == "contacting"


def test_a_stale_save_of_another_section_goes_through(app_ctx):
    account = make_account()
    loaded = account.version
    services.update_section(account, "facts", {"status": "contacting"}, loaded, None)
    services.update_section(
        account, "summary", {"sales_history": "Bought for 5 years."}, loaded, None
    )
    assert account.status == "contacting" and account.sales_history == "Bought for 5 years."


def test_contacts_keep_one_primary_and_write_history(app_ctx):
    account = make_account()
    first = make_contact(account, name="Ann First")
    assert first.is_primary
    second = make_contact(account, name="Bo Second", is_primary=True)
    assert second.is_primary and not first.is_primary
    contacts.update(first, {"name": "Ann First", "phone": "+44 1", "is_primary": True}, None)
    assert first.is_primary and not second.is_primary
    contacts.remove(first, None)
    assert second.is_primary
    assert _fields(account).count("contact") == 4


def test_contact_email_is_checked(app_ctx):
    account = make_account()
    with pytest.raises(RuleViolation, match="email"):
        make_contact(account, email="not an email")
    assert account.contacts == []


def test_bulk_update_changes_each_account_with_history(reasons):
    owner = make_user(name="Olly Owner")
    accounts = [make_account(team=[reasons["price"]]) for _ in range(3)]
    ids = [a.id for a in accounts]
    assert services.bulk_update(ids, "owner", owner.id, None) == 3
    assert services.bulk_update(ids, "status", "researching", None) == 3
    assert services.bulk_update(ids, "team_reason", reasons["delivery"].id, None) == 3
    for account in accounts:
        db.session.refresh(account)
        assert account.owner == owner and account.status == "researching"
        assert account.team_primary == reasons["delivery"]
        assert {r.reason for r in account.reasons_for("team")} == {
            reasons["delivery"],
            reasons["price"],
        }
    assert services.bulk_update(ids, "status", "researching", None) == 0


def test_competitor_none_reads_no_decision_in_history(app_ctx):
    competitor = make_competitor("Northpeak")
    account = make_account(competitor_id=competitor.id)
    services.update_section(account, "contract", {"competitor_id": None}, None, None)
    change = db.session.query(AccountChange).filter_by(field="competitor_id").one()
    assert (change.old_value, change.new_value) == ("Northpeak", "No decision")


def test_reasons_that_stay_keep_their_source(reasons):
    account = make_account(customer=[reasons["price"]])
    ids = [reasons["price"].id, reasons["delivery"].id]
    services.set_view(
        account,
        "customer",
        ids,
        reasons["price"].id,
        "",
        None,
        None,
        source="survey",
        noted_on=date(2026, 5, 1),
    )
    sources = {r.reason_id: (r.source, r.noted_on) for r in account.reasons_for("customer")}
    assert sources == {
        reasons["price"].id: ("manual", None),
        reasons["delivery"].id: ("survey", date(2026, 5, 1)),
    }
