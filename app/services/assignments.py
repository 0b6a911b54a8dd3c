"""Assignments: lessons set for a class under rules, as the teacher sets them.

What a student sees of them is in :mod:`app.services.student_assignments` (its names are
also importable from here); extensions and score overrides in
:mod:`app.services.adjustments`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

import sqlalchemy as sa

from app.domain.assignment_rules import is_late, student_due
from app.extensions import db
from app.models import Assignment, Attempt, Classroom, Extension, Lesson
from app.services import locking, lti_grades
from app.services.classes import ensure_active

# The student's side, importable from here as before the split.
from app.services.student_assignments import (  # noqa: F401
    AssignmentFacts,
    ClassFacts,
    LessonFacts,
    StudentAssignment,
    StudentView,
    answers_hidden_note,
    attempts_used,
    for_student,
    not_open_reason,
    permission_now,
    quiz_view,
    student_due_at,
    student_may_open,
    student_view,
)


@dataclass(frozen=True, slots=True)
class Rules:
    """How an assignment is taken and graded (what the teacher chose in the form).

    Dates are aware UTC moments (the form turns the class's clock into UTC).
    """

    due_at: datetime | None
    max_attempts: int | None
    grading: str
    feedback: str
    late_policy: str
    available_from: datetime | None = None
    ask_confidence: bool = False  # "How sure are you?" under each question

    @classmethod
    def of(cls, assignment: Assignment) -> Rules:
        return cls(**{f.name: getattr(assignment, f.name) for f in fields(cls)})

    def apply_to(self, assignment: Assignment) -> None:
        for field in fields(self):
            setattr(assignment, field.name, getattr(self, field.name))


def assignable_lessons(teacher_id: int) -> tuple[list[Lesson], list[Lesson]]:
    """Published lessons a teacher may assign: (the starter library, their own)."""
    lessons = db.session.scalars(
        sa.select(Lesson)
        .where(Lesson.status == "published",
               sa.or_(Lesson.owner_id.is_(None), Lesson.owner_id == teacher_id))
        .order_by(Lesson.title, Lesson.id))
    library: list[Lesson] = []
    mine: list[Lesson] = []
    for lesson in lessons:
        (library if lesson.owner_id is None else mine).append(lesson)
    return library, mine


def create_assignment(classroom: Classroom, lesson: Lesson, rules: Rules) -> Assignment:
    """Set ``lesson`` for an active class under ``rules``."""
    ensure_active(classroom)
    assignment = Assignment(classroom_id=classroom.id, lesson_id=lesson.id)
    rules.apply_to(assignment)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def update_assignment(assignment: Assignment, rules: Rules) -> None:
    """Change the rules of an assignment of an active class (the lesson stays).

    A new due date re-marks which attempts are late, in the same transaction: "late"
    always means after the due date that applies to the student now (theirs if the
    teacher extended it), so moving the date later for everyone clears the flag.
    """
    ensure_active(assignment.classroom)
    due_changed = rules.due_at != assignment.due_at
    grading_changed = rules.grading != assignment.grading
    rules.apply_to(assignment)
    if due_changed:
        mark_late(assignment)
    if grading_changed:
        lti_grades.queue(assignment)  # another method: other grades for the LMS
    locking.commit("assignment")


def mark_late(assignment: Assignment, student_id: int | None = None) -> None:
    """Set each attempt's late flag from its student's due date (all students, or one).

    Flushes, never commits: the caller's transaction holds it with the change that made
    the dates move. Two statements, plus one UPDATE per changed group.
    """
    extensions = dict(db.session.execute(
        sa.select(Extension.student_id, Extension.due_at)
        .where(Extension.assignment_id == assignment.id)).all())
    query = sa.select(Attempt.id, Attempt.user_id, Attempt.submitted_at, Attempt.late).where(
        Attempt.assignment_id == assignment.id)
    if student_id is not None:
        query = query.where(Attempt.user_id == student_id)
    flips: dict[bool, list[int]] = {True: [], False: []}
    for attempt_id, user_id, submitted_at, late in db.session.execute(query):
        now_late = is_late(submitted_at, student_due(assignment.due_at,
                                                     extensions.get(user_id)))
        if now_late != late:
            flips[now_late].append(attempt_id)
    for late, ids in flips.items():
        if ids:
            db.session.execute(sa.update(Attempt).where(Attempt.id.in_(ids))
                               .values(late=late).execution_options(synchronize_session=False))


def attempt_count(assignment: Assignment) -> int:
    """How many attempts were made for ``assignment``, by all students."""
    return db.session.scalar(sa.select(sa.func.count(Attempt.id))
                             .where(Attempt.assignment_id == assignment.id)) or 0


def delete_assignment(assignment: Assignment) -> None:
    """Delete an assignment of an active class.

    Its attempts stay in each student's history: the foreign key sets their
    ``assignment_id`` to NULL (``ON DELETE SET NULL``, enforced on SQLite too).
    """
    ensure_active(assignment.classroom)
    db.session.delete(assignment)
    locking.commit("assignment")


def of_class(classroom: Classroom) -> list[tuple[Assignment, Lesson, int]]:
    """The class's assignments with their lesson and number of attempts, oldest first."""
    counts = (sa.select(Attempt.assignment_id, sa.func.count(Attempt.id).label("n"))
              .group_by(Attempt.assignment_id).subquery())
    rows = db.session.execute(
        sa.select(Assignment, Lesson, counts.c.n)
        .join(Lesson, Assignment.lesson_id == Lesson.id)
        .outerjoin(counts, counts.c.assignment_id == Assignment.id)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Assignment.id))
    return [(assignment, lesson, n or 0) for assignment, lesson, n in rows]


