"""The one money reader and the form field built on it, and each place that reads amounts."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import Optional

from tests.factories import make_account
from tests.helpers import PARTIAL
from winback_app.accounts.forms import AccountFilterForm
from winback_app.accounts.imports import services as importer
from winback_app.accounts.models import Account
from winback_app.discovery.incentives import services as incentives
from winback_app.extensions import db
from winback_app.forms import MoneyField
from winback_app.money import (
    FORMAT,
    MAXIMUM,
    MONEY_HELP,
    PLACES,
    MoneyError,
    parse_money,
    places_message,
)
from winback_app.rules import RuleViolation

HUGE = "1" * 27


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12500", "12500.00"),
        ("  12500  ", "12500.00"),
        ("12,500.00", "12500.00"),
        ("12.500,50", "12500.50"),
        ("€12,500", "12500.00"),
        ("€ 12 500", "12500.00"),
        ("12\u00a0500 EUR", "12500.00"),
        ("CHF 1'250.50", "1250.50"),
        ("$1,234,567.89", "1234567.89"),
        ("1.234.567", "1234567.00"),
        ("₹1,00,000", "100000.00"),
        ("12.500", "12.50"),
        ("£0.5", "0.50"),
        ("12,5", "12.50"),
        ("12.5000", "12.50"),
        ("+7", "7.00"),
        ("-7", "-7.00"),
        ("(500)", "-500.00"),
        ("0", "0.00"),
    ],
)
def test_amounts_as_people_write_them(text, expected):
    amount = parse_money(text)
    assert amount == Decimal(expected)
    assert amount.as_tuple().exponent == -2  # always exactly two decimals


@pytest.mark.parametrize("text", [None, "", "   "])
def test_blank_is_no_amount(text):
    assert parse_money(text) is None


@pytest.mark.parametrize(
    "text", ["lots", "NaN", "Infinity", "1e5", "12abc", "1.2.3", "12,50,0", "--5", "€", "-"]
)
def test_text_that_is_no_amount_is_refused_with_the_example(text):
    with pytest.raises(MoneyError) as refused:
        parse_money(text)
    assert (refused.value.problem, refused.value.message) == (FORMAT, MONEY_HELP)


@pytest.mark.parametrize("text", [HUGE, "-" + HUGE, HUGE + ".99", "1000000000000", "9" * 60])
def test_huge_amounts_are_refused_cleanly_even_when_rounding(text):
    for rounding in (None, ROUND_HALF_UP):
        with pytest.raises(MoneyError) as refused:
            parse_money(text, rounding=rounding)
        assert refused.value.problem == MAXIMUM
        assert str(refused.value) == "Enter at most 999,999,999,999.99."
    assert parse_money("999,999,999,999.99") == Decimal("999999999999.99")


def test_the_maximum_and_the_places_are_the_callers_choice():
    assert parse_money("100,000", maximum=Decimal(100000)) == Decimal("100000.00")
    with pytest.raises(MoneyError, match=r"Enter at most 100,000\."):
        parse_money("100000.01", maximum=Decimal(100000))
    assert parse_money("12.5", places=1).as_tuple().exponent == -1
    with pytest.raises(MoneyError, match="whole amount"):
        parse_money("12.5", places=0)
    assert places_message(1) == "Use at most one decimal."


@pytest.mark.parametrize("text", ["12.345", "0.001", "0." + "0" * 40 + "1"])
def test_over_precise_amounts_are_refused(text):
    with pytest.raises(MoneyError) as refused:
        parse_money(text)
    assert (refused.value.problem, refused.value.message) == (PLACES, "Use at most two decimals.")


def test_a_single_dot_groups_thousands_only_when_the_caller_says_so():
    assert parse_money("12.500", thousands_dot=True) == Decimal("12500.00")
    assert parse_money("12.345", thousands_dot=True) == Decimal("12345.00")
    assert parse_money("0.125", thousands_dot=True, rounding=ROUND_HALF_UP) == Decimal("0.13")
    with pytest.raises(MoneyError, match="two decimals"):
        parse_money("12.345")


def test_with_a_rounding_mode_extra_decimals_are_rounded_away():
    assert parse_money("12499.999999999998", rounding=ROUND_HALF_UP) == Decimal("12500.00")
    assert parse_money("1.234,565", rounding=ROUND_HALF_UP) == Decimal("1234.57")
    tiny = "0." + "0" * 40 + "1"
    assert parse_money(tiny, rounding=ROUND_HALF_UP) == Decimal("0.00")


def test_a_money_error_is_a_value_error_for_forms_and_the_import():
    assert issubclass(MoneyError, ValueError)


class _Form(FlaskForm):
    class Meta:
        csrf = False

    amount = MoneyField("Amount", validators=[Optional()])
    small = MoneyField("Small", validators=[Optional()], maximum=Decimal(100))


def _form(app, **data):
    with app.test_request_context(method="POST", data=data):
        form = _Form()
        form.validate()
        return form


def test_the_field_reads_amounts_and_refuses_the_rest_next_to_it(app):
    form = _form(app, amount="€12,500.50", small="")
    assert (form.amount.data, form.small.data, form.errors) == (Decimal("12500.50"), None, {})
    form = _form(app, amount="lots", small="100.01")
    assert form.errors == {"amount": [MONEY_HELP], "small": ["Enter at most 100."]}
    form = _form(app, amount=HUGE, small="1.005")
    assert form.amount.errors == ["Enter at most 999,999,999,999.99."]
    assert form.small.errors == ["Use at most two decimals."]
    assert form.amount.data is None and form.amount._value() == HUGE  # the typing is kept


@pytest.mark.parametrize(
    ("value", "message"),
    [(HUGE, "Enter at most 999,999,999,999.99."), ("48,500.125", "Use at most two decimals.")],
)
def test_the_account_form_refuses_huge_and_over_precise_amounts(member_client, value, message):
    account = make_account(name="Keep Me", annual_value_lost=Decimal("12000"))
    data = {"name": "Keep Me", "kind": "lost_deal", "status": "new", "annual_value_lost": value}
    response = member_client.post(f"/accounts/{account.id}/facts", data=data, headers=PARTIAL)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Account, account.id).annual_value_lost == Decimal("12000")


def test_the_import_refuses_a_huge_amount_in_its_row(app, member):
    text = f"Name,Annual value lost\r\nAcme,{HUGE}\r\nHarbour,€ 12 500\r\n"
    upload = importer.upload("crm.csv", text.encode(), member)
    importer.save_mapping(upload, importer.columns(upload), importer.options(upload), member)
    huge, fine = importer.analyse(upload).rows
    assert huge.errors == ["Annual value lost: Enter at most 999,999,999,999.99."]
    assert (fine.errors, fine.values["annual_value_lost"]) == ([], Decimal("12500.00"))


def test_the_thank_you_service_reads_the_same_amounts(app):
    assert incentives.clean_amount("€1,000") == Decimal("1000.00")
    assert incentives.clean_amount(Decimal("25.5")) == Decimal("25.50")
    for value, message in [
        (HUGE, "Enter at most 100,000."),
        ("", "such as 50"),
        (None, "such as 50"),
        ("0.00", "above zero"),
    ]:
        with pytest.raises(RuleViolation, match=message) as refused:
            incentives.clean_amount(value)
        assert refused.value.field == "amount"


def test_the_list_filters_read_bounds_and_drop_what_is_no_amount(app):
    with app.test_request_context():
        form = AccountFilterForm(MultiDict({"value_min": "€20,000.004", "value_max": HUGE}))
        assert (form.value_min.data, form.value_max.data) == (Decimal("20000.00"), None)
        assert AccountFilterForm(MultiDict({"value_min": "lots"})).value_min.data is None
