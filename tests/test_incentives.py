"""Incentives: offered → pledged → paid, what is still owed, the list and the account panel."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from tests.factories import make_account, make_contact, make_user
from tests.helpers import PARTIAL, QueryCounter
from winback_app.accounts.models import AccountChange
from winback_app.core.settings import services as team_settings
from winback_app.demo import incentives as incentive_demo
from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.invitations.models import Response
from winback_app.extensions import db
from winback_app.rules import RuleViolation

TODAY = date(2026, 5, 4)


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield app


def _offer(account=None, status="offered", **values):
    account = account or make_account()
    contact = make_contact(account) if "contact_id" not in values else None
    values = {"contact_id": contact.id if contact else None, "amount": "50", **values}
    return incentives.offer(account, values, make_user(), status)


def test_offer_checks_what_it_is_given(ctx):
    account, other = make_account(), make_account()
    stranger = make_contact(other)
    cases = [
        ({"amount": "0"}, "above zero"),
        ({"amount": "-5"}, "above zero"),
        ({"amount": "lots"}, "such as 50"),
        ({"amount": "12.345"}, "two decimals"),
        ({"amount": "1000000"}, "at most"),
        ({"amount": "NaN"}, "such as 50"),
        ({"amount": "50", "contact_id": stranger.id}, "this account's contacts"),
        ({"amount": "50", "charity": "x" * 201}, "at most 200"),
    ]
    for values, message in cases:
        with pytest.raises(RuleViolation, match=message):
            incentives.offer(account, values, None)
    with pytest.raises(RuleViolation, match="Name the charity"):
        incentives.offer(account, {"amount": "50"}, None, "pledged")
    with pytest.raises(RuleViolation, match="offered or pledged"):
        incentives.offer(account, {"amount": "50"}, None, "paid")
    assert db.session.scalar(select(func.count(Incentive.id))) == 0


def test_offered_then_pledged_then_paid_with_history(ctx):
    incentive = _offer(amount="25.50")
    assert incentive.status == "offered" and incentive.amount == Decimal("25.50")
    incentives.pledge(incentive, "WaterAid", None)
    assert (incentive.status, incentive.charity) == ("pledged", "WaterAid")
    assert incentive.pledged_at is not None
    with pytest.raises(RuleViolation, match="future"):
        incentives.pay(incentive, TODAY + timedelta(days=1), "R-1", None, TODAY)
    with pytest.raises(RuleViolation, match="reference"):
        incentives.pay(incentive, TODAY, "  ", None, TODAY)
    incentives.pay(incentive, TODAY, "R-1", None, TODAY)
    db.session.expire_all()
    paid = db.session.get(Incentive, incentive.id)
    assert (paid.status, paid.paid_on, paid.reference) == ("paid", TODAY, "R-1")
    with pytest.raises(RuleViolation, match="paid already"):
        incentives.pay(paid, TODAY, "R-2", None, TODAY)
    entries = list(
        db.session.scalars(
            select(AccountChange.new_value)
            .where(AccountChange.field == "incentive")
            .order_by(AccountChange.id)
        )
    )
    assert entries[-1].endswith("(paid)") and "25.50 to WaterAid" in entries[-1]
    assert len(entries) == 3


def test_an_offered_one_can_be_paid_straight_away_once_the_charity_is_known(ctx):
    unnamed = _offer()
    with pytest.raises(RuleViolation, match="Name the charity"):
        incentives.pay(unnamed, TODAY, "R-9", None, TODAY)
    named = _offer(charity="Food bank")
    incentives.pay(named, TODAY, "R-10", None, TODAY)
    assert named.status == "paid" and named.pledged_at is not None


def test_two_people_moving_the_same_incentive_get_one_move_and_a_message(ctx):
    incentive = _offer(charity="WaterAid")
    assert incentive.status == "offered" and incentive.contact is not None
    db.session.expunge(incentive)  # keeps what this page loaded
    db.session.rollback()
    # Someone else pledges it meanwhile, in a request of their own.
    with db.engine.begin() as other:
        other.execute(
            update(Incentive).where(Incentive.id == incentive.id).values(status="pledged")
        )
    db.session.add(incentive)
    with pytest.raises(RuleViolation, match="it is pledged now"):
        incentives.pledge(incentive, "Food bank", None)
    assert db.session.get(Incentive, incentive.id).charity == "WaterAid"


def test_what_is_owed_comes_first_with_totals(ctx):
    paid = _offer(charity="A", amount="10")
    incentives.pay(paid, TODAY, "R", None, TODAY)
    offered = _offer(amount="20")
    pledged = _offer(status="pledged", charity="B", amount="30.25")
    owed = incentives.page("owed")
    assert [i.id for i in owed.items] == [pledged.id, offered.id]
    assert [i.id for i in incentives.page("all").items] == [pledged.id, offered.id, paid.id]
    assert [i.id for i in incentives.page("paid").items] == [paid.id]
    totals = incentives.totals()
    assert totals["owed"] == {"count": 2, "amount": Decimal("50.25")}
    assert totals["paid"]["amount"] == Decimal("10")


def test_charities_come_from_the_settings(ctx):
    team_settings.update(charities=" WaterAid \n\nFood bank\nWaterAid\n")
    assert incentives.charities() == ["WaterAid", "Food bank"]


def test_demo_incentives_are_seeded_once(ctx):
    from winback_app import demo

    demo.seed()
    count = db.session.scalar(select(func.count(Incentive.id)))
    by_hand = select(func.count(Incentive.id)).where(Incentive.invitation_id.is_(None))
    assert db.session.scalar(by_hand) == len(incentive_demo.THANK_YOUS)
    # Each demo survey answer owes the donation its invitation offered.
    answered = select(func.count(Response.id))
    assert count == len(incentive_demo.THANK_YOUS) + db.session.scalar(answered)
    demo.seed()
    assert db.session.scalar(select(func.count(Incentive.id))) == count
    assert "WaterAid" in incentives.charities()
    statuses = set(db.session.scalars(select(Incentive.status)))
    assert statuses == {"offered", "pledged", "paid"}


# Routes


def _account_with_contact(app):
    with app.test_request_context("/"):
        account = make_account(name="Harbor Dental")
        contact = make_contact(account, name="Jane Doe")
        return account.id, contact.id


def test_add_from_the_account_page(app, member_client):
    account_id, contact_id = _account_with_contact(app)
    page = member_client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert 'id="incentives"' in page and "Promise a thank-you" in page
    url = f"/discovery/accounts/{account_id}/incentives"
    values = {"contact_id": contact_id, "amount": "50", "charity": "WaterAid", "status": "pledged"}
    added = member_client.post(url, data=values, headers=PARTIAL)
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert 'id="incentives"' in html and "<html" not in html
    assert "WaterAid" in html and "Pledged" in html
    assert "accountChanged" in added.headers["HX-Trigger"]

    bad = member_client.post(url, data={**values, "amount": "fifty"}, headers=PARTIAL)
    assert bad.status_code == 422
    assert "such as 50" in bad.get_data(as_text=True)
    assert 'value="fifty"' in bad.get_data(as_text=True)

    plain = member_client.post(url, data={**values, "status": "offered", "charity": ""})
    assert plain.status_code == 303
    assert plain.headers["Location"].endswith(f"/accounts/{account_id}#incentives")
    assert member_client.post("/discovery/accounts/999/incentives", data=values).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Incentive.id))) == 2


def test_pledge_and_pay_from_the_list(app, member_client):
    with app.test_request_context("/"):
        incentive_id = _offer().id
    url = f"/discovery/incentives/{incentive_id}"
    missing = member_client.post(f"{url}/pledge", data={"charity": ""}, headers=PARTIAL)
    assert missing.status_code == 422
    assert "Name the charity" in missing.get_data(as_text=True)
    pledged = member_client.post(f"{url}/pledge", data={"charity": "WaterAid"}, headers=PARTIAL)
    assert pledged.status_code == 200
    row = pledged.get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="incentive-{incentive_id}"')
    assert "Pledged" in row and "Record payment" in row

    bad_date = member_client.post(f"{url}/pay", data={"paid_on": "soon", "reference": "R"})
    assert bad_date.status_code == 422
    assert "like 2026-03-01" in bad_date.get_data(as_text=True)
    paid = member_client.post(
        f"{url}/pay", data={"paid_on": "2026-01-05", "reference": "DON-7", "back": "account"}
    )
    assert paid.status_code == 303 and "#incentives" in paid.headers["Location"]
    with app.app_context():
        done = db.session.get(Incentive, incentive_id)
        assert (done.status, done.paid_on, done.reference) == ("paid", date(2026, 1, 5), "DON-7")
    assert member_client.post("/discovery/incentives/999/pay").status_code == 404


def test_the_list_shows_what_is_owed_in_constant_queries(app, member_client, viewer_client):
    with app.test_request_context("/"):
        _offer(amount="20")
    first = member_client.get("/discovery/incentives/")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "Still owed" in html and "Record payment" in html
    assert "Record payment" not in viewer_client.get("/discovery/incentives/").get_data(
        as_text=True
    )
    with app.app_context(), QueryCounter(db.engine) as few:
        member_client.get("/discovery/incentives/")
    with app.test_request_context("/"):
        for _ in range(6):
            _offer(status="pledged", charity="WaterAid")
    with app.app_context(), QueryCounter(db.engine) as many:
        member_client.get("/discovery/incentives/?show=all")
    assert many.count == few.count
    paid = member_client.get("/discovery/incentives/?show=paid", headers=PARTIAL)
    assert "Nothing is owed" not in paid.get_data(as_text=True)
    assert viewer_client.post("/discovery/incentives/1/pledge").status_code == 403


def test_admin_sets_the_charities_in_the_settings(app, admin_client):
    values = {
        "currency": "EUR",
        "callback_start_percent": "50",
        "callback_interval_months": "6",
        "nurture_interval_months": "6",
        "charities": "  WaterAid \r\n\r\nFood bank\r\n",
        "donation_amount": "25",
    }
    response = admin_client.post("/admin/settings/", data=values)
    assert response.status_code == 303
    with app.app_context():
        assert team_settings.get().charities == "WaterAid\nFood bank"
    page = admin_client.get("/admin/settings/").get_data(as_text=True)
    assert "Charities for thank-you donations" in page
    too_long = admin_client.post("/admin/settings/", data={**values, "charities": "x" * 2001})
    assert too_long.status_code == 422
