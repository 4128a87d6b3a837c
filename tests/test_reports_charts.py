"""The reports' SVG charts: valid markup, named for screen readers, drawn to scale.

Coordinates are written to a tenth of a unit, so lengths are compared to within 0.2."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from winback_app.reports.charts import bar_chart, column_chart, line_chart
from winback_app.reports.svg import Series, format_value

SVG = "{http://www.w3.org/2000/svg}"


def near(value):
    return pytest.approx(value, abs=0.2)


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def _bars(svg: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("data-value") is not None]


def _labelled(svg: ET.Element, chart_id: str) -> tuple[str, str]:
    """The title and description the chart's aria-labelledby points at."""
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    found = {element.get("id"): element.text for element in svg.iter()}
    assert (title_id, desc_id) == (f"{chart_id}-title", f"{chart_id}-desc")
    return found[title_id], found[desc_id]


def test_bar_lengths_are_proportional_and_every_value_is_read_out(app):
    svg = _parse(
        bar_chart(
            "lost-to",
            "Accounts lost by competitor",
            "Accounts lost to each competitor.",
            ["Valetta", "Brightline", "No decision"],
            [Series("Accounts lost", [6, 3, 0])],
            axis_label="Accounts lost",
        )
    )
    title, desc = _labelled(svg, "lost-to")
    assert title == "Accounts lost by competitor"
    assert desc == "Accounts lost to each competitor. Valetta: 6; Brightline: 3; No decision: 0."
    widths = [float(bar.get("width")) for bar in _bars(svg)]
    assert widths[0] == near(2 * widths[1]) and widths[2] == 0
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Accounts lost" in texts and "Valetta" in texts


def test_columns_are_as_tall_as_their_values():
    svg = _parse(
        column_chart(
            "months",
            "Accounts lost per month",
            "Month by month.",
            ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"],
            Series("Accounts lost", [4, 1, 0, 2]),
        )
    )
    heights = [float(bar.get("height")) for bar in _bars(svg)]
    assert heights[0] == near(4 * heights[1]) and heights[0] == near(2 * heights[3])
    assert heights[2] == 0
    # The year is written under the first month only, not under every one.
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts.count("2026") == 1 and "Jan" in texts and "Apr" in texts


def test_stacked_bars_add_up_and_series_differ_by_pattern_not_only_colour():
    svg = _parse(
        bar_chart(
            "reach",
            "Attempts per person",
            "Attempts.",
            ["Ann", "Ben"],
            [Series("Conversations", [2, 5]), Series("No conversation", [6, 0])],
            stacked=True,
        )
    )
    ann_talked, ann_not, ben_talked, ben_not = _bars(svg)
    assert float(ann_not.get("x")) == near(
        float(ann_talked.get("x")) + float(ann_talked.get("width"))
    )
    total_ann = float(ann_talked.get("width")) + float(ann_not.get("width"))
    assert total_ann == near(float(ben_talked.get("width")) * 8 / 5)
    assert float(ben_not.get("width")) == 0
    assert ann_not.get("fill") == "url(#reach-p1)"
    assert svg.find(f".//{SVG}pattern[@id='reach-p1']") is not None
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "Conversations" in texts and "No conversation" in texts  # the legend
    assert "8" in texts  # Ann's total at the end of her bar


def test_grouped_bars_sit_side_by_side_for_each_label():
    svg = _parse(
        bar_chart(
            "views",
            "Primary reasons",
            "Both views.",
            ["Price", "Service"],
            [Series("Customer's view", [3, 1]), Series("Team's view", [1, 3])],
        )
    )
    price_customer, price_team, service_customer, service_team = _bars(svg)
    assert float(price_team.get("y")) > float(price_customer.get("y"))
    assert float(price_customer.get("width")) == near(float(service_team.get("width")))
    _, desc = _labelled(svg, "views")
    assert "Price: Customer's view 3, Team's view 1" in desc


def test_line_points_follow_the_values(app_ctx):
    svg = _parse(
        line_chart(
            "value",
            "Value lost per month",
            "Month by month.",
            ["Jan 2026", "Feb 2026", "Mar 2026"],
            [Series("Value lost", [Decimal("30000.00"), Decimal("0.00"), Decimal("15000.00")])],
            unit="money",
            axis_label="Value lost",
        )
    )
    points = svg.find(f"{SVG}polyline").get("points").split()
    ys = [float(point.split(",")[1]) for point in points]
    bottom = max(ys)
    assert ys[1] == bottom and (bottom - ys[0]) == near(2 * (bottom - ys[2]))
    _, desc = _labelled(svg, "value")
    assert "Jan 2026: €30,000" in desc and "Feb 2026: €0" in desc


@pytest.mark.parametrize("draw", ["bar", "column", "line"])
def test_all_zero_and_empty_data_draw_without_dividing_by_zero(draw):
    zeros = Series("Accounts lost", [0, 0])
    chart = {
        "bar": lambda labels, s: bar_chart("c", "T", "S.", labels, [s], stacked=True),
        "column": lambda labels, s: column_chart("c", "T", "S.", labels, s),
        "line": lambda labels, s: line_chart("c", "T", "S.", labels, [s]),
    }[draw]
    svg = _parse(chart(["Jan 2026", "Feb 2026"], zeros))
    assert all(float(bar.get("width")) == 0 or float(bar.get("height")) == 0 for bar in _bars(svg))
    empty = _parse(chart([], Series("Accounts lost", [])))
    _, desc = _labelled(empty, "c")
    assert desc == "S. Nothing to show for these filters."
    assert "Nothing to show for these filters" in [t.text for t in empty.iter(f"{SVG}text")]


def test_labels_are_escaped_and_long_ones_shortened():
    svg = _parse(
        bar_chart(
            "esc",
            "Lost to <script>",
            "S.",
            ["A & B <Holdings> with a very long trading name indeed"],
            [Series("Accounts", [1])],
        )
    )
    title, _ = _labelled(svg, "esc")
    assert title == "Lost to <script>"
    assert any(
        t.text and t.text.startswith("A & B <Holdings>") and t.text.endswith("…")
        for t in svg.iter(f"{SVG}text")
    )


def test_values_are_written_as_counts_money_and_percentages(app_ctx):
    assert format_value(1234, "count") == "1,234"
    assert format_value(Decimal("12500.00"), "money") == "€12,500"
    assert format_value(Decimal("12500.00"), "money", compact=True) == "€12.5k"
    assert format_value(2_000_000, "money", compact=True) == "€2M"
    assert format_value(0.456, "percent") == "46%"
