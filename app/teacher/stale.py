"""Stale edits: a form drawn before another change to its lesson, class or assignment.

Every edit form carries the row's ``edit_version`` in a hidden field (``seen_version``
in ``_form_macros.html``). :func:`refuse_if_stale` compares it with the row as it is now;
:mod:`app.services.locking` catches the race that is left (two requests reading the same
number at once). Either way the answer is a 409 page that shows what the teacher typed,
so nothing is lost, and links to the current state of what they were editing.
"""

from __future__ import annotations

from typing import Final

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.models import Lesson
from app.services import locking
from app.services.locking import StaleEdit, Versioned
from app.teacher import bp
from app.teacher.access import get_editable_lesson_or_abort

FIELD: Final = "edit_version"
# Form fields that are machinery, not something the teacher typed.
_NOT_TYPED: Final = frozenset({"csrf_token", FIELD, "submit", "action"})


def seen_version() -> int | None:
    """The ``edit_version`` the posted form was drawn with (None if it carries none).

    400 for anything but a small whole number: a tampered field is not a stale page.
    """
    raw = request.form.get(FIELD)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        abort(400, description="This form is damaged (its version field is not a number). "
                               "Reload the page and make the change again.")
    return int(raw)


def refuse_if_stale(row: Versioned, what: str) -> None:
    """Raise :class:`StaleEdit` (a 409 page) if the form was drawn for another version."""
    locking.refuse_if_stale(row, seen_version(), what)


def lesson_to_change(lesson_id: int) -> Lesson:
    """The teacher's own lesson ``lesson_id``, refused (409) if the form is stale."""
    lesson = get_editable_lesson_or_abort(lesson_id)
    refuse_if_stale(lesson, "lesson")
    return lesson


def _current_url(what: str) -> str:
    """Where the current state of what the teacher was editing is shown."""
    args = request.view_args or {}
    if what == "lesson" and "question_id" in args:
        return url_for("teacher.question_edit", lesson_id=args["lesson_id"],
                       question_id=args["question_id"])
    if what == "lesson" and "excerpt_id" in args:
        return url_for("teacher.excerpt_edit", lesson_id=args["lesson_id"],
                       excerpt_id=args["excerpt_id"])
    if what == "lesson" and "lesson_id" in args:
        return url_for("teacher.lesson_edit", lesson_id=args["lesson_id"])
    if what == "assignment" and "assignment_id" in args:
        return url_for("teacher.assignment_edit", assignment_id=args["assignment_id"])
    if what == "reading" and "document_slug" in args:
        return url_for("teacher.reading_edit", document_slug=args["document_slug"])
    if what == "reading" and "contest_id" in args:
        return url_for("teacher.contest_accept_page", contest_id=args["contest_id"])
    if what == "card" and "card_slug" in args:
        return url_for("shelf.card_edit", card_slug=args["card_slug"])
    if what == "class" and "class_id" in args:
        return url_for("teacher.class_detail", class_id=args["class_id"])
    if what == "study" and "study_id" in args:
        return url_for("teacher.growth_edit", study_id=args["study_id"])
    if what == "card":
        return url_for("shelf.index")
    return url_for("teacher.classes" if what != "lesson" else "teacher.lessons")


def _typed() -> list[tuple[str, str]]:
    """What the teacher sent, field by field (empty fields and machinery left out)."""
    typed = []
    for name in request.form:
        if name in _NOT_TYPED or name.endswith("csrf_token"):
            continue
        value = ", ".join(v for v in request.form.getlist(name) if v.strip())
        if value:
            typed.append((name, value))
    return typed


@bp.app_errorhandler(StaleEdit)
def _stale_page(error: StaleEdit) -> ResponseReturnValue:
    return render_template("teacher/stale_edit.html", message=error.message,
                           current_url=_current_url(error.what), what=error.what,
                           typed=_typed()), 409
