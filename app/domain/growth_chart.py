"""The growth chart: each student's score on the pre-test joined to their score on the
post-test by a line (a slope chart), with the class mean drawn thick. Server-side SVG in
the house style of :mod:`app.domain.charts`: every text escaped, numbers formatted here,
``role="img"`` named by its title and described in words (how many rose, fell, stayed,
and the means); the results table beside it is its full text equivalent.

A rise is a solid line and a fall a dashed one, so nothing depends on colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from markupsafe import Markup, escape

from app.domain.charts import BAR_FILL, INK, chart_ident, grid_lines, svg_open
from app.domain.numbers import percent

WIDTH = 480
HEIGHT = 360
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 24, 56
FALL = "#a33a1f"  # 6.4:1 on white


def describe_slopes(students: Sequence[tuple[str, float, float]]) -> str:
    """The chart in words: how many rose, fell or stayed, and the mean on each test."""
    if not students:
        return "No student took both tests yet."
    rose = sum(1 for _, pre, post in students if post > pre)
    fell = sum(1 for _, pre, post in students if post < pre)
    same = len(students) - rose - fell
    count = f"{len(students)} student{'' if len(students) == 1 else 's'}"
    mean_pre = fmean(pre for _, pre, _ in students)
    mean_post = fmean(post for _, _, post in students)
    return (f"{count} took both tests: {rose} scored higher on the post-test, {fell} lower, "
            f"{same} the same. Class mean {percent(mean_pre)} on the pre-test, "
            f"{percent(mean_post)} on the post-test.")


def slope_svg(students: Sequence[tuple[str, float, float]], *, title: str,
              chart_id: str = "growth-slopes") -> Markup:
    """(name, pre %, post %) per student as a slope chart, inline SVG markup."""
    ident = chart_ident(chart_id)
    plot_h = HEIGHT - TOP - BOTTOM
    x_pre, x_post = LEFT + 40, WIDTH - RIGHT - 40
    base_y = TOP + plot_h

    def y_of(value: float) -> float:
        return base_y - plot_h * max(0.0, min(100.0, value)) / 100

    out = svg_open(ident, title, describe_slopes(students), WIDTH, HEIGHT)
    out += grid_lines(range(0, 101, 20), y_of, LEFT, WIDTH - RIGHT, suffix="%")
    for name, pre, post in students:
        dashed = ' stroke-dasharray="6 4"' if post < pre else ""
        colour = FALL if post < pre else BAR_FILL
        label = escape(f"{name}: {percent(pre)} to {percent(post)}")
        out.append(f'<g><title>{label}</title>'
                   f'<line x1="{x_pre}" y1="{y_of(pre):.1f}" x2="{x_post}" '
                   f'y2="{y_of(post):.1f}" stroke="{colour}" stroke-width="1.5"{dashed}/>'
                   f'<circle cx="{x_pre}" cy="{y_of(pre):.1f}" r="3" fill="{colour}"/>'
                   f'<circle cx="{x_post}" cy="{y_of(post):.1f}" r="3" fill="{colour}"/></g>')
    if students:
        mean_pre = fmean(pre for _, pre, _ in students)
        mean_post = fmean(post for _, _, post in students)
        out.append(f'<g><title>{escape(f"Class mean: {percent(mean_pre)} to {percent(mean_post)}")}'
                   f'</title><line x1="{x_pre}" y1="{y_of(mean_pre):.1f}" x2="{x_post}" '
                   f'y2="{y_of(mean_post):.1f}" stroke="{INK}" stroke-width="4"/></g>')
        out.append(f'<text x="{x_post + 8}" y="{y_of(mean_post) + 4:.1f}" font-weight="700">'
                   f'mean</text>')
    out.append(f'<line x1="{LEFT}" y1="{base_y}" x2="{WIDTH - RIGHT}" y2="{base_y}" '
               f'stroke="{INK}" stroke-width="1.5"/>')
    for x, label in ((x_pre, "Pre-test"), (x_post, "Post-test")):
        out.append(f'<text x="{x}" y="{base_y + 20}" text-anchor="middle" font-weight="700">'
                   f'{escape(label)}</text>')
    out.append(f'<text transform="translate(16 {TOP + plot_h / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape("Score (percent of the maximum)")}</text>')
    out.append("</svg>")
    # bandit B704: safe, every text and attribute above is escaped or a formatted number.
    return Markup("\n".join(out))  # nosec B704
