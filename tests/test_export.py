"""CSV export of the accounts list: columns, filters, formula neutralising, streaming, and
reading an export back in."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_account, make_competitor, make_contact, make_reason, make_user
from tests.helpers import QueryCounter
from winback_app.accounts import export
from winback_app.accounts.imports import services as importer
from winback_app.accounts.models import Account
from winback_app.extensions import db


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20 7946 0018", "'+44 20 7946 0018"),
        ("-5", "'-5"),
        ("@import", "'@import"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Acme = best", "Acme = best"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_cells_that_would_run_as_formulas_are_neutralised(cell, safe):
    assert export.neutralise(cell) == safe
    assert export.unneutralise(export.neutralise(cell)) == cell


def _export(client, query: str = ""):
    # Buffered: the test client would otherwise read the first chunk inside the request's
    # context and the rest outside it, which a streamed response's context cannot span.
    return client.get("/accounts/export.csv" + query, buffered=True)


def _rows(response) -> list[dict]:
    return _parse(response.get_data(as_text=True))


def _parse(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def _everything():
    """An account with every exported field filled in."""
    price, late = make_reason("Price", "Too high"), make_reason("Delivery", "Late")
    owner = make_user(name="Olly Owner", email="olly@example.com")
    account = make_account(
        name="Harbour Foods",
        kind="lost_deal",
        status="plan_drafted",
        owner_id=owner.id,
        segment="Food",
        lost_on=date(2026, 1, 31),
        annual_value_lost=Decimal("48000"),
        competitor_id=make_competitor("Brightline").id,
        competitor_price=Decimal("41000.50"),
        contract_start=date(2026, 2, 1),
        contract_term_months=36,
        friendly=True,
        likelihood=7,
        customer=[price, late],
        team=[late],
    )
    # Set after the views, which the factory fills with empty words.
    account.customer_words = 'They said: "too dear"\nand left.'
    account.team_notes = "- late twice\n- invoice wrong"
    db.session.commit()
    make_contact(account, name="Dana Whitfield", email="dana@harbour.example", phone="+44 1")
    make_contact(account, name="Zed Second", email="zed@harbour.example")
    return account


def test_the_export_has_every_column(app, member_client):
    account = _everything()
    response = _export(member_client)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="winback-accounts-'
    )
    [row] = _rows(response)
    assert list(row) == export.HEADERS
    assert row == {
        "ID": str(account.id),
        "Name": "Harbour Foods",
        "Kind": "Lost deal",
        "Status": "Plan drafted",
        "Owner": "Olly Owner",
        "Segment": "Food",
        "Lost on": "2026-01-31",
        "Annual value lost": "48000.00",
        "Lost to": "Brightline",
        "Competitor price": "41000.50",
        "Contract start": "2026-02-01",
        "Contract term (months)": "36",
        "Contract end": "2029-02-01",
        "Friendly": "yes",
        "Do not contact": "no",
        "Likelihood": "7",
        "Customer primary reason": "Price › Too high",
        "Customer reasons": "Price › Too high; Delivery › Late",
        "Customer's words": 'They said: "too dear"\nand left.',
        "Team primary reason": "Delivery › Late",
        "Team reasons": "Delivery › Late",
        "Team notes": "'- late twice\n- invoice wrong",
        "Views disagree": "yes",
        "Primary contact name": "Dana Whitfield",
        "Primary contact email": "dana@harbour.example",
        "Primary contact phone": "'+44 1",
    }


def test_an_account_with_nothing_but_a_name(app, member_client):
    make_account(name="Bare", lost_on=None, annual_value_lost=None)
    [row] = _rows(_export(member_client))
    assert row["Lost to"] == "No decision"
    empty = ("Owner", "Lost on", "Annual value lost", "Contract end", "Customer reasons")
    assert all(row[column] == "" for column in empty + ("Primary contact email",))


def test_formulas_in_names_and_notes_are_neutralised(app, member_client):
    make_account(name='=HYPERLINK("http://evil.example","Click")', segment="@SUM(1)")
    [row] = _rows(_export(member_client))
    assert row["Name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["Segment"] == "'@SUM(1)"


def test_the_export_is_the_filtered_sorted_list_every_page(app, member_client, viewer_client):
    rival = make_competitor("Northpeak")
    for n in range(30):
        make_account(name=f"Rival {n:02}", competitor_id=rival.id, lost_on=date(2025, 1, n + 1))
    make_account(name="Other", lost_on=date(2025, 6, 1))
    query = f"?competitor={rival.id}&sort=name&direction=asc&page=2"
    names = [row["Name"] for row in _rows(_export(member_client, query))]
    assert names == [f"Rival {n:02}" for n in range(30)]
    everyone = [row["Name"] for row in _rows(_export(viewer_client))]
    assert everyone[0] == "Other" and len(everyone) == 31  # newest loss first, as the list


def _export_queries(client) -> int:
    with QueryCounter(db.engine) as counter:
        _export(client).get_data()
    return counter.count


def test_the_query_count_does_not_grow_with_the_rows(app, member_client):
    price = make_reason("Price", "Too high")
    for n in range(3):
        make_contact(make_account(name=f"A{n}", customer=[price], owner_id=None))
    few = _export_queries(member_client)
    for n in range(20):
        make_contact(make_account(name=f"B{n}", customer=[price], team=[price]))
    assert _export_queries(member_client) == few


def test_rows_come_in_batches_and_all_arrive(app, member_client, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 2)
    for n in range(7):
        make_contact(make_account(name=f"A{n}", lost_on=date(2025, 1, n + 1)))
    response = _export(member_client)
    chunks = list(response.response)
    assert len(chunks) == 1 + 4  # streamed: the header, then four batches of at most two rows
    names = [row["Name"] for row in _parse(b"".join(chunks).decode())]
    assert names == [f"A{n}" for n in reversed(range(7))]


def _snapshot() -> list[dict]:
    """The accounts as the export shows them, without their ids."""
    db.session.expire_all()
    rows = []
    for account in db.session.scalars(select(Account).order_by(Account.name)):
        row = dict(zip(export.HEADERS, export.row_values(account), strict=True))
        del row["ID"]
        rows.append(row)
    return rows


def test_an_export_reads_back_in(app, admin, admin_client):
    _everything()
    make_account(name="Quiet Dental", kind="lapsed_customer", lost_on=None, friendly=False)
    before = _snapshot()
    text = _export(admin_client).get_data()

    # Read into the same database, every row a duplicate by name: nothing differs.
    upload = importer.upload("export.csv", text, admin)
    columns = importer.columns(upload)
    assert columns.count("") == 3  # ID, Contract end and Views disagree are worked out
    chosen = importer.options(upload) | {"duplicate_action": "update"}
    importer.save_mapping(upload, columns, chosen, admin)
    assert importer.analyse(upload).counts["unchanged"] == 2

    # Read into an empty list: the accounts come back as they were.
    for account in db.session.scalars(select(Account)):
        db.session.delete(account)
    db.session.commit()
    again = importer.upload("export.csv", text, admin)
    assert importer.run(again, admin)["created"] == 2
    assert _snapshot() == before
