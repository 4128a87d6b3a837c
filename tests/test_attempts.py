"""Attempts and the hit ratio: accounts reached ÷ accounts attempted."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_account, make_contact, make_user
from tests.helpers import FROZEN_AT
from winback_app.accounts.models import AccountChange
from winback_app.extensions import db
from winback_app.outreach.attempts import services as attempts
from winback_app.outreach.callbacks import services as schedule
from winback_app.rules import RuleViolation

# An attempt may not be in the future, nor a call-back due in the past: the clock judges both.
pytestmark = pytest.mark.usefixtures("frozen_today")


def _at(days_ago):
    return datetime.now(UTC) - timedelta(days=days_ago)


def test_logging_moves_a_new_account_to_contacting_with_history(app_ctx):
    user = make_user()
    account = make_account(status="new")
    attempts.log_attempt(account, user, channel="phone", outcome="no_answer", at=_at(1))
    assert account.status == "contacting"
    assert account.last_contact_at is not None
    change = db.session.query(AccountChange).filter_by(account_id=account.id, field="status").one()
    assert (change.old_value, change.new_value, change.user) == ("New", "Contacting", user)
    later = make_account(status="discovery")
    attempts.log_attempt(later, user, channel="email", outcome="email_sent")
    assert later.status == "discovery"


def test_last_contact_keeps_the_latest(app_ctx):
    account = make_account()
    attempts.log_attempt(account, None, channel="phone", outcome="reached", at=_at(1))
    newest = account.last_contact_at
    attempts.log_attempt(account, None, channel="phone", outcome="reached", at=_at(5))
    assert account.last_contact_at == newest


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"outcome": "maybe"}, "outcome"),
        ({"at": FROZEN_AT + timedelta(hours=2)}, "at"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"duration_minutes": -1}, "duration_minutes"),
        ({"notes": "x" * 5001}, "notes"),
    ],
)
def test_bad_attempts_are_refused(app_ctx, values, field):
    account = make_account()
    arguments = {"channel": "phone", "outcome": "reached", **values}
    with pytest.raises(RuleViolation) as violation:
        attempts.log_attempt(account, None, **arguments)
    assert violation.value.field == field
    assert attempts.timeline(account)[1].attempted == 0


def test_contact_must_belong_to_the_account(app_ctx):
    account, other = make_account(), make_account()
    stranger = make_contact(other)
    with pytest.raises(RuleViolation):
        attempts.log_attempt(
            account, None, channel="phone", outcome="reached", contact_id=stranger.id
        )


def test_do_not_contact_asks_for_confirmation(app_ctx):
    account = make_account(do_not_contact=True)
    with pytest.raises(RuleViolation, match="do not contact") as violation:
        attempts.log_attempt(account, None, channel="phone", outcome="reached")
    assert violation.value.field == "confirm_do_not_contact"
    attempts.log_attempt(
        account, None, channel="phone", outcome="reached", confirm_do_not_contact=True
    )
    contact = make_contact(make_account(), do_not_email=True)
    with pytest.raises(RuleViolation, match="not to be emailed"):
        attempts.log_attempt(
            contact.account, None, channel="email", outcome="email_sent", contact_id=contact.id
        )


def test_hit_ratio_counts_accounts_not_attempts(app_ctx):
    rita, sam = make_user(name="Rita"), make_user(name="Sam")
    a, b, c, d = (make_account() for _ in range(4))
    for _ in range(3):
        attempts.log_attempt(a, rita, channel="phone", outcome="no_answer", at=_at(2))
    attempts.log_attempt(a, rita, channel="phone", outcome="reached", at=_at(1))
    attempts.log_attempt(b, rita, channel="voicemail", outcome="left_voicemail", at=_at(1))
    attempts.log_attempt(c, sam, channel="email", outcome="replied", at=_at(1))
    attempts.log_attempt(d, sam, channel="phone", outcome="declined", at=_at(40))
    team = attempts.hit_ratio()
    assert (team.attempted, team.reached, team.percent) == (4, 3, "75%")
    recent = attempts.hit_ratio(since=_at(30))
    assert (recent.attempted, recent.reached) == (3, 2)
    assert attempts.hit_ratio(user_id=rita.id).ratio == 0.5
    by_user = {user.name: ratio for user, ratio in attempts.hit_ratio_by_user()}
    assert (by_user["Rita"].attempted, by_user["Rita"].reached) == (2, 1)
    assert (by_user["Sam"].attempted, by_user["Sam"].reached) == (2, 2)
    assert attempts.hit_ratio(until=_at(100)).ratio is None
    assert attempts.hit_ratio(until=_at(100)).percent == "—"
    shown, per_account = attempts.timeline(a, limit=2)
    assert len(shown) == 2
    assert (per_account.attempted, per_account.reached) == (4, 1)


def test_logging_can_complete_a_callback(app_ctx):
    user = make_user()
    account = make_account()
    callback = schedule.add_callback(account, user, datetime.now(UTC).date())
    attempt = attempts.log_attempt(
        account, user, channel="phone", outcome="reached", callback=callback
    )
    assert callback.done_at is not None and callback.attempt_id == attempt.id
