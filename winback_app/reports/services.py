"""The report figures: losses, reasons, win-back progress and reach, each counted by the
database in a fixed number of queries, whatever the number of accounts and attempts."""

from datetime import date, timedelta

from sqlalchemy import func, select

from winback_app.accounts.models import Account
from winback_app.dates import add_months
from winback_app.extensions import db
from winback_app.reports.filters import Filters
from winback_app.reports.losses import GroupRow, Losses, PeriodRow, losses
from winback_app.reports.progress import FunnelRow, Median, WinBack, win_back
from winback_app.reports.reach import Incentives, OverdueRow, Reach, SurveyRow, UserReach, reach
from winback_app.reports.reasons import (
    Disagreement,
    DisagreeRow,
    ReasonRow,
    Reasons,
    ViewReasons,
    reasons,
)
from winback_app.reports.sql import matching

__all__ = [
    "DisagreeRow",
    "Disagreement",
    "FunnelRow",
    "GroupRow",
    "Incentives",
    "Losses",
    "Median",
    "OverdueRow",
    "PeriodRow",
    "Reach",
    "ReasonRow",
    "Reasons",
    "SurveyRow",
    "UserReach",
    "ViewReasons",
    "WinBack",
    "is_empty",
    "losses",
    "reach",
    "reasons",
    "win_back",
]


def is_empty() -> bool:
    """True when the team has no accounts at all, lost in any period or none (1 query)."""
    return db.session.scalar(select(Account.id).limit(1)) is None


def nearest_loss_month(f: Filters) -> tuple[date, date] | None:
    """For a period with no losses that match ``f``: the first and last day of the month of
    the nearest lost date that does match — the latest before the period, else the earliest
    after it (2 queries at most); None when no account matches at all."""
    conditions = matching(f)
    day = db.session.scalar(
        select(func.max(Account.lost_on)).where(Account.lost_on < f.start, *conditions)
    ) or db.session.scalar(
        select(func.min(Account.lost_on)).where(Account.lost_on > f.end, *conditions)
    )
    if day is None:
        return None
    first = day.replace(day=1)
    return first, add_months(first, 1) - timedelta(days=1)
