"""The discernment chart: each student as a point at (false-alarm rate, hit rate).

Server-side SVG in the house style of :mod:`app.domain.charts`: every text escaped, the
chart ``role="img"`` named by its ``<title>`` and described by its ``<desc>``, no
JavaScript. The points are **not named**, so the chart can be projected in front of the
class; the page's table beside it names every student and is the chart's text equivalent.

Reading it: the diagonal is chance (marking words at random finds as many loaded words as
it marks neutral ones); the further up and to the left, the better a student tells loaded
from neutral. Up and to the right: finds a lot but marks freely.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from app.domain.charts import chart_ident, svg_open
from app.domain.discernment import Discernment

SIZE = 360
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 56
POINT = "#1f4fa3"  # the site's brand blue, as the bar chart
INK = "#1c1f24"
GRID = "#c9ced6"
TICKS = (0, 25, 50, 75, 100)


def _percent(rate: float) -> str:
    return f"{round(rate * 100)}%"


def describe_points(points: Sequence[Discernment], mean: Discernment | None = None) -> str:
    """The chart in words: how many students, where the class's pooled rates sit, and
    how many points lie above, on or below the chance line."""
    count = len(points)
    if not count:
        return "No student has answered a marking question yet, so there are no points."
    above = sum(1 for p in points if p.hit_rate > p.false_alarm_rate)
    level = sum(1 for p in points if p.hit_rate == p.false_alarm_rate)
    below = count - above - level
    text = (f"{count} student{'' if count == 1 else 's'}, one unnamed point each, at their "
            f"false-alarm rate (across) and hit rate (up). {above} above the chance line, "
            f"{level} on it, {below} below it.")
    if mean is not None:
        text += (f" The class's pooled rates: {_percent(mean.hit_rate)} of loaded items "
                 f"found, {_percent(mean.false_alarm_rate)} of items outside the key marked.")
    return text + " The table on this page gives every student's numbers."


def discernment_svg(points: Sequence[Discernment], *, title: str,
                    pooled: Discernment | None = None,
                    chart_id: str = "discernment") -> Markup:
    """A scatter of ``points`` (one per student) with the chance diagonal, as inline SVG;
    ``pooled`` (the class's pooled rates) is drawn as a larger diamond."""
    ident = chart_ident(chart_id)
    plot = SIZE - LEFT - RIGHT
    width, height = SIZE, TOP + plot + BOTTOM
    base = TOP + plot

    def x_of(rate: float) -> float:
        return LEFT + plot * rate

    def y_of(rate: float) -> float:
        return base - plot * rate

    out = svg_open(ident, title, describe_points(points, pooled), width, height,
                   css_class="chart chart-square", font_size=12)
    for tick in TICKS:
        x, y = x_of(tick / 100), y_of(tick / 100)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot}" y2="{y:.1f}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{base}" '
                   f'stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>')
        out.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{tick}%</text>')
    out.append(f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot}" y2="{TOP}" stroke="{INK}" '
               f'stroke-width="1.5" stroke-dasharray="6 4"/>')
    out.append(f'<text x="{x_of(0.62):.1f}" y="{y_of(0.55):.1f}" font-style="italic" '
               f'transform="rotate(-45 {x_of(0.62):.1f} {y_of(0.55):.1f})">'
               f'{escape("chance")}</text>')
    for point in points:
        out.append(f'<circle cx="{x_of(point.false_alarm_rate):.1f}" '
                   f'cy="{y_of(point.hit_rate):.1f}" r="5" fill="{POINT}" '
                   f'fill-opacity="0.55" stroke="{INK}" stroke-width="1"/>')
    if pooled is not None:
        cx, cy = x_of(pooled.false_alarm_rate), y_of(pooled.hit_rate)
        out.append(f'<g><title>{escape("The class, pooled")}</title>'
                   f'<path d="M{cx:.1f} {cy - 8:.1f} L{cx + 8:.1f} {cy:.1f} L{cx:.1f} '
                   f'{cy + 8:.1f} L{cx - 8:.1f} {cy:.1f} Z" fill="#ffffff" stroke="{INK}" '
                   f'stroke-width="2"/></g>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot}" height="{plot}" fill="none" '
               f'stroke="{INK}" stroke-width="1.5"/>')
    out.append(f'<text x="{LEFT + plot / 2:.1f}" y="{height - 12}" text-anchor="middle">'
               f'{escape("Marked outside the key (false-alarm rate)")}</text>')
    out.append(f'<text transform="translate(16 {TOP + plot / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape("Loaded items found (hit rate)")}</text>')
    out.append("</svg>")
    # bandit B704: safe, every text and attribute above is escaped or a formatted number.
    return Markup("\n".join(out))  # nosec B704
