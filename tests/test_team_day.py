"""Dates follow the team's day (WINBACK_TIMEZONE), never the server's: nothing flips at
midnight UTC for a team in another time zone."""

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.factories import make_account
from tests.helpers import PARTIAL
from winback_app import formatting
from winback_app.accounts import services as accounts
from winback_app.outreach.callbacks import services as callbacks
from winback_app.rules import RuleViolation

APP = Path(__file__).resolve().parent.parent / "winback_app"
# One instant seen from two teams: at 20:00 UTC on 10 March it is already 11 March on
# Kiritimati (UTC+14); at 06:00 UTC on 11 March it is still 10 March at UTC−12.
AHEAD = ("Pacific/Kiritimati", datetime(2026, 3, 10, 20, 0, tzinfo=UTC), date(2026, 3, 11))
BEHIND = ("Etc/GMT+12", datetime(2026, 3, 11, 6, 0, tzinfo=UTC), date(2026, 3, 10))
DAY = timedelta(days=1)


def _server_clock_calls(tree: ast.AST) -> list[int]:
    """Lines calling date.today(), datetime.today() or datetime.now() without a zone."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        today = node.func.attr == "today" and name in ("date", "datetime")
        naive_now = node.func.attr == "now" and name == "datetime" and not node.args
        if (today or naive_now) and not node.keywords:
            lines.append(node.lineno)
    return lines


def test_no_code_reads_the_servers_calendar():
    found = {
        str(path.relative_to(APP.parent)): lines
        for path in sorted(APP.rglob("*.py"))
        if (lines := _server_clock_calls(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}, "use winback_app.formatting.today_local() (the team's day) instead"


def test_the_scan_finds_what_it_looks_for():
    source = "date.today()\nx = datetime.datetime.now()\ndatetime.now(UTC)\ntoday_local()\n"
    assert _server_clock_calls(ast.parse(source)) == [1, 2]


@pytest.fixture(params=[AHEAD, BEHIND], ids=["ahead", "behind"])
def team(request, app, monkeypatch, app_ctx):
    """The team's zone, the moment it is now, and the team's date then."""
    zone, now, today = request.param
    monkeypatch.setitem(app.config, "WINBACK_TIMEZONE", zone)
    monkeypatch.setattr(formatting, "utcnow", lambda: now)
    with app.app_context():
        assert formatting.today_local() == today != now.date()
    return today


def _facts(account, lost_on: date) -> dict:
    return {
        "name": account.name,
        "kind": "lost_deal",
        "status": "new",
        "owner_id": "",
        "lost_on": lost_on.isoformat(),
        "version": str(account.version),
    }


def test_the_lost_date_may_be_the_teams_today_but_not_its_tomorrow(member_client, team):
    account = make_account()
    url = f"/accounts/{account.id}/facts"
    refused = member_client.post(url, data=_facts(account, team + DAY), headers=PARTIAL)
    assert refused.status_code == 422
    assert "cannot be in the future" in refused.get_data(as_text=True)
    saved = member_client.post(url, data=_facts(account, team), headers=PARTIAL)
    assert saved.status_code == 200


def test_service_defaults_take_the_teams_today(app, team, app_ctx):
    assert accounts.check_values({"lost_on": team}) == {}
    assert "lost_on" in accounts.check_values({"lost_on": team + DAY})
    account = make_account()
    assert callbacks.add_callback(account, None, team).due_on == team
    with pytest.raises(RuleViolation, match="today or a later date"):
        callbacks.add_callback(account, None, team - DAY)
    overdue = callbacks.add_callback(account, None, team - DAY, today=team - 3 * DAY)
    assert callbacks.snooze(overdue).due_on == team + 7 * DAY
