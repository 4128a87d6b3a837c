"""Template filters and globals for dates and times in the team's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from winback_app.core.settings import services as team_settings
from winback_app.models import utcnow


def team_zone() -> ZoneInfo:
    """The team's time zone (WINBACK_TIMEZONE)."""
    return ZoneInfo(current_app.config["WINBACK_TIMEZONE"])


def now_local() -> datetime:
    """The current time in the team's time zone."""
    return utcnow().astimezone(team_zone())


def today_local() -> date:
    """Today's date in the team's time zone (what "due today" means)."""
    return now_local().date()


def day_part() -> str:
    """ "morning", "afternoon" or "evening", for greetings."""
    hour = now_local().hour
    return "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"


def format_datetime(value: datetime) -> str:
    """A timestamp in the team's zone, e.g. "3 Mar 2026, 14:05"."""
    local = value.astimezone(team_zone())
    return f"{local.day} {local:%b %Y, %H:%M}"


def format_date_short(value: date | None) -> str:
    """A date in a table, e.g. "3 Mar 2026"; a dash when there is none."""
    return f"{value.day} {value:%b %Y}" if value else "—"


def format_date_long(value: date) -> str:
    """A date written out, e.g. "Tuesday 3 March 2026"."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def register(app) -> None:
    """Install the filters and globals on ``app``'s Jinja environment."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date_long"] = format_date_long
    app.jinja_env.filters["date_short"] = format_date_short
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.globals["currency_code"] = lambda: team_settings.get().currency
    app.jinja_env.globals["now_local"] = now_local
    app.jinja_env.globals["day_part"] = day_part


def format_money(amount) -> str:
    """An amount in the team's currency, without cents: "€12,500"."""
    if amount is None:
        return "—"
    currency = team_settings.get().currency
    symbol = team_settings.CURRENCIES.get(currency, currency + " ")
    return f"{symbol}{amount:,.0f}"
