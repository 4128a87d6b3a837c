"""Charts drawn on the server as SVG: bars (across or up), stacked bars and lines. No script.

Every chart is an image with a title and a description that reads out each value, linked by
``aria-labelledby``; the page shows the same figures in a table beside it. Series differ by
pattern and line style as well as colour, and every stroke is dark, so a chart still reads on a
black-and-white printout. A chart whose values are all zero keeps a scale of 0 to 1.
"""

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from winback_app.reports import svg
from winback_app.reports.svg import BRAND, GRID, INK, WIDTH, Series, format_value


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "count",
    axis_label: str = "",
    stacked: bool = False,
) -> Markup:
    """Bars across the page, one row per label: side by side per series, or ``stacked``."""
    desc = svg.describe(summary, labels, series, unit)
    if not labels:
        return svg.empty(chart_id, title, desc)
    values = svg.floats(series)
    totals = [sum(column) for column in zip(*values, strict=True)]
    top, ticks = svg.scale(totals if stacked else [v for row in values for v in row], unit)
    legend, legend_height = svg.legend(chart_id, series)
    left, room = 190, WIDTH - 190 - 80
    groups = 1 if stacked else len(series)
    bar = 16 if groups == 1 else 11
    row = groups * bar + (groups - 1) * 2 + 10
    plot_top = legend_height + 6
    plot_bottom = plot_top + row * len(labels)
    parts = [legend]
    for tick in ticks:
        x = left + room * tick / top
        parts.append(
            f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{plot_bottom}" stroke="{GRID}"'
            f' stroke-dasharray="3 3"/>'
        )
        parts.append(svg.text(x, plot_bottom + 15, format_value(tick, unit, True), "middle", 11))
    for position, label in enumerate(labels):
        y = plot_top + row * position + 5
        parts.append(svg.text(left - 8, y + (row - 10) / 2 + 4, svg.short(label), "end", 12))
        x = left
        for index, one in enumerate(values):
            length = room * one[position] / top
            bar_y = y if stacked else y + index * (bar + 2)
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{length:.1f}" height="{bar}"'
                f' fill="{svg.fill(chart_id, index)}" stroke="{INK}" stroke-width=".75"'
                f' data-value="{one[position]:g}"/>'
            )
            if stacked:
                x += length
            else:
                value = format_value(series[index].values[position], unit)
                parts.append(svg.text(x + length + 5, bar_y + bar - 2, value, size=11, weight=600))
        if stacked:
            total = format_value(totals[position], unit)
            parts.append(svg.text(x + 5, y + bar - 3, total, size=11, weight=600))
    parts.append(
        f'<line x1="{left}" y1="{plot_top}" x2="{left}" y2="{plot_bottom}" stroke="{INK}"/>'
    )
    if axis_label:
        parts.append(svg.text(left + room / 2, plot_bottom + 34, axis_label, "middle", 12, 600))
    return svg.figure(
        chart_id, plot_bottom + (42 if axis_label else 24), title, desc, "".join(parts)
    )


class _Frame:
    """Axes for charts that run up the page: labels along the bottom, values up the side."""

    def __init__(self, chart_id, labels, series, unit, axis_label, lines=False):
        self.legend, legend_height = svg.legend(chart_id, series, lines)
        self.labels, self.unit = labels, unit
        self.top_value, self.ticks = svg.scale([v for row in svg.floats(series) for v in row], unit)
        self.left, self.right = 70, WIDTH - 14
        self.top, self.bottom = legend_height + 18, legend_height + 200
        self.slot = (self.right - self.left) / len(labels)
        self.axis_label = axis_label

    def x(self, position: int) -> float:
        return self.left + self.slot * (position + 0.5)

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * value / self.top_value

    @property
    def show_values(self) -> bool:
        return len(self.labels) <= 24

    def axes(self) -> str:
        parts = [self.legend]
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(
                f'<line x1="{self.left}" y1="{y:.1f}" x2="{self.right}" y2="{y:.1f}"'
                f' stroke="{GRID}" stroke-dasharray="3 3"/>'
            )
            label = format_value(tick, self.unit, True)
            parts.append(svg.text(self.left - 6, y + 4, label, "end", 11))
        parts.append(
            f'<line x1="{self.left}" y1="{self.bottom}" x2="{self.right}" y2="{self.bottom}"'
            f' stroke="{INK}"/>'
        )
        every = math.ceil(len(self.labels) / 12)
        shown_tail = None
        for position, label in enumerate(self.labels):
            if position % every:
                continue
            head, _, tail = label.partition(" ")
            parts.append(svg.text(self.x(position), self.bottom + 15, head, "middle", 11))
            if tail and tail != shown_tail:
                parts.append(svg.text(self.x(position), self.bottom + 29, tail, "middle", 11))
                shown_tail = tail
        if self.axis_label:
            middle = (self.top + self.bottom) / 2
            rotate = f' transform="rotate(-90 14 {middle:.1f})"'
            parts.append(svg.text(14, middle, self.axis_label, "middle", 12, 600, extra=rotate))
        return "".join(parts)


def column_chart(
    chart_id: str,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Series,
    *,
    unit: str = "count",
    axis_label: str = "",
) -> Markup:
    """Bars up the page, one per label (months or quarters, oldest first)."""
    desc = svg.describe(summary, labels, [series], unit)
    if not labels:
        return svg.empty(chart_id, title, desc)
    frame = _Frame(chart_id, labels, [series], unit, axis_label)
    parts = [frame.axes()]
    width = min(36.0, frame.slot * 0.7)
    for position, value in enumerate(svg.floats([series])[0]):
        y = frame.y(value)
        x = frame.x(position) - width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{frame.bottom - y:.1f}"'
            f' fill="{BRAND}" stroke="{INK}" stroke-width=".75" data-value="{value:g}"/>'
        )
        if frame.show_values:
            label = format_value(series.values[position], unit, True)
            parts.append(svg.text(frame.x(position), y - 4, label, "middle", 11, 600))
    return svg.figure(chart_id, frame.bottom + 36, title, desc, "".join(parts))


def line_chart(
    chart_id: str,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "count",
    axis_label: str = "",
) -> Markup:
    """One line per series across the labels (months or quarters, oldest first)."""
    desc = svg.describe(summary, labels, series, unit)
    if not labels:
        return svg.empty(chart_id, title, desc)
    frame = _Frame(chart_id, labels, series, unit, axis_label, lines=True)
    parts = [frame.axes()]
    for index, values in enumerate(svg.floats(series)):
        points = [(frame.x(p), frame.y(v)) for p, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" {svg.line_style(index)} stroke-width="2.5"'
            f' stroke-linejoin="round" data-series="{escape(series[index].name)}"/>'
        )
        for position, (x, y) in enumerate(points):
            parts.append(svg.marker(index, x, y))
            if frame.show_values and index == 0:
                label = format_value(series[index].values[position], unit, True)
                parts.append(svg.text(x, y - 8, label, "middle", 11, 600))
    return svg.figure(chart_id, frame.bottom + 36, title, desc, "".join(parts))
