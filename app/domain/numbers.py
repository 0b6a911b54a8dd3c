"""How scores and percentages read, the same on every page and in every export.

One rule, so one attempt never shows 81% on one page and 80.5% on another: percentages are
rounded half up to a whole number (80.5 → 81, never Python's half-to-even 80); points show
at most one decimal, without a trailing ".0" (5.333… → 5.3, 3.0 → 3).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _half_up(value: float, places: int) -> Decimal:
    # repr() first: Decimal(0.1 + 0.2) would carry the float's binary error into the rounding.
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent_value(score: float | None, maximum: float | None = None) -> int | None:
    """``score`` out of ``maximum`` (or ``score`` already a percentage) as a whole number."""
    if score is None:
        return None
    if maximum is not None:
        if maximum <= 0:
            return 0
        score = score * 100 / maximum
    return int(_half_up(score, 0))


def percent(score: float | None, maximum: float | None = None) -> str:
    """"81%"; "—" when there is nothing to show."""
    value = percent_value(score, maximum)
    return "—" if value is None else f"{value}%"


def points(value: float | None) -> str:
    """Points as a student reads them: "5.3", "3", "0.5"; "—" for none."""
    if value is None:
        return "—"
    text = format(_half_up(value, 1), "f")
    return text[:-2] if text.endswith(".0") else text
