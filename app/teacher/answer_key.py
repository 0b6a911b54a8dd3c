"""Teacher routes: a lesson's answer key, on screen and as a printable page.

A teacher sees the key of any lesson they may assign: the starter library's and their own
(an admin sees every lesson's). Another teacher's lesson is a 404, not a 403: its title,
draft or key are none of this teacher's business, not even that it exists. Students never
reach /teach at all (403, see app/teacher/__init__.py), whatever is assigned to them.

By default the key is the version students get; the owner may read their unpublished
draft's key too (``?draft=1``, or automatically while the lesson was never published).
The arrangement is pure (app/domain/answer_keys.py); this module only picks the content.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.domain import answer_keys
from app.extensions import db
from app.models import Lesson
from app.services import authoring as service
from app.services.lesson_exports import formats_for
from app.student.present import KIND_LABELS, sources
from app.teacher import bp


def get_key_lesson_or_404(lesson_id: int) -> Lesson:
    """A lesson whose key the teacher may read: the library's, their own (an admin: any).

    404 when it does not exist or is another teacher's.
    """
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or (lesson.owner_id is not None and lesson.owner_id != current_user.id
                          and not current_user.has_role("admin")):
        abort(404)
    return lesson


def _key_content(lesson: Lesson) -> tuple[dict[str, Any] | None, list[Any], bool]:
    """(compiled lesson, its problems in words, whether it is the unpublished draft)."""
    mine = lesson.owner_id is not None
    wants_draft = request.args.get("draft") == "1" or lesson.version < 1
    if mine and lesson.draft_text is not None and wants_draft:
        workspace = service.open_workspace(lesson)
        return workspace.compiled, workspace.placed, True
    version = service.current_version(lesson)
    return (version.content if version else None), [], False


def _render(lesson_id: int, template: str) -> ResponseReturnValue:
    lesson = get_key_lesson_or_404(lesson_id)
    content, problems, is_draft = _key_content(lesson)
    if content is None:
        return render_template("teacher/answer_key/unavailable.html", lesson=lesson,
                               problems=problems)
    questions = answer_keys.answer_key(content, sources(content))
    return render_template(template, lesson=lesson, content=content, questions=questions,
                           total=answer_keys.total_points(questions), groups=answer_keys.GROUPS,
                           is_draft=is_draft, kind_labels=KIND_LABELS, version=lesson.version,
                           export_formats=formats_for(content))


@bp.get("/lessons/<int:lesson_id>/key", endpoint="answer_key")
def answer_key_page(lesson_id: int) -> ResponseReturnValue:
    """The answer key on screen, question by question."""
    return _render(lesson_id, "teacher/answer_key/key.html")


@bp.get("/lessons/<int:lesson_id>/key/print", endpoint="answer_key_print")
def answer_key_print(lesson_id: int) -> ResponseReturnValue:
    """The answer key as a page to print: no navigation, one question per page."""
    return _render(lesson_id, "teacher/answer_key/print.html")
