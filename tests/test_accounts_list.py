"""The accounts list: search, filters, sorting, pages, bulk changes and its query count."""

from datetime import date
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from tests.factories import make_account, make_competitor, make_contact, make_reason, make_user
from tests.helpers import PARTIAL, QueryCounter
from winback_app.accounts import search
from winback_app.accounts.forms import AccountFilterForm
from winback_app.extensions import db


def _names(**args):
    filters = AccountFilterForm(MultiDict(args)).filters()
    return [a.name for a in search.page(filters, per_page=100).items]


def test_search_matches_name_contact_and_competitor(app_ctx):
    rival = make_competitor("Northpeak")
    harbor = make_account(name="Harbor Logistics")
    make_account(name="Quiet Dental", competitor_id=rival.id)
    other = make_account(name="Orion Print")
    make_contact(other, name="Priya Harborne", email="priya@orion.example")
    make_contact(harbor, name="Sam Smith", email="sam@harbor.example")
    assert sorted(_names(q="harbor")) == ["Harbor Logistics", "Orion Print"]
    assert _names(q="NORTHPEAK") == ["Quiet Dental"]
    assert _names(q="priya@orion") == ["Orion Print"]
    assert _names(q="100%_") == []


def test_filters_combine(app_ctx):
    price, delivery = make_reason("Price", "Too high"), make_reason("Delivery", "Late")
    owner = make_user(name="Olly")
    rival = make_competitor()
    make_account(
        name="A",
        kind="lost_deal",
        owner_id=owner.id,
        friendly=True,
        customer=[price],
        team=[delivery],
        lost_on=date(2026, 1, 10),
        annual_value_lost=Decimal("50000"),
        competitor_id=rival.id,
    )
    make_account(
        name="B",
        kind="lost_deal",
        customer=[price],
        team=[price],
        lost_on=date(2025, 6, 1),
        annual_value_lost=Decimal("5000"),
    )
    make_account(name="C", status="nurture", lost_on=date(2026, 2, 1))
    assert _names(kind="lost_deal") == ["A", "B"]
    assert _names(disagree="1") == ["A"]
    assert _names(friendly="1") == ["A"]
    assert _names(owner=str(owner.id)) == ["A"]
    assert sorted(_names(owner="none")) == ["B", "C"]
    assert _names(category=str(delivery.category_id)) == ["A"]
    assert sorted(_names(competitor="none")) == ["B", "C"]
    assert _names(competitor=str(rival.id)) == ["A"]
    assert _names(status="nurture") == ["C"]
    assert _names(lost_from="2026-01-01", lost_to="2026-01-31") == ["A"]
    assert _names(value_min="20,000") == ["A"]
    assert _names(value_max="5000") == ["B"]
    assert _names(kind="lost_deal", value_min="1000", lost_from="2025-01-01", disagree="1") == ["A"]


def test_sorting_and_nonsense_parameters(app_ctx):
    make_account(name="b", annual_value_lost=Decimal("10"))
    make_account(name="a", annual_value_lost=None)
    make_account(name="c", annual_value_lost=Decimal("30"))
    assert _names(sort="value", direction="desc") == ["c", "b", "a"]
    assert _names(sort="value", direction="asc") == ["b", "c", "a"]  # no value sorts last
    assert _names(sort="name", direction="asc") == ["a", "b", "c"]
    assert len(_names(sort="drop table", kind="x", lost_from="yesterday", page="-3")) == 3


@pytest.mark.parametrize("sort, column", [("lost_on", "lost_on"), ("value", "annual_value_lost")])
def test_sorting_puts_nulls_last_both_ways_and_breaks_ties_by_id(app_ctx, sort, column):
    low, high = (date(2026, 1, 1), date(2026, 2, 1)) if sort == "lost_on" else (1, 2)
    made = [
        make_account(name=name, **{column: value})
        for name, value in [("t1", high), ("n1", None), ("l1", low), ("t2", high), ("n2", None)]
        + [("l2", low), ("t3", high)]
    ]
    ids = {account.name: account.id for account in made}
    assert list(ids.values()) == sorted(ids.values())

    def names(direction):
        # Two rows a page, so the order must hold across page boundaries too.
        shown = []
        for number in range(1, 5):
            filters = AccountFilterForm(MultiDict({"sort": sort, "direction": direction})).filters()
            filters.page = number
            shown += [a.name for a in search.page(filters, per_page=2).items]
        return shown

    assert names("desc") == ["t3", "t2", "t1", "l2", "l1", "n2", "n1"]
    assert names("asc") == ["l1", "l2", "t1", "t2", "t3", "n1", "n2"]


def test_search_results_keep_the_list_order(app_ctx):
    for number, lost_on in enumerate([date(2026, 1, 5), None, date(2026, 3, 5), date(2026, 2, 5)]):
        make_account(name=f"Gamma {number}", lost_on=lost_on)
    make_account(name="Delta", lost_on=date(2026, 4, 1))
    assert _names(q="gamma") == ["Gamma 2", "Gamma 3", "Gamma 0", "Gamma 1"]
    assert _names(q="gamma", direction="asc") == ["Gamma 0", "Gamma 3", "Gamma 2", "Gamma 1"]


def test_list_page_full_and_partial(member_client, app):
    make_account(name="Harbor Logistics")
    page = member_client.get("/accounts/?q=harb")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in body and "Harbor Logistics" in body
    assert 'value="harb"' in body
    partial = member_client.get("/accounts/?q=zzz", headers=PARTIAL)
    fragment = partial.get_data(as_text=True)
    assert "<html" not in fragment and 'id="account-results"' in fragment
    assert "No account matches these filters" in fragment
    assert {"HX-Request", "HX-Request-Type"} <= set(partial.vary)


def test_pages_keep_the_filters(member_client, app):
    for n in range(30):
        make_account(name=f"Acme {n:02d}", kind="lost_deal")
    body = member_client.get("/accounts/?kind=lost_deal&sort=name&direction=asc").get_data(
        as_text=True
    )
    assert "Showing 1–25 of 30" in body
    assert "/accounts/?kind=lost_deal&amp;sort=name&amp;direction=asc&amp;page=2" in body
    second = member_client.get("/accounts/?kind=lost_deal&sort=name&direction=asc&page=2")
    assert "Acme 29" in second.get_data(as_text=True)
    assert "Acme 00" not in second.get_data(as_text=True)
    beyond = member_client.get("/accounts/?kind=lost_deal&sort=name&direction=asc&page=7")
    assert "Showing 26–30 of 30" in beyond.get_data(as_text=True)


def test_viewer_sees_no_bulk_or_add_controls(viewer_client, app):
    make_account()
    body = viewer_client.get("/accounts/").get_data(as_text=True)
    assert "Add account" not in body and 'name="ids"' not in body


def _ids(n):
    return [make_account(name=f"Bulk {i}").id for i in range(n)]


def test_bulk_change_with_and_without_javascript(member_client, member, app):
    ids = _ids(3)
    data = MultiDict(
        [("ids", str(i)) for i in ids[:2]] + [("action", "status"), ("status", "researching")]
    )
    partial = member_client.post("/accounts/bulk?q=Bulk", data=data, headers=PARTIAL)
    assert partial.status_code == 200
    assert "2 accounts changed." in partial.headers["HX-Trigger"]
    assert partial.get_data(as_text=True).count("Researching") >= 2
    data = MultiDict([("ids", str(ids[2])), ("action", "owner"), ("owner_id", str(member.id))])
    full = member_client.post("/accounts/bulk?q=Bulk", data=data)
    assert full.status_code == 303 and full.headers["Location"] == "/accounts/?q=Bulk"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([("action", "status"), ("status", "closed")], "Tick at least one account."),
        ([("ids", "1"), ("action", "status"), ("status", "")], "Choose the new status to set."),
        ([("ids", "1"), ("action", "owner"), ("owner_id", "99999")], "Not a valid choice"),
        ([("ids", "1"), ("action", "explode")], "Choose what to change."),
    ],
)
def test_bad_bulk_changes_are_422(member_client, app, data, message):
    _ids(1)
    response = member_client.post("/accounts/bulk", data=MultiDict(data), headers=PARTIAL)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_list_runs_the_same_number_of_queries_for_5_and_50_rows(member_client, app):
    price, delivery = make_reason("Price", "Too high"), make_reason("Delivery", "Late")
    owner = make_user()
    rival = make_competitor()

    def add(n):
        for i in range(n):
            make_account(
                owner_id=owner.id,
                competitor_id=rival.id,
                customer=[price],
                team=[delivery] if i % 2 else [price],
            )

    def queries():
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            assert member_client.get("/accounts/?per=all").status_code == 200
        return counter.count

    add(5)
    five = queries()
    add(45)
    with app.app_context():
        pass
    fifty = queries()
    assert five == fifty
    assert fifty <= 12
