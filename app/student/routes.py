"""Student pages. Routes stay thin: read the request, call a service, render or redirect.

Taking a lesson is in :mod:`app.student.quiz` (the page, one question at a time or whole),
:mod:`app.student.flow` (saved progress) and :mod:`app.student.submit`; who may take what
in :mod:`app.student.access`. The feedback on an attempt and the list of a student's
attempts are in :mod:`app.student.feedback`; "I disagree" is in :mod:`app.student.contests`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.domain.documents import credit, genre_label
from app.domain.grading import GRADING_LABELS
from app.domain.progress import answered_count
from app.domain.source_links import behind
from app.extensions import db
from app.models import Assignment, Document, Enrollment, Lesson, LessonVersion
from app.services import assignments as assignment_service
from app.services import attempts as attempt_service
from app.services import drafts, shelf_view
from app.student import bp
from app.student.access import get_assignment_or_abort, get_lesson_or_404, retry_url

# Re-exported for the modules that import them from here.
__all__ = ["get_assignment_or_abort", "get_lesson_or_404", "retry_url"]


@bp.get("/lessons")
@login_required
def lessons() -> ResponseReturnValue:
    rows = attempt_service.lessons_for(current_user)
    assignments = assignment_service.for_student(current_user)
    return render_template("student/lessons.html", rows=rows, assignments=assignments,
                           progress=saved_progress(current_user.id),
                           grading_labels=GRADING_LABELS)


def saved_progress(user_id: int) -> dict[str, dict[str, int]]:
    """Draft scope -> questions answered and in all, for the student's drafts on the
    current version of their lesson (a draft on an older one is explained when opened)."""
    progress = {}
    for scope, draft in drafts.of_student(user_id).items():
        version = attempt_service.version_snapshot(draft.version_id, draft.content_hash)
        if version is None:
            continue
        questions = version.content["questions"]
        progress[scope] = {"answered": answered_count(questions, draft.marks),
                           "count": len(questions)}
    return progress


# --- classes and assignments ------------------------------------------------------------


# Joining a class (by code, link or QR code) is in app/student/joining.py.


def get_document_or_abort(slug: str) -> Document:
    """The document ``slug`` if the current user may read it.

    Library documents are for everyone. A document a teacher pasted in is for that
    teacher, admins, and students of a class that has an assignment citing it. Anyone
    else gets 404, as for a document that does not exist (its slug is not a secret
    worth confirming).
    """
    document = db.session.scalar(sa.select(Document).where(Document.slug == slug))
    if document is None:
        abort(404)
    if document.owner_id is None or document.owner_id == current_user.id \
            or current_user.has_role("admin"):
        return document
    assigned = db.session.scalars(
        sa.select(LessonVersion.content)
        .join(Lesson, sa.and_(Lesson.id == LessonVersion.lesson_id,
                              LessonVersion.number == Lesson.version))
        .join(Assignment, Assignment.lesson_id == Lesson.id)
        .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
        .where(Enrollment.student_id == current_user.id,
               Lesson.owner_id == document.owner_id))
    if any(excerpt["document"] == slug for content in assigned
           for excerpt in content["excerpts"]):
        return document
    abort(404)


@bp.get("/documents/<slug>")
@login_required
def document(slug: str) -> ResponseReturnValue:
    """A source document in full, exactly as stored, with what is known of its source."""
    document = get_document_or_abort(slug)
    who = behind("", document.author, document.outlet,
                 shelf_view.source_cards_of(current_user), genre=genre_label(document.genre),
                 title=document.title)
    return render_template("student/document.html", document=document,
                           credit=credit(document.author, document.outlet), behind=who)
