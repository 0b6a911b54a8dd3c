"""A stored answer as item analysis reads it (what an ``AttemptAnswer`` row carries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    question_id: str
    points: float
    max_points: float
    kind: str = "loaded_terms"
    verdicts: list[dict[str, Any]] = field(default_factory=list)
