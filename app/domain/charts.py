"""Charts drawn on the server as SVG: no JavaScript, no external files.

The SVG is built as a string, so every piece of text put into it goes through
:func:`markupsafe.escape` first; only the finished string is wrapped in
:class:`markupsafe.Markup` for the template. Numbers are formatted here from ints and
floats, never taken from user text.

Accessibility: the chart is ``role="img"`` named by its ``<title>`` and described by its
``<desc>`` (``aria-labelledby``), which lists every bar's count in words; each bar also
carries its count as a text label, so nothing depends on colour.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence

from markupsafe import Markup, escape

from app.domain.analysis import Band

WIDTH = 640
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 68
BAR_FILL = "#1f4fa3"  # the site's brand blue; 8.6:1 on white
INK = "#1c1f24"


def _nice_step(largest: int) -> int:
    """A tick step of 1, 2 or 5 × 10ⁿ giving at most about five ticks up to ``largest``."""
    if largest <= 5:
        return 1
    raw = largest / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def _students(count: int) -> str:
    return f"{count} student{'' if count == 1 else 's'}"


def describe_distribution(bands: Sequence[Band]) -> str:
    """The chart in words: every band and its count, for screen readers and the ``<desc>``."""
    total = sum(band.count for band in bands)
    parts = "; ".join(f"{band.label}: {band.count}" for band in bands)
    return f"{_students(total)} in ten score bands. {parts}."


def chart_ident(chart_id: str) -> str:
    """``chart_id`` made safe as an id prefix: characters an id may not hold become ``-``."""
    return str(escape(re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"))


def svg_open(ident: str, title: str, description: str, width: float, height: float, *,
             css_class: str = "chart", font_size: int = 13) -> list[str]:
    """The opening of an inline SVG chart: ``role="img"``, labelled by its ``<title>`` and
    described by its ``<desc>`` (both escaped here), the house font and ink."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{font_size}" fill="{INK}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def grid_lines(ticks: Iterable[int], y_of: Callable[[float], float], left: float,
               right: float, suffix: str = "") -> list[str]:
    """Horizontal grid lines at ``ticks`` with their labels on the left (``suffix`` after
    each number, e.g. "%")."""
    out = []
    for tick in ticks:
        y = y_of(tick)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
                   f'stroke="#c9ced6" stroke-width="1"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{tick}{suffix}'
                   f'</text>')
    return out


def distribution_svg(bands: Sequence[Band], *, title: str,
                     chart_id: str = "score-distribution") -> Markup:
    """A bar chart of ``bands`` (students per score band) as inline SVG markup.

    ``title`` names the chart; the description is :func:`describe_distribution`. The ids
    of the title and description start with ``chart_id`` (keep it unique on the page);
    characters an id may not hold become ``-``.
    """
    ident = chart_ident(chart_id)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    largest = max((band.count for band in bands), default=0)
    step = _nice_step(largest)
    top_value = max(step, math.ceil(largest / step) * step)
    slot = plot_w / max(1, len(bands))
    bar_w = slot * 0.7
    base_y = TOP + plot_h

    def y_of(value: float) -> float:  # data value -> SVG y (which grows downwards)
        return base_y - plot_h * value / top_value

    out = svg_open(ident, title, describe_distribution(bands), WIDTH, HEIGHT)
    out += grid_lines(range(0, top_value + 1, step), y_of, LEFT, WIDTH - RIGHT)
    for number, band in enumerate(bands):
        x = LEFT + number * slot + (slot - bar_w) / 2
        y = y_of(band.count)
        centre = x + bar_w / 2
        label = escape(band.label)
        out.append(f'<g><title>{label}: {escape(_students(band.count))}</title>')
        if band.count:
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                       f'height="{base_y - y:.1f}" fill="{BAR_FILL}" stroke="{INK}"/>')
        out.append(f'<text x="{centre:.1f}" y="{y - 6:.1f}" text-anchor="middle" '
                   f'font-weight="700">{band.count}</text>')
        out.append(f'<text x="{centre:.1f}" y="{base_y + 18:.1f}" text-anchor="middle" '
                   f'font-size="11">{label}</text></g>')
    out.append(f'<line x1="{LEFT}" y1="{base_y}" x2="{WIDTH - RIGHT}" y2="{base_y}" '
               f'stroke="{INK}" stroke-width="1.5"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base_y}" stroke="{INK}" '
               f'stroke-width="1.5"/>')
    out.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 16}" text-anchor="middle">'
               f'{escape("Grade (percent of the maximum score)")}</text>')
    out.append(f'<text transform="translate(18 {TOP + plot_h / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape("Number of students")}</text>')
    out.append("</svg>")
    # bandit B704: safe, every text and attribute above is escaped or a formatted number.
    return Markup("\n".join(out))  # nosec B704
