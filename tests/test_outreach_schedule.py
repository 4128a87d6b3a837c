"""The call-back rules: contract timing, regeneration, nurture, manual, snooze, done."""

from datetime import date, timedelta

import pytest

from tests.factories import make_account, make_user
from winback_app.accounts import services
from winback_app.core.settings import services as team_settings
from winback_app.extensions import db
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.callbacks import services as schedule
from winback_app.outreach.callbacks.models import Callback
from winback_app.rules import RuleViolation

# Call-back schedules are counted from today, and none may be due in the past.
pytestmark = pytest.mark.usefixtures("frozen_today")

START = date(2026, 1, 15)


def _months(start, dates):
    return [(d.year - start.year) * 12 + d.month - start.month for d in dates]


def test_36_month_contract_is_called_at_18_24_30():
    assert _months(START, schedule.contract_dates(START, 36)) == [18, 24, 30]


def test_60_month_contract_is_called_at_30_then_every_6_months():
    assert _months(START, schedule.contract_dates(START, 60)) == [30, 36, 42, 48, 54]


def test_month_ends_do_not_drift():
    assert schedule.contract_dates(date(2026, 1, 31), 24) == [
        date(2027, 1, 31),
        date(2027, 7, 31),
    ]
    assert schedule.contract_dates(date(2025, 8, 31), 12) == [date(2026, 2, 28)]


def test_settings_change_the_start_and_interval():
    assert _months(START, schedule.contract_dates(START, 36, 25, 3)) == [
        9,
        12,
        15,
        18,
        21,
        24,
        27,
        30,
        33,
    ]
    assert schedule.contract_dates(START, 1) == []


def _open(account, kind=None):
    db.session.expire_all()
    query = db.session.query(Callback).filter_by(account_id=account.id, done_at=None)
    if kind:
        query = query.filter_by(kind=kind)
    return sorted(c.due_on for c in query)


def _set_contract(account, start, term, user=None):
    services.update_section(
        account, "contract", {"contract_start": start, "contract_term_months": term}, None, user
    )


def test_a_contract_creates_future_callbacks_for_the_owner(app_ctx):
    owner = make_user()
    account = make_account(owner_id=owner.id)
    start = date.today() - timedelta(days=30)
    _set_contract(account, start, 36)
    callbacks = db.session.query(Callback).filter_by(account_id=account.id).all()
    assert sorted(c.due_on for c in callbacks) == schedule.contract_dates(start, 36)
    assert {c.user_id for c in callbacks} == {owner.id}
    assert {c.kind for c in callbacks} == {"contract"}


def test_changing_the_term_regenerates_future_ones_and_keeps_done_and_manual(app_ctx):
    user = make_user()
    account = make_account()
    start = date.today() - timedelta(days=31 * 20)  # the 18-month date has passed
    _set_contract(account, start, 36)
    assert len(_open(account)) == 2  # 24 and 30 months
    first = db.session.query(Callback).filter_by(account_id=account.id).order_by("due_on").first()
    schedule.complete(first, user)
    manual = schedule.add_callback(account, user, date.today() + timedelta(days=3), "Ask again")
    _set_contract(account, start, 60)
    db.session.expire_all()
    assert db.session.get(Callback, first.id).done_at is not None
    assert db.session.get(Callback, manual.id).done_at is None
    contract_open = _open(account, "contract")
    expected = [d for d in schedule.contract_dates(start, 60) if d >= date.today()]
    expected.remove(first.due_on) if first.due_on in expected else None
    assert contract_open == expected
    _set_contract(account, None, None)
    assert _open(account, "contract") == []
    assert _open(account, "manual") == [manual.due_on]


def test_nurture_gets_a_keep_in_touch_callback(app_ctx):
    account = make_account(status="contacting")
    services.update_section(account, "facts", {"status": "nurture"}, None, None)
    months = team_settings.get().nurture_interval_months
    (due,) = _open(account, "nurture")
    assert 5 * 30 <= (due - date.today()).days <= months * 31
    callback = db.session.query(Callback).filter_by(account_id=account.id).one()
    schedule.complete(callback, None)
    assert len(_open(account, "nurture")) == 1  # the next one
    services.update_section(account, "facts", {"status": "contacting"}, None, None)
    assert _open(account, "nurture") == []


def test_won_back_and_closed_accounts_lose_their_automatic_callbacks(app_ctx):
    account = make_account()
    _set_contract(account, date.today(), 36)
    assert len(_open(account)) == 3
    services.update_section(account, "facts", {"status": "won_back"}, None, None)
    assert _open(account) == []
    services.update_section(account, "facts", {"status": "contacting"}, None, None)
    assert len(_open(account)) == 3


def test_snooze_moves_forward_only(app_ctx):
    account = make_account()
    today = date(2026, 11, 22)
    callback = schedule.add_callback(account, None, today, "", today=today)
    schedule.snooze(callback, today=today)
    assert callback.due_on == date(2026, 11, 29) and callback.snoozed_from == today
    with pytest.raises(RuleViolation, match="after today"):
        schedule.snooze(callback, today - timedelta(days=1), today=today)
    with pytest.raises(RuleViolation, match="after today"):
        schedule.snooze(callback, today, today=today)
    schedule.snooze(callback, date(2027, 1, 5), today=today)
    assert callback.due_on == date(2027, 1, 5) and callback.snoozed_from == today


def test_manual_callback_cannot_be_in_the_past(app_ctx):
    account = make_account()
    with pytest.raises(RuleViolation):
        schedule.add_callback(account, None, date.today() - timedelta(days=1))
    with pytest.raises(RuleViolation):
        schedule.add_callback(account, None, date.today(), "x" * 256)


def test_done_links_the_attempt_that_did_it(app_ctx):
    user = make_user()
    account = make_account()
    callback = schedule.add_callback(account, user, date.today())
    attempt = attempts.log_attempt(account, user, channel="phone", outcome="reached")
    schedule.complete(callback, user)
    assert callback.attempt_id == attempt.id and callback.done_at is not None
    with pytest.raises(RuleViolation, match="already done"):
        schedule.snooze(callback, date.today() + timedelta(days=3))
