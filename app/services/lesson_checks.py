"""The lesson editor's part for verify and omission questions: the claim, verdict and cards
of a verify question, the facts of an omission question, chosen from the shelf the lesson's
owner sees (the library's cards and their own: :func:`app.services.shelf.shelf_for`).

The change is a step of the question page (:mod:`app.teacher.authoring_page`), saved with
the rest of the page in one edit. Unlike the key lists, whose problems are shown on a
saved draft, this part is checked before anything is saved: the draft with the change is
compiled by the lesson compiler, as a lesson file would be, and any problem the compiler
finds in this part refuses the change (:class:`CheckRefused`), so the page is shown again
with what was typed and each problem beside its field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.domain import check_edits
from app.domain.issue_places import place, question_part
from app.domain.lesson_edits import EditRefused, QuestionMissing
from app.domain.lesson_files import emit_lesson
from app.services.authoring import (
    AuthoringError,
    PartNotFound,
    Workspace,
    check,
    file_name,
)
from app.services.shelf import shelf_for

# The parts of the question page this step answers for (app.domain.issue_places).
CHECK_PARTS = ("claim", "verdict", "check-why", "cards", "facts")

Problems = dict[str, list[dict[str, Any]]]


class CheckRefused(AuthoringError):
    """The claim, verdict, cards or facts sent do not compile; ``problems`` holds what the
    compiler said, by part of the page (``{"row", "message"}``)."""

    def __init__(self, problems: Problems):
        count = sum(len(found) for found in problems.values())
        super().__init__(f"Not saved: {count} problem{'s' if count != 1 else ''} with the "
                         "choices below. Everything you typed is still here.")
        self.problems = problems


def shelf(owner_id: int | None) -> dict[str, Mapping[str, Any]]:
    """The cards a lesson of ``owner_id`` may cite, by id."""
    return dict(shelf_for(owner_id))


def check_problems(workspace: Workspace, question_id: str) -> Problems:
    """What the compiler finds wrong in the check part of ``question_id`` in the
    workspace's (changed) source, by part of the page."""
    text = emit_lesson(workspace.source)
    lesson = workspace.lesson
    _, issues = check(text, file_name(lesson), lesson.owner_id)
    if not issues:
        return {}
    questions = workspace.source.get("questions") or []
    position = next((n for n, q in enumerate(questions)
                     if isinstance(q, dict) and str(q.get("id")) == question_id), None)
    problems: Problems = {}
    for issue in place(text, issues):
        path = issue.path
        if len(path) < 3 or path[0] != "questions" or path[1] != position:
            continue
        part, row = question_part(path[2:])
        if part in CHECK_PARTS:
            problems.setdefault(part, []).append({"row": row, "message": issue.message})
    return problems


def check_change(question_id: str, typed: Mapping[str, Any], *,
                 only_if_changed: bool = False) -> Callable[[Workspace], None]:
    """Set a verify or omission question's claim, verdict and cards, or facts, from what
    the page sent (:func:`app.domain.check_edits.read_check`); refused with every problem
    when the lesson compiler would refuse them. ``only_if_changed``: leave the question
    alone when what was sent is what it holds (the part travelled with another button)."""
    def change(workspace: Workspace) -> None:
        question = workspace.question(question_id)
        kind = str(question.get("kind"))
        fields = check_edits.check_fields(kind, typed)
        if only_if_changed and check_edits.same_check(question, fields):
            return
        try:
            workspace.source = check_edits.set_check(workspace.source, question_id, fields)
        except QuestionMissing as missing:
            raise PartNotFound(str(missing)) from missing
        except EditRefused as refused:
            raise AuthoringError(str(refused)) from refused
        problems = check_problems(workspace, question_id)
        if problems:
            raise CheckRefused(problems)
    return change
