"""The Reports page, its filters and CSV downloads, and the leads' summary on the home page."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_account, make_callback, make_competitor, make_reason, make_user
from tests.helpers import PARTIAL, QueryCounter
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.outreach.attempts.models import Attempt
from winback_app.reports.filters import period_range
from winback_app.reports.tables import TABLES

Q1 = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}


class _Tables(HTMLParser):
    """Each table's rows as lists of cell texts, by the id of the heading that labels it."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows = None
        self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = self.tables.setdefault(dict(attrs).get("aria-labelledby", ""), [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._rows = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _table(body: str, name: str) -> list[list[str]]:
    """The body rows of the table ``name`` (its header row left out)."""
    return _Tables(body).tables[f"{name}-title"][1:]


def _figure(body: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", body)
    return re.sub(r"<[^>]+>", "", match.group(1))


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.fixture
def lost(app, member):
    """Two accounts lost in the first quarter of 2026 and one lost the year before."""
    valetta = make_competitor("Valetta Group")
    price = make_reason("Price", "Too expensive")
    service = make_reason("Service", "Slow support")
    harbor = make_account(
        name="Harbor Logistics",
        kind="lost_deal",
        segment="Retail",
        owner_id=member.id,
        lost_on=date(2026, 1, 10),
        annual_value_lost=Decimal("10000"),
        competitor_id=valetta.id,
        customer=[price, service],
        team=[service],
    )
    orion = make_account(
        name="Orion Print",
        segment="=cmd|' /C calc'!A0",
        lost_on=date(2026, 3, 5),
        annual_value_lost=Decimal("5000"),
        customer=[price],
        team=[price],
    )
    make_account(name="Old Mill", lost_on=date(2025, 6, 1), annual_value_lost=Decimal("99000"))
    db.session.add(
        Attempt(
            account_id=harbor.id,
            user_id=member.id,
            channel="phone",
            outcome="reached",
            at=datetime(2026, 1, 20, 10, tzinfo=UTC),
        )
    )
    db.session.commit()
    return {"harbor": harbor, "orion": orion}


def test_reports_need_a_login(client):
    for path in ("/reports/", "/reports/losses-by-month.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["admin_client", "member_client", "viewer_client"])
def test_every_role_reads_the_reports(request, lost, role):
    response = request.getfixturevalue(role).get("/reports/", query_string=Q1)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in ("Losses", "Why they left", "Win-back", "Reach and discovery"):
        assert f">{heading}</h2>" in body
    assert 'aria-current="page">Reports</a>' in body


def test_the_page_shows_what_was_lost_why_to_whom_and_what_came_back(member_client, lost):
    body = member_client.get("/reports/", query_string=Q1).get_data(as_text=True)
    assert "accounts lost from 1 Jan 2026 to 31 Mar 2026" in body
    assert _figure(body, "Accounts lost") == "2"
    assert _figure(body, "Value lost") == "€15,000"
    assert _figure(body, "Views disagree") == "50%"
    assert _table(body, "losses-by-month") == [
        ["Jan 2026", "1", "€10,000"],
        ["Feb 2026", "0", "€0"],
        ["Mar 2026", "1", "€5,000"],
        ["Total", "2", "€15,000"],
    ]
    assert _table(body, "losses-by-competitor") == [
        ["Valetta Group", "1", "€10,000"],
        ["No decision", "1", "€5,000"],
    ]
    price = next(row for row in _table(body, "reason-categories") if row[0] == "Price")
    assert price == ["Price", "2", "2", "€15,000", "1", "1", "€5,000"]
    assert ["Team", "1", "1", "100%"] in _table(body, "reach-by-user")
    # The counting rules are on the page, next to what they govern.
    assert "mentions count every reason given" in body
    assert "count each account once, under its primary reason" in body
    assert "<svg" in body and 'role="img"' in body and "<title id=" in body


def test_filters_narrow_the_figures_and_stay_in_the_form(member_client, member, lost):
    args = {**Q1, "kind": "lost_deal", "owner": str(member.id)}
    body = member_client.get("/reports/", query_string=args).get_data(as_text=True)
    assert _table(body, "losses-by-competitor") == [["Valetta Group", "1", "€10,000"]]
    assert '<option selected value="lost_deal">' in body
    assert f'<option selected value="{member.id}">' in body
    assert 'value="2026-01-01"' in body and 'value="2026-03-31"' in body
    assert f"owned by {member.name}" in body
    segment = member_client.get("/reports/", query_string={**Q1, "segment": "Retail"})
    assert _figure(segment.get_data(as_text=True), "Accounts lost") == "1"


@pytest.mark.usefixtures("frozen_today")
def test_a_preset_period_fills_in_its_dates(member_client, lost):
    body = member_client.get("/reports/?period=last_month").get_data(as_text=True)
    start, end = period_range("last_month", today_local())
    assert f'value="{start.isoformat()}"' in body and f'value="{end.isoformat()}"' in body
    assert '<option selected value="last_month">' in body


def test_a_partial_request_gets_the_reports_and_a_short_address(member_client, lost):
    args = {"period": "last_quarter", "from": "2020-01-01", "to": "2020-02-01", "owner": ""}
    response = member_client.get("/reports/", query_string=args, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body and body.lstrip().startswith('<div id="reports"')
    assert response.headers["HX-Push-Url"] == "/reports/?period=last_quarter"
    assert {"HX-Request", "HX-Request-Type"} <= set(response.vary)
    assert "<html" in member_client.get("/reports/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("args", "message", "kept"),
    [
        ({"period": "someday"}, "Choose one of the listed periods.", 'selected value="someday"'),
        (
            {"period": "custom", "from": "2026-13-01", "to": "2026-03-31"},
            "“2026-13-01” is not a date",
            'value="2026-13-01"',
        ),
        (
            {"period": "custom", "from": "2026-03-31", "to": "2026-01-01"},
            "The last day comes before the first day",
            'value="2026-01-01"',
        ),
        ({"period": "custom", "from": "2026-01-01"}, "Enter the last day", 'value="2026-01-01"'),
        (
            {"period": "custom", "from": "1900-01-01", "to": "2026-01-01"},
            "at most 10 years",
            'value="1900-01-01"',
        ),
        ({"owner": "9999"}, "Choose an owner from the list.", 'selected value="9999"'),
        ({"owner": "ann"}, "Choose an owner from the list.", 'selected value="ann"'),
        ({"kind": "partner"}, "Choose one of the listed kinds.", 'selected value="partner"'),
        ({"segment": "x" * 121}, "at most 120 characters", 'value="' + "x" * 121),
    ],
)
def test_an_unusable_filter_is_a_400_with_its_message_and_the_typing_kept(
    member_client, lost, args, message, kept
):
    response = member_client.get("/reports/", query_string=args)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body and kept in body
    assert "These filters cannot be used." in body
    assert 'aria-invalid="true"' in body
    partial = member_client.get("/reports/", query_string=args, headers=PARTIAL)
    assert partial.status_code == 400 and message in partial.get_data(as_text=True)
    assert partial.headers["HX-Push-Url"] == "false"


def test_every_table_downloads_as_csv_for_the_same_filters(member_client, lost):
    for name, table in TABLES.items():
        response = member_client.get(f"/reports/{name}.csv", query_string=Q1)
        assert response.status_code == 200, name
        assert response.mimetype == "text/csv"
        disposition = response.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="winback-{name}-2026-01-01-to-2026-03-31.csv"'
        rows = _csv(response)
        assert tuple(rows[0]) == table.headers, name
    by_month = _csv(member_client.get("/reports/losses-by-month.csv", query_string=Q1))
    assert by_month[1:] == [
        ["Jan 2026", "2026-01-01", "1", "10000.00"],
        ["Feb 2026", "2026-02-01", "0", "0.00"],
        ["Mar 2026", "2026-03-01", "1", "5000.00"],
        ["Total", "2026-01-01", "2", "15000.00"],
    ]
    narrowed = _csv(
        member_client.get(
            "/reports/losses-by-competitor.csv", query_string={**Q1, "kind": "lost_deal"}
        )
    )
    assert narrowed[1:] == [["Valetta Group", "1", "10000.00"]]


def test_csv_cells_that_would_run_as_formulas_are_neutralised(member_client, lost):
    rows = _csv(member_client.get("/reports/losses-by-segment.csv", query_string=Q1))
    assert ["'=cmd|' /C calc'!A0", "1", "5000.00"] in rows
    assert ["Retail", "1", "10000.00"] in rows


def test_a_csv_with_unusable_filters_is_the_page_with_the_message(member_client, lost):
    response = member_client.get("/reports/surveys.csv?period=custom&from=2026-02-30&to=2026-03-01")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "“2026-02-30” is not a date" in response.get_data(as_text=True)


def test_a_new_team_sees_what_each_report_will_show_and_how_to_get_data_in(
    member_client, viewer_client
):
    response = member_client.get("/reports/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No lost accounts yet" in body
    for report in ("Losses", "Why they left", "Win-back", "Reach and discovery"):
        assert f"<dt>{report}</dt>" in body
    for link in ("/accounts/new", "/accounts/import", "/today", "/discovery/surveys/"):
        assert f'href="{link}"' in body
    assert "Accounts lost</dt>" not in body and "<svg" not in body.split("<main")[1]
    viewer = viewer_client.get("/reports/").get_data(as_text=True)
    assert "No lost accounts yet" in viewer and 'href="/accounts/new"' not in viewer


def test_a_period_without_losses_says_so_in_each_section(member_client, lost):
    args = {"period": "custom", "from": "2020-01-01", "to": "2020-12-31"}
    body = member_client.get("/reports/", query_string=args).get_data(as_text=True)
    assert body.count("No accounts were lost from 1 Jan 2020 to 31 Dec 2020.") == 3
    assert "No attempts were logged in this period." in body
    assert "No survey invitations were sent in this period." in body
    narrowed = member_client.get("/reports/", query_string={**args, "kind": "lost_deal"})
    assert "that match these filters" in narrowed.get_data(as_text=True)


@pytest.mark.usefixtures("frozen_today")
def test_the_monthly_review_link_opens_last_month_ready_to_print(member_client, lost):
    body = member_client.get("/reports/", query_string=Q1).get_data(as_text=True)
    assert 'href="/reports/?review=1"' in body  # last month is the default period
    review = member_client.get("/reports/?period=last_month&review=1").get_data(as_text=True)
    month = period_range("last_month", today_local())[0].strftime("%B %Y")
    assert f"{month} review, ready to print." in review and "data-print" in review


@pytest.mark.parametrize(
    ("today", "period", "expected"),
    [
        (date(2026, 5, 15), "this_month", (date(2026, 5, 1), date(2026, 5, 15))),
        (date(2026, 5, 15), "last_month", (date(2026, 4, 1), date(2026, 4, 30))),
        (date(2026, 5, 15), "this_quarter", (date(2026, 4, 1), date(2026, 5, 15))),
        (date(2026, 5, 15), "last_quarter", (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 5, 15), "last_12_months", (date(2025, 6, 1), date(2026, 5, 15))),
        (date(2026, 5, 15), "this_year", (date(2026, 1, 1), date(2026, 5, 15))),
        (date(2026, 5, 15), "last_year", (date(2025, 1, 1), date(2025, 12, 31))),
        (date(2026, 1, 10), "last_month", (date(2025, 12, 1), date(2025, 12, 31))),
        (date(2026, 1, 10), "last_quarter", (date(2025, 10, 1), date(2025, 12, 31))),
    ],
)
def test_preset_periods(today, period, expected):
    assert period_range(period, today) == expected


@pytest.mark.usefixtures("frozen_today")
@pytest.mark.parametrize("role", ["admin_client", "viewer_client"])
def test_leads_get_last_month_on_the_home_page(request, app_ctx, role):
    last_month, _ = period_range("last_month", today_local())
    make_account(lost_on=last_month, annual_value_lost=Decimal("7000"))
    make_account(lost_on=last_month - timedelta(days=1), annual_value_lost=Decimal("5000"))
    response = request.getfixturevalue(role).get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Last month" in body
    assert _figure(body, "Accounts lost") == "1" and _figure(body, "Value lost") == "€7,000"
    assert _figure(body, "Win-back rate") == "0%" and _figure(body, "Hit ratio") == "—"
    assert 'href="/reports/"' in body and 'href="/today"' in body


# The server's clock runs on UTC, where 23:59 on 30 June in New York is already 03:59 on 1 July.
# The clock stops there before the test's fixtures run: a session cookie signed later would be
# from the future, and refused.
@pytest.mark.time_machine(
    datetime(2026, 6, 30, 23, 59, tzinfo=ZoneInfo("America/New_York")).astimezone(UTC), tick=False
)
@pytest.mark.parametrize(
    ("zone", "lost", "first", "last"),
    [
        pytest.param("America/New_York", "€7,000", "2026-05-01", "2026-05-31", id="new-york"),
        pytest.param("UTC", "€5,000", "2026-06-01", "2026-06-30", id="utc"),
    ],
)
def test_last_month_is_the_team_s_at_23_59_on_a_month_s_last_day(
    config, app_ctx, admin_client, zone, lost, first, last
):
    # For a team in New York last month is still May; for a team on UTC time it is June.
    config["WINBACK_TIMEZONE"] = zone
    make_account(lost_on=date(2026, 5, 31), annual_value_lost=Decimal("7000"))
    make_account(lost_on=date(2026, 6, 30), annual_value_lost=Decimal("5000"))
    home = admin_client.get("/").get_data(as_text=True)
    assert _figure(home, "Accounts lost") == "1" and _figure(home, "Value lost") == lost
    reports = admin_client.get("/reports/?period=last_month").get_data(as_text=True)
    assert f'value="{first}"' in reports and f'value="{last}"' in reports


def test_a_new_team_home_points_leads_to_reports(admin_client):
    body = admin_client.get("/").get_data(as_text=True)
    assert "No lost accounts are recorded yet." in body


def test_members_go_straight_to_today(member_client):
    response = member_client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/today")


def test_the_page_runs_the_same_few_queries_whatever_the_data(app, member, member_client):
    competitors = [make_competitor(f"Rival {n}") for n in range(3)]
    reasons = [make_reason(category, f"{category} reason") for category in ("Price", "Service")]
    rep = make_user(name="Rita Rep")

    def add(count: int, start: int):
        for n in range(start, start + count):
            account = make_account(
                name=f"Account {n}",
                kind=("former_customer", "lost_deal")[n % 2],
                segment=f"Segment {n % 4}",
                owner_id=rep.id,
                lost_on=date(2026, 1 + n % 3, 1 + n % 27),
                annual_value_lost=Decimal(1000 + n),
                competitor_id=competitors[n % 3].id,
                customer=[reasons[n % 2]],
                team=[reasons[(n + 1) % 2]],
            )
            db.session.add(
                Attempt(
                    account_id=account.id,
                    user_id=rep.id,
                    channel="phone",
                    outcome=("reached", "no_answer")[n % 2],
                    at=datetime(2026, 3, 1 + n % 27, 9, tzinfo=UTC),
                )
            )
            make_callback(account, rep, date(2026, 1, 1))
        db.session.commit()

    def queries() -> int:
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            assert member_client.get("/reports/", query_string=Q1).status_code == 200
        return counter.count

    add(5, 0)
    five = queries()
    add(45, 5)
    fifty = queries()
    assert five == fifty
    assert fifty <= 12


def test_an_empty_period_offers_the_nearest_month_with_losses(member_client, lost):
    args = {"period": "custom", "from": "2020-01-01", "to": "2020-12-31"}
    body = member_client.get("/reports/", query_string=args).get_data(as_text=True)
    found = re.search(r'The nearest month with losses is <a href="([^"]+)">(\w+ \d{4})</a>', body)
    assert found, "an empty period must point somewhere"
    url, month = found.groups()
    later = member_client.get(url.replace("&amp;", "&")).get_data(as_text=True)
    assert "No accounts were lost from" not in later
    assert month in later or "Accounts lost</dt>" in later


@pytest.mark.parametrize("period", ["last_month", "this_month", "last_12_months"])
def test_the_demo_has_losses_in_every_period_a_newcomer_opens(admin_client, period):
    from winback_app import demo

    demo.seed()
    body = admin_client.get("/reports/", query_string={"period": period}).get_data(as_text=True)
    assert "No accounts were lost from" not in body
    assert "No attempts were logged in this period." not in body or period == "this_month"
