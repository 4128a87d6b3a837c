"""CSV import: reading files and values, checking rows, importing them, and the pages."""

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_account, make_competitor, make_contact, make_reason, make_user
from tests.helpers import PARTIAL
from winback_app.accounts.imports import fields as import_fields
from winback_app.accounts.imports import services as importer
from winback_app.accounts.imports import values as csv_values
from winback_app.accounts.imports.models import AccountImport
from winback_app.accounts.models import (
    Account,
    AccountChange,
    Competitor,
    LossReason,
    TaxonomyChange,
)
from winback_app.accounts.taxonomy import defaults
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.extensions import db
from winback_app.rules import RuleViolation

HEADER = "Company,Closed Lost Date,Amount,Lost to,Loss reason,Contact,Email,Owner\r\n"


def _upload(user, text: str, **options):
    """An uploaded file with its guessed mapping, then ``options`` chosen as on the map page."""
    upload = importer.upload("crm.csv", text.encode(), user)
    importer.save_mapping(
        upload, importer.columns(upload), importer.options(upload) | options, user
    )
    return upload


def _accounts() -> dict[str, Account]:
    db.session.expire_all()
    return {a.name: a for a in db.session.scalars(select(Account))}


# Reading files


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_utf8_is_read_with_or_without_bom(prefix):
    assert csv_values.decode(prefix + "Name\nCafé Ørsted\n".encode()) == "Name\nCafé Ørsted\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04rest-of-a-workbook", "spreadsheet workbook"),
        ("Name\n".encode("utf-16"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Name\nCafé\n".encode("latin-1"), "not UTF-8"),
        (b"  \r\n", "empty"),
    ],
)
def test_files_that_are_not_csv_get_a_clear_message(data, message):
    with pytest.raises(csv_values.NotCSV, match=message) as raised:
        csv_values.decode(data)
    assert raised.value.field == "file"


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Name,Lost on\nA,2026-01-01\n", ","),
        ('Name;Amount\n"Smith, Jones & Co";12,50\n', ";"),
        ('"Name; with semicolon",Amount,Segment\nA,1,B\n', ","),
        ("Name\tAmount\nA\t1\n", "\t"),
    ],
)
def test_the_delimiter_is_sniffed_from_the_header(text, delimiter):
    assert csv_values.sniff_delimiter(text) == delimiter


def test_crlf_quoted_newlines_and_blank_rows_are_read_as_spreadsheets_write_them():
    text = 'Name,Notes\r\n"Acme","two\r\nlines"\r\n,\r\n\r\nBeta,x\r\n'
    headers, rows = csv_values.read_table(text, ",")
    assert headers == ["Name", "Notes"]
    assert rows == [["Acme", "two\nlines"], [], [], ["Beta", "x"]]


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-03-04", "dmy", date(2026, 3, 4)),
        ("2026-03-04T10:30:00Z", "dmy", date(2026, 3, 4)),
        ("04/03/2026", "dmy", date(2026, 3, 4)),
        ("04/03/2026", "mdy", date(2026, 4, 3)),
        ("4-3-26", "dmy", date(2026, 3, 4)),
        ("04.03.2026", "mdy", date(2026, 3, 4)),
        ("3 Mar 2026", "dmy", date(2026, 3, 3)),
        ("03-Mar-2026", "mdy", date(2026, 3, 3)),
        ("3 March 2026", "dmy", date(2026, 3, 3)),
        ("Mar 3, 2026", "dmy", date(2026, 3, 3)),
        ("September 30 2025", "dmy", date(2025, 9, 30)),
        ("12/31/2025 11:45 PM", "mdy", date(2025, 12, 31)),
    ],
)
def test_dates_in_common_formats(text, order, expected):
    assert csv_values.parse_date(text, order) == expected


@pytest.mark.parametrize("text", ["31/31/2026", "2026-02-30", "soon", "3 Smarch 2026", "2026"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError, match="is not a date"):
        csv_values.parse_date(text)


def test_the_date_order_is_guessed_from_the_values():
    assert csv_values.guess_date_order(["01/02/2026", "13/02/2026"]) == "dmy"
    assert csv_values.guess_date_order(["01/02/2026", "02/13/2026", "12/31/2025"]) == "mdy"
    assert csv_values.guess_date_order(["01/02/2026", "31.12.2025", "2026-12-31"]) == "dmy"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12500", "12500"),
        ("12,500.00", "12500.00"),
        ("12.500,00", "12500.00"),
        ("€ 12 500", "12500"),
        ("12\u00a0500 EUR", "12500"),
        ("CHF 1'250.50", "1250.50"),
        ("$1,234,567.89", "1234567.89"),
        ("1.234.567", "1234567"),
        ("12,5", "12.5"),
        ("0.125", "0.125"),
        ("(500)", "-500"),
        ("-7", "-7"),
    ],
)
def test_numbers_as_people_write_them(text, expected):
    assert csv_values.parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["twelve", "12abc", "1.2.3", "12,50,0", "--5", "€"])
def test_numbers_that_are_not_numbers_are_refused(text):
    with pytest.raises(ValueError, match="is not a number"):
        csv_values.parse_number(text)


def test_money_is_rounded_to_cents_and_terms_may_say_months():
    assert csv_values.parse_money("99.999") == Decimal("99999.00")
    assert csv_values.parse_money("12,345") == Decimal("12345.00")
    assert csv_values.parse_money("10.005,5") == Decimal("10005.50")
    assert csv_values.parse_int("36 months") == 36
    with pytest.raises(ValueError, match="whole number"):
        csv_values.parse_int("2,5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("x", True), ("no", False)]
    + [("false", False), ("0", False), ("", False)],
)
def test_yes_and_no(text, expected):
    assert csv_values.parse_bool(text) is expected


def test_a_yes_no_cell_with_other_text_is_refused():
    with pytest.raises(ValueError, match="not yes or no"):
        csv_values.parse_bool("maybe")


def test_columns_are_guessed_from_common_headers():
    headers = ["Account Name", "Closed Lost Date", "ARR", "Lost to", "Reason", "Contact email"]
    headers += ["Phone", "Owner", "Industry", "Account Name", "Favourite colour"]
    assert import_fields.guess_columns(headers) == [
        "name",
        "lost_on",
        "annual_value_lost",
        "competitor",
        "team_reason",
        "contact_email",
        "contact_phone",
        "owner",
        "segment",
        "",  # a field is guessed once
        "",
    ]


def test_no_header_name_points_at_two_fields():
    claims: dict[str, set] = {}
    for f in import_fields.FIELDS:
        for name in (f.key, f.label, *import_fields.HEADER_NAMES[f.key].split(",")):
            claims.setdefault(csv_values.normalise_header(name), set()).add(f.key)
    assert {name: keys for name, keys in claims.items() if len(keys) > 1} == {}


# Checking rows


def test_each_row_is_checked_and_explained(app, member):
    price = make_reason("Price", "Too high")
    make_competitor("Northpeak")
    text = HEADER + (
        'Acme,31/01/2026,"12,500.00",Northpeak,Too high,Jane Doe,jane@acme.example,'
        "max@example.com\r\n"
        ",31/31/2026,lots,Nobody Inc,Made up,Bob,not-an-email,Someone\r\n"
        "Future Co,01/01/2099,-5,No decision,,,,\r\n"
    )
    analysis = importer.analyse(_upload(member, text))
    good, bad, future = analysis.rows
    assert (good.status, good.errors) == ("new", [])
    assert good.values["lost_on"] == date(2026, 1, 31)
    assert good.values["annual_value_lost"] == Decimal("12500.00")
    assert good.refs["team"] == [price] and good.refs["owner"].id == member.id
    assert bad.status == "invalid"
    assert bad.errors == [
        "Lost on: “31/31/2026” is not a date (write e.g. 2026-03-31 or 31/03/2026).",
        "Annual value lost: “lots” is not a number.",
        "Account name: Enter the account's name.",
        "Contact email: An email address needs an @ sign, like name@example.com.",
        "Owner: no user has the email or name “Someone”.",
        "Unknown competitor “Nobody Inc”.",
        "Unknown reason “Other › Made up”.",
    ]
    assert future.errors == [
        "Lost on: The lost date cannot be in the future.",
        "Annual value lost: Enter an amount of zero or more.",
    ]
    assert future.refs["competitor"] is None
    assert analysis.counts == {"new": 1, "update": 0, "unchanged": 0, "duplicate": 0, "invalid": 2}
    assert analysis.unknown_of("competitor") == [("Nobody Inc", 1)]


def test_reasons_are_found_by_name_or_category_in_any_spelling(app, member):
    high = make_reason("Price", "Too high")
    late = make_reason("Quality / defects", "Late")
    make_reason("Service", "Late")
    text = "Name,Customer reason,Team reasons\n"
    text += "A,too HIGH,Quality / defects / Late; price › too high\n"
    text += "B,Price: Too high,Service > late\n"
    text += "C,Late,\n"
    text += "D,,price\n"
    a, b, c, d = importer.analyse(_upload(member, text)).rows
    assert a.refs == {"customer": [high], "team": [late, high]}
    assert b.refs["customer"] == [high] and b.refs["team"][0].category.name == "Service"
    assert c.errors == [
        "Customer's reasons: “Late” is in several categories: write “Category: Reason”."
    ]
    assert d.errors == [
        "Team's reasons: “price” is a category: write one of its reasons, as “price: …”."
    ]


def test_retired_names_still_match_and_an_active_one_wins_a_tie(app, member):
    old = make_reason("Price", "Too high")
    current = make_reason("Pricing", "Too high")
    taxonomy.set_retired(old, True)
    rows = importer.analyse(_upload(member, "Name,Reason\nA,Too high\nB,Price: Too high\n")).rows
    assert [row.refs["team"] for row in rows] == [[current], [old]]


def test_a_member_cannot_add_names_even_when_asking(app, member):
    upload = _upload(member, "Name,Lost to\nA,Rival Co\n", create_unknown=True)
    assert importer.options(upload)["create_unknown"] is False
    assert importer.analyse(upload).rows[0].errors == ["Unknown competitor “Rival Co”."]


# Importing


def test_an_invalid_row_means_nothing_is_imported(app, member):
    upload = _upload(member, HEADER + "Acme,31/01/2026,100,,,,,\r\nBeta,someday,100,,,,,\r\n")
    with pytest.raises(importer.NotReady, match="1 row is invalid") as refused:
        importer.run(upload, member)
    assert refused.value.analysis.counts["invalid"] == 1
    assert _accounts() == {}
    assert db.session.get(AccountImport, upload.id).status == "mapped"


def test_rows_become_accounts_with_reasons_contact_and_history(app, admin):
    price, late = make_reason("Price", "Too high"), make_reason("Delivery", "Late")
    text = (
        "Name,Kind,Status,Lost on,Value,Lost to,Customer primary reason,Customer reasons,"
        "Team reason,Contact,Email,Phone,Friendly,Term,Contract start,Notes\n"
        "Acme,Lost deal,Nurture,2026-01-31,900,Rival Co,Too high,Delivery: Late,Late,"
        'Jane Doe,Jane@Acme.example,\'+44 20 7946 0018,yes,36 months,2025-02-01,"=1+1, said Jane"\n'
        "Beta,,,,,,,,,,,,,,,\n"
    )
    upload = _upload(admin, text, create_unknown=True)
    summary = importer.run(upload, admin)
    assert summary | {"skipped_rows": None} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 0,
        "invalid": 0,
        "new_competitors": ["Rival Co"],
        "new_reasons": [],
        "skipped_rows": None,
    }
    accounts = _accounts()
    acme = accounts["Acme"]
    assert (acme.kind, acme.status, acme.lost_on) == ("lost_deal", "nurture", date(2026, 1, 31))
    assert acme.annual_value_lost == Decimal("900.00") and acme.competitor.name == "Rival Co"
    assert (acme.friendly, acme.contract_term_months) == (True, 36)
    assert acme.notes == "=1+1, said Jane"  # kept as text; the export neutralises it
    assert [(r.reason, r.is_primary, r.source) for r in acme.reasons_for("customer")] == [
        (price, True, "import"),
        (late, False, "import"),
    ]
    assert acme.customer_primary == price and acme.team_primary == late
    assert acme.views_disagree is True
    contact = acme.contacts[0]
    assert (contact.name, contact.email, contact.phone) == (
        "Jane Doe",
        "Jane@acme.example",
        "+44 20 7946 0018",
    )
    assert contact.is_primary
    assert [(c.field, c.new_value, c.version, c.user_id) for c in acme.history] == [
        ("created", "Acme", 1, admin.id)
    ]
    beta = accounts["Beta"]
    assert (beta.kind, beta.status, beta.competitor, beta.contacts) == (
        "former_customer",
        "new",
        None,
        [],
    )
    added = db.session.scalar(select(TaxonomyChange).where(TaxonomyChange.subject == "competitor"))
    assert (added.change, added.new_value, added.user_id) == ("added", "Rival Co", admin.id)


def test_an_admin_can_add_unknown_reasons_in_their_categories(app, admin):
    make_reason("Price", "Too high")
    text = "Name,Reason\nA,Price: Surprise fees\nB,Gremlins\nC,Billing / Wrong VAT\nD,gremlins\n"
    summary = importer.run(_upload(admin, text, create_unknown=True), admin)
    assert sorted(summary["new_reasons"]) == [
        "Billing › Wrong VAT",
        "Other › Gremlins",
        "Price › Surprise fees",
    ]
    labels = {a.name: a.team_primary.label for a in _accounts().values()}
    assert labels == {
        "A": "Price › Surprise fees",
        "B": "Other › Gremlins",
        "C": "Billing › Wrong VAT",
        "D": "Other › Gremlins",
    }
    assert db.session.scalar(select(func.count(LossReason.id))) == 4


def test_skipping_invalid_rows_imports_the_rest_and_reports_them(app, member):
    text = HEADER + "Acme,31/01/2026,100,,,,,\r\nBeta,someday,100,,,,,\r\n=Evil,,-5,,,,,\r\n"
    upload = _upload(member, text, skip_invalid=True)
    summary = importer.run(upload, member)
    assert (summary["created"], summary["invalid"]) == (1, 2)
    assert list(_accounts()) == ["Acme"]
    report = importer.skipped_csv(upload)
    assert report.startswith("\ufeffCompany,Closed Lost Date,")
    lines = report[1:].splitlines()
    assert lines[0].endswith(",Owner,errors")
    assert lines[1].startswith("Beta,someday,100,,,,,,Lost on: “someday” is not a date")
    # Formulas are neutralised in the report as in every export.
    assert lines[2].startswith("'=Evil,,'-5,,,,,,Annual value lost: Enter an amount")


def test_duplicates_by_name_are_skipped(app, member):
    make_account(name="Acme Ltd")
    upload = _upload(member, "Name,Segment\nACME LTD,Retail\nNew Co,Retail\nnew co,Food\n")
    rows = importer.analyse(upload).rows
    assert [(r.status, r.note) for r in rows] == [
        ("duplicate", "An account with this name is in Winback already."),
        ("new", ""),
        ("duplicate", "Same name as row 3; only the first is imported."),
    ]
    summary = importer.run(upload, member)
    assert (summary["created"], summary["duplicates"]) == (1, 2)
    assert _accounts()["Acme Ltd"].segment == ""


def test_duplicates_by_name_are_updated_with_each_change_in_history(app, member):
    price, late = make_reason("Price", "Too high"), make_reason("Delivery", "Late")
    rival = make_competitor("Northpeak")
    account = make_account(name="Acme", segment="Retail", notes="Keep me", customer=[price])
    make_contact(account, name="Jane Doe", email="jane@acme.example")
    version = _accounts()["Acme"].version
    text = "Name,Segment,Notes,Lost to,Customer reason,Likelihood,Contact,Email,Owner\n"
    text += "acme,Food,,Northpeak,Delivery: Late,7,Jane Doe,JANE@acme.example,max@example.com\n"
    text += "Acme,,,,,,,,\n"
    upload = _upload(member, text, duplicate_action="update")
    rows = importer.analyse(upload).rows
    assert rows[0].status == "update" and rows[1].status == "duplicate"
    assert rows[0].change_list == [
        ("Segment", "Retail", "Food"),
        ("Likelihood to return", "—", "7"),
        ("Owner", "—", "Max Member"),
        ("Lost to", "No decision", "Northpeak"),
        ("Customer's reasons", "Price › Too high (primary)", "Delivery › Late (primary)"),
    ]
    assert importer.run(upload, member)["updated"] == 1
    acme = _accounts()["Acme"]
    assert (acme.segment, acme.notes, acme.likelihood) == ("Food", "Keep me", 7)
    assert (acme.owner_id, acme.competitor_id, acme.customer_primary) == (member.id, rival.id, late)
    assert [r.reason for r in acme.reasons_for("customer")] == [late]
    assert len(acme.contacts) == 1  # the same person, whatever the email's case
    changes = [c for c in acme.history if c.field != "created" and c.user_id == member.id]
    assert {c.field for c in changes} == {
        "segment",
        "likelihood",
        "owner_id",
        "competitor_id",
        "customer_reasons",
    }
    # One save: every entry carries the version the account now has.
    assert {c.version for c in changes} == {acme.version} and acme.version > version


def test_an_update_that_changes_nothing_is_not_imported(app, member):
    make_account(name="Acme", segment="Retail")
    upload = _upload(member, "Name,Segment\nAcme,Retail\n", duplicate_action="update")
    assert importer.analyse(upload).counts["unchanged"] == 1
    with pytest.raises(importer.NotReady, match="nothing to import"):
        importer.run(upload, member)


def test_duplicates_by_contact_email(app, member):
    acme = make_account(name="Acme")
    make_contact(acme, name="Jane Doe", email="jane@acme.example")
    twice = make_account(name="Twice")
    make_contact(twice, email="shared@example.com")
    make_contact(make_account(name="Twice again"), email="shared@example.com")
    text = "Name,Email,Contact,Segment\nAcme Renamed,JANE@ACME.EXAMPLE,Jane,Food\n"
    text += "Acme,other@acme.example,Joe,\nNo email,,,\nShared,shared@example.com,,\n"
    upload = _upload(member, text, duplicate_rule="email", duplicate_action="update")
    rows = importer.analyse(upload).rows
    assert [r.status for r in rows] == ["update", "new", "new", "invalid"]
    assert rows[0].changes["name"] == ("Acme", "Acme Renamed")
    assert rows[3].errors == ["2 accounts have this contact email: update them in the app."]


def test_a_second_run_imports_nothing(app, member):
    upload = _upload(member, "Name\nAcme\n")
    importer.run(upload, member)
    with pytest.raises(importer.AlreadyImported):
        importer.run(upload, member)
    assert len(_accounts()) == 1


def test_a_failure_half_way_saves_nothing(app, member, monkeypatch):
    upload = _upload(member, "Name\nAcme\nBeta\n")
    calls = []

    def fail_on_second(row, user, made):
        calls.append(row.number)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return add_account(row, user, made)

    add_account = importer.add_account
    monkeypatch.setattr(importer, "add_account", fail_on_second)
    with pytest.raises(RuntimeError):
        importer.run(upload, member)
    assert _accounts() == {}
    assert db.session.get(AccountImport, upload.id).status == "mapped"
    assert db.session.scalar(select(func.count(AccountChange.id))) == 0


def test_mapping_needs_a_name_column_and_each_field_once(app, member):
    upload = importer.upload("x.csv", b"Company,Client,Notes\nA,B,C\n", member)
    chosen = importer.options(upload)
    with pytest.raises(RuleViolation, match="account's name"):
        importer.save_mapping(upload, ["", "", "notes"], chosen, member)
    with pytest.raises(RuleViolation, match="chosen for “Company” already") as twice:
        importer.save_mapping(upload, ["name", "name", ""], chosen, member)
    assert twice.value.field == "column_1"
    with pytest.raises(RuleViolation, match="listed options"):
        importer.save_mapping(upload, ["name", "", ""], chosen | {"date_order": "ymd"}, member)


def test_the_sample_file_imports_as_it_is(app, member):
    defaults.ensure_defaults()
    upload = importer.upload("sample.csv", import_fields.sample_csv().encode(), member)
    analysis = importer.analyse(upload)
    assert [(r.status, r.errors) for r in analysis.rows] == [("new", []), ("new", [])]
    assert analysis.rows[1].values["annual_value_lost"] == Decimal("12500.00")


# Pages


def _post_file(client, data: bytes, name="crm.csv", **kwargs):
    return client.post(
        "/accounts/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        **kwargs,
    )


def _own_upload(client, text=HEADER + "Acme,31/01/2026,100,,,,,\r\n") -> int:
    response = _post_file(client, text.encode())
    assert response.status_code == 303
    return int(re.search(r"/import/(\d+)/map", response.headers["Location"]).group(1))


def test_upload_page_full_and_partial(member_client):
    page = member_client.get("/accounts/import").get_data(as_text=True)
    assert "<html" in page and 'type="file"' in page and "/accounts/import/sample.csv" in page
    partial = member_client.get("/accounts/import", headers=PARTIAL).get_data(as_text=True)
    assert 'id="upload"' in partial and "<html" not in partial


def test_a_viewer_is_refused_every_step_of_an_import(viewer_client, member_client):
    page = viewer_client.get("/accounts/import")
    assert page.status_code == 403
    assert 'type="file"' not in page.get_data(as_text=True)
    assert "Your role does not allow this" in page.get_data(as_text=True)
    assert _post_file(viewer_client, b"Name\nA\n").status_code == 403
    import_id = _own_upload(member_client)
    for step in ("map", "preview"):
        assert viewer_client.get(f"/accounts/import/{import_id}/{step}").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV file"),
        (b"Name,Segment\n", "no rows below its header row"),
        (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
)
def test_a_bad_upload_is_422_with_the_reason(member_client, data, message):
    response = _post_file(member_client, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AccountImport.id))) == 0


def test_an_upload_without_a_file_is_422(member_client):
    response = member_client.post("/accounts/import", data={}, headers=PARTIAL)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a CSV file to upload." in page and "<html" not in page


def test_a_file_above_the_app_limit_is_413_with_the_upload_page(member_client):
    response = _post_file(member_client, b"x" * (9 * 1024 * 1024))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than 2 MB" in page and 'type="file"' in page


def test_mapping_page_preselects_the_guesses(member_client):
    import_id = _own_upload(member_client)
    page = member_client.get(f"/accounts/import/{import_id}/map").get_data(as_text=True)
    selected = re.findall(r'<option value="(\w*)" selected>', page)
    assert selected == ["name", "lost_on", "annual_value_lost", "competitor", "team_reason"] + [
        "contact_name",
        "contact_email",
        "owner",
    ]
    assert "31/01/2026" in page and re.search(r'checked[^>]*value="dmy"', page)
    assert 'name="create_unknown"' not in page  # only an admin adds to the lists


def _mapping(columns, **options) -> dict:
    data = {f"column_{i}": key for i, key in enumerate(columns)}
    data |= {"date_order": "dmy", "duplicate_rule": "name", "duplicate_action": "skip"}
    return data | options


COLUMNS = ["name", "lost_on", "annual_value_lost", "competitor", "team_reason", "", "", ""]


def test_a_mapping_without_a_name_is_422_and_keeps_the_choices(member_client):
    import_id = _own_upload(member_client)
    url = f"/accounts/import/{import_id}/map"
    data = _mapping(["", *COLUMNS[1:]], duplicate_action="update")
    response = member_client.post(url, data=data, headers=PARTIAL)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the column that holds the account&#39;s name." in page and "<html" not in page
    assert '<option value="lost_on" selected>' in page
    assert re.search(r'checked[^>]*value="update"', page)
    twice = member_client.post(url, data=_mapping(["name", "name", *COLUMNS[2:]]))
    assert twice.status_code == 422 and 'aria-invalid="true"' in twice.get_data(as_text=True)
    assert member_client.post(url, data=_mapping(COLUMNS, date_order="?")).status_code == 422


def test_the_preview_lists_rows_full_and_partial(member_client):
    text = HEADER + "Acme,31/01/2026,100,,,,,\r\nBeta,someday,100,,,,,\r\n"
    import_id = _own_upload(member_client, text)
    url = f"/accounts/import/{import_id}/preview"
    page = member_client.get(url).get_data(as_text=True)
    assert "<html" in page and "Acme" in page and "Beta" in page
    assert "1 row is invalid, so nothing can be imported yet." in page
    assert "Lost on: “someday” is not a date" in page
    partial = member_client.get(url + "?show=invalid", headers=PARTIAL).get_data(as_text=True)
    assert 'id="preview-rows"' in partial and "<html" not in partial
    assert "Beta" in partial and "Acme" not in partial


def test_importing_through_the_pages(member_client, member):
    text = HEADER + "Acme,31/01/2026,100,,,,,\r\nBeta,someday,100,,,,,\r\n"
    import_id = _own_upload(member_client, text)
    base = f"/accounts/import/{import_id}"
    refused = member_client.post(f"{base}/run")
    assert refused.status_code == 422
    assert "1 row is invalid" in refused.get_data(as_text=True) and _accounts() == {}
    member_client.post(f"{base}/map", data=_mapping(COLUMNS, skip_invalid="y"))
    done = member_client.post(f"{base}/run")
    assert done.status_code == 303 and done.headers["Location"] == base
    summary = member_client.get(base).get_data(as_text=True)
    assert "1 account created and 0 updated." in summary and f"{base}/skipped.csv" in summary
    assert list(_accounts()) == ["Acme"]
    again = member_client.post(f"{base}/run", follow_redirects=True)
    assert "imported already" in again.get_data(as_text=True) and len(_accounts()) == 1
    for step in ("map", "preview"):
        assert member_client.get(f"{base}/{step}").headers["Location"] == base
    report = member_client.get(f"{base}/skipped.csv")
    assert report.mimetype == "text/csv" and "attachment" in report.headers["Content-Disposition"]
    assert "Lost on: “someday” is not a date" in report.get_data(as_text=True)


def test_an_import_not_run_yet_has_no_summary(member_client):
    import_id = _own_upload(member_client)
    response = member_client.get(f"/accounts/import/{import_id}")
    assert response.headers["Location"] == f"/accounts/import/{import_id}/preview"


def test_htmx_steps_redirect_with_hx_redirect(member_client):
    response = _post_file(member_client, b"Name\nAcme\n", headers=PARTIAL)
    assert response.status_code == 200 and "/map" in response.headers["HX-Redirect"]


@pytest.mark.parametrize(
    ("method", "step"),
    [("get", "/map"), ("post", "/map"), ("get", "/preview"), ("post", "/run"), ("get", "")]
    + [("get", "/skipped.csv")],
)
def test_someone_elses_import_is_not_found(app, member_client, method, step):
    other = make_user(email="other@example.com")
    theirs = importer.upload("theirs.csv", b"Name\nSecret Co\n", other)
    response = getattr(member_client, method)(f"/accounts/import/{theirs.id}{step}")
    assert response.status_code == 404
    assert getattr(member_client, method)(f"/accounts/import/999{step}").status_code == 404


def test_the_sample_file_downloads(member_client):
    response = member_client.get("/accounts/import/sample.csv")
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("\ufeffName,Kind,Status,Owner")


def test_the_options_are_kept_as_json(app, admin):
    upload = _upload(admin, "Name\nA\n", create_unknown=True, skip_invalid=True)
    assert json.loads(db.session.get(AccountImport, upload.id).options) == {
        "date_order": "dmy",
        "duplicate_rule": "name",
        "duplicate_action": "skip",
        "create_unknown": True,
        "skip_invalid": True,
    }


def test_the_competitor_list_is_untouched_when_nothing_new_is_named(app, admin):
    make_competitor("Northpeak")
    importer.run(_upload(admin, "Name,Lost to\nA,northpeak\n", create_unknown=True), admin)
    assert db.session.scalar(select(func.count(Competitor.id))) == 1
