"""What scoring one question gives: points, the maximum, and the verdicts explaining them.

Shared by :mod:`app.domain.scoring` (the marking questions) and :mod:`app.domain.checking`
(verify and omission), which the scoring registry includes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class QuestionResult:
    """Points for one question, its maximum, and the verdicts that explain them."""

    points: float
    max_points: float
    verdicts: list[dict[str, Any]] = field(default_factory=list)


def round_points(value: float) -> float:
    """Points as shown and stored: two decimals, never ``-0.0``."""
    return round(value + 0.0, 2)
