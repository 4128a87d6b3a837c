"""The report figures: losses, reasons, win-back progress and reach, each counted by the
database in a fixed number of queries, whatever the number of accounts and attempts."""

from sqlalchemy import select

from ..accounts.models import Account
from ..extensions import db
from .losses import GroupRow, Losses, PeriodRow, losses
from .progress import FunnelRow, Median, WinBack, win_back
from .reach import Incentives, OverdueRow, Reach, SurveyRow, UserReach, reach
from .reasons import Disagreement, DisagreeRow, ReasonRow, Reasons, ViewReasons, reasons

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
