"""Charts drawn on the server as SVG: bars (across or up), stacked bars and lines. No script.

Every chart is an image with a title and a description that reads out each value, linked by
``aria-labelledby``; the page shows the same figures in a table beside it. Series differ by
pattern and line style as well as colour, and every stroke is dark, so a chart still reads on a
black-and-white printout. A chart whose values are all zero keeps a scale of 0 to 1.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from winback_app.formatting import format_money

INK = "#1c2430"
SOFT = "#3d4756"
GRID = "#5f6978"
BRAND = "#1f5f8b"
WIDTH = 640
LABEL_CHARS = 28


@dataclass(frozen=True)
class Series:
    """One set of values, one per label, drawn in one style."""

    name: str
    values: Sequence[int | float | Decimal]


def format_value(value, unit: str, compact: bool = False) -> str:
    """``value`` as the chart writes it: a count, an amount of money or a percentage."""
    if unit == "money":
        amount = float(value)
        if compact and abs(amount) >= 1000:
            whole = format_money(Decimal(0))[:-1]  # the currency symbol alone
            scaled, suffix = (amount / 1e6, "M") if abs(amount) >= 1e6 else (amount / 1e3, "k")
            return f"{whole}{scaled:,.1f}".rstrip("0").rstrip(".") + suffix
        return format_money(value)
    if unit == "percent":
        return f"{float(value) * 100:.0f}%"
    return f"{float(value):,.0f}"


def _scale(values: list[float], unit: str) -> tuple[float, list[float]]:
    """A round top for the axis and the ticks from 0 to it (counts get whole-number ticks)."""
    most = max([0.0, *values])
    if unit == "percent":
        most = max(most, 0.01)
    if most <= 0:
        return 1.0, [0.0, 1.0]
    raw = most / 4
    power = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if unit == "count" else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in steps if m * power >= raw)
    if unit == "count":
        step = max(1.0, math.ceil(step))
    top = step * math.ceil(most / step)
    return top, [step * i for i in range(round(top / step) + 1)]


def _text(x, y, content, anchor="start", size=12, weight=None, fill=INK, extra="") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{bold}'
        f' fill="{fill}"{extra}>{escape(content)}</text>'
    )


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _fill(chart_id: str, index: int) -> str:
    return BRAND if index % 4 == 0 else f"url(#{chart_id}-p{index % 4})"


def _defs(chart_id: str) -> str:
    """Patterns for the second, third and fourth series: stripes, dots, crosses."""
    cell = '<rect width="6" height="6" fill="#fff"/>'
    return (
        f'<defs><pattern id="{chart_id}-p1" width="6" height="6" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)">{cell}<rect width="2.5" height="6" fill="{INK}"/>'
        f'</pattern><pattern id="{chart_id}-p2" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'{cell}<circle cx="3" cy="3" r="1.4" fill="{INK}"/></pattern>'
        f'<pattern id="{chart_id}-p3" width="6" height="6" patternUnits="userSpaceOnUse">{cell}'
        f'<path d="M0 0L6 6M6 0L0 6" stroke="{INK}" stroke-width="1.2"/></pattern></defs>'
    )


def _legend(chart_id: str, series: Sequence[Series], lines: bool = False) -> tuple[str, int]:
    """A row of swatches and names (only when there is more than one series)."""
    if len(series) < 2:
        return "", 0
    parts, x = [], 8
    for index, one in enumerate(series):
        if lines:
            parts.append(
                f'<line x1="{x}" y1="11" x2="{x + 22}" y2="11" {_line_style(index)}'
                f' stroke-width="2.5"/>{_marker(index, x + 11, 11)}'
            )
        else:
            parts.append(
                f'<rect x="{x}" y="4" width="14" height="14" fill="{_fill(chart_id, index)}"'
                f' stroke="{INK}" stroke-width=".75"/>'
            )
        parts.append(_text(x + 28, 16, one.name, size=12))
        x += 40 + 7 * len(one.name)
    return "".join(parts), 26


def _describe(summary: str, labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    if not labels:
        return f"{summary} Nothing to show for these filters."
    items = []
    for position, label in enumerate(labels):
        values = [format_value(one.values[position], unit) for one in series]
        if len(series) == 1:
            items.append(f"{label}: {values[0]}")
        else:
            named = ", ".join(f"{one.name} {v}" for one, v in zip(series, values, strict=True))
            items.append(f"{label}: {named}")
    return f"{summary} " + "; ".join(items) + "."


def _svg(chart_id: str, height: float, title: str, desc: str, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {WIDTH}'
        f' {height:.0f}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' focusable="false"><title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{_defs(chart_id)}{body}</svg>'
    )


def _empty(chart_id: str, title: str, desc: str) -> Markup:
    message = _text(WIDTH / 2, 34, "Nothing to show for these filters", "middle", 13, fill=SOFT)
    frame = f'<rect x="1" y="1" width="{WIDTH - 2}" height="54" fill="none" stroke="{GRID}"/>'
    return _svg(chart_id, 56, title, desc, frame + message)


def _floats(series: Sequence[Series]) -> list[list[float]]:
    return [[float(v or 0) for v in one.values] for one in series]


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
    desc = _describe(summary, labels, series, unit)
    if not labels:
        return _empty(chart_id, title, desc)
    values = _floats(series)
    totals = [sum(column) for column in zip(*values, strict=True)]
    top, ticks = _scale(totals if stacked else [v for row in values for v in row], unit)
    legend, legend_height = _legend(chart_id, series)
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
        parts.append(_text(x, plot_bottom + 15, format_value(tick, unit, True), "middle", 11))
    for position, label in enumerate(labels):
        y = plot_top + row * position + 5
        parts.append(_text(left - 8, y + (row - 10) / 2 + 4, _short(label), "end", 12))
        x = left
        for index, one in enumerate(values):
            length = room * one[position] / top
            bar_y = y if stacked else y + index * (bar + 2)
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{length:.1f}" height="{bar}"'
                f' fill="{_fill(chart_id, index)}" stroke="{INK}" stroke-width=".75"'
                f' data-value="{one[position]:g}"/>'
            )
            if stacked:
                x += length
            else:
                value = format_value(series[index].values[position], unit)
                parts.append(_text(x + length + 5, bar_y + bar - 2, value, size=11, weight=600))
        if stacked:
            total = format_value(totals[position], unit)
            parts.append(_text(x + 5, y + bar - 3, total, size=11, weight=600))
    parts.append(
        f'<line x1="{left}" y1="{plot_top}" x2="{left}" y2="{plot_bottom}" stroke="{INK}"/>'
    )
    if axis_label:
        parts.append(_text(left + room / 2, plot_bottom + 34, axis_label, "middle", 12, 600))
    return _svg(chart_id, plot_bottom + (42 if axis_label else 24), title, desc, "".join(parts))


def _line_style(index: int) -> str:
    """The first line solid in the brand colour, the others dashed in ink."""
    return f'stroke="{BRAND}"' if index == 0 else f'stroke="{INK}" stroke-dasharray="7 4"'


def _marker(index: int, x: float, y: float) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BRAND if index == 0 else INK}"/>'


class _Frame:
    """Axes for charts that run up the page: labels along the bottom, values up the side."""

    def __init__(self, chart_id, labels, series, unit, axis_label, lines=False):
        self.legend, legend_height = _legend(chart_id, series, lines)
        self.labels, self.unit = labels, unit
        self.top_value, self.ticks = _scale([v for row in _floats(series) for v in row], unit)
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
            parts.append(_text(self.left - 6, y + 4, label, "end", 11))
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
            parts.append(_text(self.x(position), self.bottom + 15, head, "middle", 11))
            if tail and tail != shown_tail:
                parts.append(_text(self.x(position), self.bottom + 29, tail, "middle", 11))
                shown_tail = tail
        if self.axis_label:
            middle = (self.top + self.bottom) / 2
            rotate = f' transform="rotate(-90 14 {middle:.1f})"'
            parts.append(_text(14, middle, self.axis_label, "middle", 12, 600, extra=rotate))
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
    desc = _describe(summary, labels, [series], unit)
    if not labels:
        return _empty(chart_id, title, desc)
    frame = _Frame(chart_id, labels, [series], unit, axis_label)
    parts = [frame.axes()]
    width = min(36.0, frame.slot * 0.7)
    for position, value in enumerate(_floats([series])[0]):
        y = frame.y(value)
        x = frame.x(position) - width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{frame.bottom - y:.1f}"'
            f' fill="{BRAND}" stroke="{INK}" stroke-width=".75" data-value="{value:g}"/>'
        )
        if frame.show_values:
            label = format_value(series.values[position], unit, True)
            parts.append(_text(frame.x(position), y - 4, label, "middle", 11, 600))
    return _svg(chart_id, frame.bottom + 36, title, desc, "".join(parts))


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
    desc = _describe(summary, labels, series, unit)
    if not labels:
        return _empty(chart_id, title, desc)
    frame = _Frame(chart_id, labels, series, unit, axis_label, lines=True)
    parts = [frame.axes()]
    for index, values in enumerate(_floats(series)):
        points = [(frame.x(p), frame.y(v)) for p, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" {_line_style(index)} stroke-width="2.5"'
            f' stroke-linejoin="round" data-series="{escape(series[index].name)}"/>'
        )
        for position, (x, y) in enumerate(points):
            parts.append(_marker(index, x, y))
            if frame.show_values and index == 0:
                label = format_value(series[index].values[position], unit, True)
                parts.append(_text(x, y - 8, label, "middle", 11, 600))
    return _svg(chart_id, frame.bottom + 36, title, desc, "".join(parts))
