"""The report figures: losses, reasons, win-back progress and reach, each counted by the
database in a fixed number of queries, whatever the number of accounts and attempts."""

from sqlalchemy import select

from winback_app.accounts.models import Account
from winback_app.extensions import db
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
