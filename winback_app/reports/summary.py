"""The figures a lead sees on the home page: the Reports page's default period at a glance."""

from dataclasses import dataclass
from datetime import date

from winback_app.reports import services
from winback_app.reports.filters import DEFAULT_PERIOD, PERIODS, Filters, period_range


@dataclass(frozen=True)
class LeadSummary:
    """The team's default report period at a glance; ``empty`` when no account was ever
    recorded."""

    filters: Filters
    empty: bool
    label: str = PERIODS[DEFAULT_PERIOD]
    win_back: services.WinBack | None = None
    reach: services.Reach | None = None


def lead_summary(today: date) -> LeadSummary:
    """Lost, won back and their value, the win-back rate, overdue call-backs and the hit
    ratio, counted as the Reports page counts them for its default period."""
    filters = Filters(*period_range(DEFAULT_PERIOD, today))
    if services.is_empty():
        return LeadSummary(filters, empty=True)
    return LeadSummary(
        filters,
        empty=False,
        win_back=services.win_back(filters),
        reach=services.reach(filters, today),
    )
