"""The calibration chart: mean score by "How sure are you?" rating, as server-side SVG.

Drawn like :mod:`app.domain.charts` (no JavaScript, every text escaped, ``role="img"``
named by its ``<title>`` and described by its ``<desc>``): one bar per rating, its mean
score written on it, and the number of rated answers under its label, so nothing depends
on colour. A rating nobody gave has no bar and says "no answers". The table on the page
holds the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from app.domain.calibration import Level
from app.domain.charts import (
    BAR_FILL,
    BOTTOM,
    HEIGHT,
    INK,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    chart_ident,
    grid_lines,
    svg_open,
)
from app.domain.numbers import percent


def _answers(count: int) -> str:
    return f"{count} answer{'' if count == 1 else 's'}"


def describe_levels(levels: Sequence[Level]) -> str:
    """The chart in words: each rating's mean score and number of answers."""
    parts = "; ".join(
        f"{level.label}: " + ("no answers" if level.mean_percent is None else
                              f"{percent(level.mean_percent)} mean score over "
                              f"{_answers(level.answers)}")
        for level in levels)
    return f"Mean score by how sure students said they were. {parts}."


def accuracy_svg(levels: Sequence[Level], *, title: str,
                 chart_id: str = "calibration-chart") -> Markup:
    """A bar chart of mean score (0-100%) per rating, as inline SVG markup."""
    ident = chart_ident(chart_id)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(levels))
    bar_w = slot * 0.6
    base_y = TOP + plot_h

    def y_of(value: float) -> float:  # a percentage -> SVG y (which grows downwards)
        return base_y - plot_h * value / 100

    out = svg_open(ident, title, describe_levels(levels), WIDTH, HEIGHT)
    out += grid_lines(range(0, 101, 20), y_of, LEFT, WIDTH - RIGHT, suffix="%")
    for number, level in enumerate(levels):
        x = LEFT + number * slot + (slot - bar_w) / 2
        centre = x + bar_w / 2
        label = escape(level.label)
        if level.mean_percent is None:
            value_text, y = "no answers", base_y
        else:
            value_text, y = percent(level.mean_percent), y_of(level.mean_percent)
        out.append(f'<g><title>{label}: {escape(value_text)}</title>')
        if level.mean_percent:
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                       f'height="{base_y - y:.1f}" fill="{BAR_FILL}" stroke="{INK}"/>')
        out.append(f'<text x="{centre:.1f}" y="{y - 6:.1f}" text-anchor="middle" '
                   f'font-weight="700">{escape(value_text)}</text>')
        out.append(f'<text x="{centre:.1f}" y="{base_y + 18:.1f}" text-anchor="middle">'
                   f'{label}</text>')
        out.append(f'<text x="{centre:.1f}" y="{base_y + 34:.1f}" text-anchor="middle" '
                   f'font-size="11">{escape(_answers(level.answers))}</text></g>')
    out.append(f'<line x1="{LEFT}" y1="{base_y}" x2="{WIDTH - RIGHT}" y2="{base_y}" '
               f'stroke="{INK}" stroke-width="1.5"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base_y}" stroke="{INK}" '
               f'stroke-width="1.5"/>')
    out.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
               f'{escape("How sure the student said they were")}</text>')
    out.append(f'<text transform="translate(18 {TOP + plot_h / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape("Mean score (% of the maximum)")}</text>')
    out.append("</svg>")
    # bandit B704: safe, every text and attribute above is escaped or a formatted number.
    return Markup("\n".join(out))  # nosec B704
