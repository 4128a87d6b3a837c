"""SVG drawing for the report charts: scales, labels, legends, patterns, descriptions.

Every chart has a title and a description that reads out each value, and patterns as well as
colour, so it works for screen readers, in grey print and for colour-blind readers.
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


def scale(values: list[float], unit: str) -> tuple[float, list[float]]:
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


def text(x, y, content, anchor="start", size=12, weight=None, fill=INK, extra="") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{bold}'
        f' fill="{fill}"{extra}>{escape(content)}</text>'
    )


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def fill(chart_id: str, index: int) -> str:
    return BRAND if index % 4 == 0 else f"url(#{chart_id}-p{index % 4})"


def defs(chart_id: str) -> str:
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


def legend(chart_id: str, series: Sequence[Series], lines: bool = False) -> tuple[str, int]:
    """A row of swatches and names (only when there is more than one series)."""
    if len(series) < 2:
        return "", 0
    parts, x = [], 8
    for index, one in enumerate(series):
        if lines:
            parts.append(
                f'<line x1="{x}" y1="11" x2="{x + 22}" y2="11" {line_style(index)}'
                f' stroke-width="2.5"/>{marker(index, x + 11, 11)}'
            )
        else:
            parts.append(
                f'<rect x="{x}" y="4" width="14" height="14" fill="{fill(chart_id, index)}"'
                f' stroke="{INK}" stroke-width=".75"/>'
            )
        parts.append(text(x + 28, 16, one.name, size=12))
        x += 40 + 7 * len(one.name)
    return "".join(parts), 26


def describe(summary: str, labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
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


def figure(chart_id: str, height: float, title: str, desc: str, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {WIDTH}'
        f' {height:.0f}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' focusable="false"><title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{defs(chart_id)}{body}</svg>'
    )


def empty(chart_id: str, title: str, desc: str) -> Markup:
    message = text(WIDTH / 2, 34, "Nothing to show for these filters", "middle", 13, fill=SOFT)
    frame = f'<rect x="1" y="1" width="{WIDTH - 2}" height="54" fill="none" stroke="{GRID}"/>'
    return figure(chart_id, 56, title, desc, frame + message)


def floats(series: Sequence[Series]) -> list[list[float]]:
    return [[float(v or 0) for v in one.values] for one in series]


def line_style(index: int) -> str:
    """The first line solid in the brand colour, the others dashed in ink."""
    return f'stroke="{BRAND}"' if index == 0 else f'stroke="{INK}" stroke-dasharray="7 4"'


def marker(index: int, x: float, y: float) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BRAND if index == 0 else INK}"/>'
