"""The question page's part for verify and omission questions (shown by
``teacher/authoring/_check.html``, saved by ``question_check`` in
:mod:`app.teacher.authoring_page`, changed by :mod:`app.services.lesson_checks`).

A verify question: the claim (words of the excerpt), the verdict, why, and 3 to 6 cards of
the shelf the lesson's owner sees, each offered or not, deciding the claim or not, with
its why. An omission question: its why, and 4 to 10 facts from the shelf's cards, each
with its role and why. The offered cards or facts come first, in the question's order;
the rest of the shelf follows, card by card, to add from. Every row is a plain form
field, so the page works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain import check_edits
from app.domain.check_shares import CHECK_KINDS, ROLE_LABELS, VERDICT_LABELS
from app.models import Lesson
from app.services import lesson_checks

__all__ = ["CHECK_KINDS", "check_view"]

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in check_edits.ROLES]


def _row_problems(rows: list[dict[str, Any]], found: list[dict[str, Any]]) -> None:
    """Give each offered row the problems the compiler placed on it (row n of the list)."""
    for number, row in enumerate(rows):
        row["problems"] = [problem["message"] for problem in found if problem["row"] == number]


def check_view(lesson: Lesson, question: Mapping[str, Any], typed: dict[str, Any] | None,
               problems: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What the check part of the question page shows: the fields as typed (``typed``,
    else as the question holds them), the shelf's cards or facts as rows, and the
    problems by part (those on one row beside it, the others at the top of the part)."""
    kind = str(question.get("kind"))
    typed = typed if typed is not None else check_edits.typed_from_question(question)
    shelf = lesson_checks.shelf(lesson.owner_id)
    top = {part: [problem["message"] for problem in found if problem["row"] is None]
           for part, found in problems.items() if part in lesson_checks.CHECK_PARTS}
    view: dict[str, Any] = {"kind": kind, "typed": typed, "problems": top,
                            "shelf_size": len(shelf)}
    if kind == "verify":
        offered, others = check_edits.card_rows(typed, shelf)
        _row_problems(offered, list(problems.get("cards") or []))
        view.update(offered=offered, others=others, verdicts=list(VERDICT_LABELS.items()))
    else:
        offered, groups = check_edits.fact_rows(typed, shelf)
        _row_problems(offered, list(problems.get("facts") or []))
        view.update(offered=offered, groups=groups, roles=ROLE_CHOICES)
    return view
