"""Whether a visitor may see the lens's highlights and naming words on a text in /compare.

The lens flags much of what the loaded-terms questions ask students to find ("gangs",
"terrorists", "mob"), and the naming table lists those same words. So a student sees them
on a document only once every lesson they can take that quotes the document has shown them
its feedback: a submitted attempt whose answers the lesson's rules let them read (the
feedback page's own rule, :func:`app.services.assignments.answers_hidden_note`). Until
then the texts are lined up plain, with the reason. Teachers and admins see everything.

The decision is made per request and per document, for the visitor making it; the cached
segmenting of a text (:func:`app.compare.routes._highlighted`) knows nothing of who asked.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.domain.compare import withheld_documents
from app.extensions import db
from app.models import Assignment, Attempt, Classroom, Enrollment, Lesson, LessonVersion, User
from app.services.assignments import answers_hidden_note

NOT_DONE = "you have not submitted it yet."


def _lessons_open_to(student: User) -> list[tuple[int, str, dict]]:
    """(id, title, content of the version in force) of every lesson the student can take:
    the published library and the lessons assigned to their active classes."""
    assigned = (sa.select(Assignment.lesson_id)
                .join(Classroom, Assignment.classroom_id == Classroom.id)
                .join(Enrollment, Enrollment.classroom_id == Classroom.id)
                .where(Enrollment.student_id == student.id, Classroom.archived.is_(False)))
    rows = db.session.execute(
        sa.select(Lesson.id, Lesson.title, LessonVersion.content)
        .join(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                     LessonVersion.number == Lesson.version))
        .where(Lesson.status == "published",
               sa.or_(Lesson.owner_id.is_(None), Lesson.id.in_(assigned)))
        .order_by(Lesson.title))
    return [(row.id, row.title, row.content or {}) for row in rows]


def _why_not_seen(student: User, lesson_ids: set[int]) -> dict[int, str | None]:
    """Per lesson: None when the student may read the feedback of one of their attempts,
    else why not (the feedback page's own words, or that nothing was submitted)."""
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in db.session.scalars(
            sa.select(Attempt).where(Attempt.user_id == student.id,
                                     Attempt.lesson_id.in_(lesson_ids))
            .options(joinedload(Attempt.assignment).joinedload(Assignment.classroom))
            .order_by(Attempt.submitted_at.desc())):
        attempts[attempt.lesson_id].append(attempt)
    reasons: dict[int, str | None] = {}
    for lesson_id in lesson_ids:
        reason: str | None = NOT_DONE
        for attempt in attempts.get(lesson_id, []):
            reason = answers_hidden_note(attempt)
            if reason is None:
                break
        reasons[lesson_id] = reason
    return reasons


def withheld_for(user: User, document_slugs: set[str]) -> dict[str, list[tuple[str, str]]]:
    """For each of ``document_slugs`` whose highlights ``user`` may not see yet: the lessons
    quoting it that stand in the way, as (lesson title, why). Empty for staff."""
    if user.has_role("teacher", "admin") or not document_slugs:
        return {}
    lessons = []
    for lesson_id, title, content in _lessons_open_to(user):
        quoted = {str(excerpt.get("document")) for excerpt in content.get("excerpts") or []}
        if quoted & document_slugs:
            lessons.append((lesson_id, title, quoted & document_slugs))
    reasons = _why_not_seen(user, {lesson_id for lesson_id, _, _ in lessons})
    return withheld_documents([(title, documents, reasons[lesson_id])
                               for lesson_id, title, documents in lessons])
