"""Fetch-or-abort helpers: the one place teacher pages decide who may see what.

A teacher sees and changes only their own classes, assignments and lessons; the starter
library (lessons with no owner) is readable by every teacher, never editable. An admin
may see and change everything. Each helper raises 404 when the object does not exist and
403 when it exists but is not the current user's.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.errors import CsrfErrorRenderer, render_error
from app.extensions import db
from app.models import Assignment, Classroom, Lesson


def _is_admin() -> bool:
    return bool(current_user.is_authenticated and current_user.has_role("admin"))


def get_class_or_abort(class_id: int) -> Classroom:
    """The class ``class_id``. 404 if missing; 403 if it is another teacher's."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None:
        abort(404)
    if classroom.teacher_id != current_user.id and not _is_admin():
        abort(403)
    return classroom


def get_assignment_or_abort(assignment_id: int) -> Assignment:
    """The assignment ``assignment_id``. 404 if missing; 403 if its class is another's."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    get_class_or_abort(assignment.classroom_id)
    return assignment


def own_class_or_404(class_id: int) -> Classroom:
    """The class ``class_id`` if it is the current teacher's (or they are an admin); 404
    otherwise, for pages that do not even tell another teacher the class exists."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or (classroom.teacher_id != current_user.id and not _is_admin()):
        abort(404)
    return classroom


def own_assignment_or_404(assignment_id: int) -> Assignment:
    """The assignment ``assignment_id`` if its class is the current teacher's; else 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    own_class_or_404(assignment.classroom_id)
    return assignment


def get_readable_lesson_or_abort(lesson_id: int) -> Lesson:
    """A lesson the teacher may read, preview, assign or copy.

    404 if missing; 403 if it belongs to another teacher. Library lessons (no owner) are
    readable by every teacher.
    """
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        abort(404)
    if lesson.owner_id is not None and lesson.owner_id != current_user.id and not _is_admin():
        abort(403)
    return lesson


def get_editable_lesson_or_abort(lesson_id: int) -> Lesson:
    """A lesson the teacher may edit: their own.

    404 if missing; 403 if it is another teacher's or part of the starter library (which
    is read-only in the browser: copy it to edit).
    """
    lesson = get_readable_lesson_or_abort(lesson_id)
    if lesson.owner_id is None or (lesson.owner_id != current_user.id and not _is_admin()):
        abort(403)
    return lesson


def typed_again(render: Callable[[], ResponseReturnValue]) -> CsrfErrorRenderer:
    """A CSRF failure renderer that re-shows a teacher's form with what they typed.

    It runs before the blueprint's own checks, so it checks the role itself, and it must
    not raise: a refusal becomes an error page here.
    """
    def renderer(_error: CSRFError) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return render_error(400, "Your session ended. Log in again, then reopen the page.")
        if not current_user.has_role("teacher", "admin"):
            return render_error(403)
        try:
            return render()
        except HTTPException as error:
            return render_error(error.code or 400)
    return renderer
