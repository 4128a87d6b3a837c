"""The charts on the reports page, drawn from the figures the reports computed."""

from markupsafe import Markup

from winback_app.reports.charts import bar_chart, column_chart, line_chart
from winback_app.reports.svg import Series
from winback_app.reports.tables import category_pairs


def _labels(rows) -> list[str]:
    return [row.label for row in rows]


def loss_charts(losses) -> dict[str, Markup]:
    """Accounts and value lost per month, and accounts lost by competitor."""
    months = _labels(losses.by_month)
    accounts = Series("Accounts lost", [row.accounts for row in losses.by_month])
    value = Series("Value lost", [row.value for row in losses.by_month])
    return {
        "month_accounts": column_chart(
            "chart-month-accounts",
            "Accounts lost per month",
            "Accounts lost, month by month, oldest first.",
            months,
            accounts,
            axis_label="Accounts lost",
        ),
        "month_value": line_chart(
            "chart-month-value",
            "Value lost per month",
            "Annual value lost, month by month, oldest first.",
            months,
            [value],
            unit="money",
            axis_label="Value lost",
        ),
        "competitors": bar_chart(
            "chart-competitor",
            "Accounts lost by competitor",
            "Accounts lost to each competitor, or to no decision.",
            _labels(losses.by_competitor),
            [Series("Accounts lost", [row.accounts for row in losses.by_competitor])],
            axis_label="Accounts lost",
        ),
    }


def reason_charts(reasons) -> dict[str, Markup]:
    """Primary reason categories in both views, and where the two views disagree."""
    pairs = category_pairs(reasons)
    by_category = reasons.disagreement.by_category
    return {
        "categories": bar_chart(
            "chart-categories",
            "Accounts by primary reason category, in each view",
            "Accounts whose primary reason falls in each category, in the customer's view and "
            "in the team's.",
            [pair.category for pair in pairs],
            [
                Series(
                    "Customer's view", [p.customer.accounts if p.customer else 0 for p in pairs]
                ),
                Series("Team's view", [p.team.accounts if p.team else 0 for p in pairs]),
            ],
            axis_label="Accounts (primary reason)",
        ),
        "disagreement": bar_chart(
            "chart-disagreement",
            "Where the two views disagree",
            "Accounts with a primary reason in both views, by category: views that agree and "
            "views that disagree.",
            [row.category for row in by_category],
            [
                Series("Views agree", [row.accounts - row.disagree for row in by_category]),
                Series("Views disagree", [row.disagree for row in by_category]),
            ],
            axis_label="Accounts",
            stacked=True,
        ),
    }


def win_back_charts(win_back) -> dict[str, Markup]:
    """Where the lost accounts stand now."""
    return {
        "funnel": bar_chart(
            "chart-funnel",
            "Where the lost accounts stand",
            "Accounts lost in the period, by win-back status.",
            [row.label for row in win_back.funnel],
            [Series("Accounts", [row.accounts for row in win_back.funnel])],
            axis_label="Accounts",
        )
    }


def reach_charts(reach) -> dict[str, Markup]:
    """Attempts per person, split into those that became a conversation and those that did not."""
    people = reach.by_user
    return {
        "reach": bar_chart(
            "chart-reach",
            "Attempts per person",
            "Attempts in the period per person: conversations and attempts without one.",
            [person.name for person in people],
            [
                Series("Conversations", [person.conversations for person in people]),
                Series("No conversation", [p.attempts - p.conversations for p in people]),
            ],
            axis_label="Attempts",
            stacked=True,
        )
    }


def draw(losses, reasons, win_back, reach) -> dict[str, Markup]:
    """Every chart on the page, by name."""
    return {
        **loss_charts(losses),
        **reason_charts(reasons),
        **win_back_charts(win_back),
        **reach_charts(reach),
    }
