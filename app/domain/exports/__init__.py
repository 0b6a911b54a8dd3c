"""A lesson out of the app: a QTI 3.0 content package and a Moodle GIFT file.

Pure Python (no Flask, no database). Every exporter takes a :class:`LessonExport`: the
compiled lesson exactly as a version stores it (so the keys are the ones the quiz scores
with, already resolved from the readings, never judged a second time) and where each
excerpt comes from. :mod:`.rules` turns the app's scoring rules into the maps a QTI item
scores with and the feedback each frame option gets; :mod:`.qti_items` writes one QTI item
per question, :mod:`.qti` the package around them, :mod:`.gift` the GIFT file (with
:mod:`.gift_text`, :mod:`.gift_choices` and :mod:`.gift_marking`). What each format keeps
and loses is in ``docs/exports.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class LessonExport:
    """What an exporter needs: the compiled lesson (``content``), the version it is
    (0 for an unpublished draft), and per excerpt id where it comes from
    (``{"title", "credit"}``, as the quiz shows it under the excerpt)."""

    content: Mapping[str, Any]
    version: int
    sources: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return str(self.content["slug"])

    @property
    def texts(self) -> dict[str, str]:
        """Excerpt id -> its text, as the scorers take them."""
        return {excerpt["id"]: excerpt["text"] for excerpt in self.content["excerpts"]}
