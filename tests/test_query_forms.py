"""Filters read from the query string: the shared QueryForm and ListFilterForm, and each list's
form keeping its address (bookmarks) and its handling of values it cannot use."""

from datetime import date
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField, StringField

from tests.factories import make_account, make_evidence, make_reason
from winback_app.accounts.forms import AccountFilterForm
from winback_app.forms import ListFilterForm, PageForm, QueryForm, trimmed
from winback_app.reports.filters import Filters, Owner, period_range
from winback_app.reports.forms import ReportFilterForm


class _Query(QueryForm):
    word = StringField(name="from", filters=[trimmed(5)])
    size = IntegerField(default=10)


class _List(ListFilterForm):
    colour = SelectField(choices=["", "red", "blue"], default="")
    size = IntegerField(default=10)


def test_a_query_form_reads_the_address_without_a_csrf_token(app, app_ctx):
    with app.test_request_context("/?from=%20hello%20world&size=3", method="GET"):
        form = _Query()
        assert form.validate() and "csrf_token" not in form
        assert (form.word.data, form.size.data) == ("hello", 3)
        assert _Query(MultiDict({"size": "4"})).size.data == 4


def test_args_leave_defaults_out_and_name_fields_as_the_address_does(app, app_ctx):
    with app.test_request_context("/?from=hi&size=10"):
        form = _Query()
        assert form.args() == {"from": "hi"}
        assert form.args(size=0, extra=True, page=None) == {"from": "hi", "size": "0", "extra": "1"}
        assert form.args(**{"from": ""}) == {}


@pytest.mark.parametrize(
    "query, colour, size",
    [("colour=blue&size=3", "blue", 3), ("colour=green&size=3", "", 3)]
    + [("colour=red&size=many", "red", 10), ("", "", 10)],
)
def test_a_list_form_drops_what_it_cannot_use_back_to_the_default(
    app, query, colour, size, app_ctx
):
    with app.test_request_context(f"/?{query}"):
        form = _List()
        assert (form.colour.data, form.size.data) == (colour, size)
        assert not form.errors
        # The control shows the value used, not what the address said.
        assert 'value="many"' not in form.size()
        assert form.narrowed == (colour != "" or size != 10)


@pytest.mark.parametrize(
    "raw, page", [("3", 3), ("0", 1), ("-2", 1), ("2.5", 1), ("two", 1), ("", 1), (None, 1)]
)
def test_a_page_is_a_whole_number_from_one(app, raw, page, app_ctx):
    args = MultiDict({} if raw is None else {"page": raw})
    assert PageForm(args).page.data == page


def test_the_accounts_list_drops_nonsense_value_by_value(app, app_ctx):
    form = AccountFilterForm(
        MultiDict(
            {
                "q": "  " + "x" * 120,
                "kind": "partner",
                "status": " nurture ",
                "owner": "none",
                "category": "none",
                "competitor": "12",
                "disagree": "yes",
                "friendly": "on",
                "lost_from": "yesterday",
                "lost_to": "2026-02-01",
                "value_min": "€20,000",
                "value_max": "lots",
                "sort": "drop table",
                "direction": "up",
                "page": "-3",
            }
        )
    )
    filters = form.filters()
    assert filters.q == "x" * 100
    assert (filters.kind, filters.status, filters.owner) == ("", "nurture", "none")
    assert (filters.category, filters.competitor) == ("", "12")
    assert (filters.disagree, filters.friendly) == (False, True)
    assert (filters.lost_from, filters.lost_to) == (None, date(2026, 2, 1))
    assert (filters.value_min, filters.value_max) == (Decimal("20000"), None)
    assert (filters.sort, filters.direction, filters.page) == ("lost_on", "desc", 1)
    assert form.narrowed and not AccountFilterForm(MultiDict({"sort": "name"})).narrowed


def test_the_accounts_list_gives_a_bookmark_back_as_it_came(app, app_ctx):
    query = (
        "q=acme&kind=lost_deal&owner=none&disagree=1&lost_from=2026-01-01&value_max=0"
        "&sort=name&direction=asc&page=3"
    )
    form = AccountFilterForm(MultiDict([pair.split("=") for pair in query.split("&")]))
    assert "&".join(f"{name}={value}" for name, value in form.args().items()) == query


def test_the_accounts_list_shows_the_filters_it_used(member_client, app, app_ctx):
    make_account(name="Harbor Logistics")
    body = member_client.get("/accounts/?kind=partner&lost_to=someday&friendly=1").get_data(
        as_text=True
    )
    assert "Harbor Logistics" not in body and "matching the filters" in body
    assert '<option selected value="">Any kind</option>' in body
    assert 'id="f-lost_to" name="lost_to" type="date" value=""' in body
    assert 'checked id="friendly" name="friendly" type="checkbox" value="1"' in body


def test_the_evidence_list_ignores_what_it_cannot_use(member_client, app, app_ctx):
    late = make_reason("Delivery", "Late")
    make_evidence(reasons=[late], title="New vans")
    body = member_client.get("/evidence/?reason_id=abc&show=someday").get_data(as_text=True)
    assert "New vans" in body and "1 item" in body
    assert '<option selected value="">All evidence</option>' in body
    chosen = member_client.get(f"/evidence/?reason_id={late.id}").get_data(as_text=True)
    assert f'<option selected value="{late.id}">Late</option>' in chosen


@pytest.mark.parametrize("query", ["view=Team&period=abc", "period=45", "view=team&period=90"])
def test_today_keeps_only_a_known_view_and_period(member_client, query):
    body = member_client.get(f"/today?{query}").get_data(as_text=True)
    team = query.startswith("view=team")
    assert ('<input type="hidden" name="view" value="team">' in body) == team
    period = "90" if query.endswith("90") else "30"
    assert f'<option selected value="{period}">{period} days</option>' in body


OWNERS = [Owner(7, "Rita Rep", True), Owner(8, "Old Hand", False)]


def _report(query: str, today=date(2026, 5, 15)) -> tuple[ReportFilterForm, Filters | None]:
    form = ReportFilterForm(today, OWNERS, MultiDict([p.split("=") for p in query.split("&")]))
    return form, form.resolve()


def test_a_report_preset_fills_in_its_dates_and_leaves_them_out_of_the_address(app, app_ctx):
    form, chosen = _report("period=last_quarter&from=2020-01-01&to=2020-02-01&owner=8")
    start, end = period_range("last_quarter", date(2026, 5, 15))
    assert chosen == Filters(start, end, 8)
    assert (form.start.data, form.end.data) == (start.isoformat(), end.isoformat())
    assert form.args() == {"period": "last_quarter", "owner": "8"}
    assert "Old Hand (inactive)" in form.owner()
    assert _report("period=&segment=Retail")[0].args() == {"segment": "Retail"}


def test_report_custom_dates_travel_in_the_address(app, app_ctx):
    form, chosen = _report("period=custom&from=2026-01-01&to=2026-03-31&kind=lost_deal")
    assert chosen == Filters(date(2026, 1, 1), date(2026, 3, 31), None, "lost_deal")
    assert form.args() == {
        "period": "custom",
        "from": "2026-01-01",
        "to": "2026-03-31",
        "kind": "lost_deal",
    }
    assert form.narrowed and not _report("period=custom&from=2026-01-01&to=2026-03-31")[0].narrowed


def test_unusable_report_filters_keep_the_typing_with_a_message_each(app, app_ctx):
    form, chosen = _report("period=someday&owner=99&kind=partner&segment=" + "s" * 130)
    assert chosen is None
    assert form.period.errors == ["Choose one of the listed periods."]
    assert form.owner.errors == ["Choose an owner from the list."]
    assert form.kind.errors == ["Choose one of the listed kinds."]
    assert form.segment.errors == ["A segment has at most 120 characters."]
    assert '<option selected value="someday">someday</option>' in form.period()
    assert '<option selected value="99">99</option>' in form.owner()
    assert form.segment.data == "s" * 130


@pytest.mark.parametrize(
    "dates, field, message",
    [
        ("from=&to=2026-01-31", "start", "Enter the first day of the period."),
        ("from=2026-01-01&to=", "end", "Enter the last day of the period."),
        ("from=2026-02-30&to=2026-03-01", "start", "“2026-02-30” is not a date"),
        ("from=2026-03-31&to=2026-01-01", "end", "The last day comes before the first day"),
        ("from=2010-01-01&to=2026-01-01", "end", "Choose a period of at most 10 years."),
    ],
)
def test_unusable_custom_dates_say_what_to_change(app, dates, field, message, app_ctx):
    form, chosen = _report(f"period=custom&{dates}")
    assert chosen is None and message in " ".join(form[field].errors)
