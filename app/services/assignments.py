"""Assignments: lessons set for a class, and what each student sees of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from app.domain.grading import Grade, Permission, Scored, feedback_visible, grade, may_attempt
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    Lesson,
    LessonVersion,
    User,
    utcnow,
)
from app.services import locking
from app.services.classes import ensure_active


@dataclass(frozen=True, slots=True)
class Rules:
    """How an assignment is taken and graded (what the teacher chose in the form)."""

    due_at: datetime | None
    max_attempts: int | None
    grading: str
    feedback: str
    late_policy: str

    @classmethod
    def of(cls, assignment: Assignment) -> Rules:
        return cls(assignment.due_at, assignment.max_attempts, assignment.grading,
                   assignment.feedback, assignment.late_policy)

    def apply_to(self, assignment: Assignment) -> None:
        assignment.due_at = self.due_at
        assignment.max_attempts = self.max_attempts
        assignment.grading = self.grading
        assignment.feedback = self.feedback
        assignment.late_policy = self.late_policy


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
    """Change the rules of an assignment of an active class (the lesson stays)."""
    ensure_active(assignment.classroom)
    rules.apply_to(assignment)
    locking.commit("assignment")


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


# --- the student's side ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentAssignment:
    """One assignment as a student sees it in their list."""

    assignment: Assignment
    lesson: Lesson
    classroom: Classroom
    grade: Grade
    permission: Permission
    overdue: bool

    @property
    def attempts_left(self) -> int | None:
        """None when attempts are unlimited."""
        limit = self.assignment.max_attempts
        return None if limit is None else max(0, limit - self.grade.attempts)


def _open_to(student_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(Enrollment.student_id == student_id, Classroom.archived.is_(False),
                   Lesson.status == "published")


def for_student(student: User, now: datetime | None = None) -> list[StudentAssignment]:
    """Assignments of the student's active classes, soonest due first (two queries).

    Archived classes and unpublished lessons are left out; each row carries the grade by
    the assignment's grading method and whether another attempt is allowed now.
    """
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Assignment, Lesson, Classroom)
        .join(Lesson, Assignment.lesson_id == Lesson.id)
        .join(Classroom, Assignment.classroom_id == Classroom.id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(_open_to(student.id))
        .order_by(Assignment.due_at.is_(None), Assignment.due_at, Classroom.name,
                  Assignment.id)).all()
    scored: dict[int, list[Scored]] = defaultdict(list)
    if rows:
        attempts = db.session.execute(
            sa.select(Attempt.assignment_id, Attempt.submitted_at, Attempt.score,
                      Attempt.max_score, Attempt.late)
            .where(Attempt.user_id == student.id,
                   Attempt.assignment_id.in_([row[0].id for row in rows])))
        for assignment_id, submitted_at, score, max_score, late in attempts:
            scored[assignment_id].append(Scored(submitted_at, score, max_score, late))
    result = []
    for assignment, lesson, classroom in rows:
        mine = scored[assignment.id]
        result.append(StudentAssignment(
            assignment, lesson, classroom, grade(mine, assignment.grading),
            permission_now(assignment, len(mine), now),
            overdue=assignment.due_at is not None and now > assignment.due_at))
    return result


def permission_now(assignment: Assignment | AssignmentFacts, attempts_so_far: int,
                   now: datetime | None = None) -> Permission:
    """Whether one more attempt is allowed at ``now`` (default: this moment)."""
    return may_attempt(now=now or utcnow(), due_at=assignment.due_at,
                       late_policy=assignment.late_policy,
                       max_attempts=assignment.max_attempts, attempts_so_far=attempts_so_far)


def attempts_used(student_id: int, assignment_id: int) -> int:
    """How many attempts ``student_id`` has made for ``assignment_id``."""
    return db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(
        Attempt.user_id == student_id, Attempt.assignment_id == assignment_id)) or 0


@dataclass(frozen=True, slots=True)
class LessonFacts:
    """What the quiz page shows of a lesson: plain values, no database session behind."""

    id: int
    slug: str
    title: str
    level: str
    summary: str
    status: str
    version: int


@dataclass(frozen=True, slots=True)
class ClassFacts:
    id: int
    name: str
    archived: bool


@dataclass(frozen=True, slots=True)
class AssignmentFacts:
    """An assignment's rules, with its lesson and class, as plain values.

    Attribute for attribute what the quiz page and :func:`permission_now` read of an
    :class:`Assignment`, read without the ORM: the quiz page is the request a whole class
    sends at the same moment, and building three mapped objects cost more than the query.
    """

    id: int
    classroom_id: int
    lesson_id: int
    due_at: datetime | None
    max_attempts: int | None
    grading: str
    feedback: str
    late_policy: str
    lesson: LessonFacts
    classroom: ClassFacts


@dataclass(frozen=True, slots=True)
class StudentView:
    """An assignment as one student opens it, read in one query.

    ``assignment`` comes with its lesson and class: mapped objects from
    :func:`student_view` (to submit), plain values from :func:`quiz_view` (to show).
    ``version_id`` and ``content_hash`` name the lesson's current version (None if none).
    """

    assignment: Assignment | AssignmentFacts
    enrolled: bool
    used: int
    version_id: int | None
    content_hash: str | None


_LESSON_FACTS = (Lesson.id, Lesson.slug, Lesson.title, Lesson.level, Lesson.summary,
                 Lesson.status, Lesson.version)
_CLASS_FACTS = (Classroom.id, Classroom.name, Classroom.archived)
_ASSIGNMENT_FACTS = (Assignment.id, Assignment.classroom_id, Assignment.lesson_id,
                     Assignment.due_at, Assignment.max_attempts, Assignment.grading,
                     Assignment.feedback, Assignment.late_policy)


def _view_statement(*columns: Any) -> sa.Select[Any]:
    """``columns`` of one assignment (bound: assignment_id) with its lesson and class, and
    for one student (bound: student_id) whether they are enrolled and their attempts so
    far, and the lesson's current version (id, content hash)."""
    student_id = sa.bindparam("student_id")
    enrolled = sa.exists().where(Enrollment.classroom_id == Assignment.classroom_id,
                                 Enrollment.student_id == student_id)
    used = (sa.select(sa.func.count(Attempt.id))
            .where(Attempt.user_id == student_id, Attempt.assignment_id == Assignment.id)
            .scalar_subquery())
    return (sa.select(*columns, enrolled.label("enrolled"), used.label("used"),
                      LessonVersion.id, LessonVersion.content_hash)
            .select_from(Assignment)
            .join(Assignment.lesson).join(Assignment.classroom)
            .outerjoin(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                              LessonVersion.number == Lesson.version))
            .where(Assignment.id == sa.bindparam("assignment_id")))


# Built once each: constructing a statement costs more than running it.
@cache
def _student_view_statement() -> sa.Select[Any]:
    return _view_statement(Assignment).options(contains_eager(Assignment.lesson),
                                               contains_eager(Assignment.classroom))


@cache
def _quiz_view_statement() -> sa.Select[Any]:
    return _view_statement(*_ASSIGNMENT_FACTS, *_LESSON_FACTS, *_CLASS_FACTS)


def student_view(assignment_id: int, student_id: int) -> StudentView | None:
    """The assignment ``assignment_id`` as mapped objects, with what ``student_id`` may do
    with it (see :class:`StudentView`), or None if there is no such assignment."""
    row = db.session.execute(_student_view_statement(), {
        "assignment_id": assignment_id, "student_id": student_id}).first()
    if row is None:
        return None
    assignment, is_enrolled, count, version_id, content_hash = row
    return StudentView(assignment, bool(is_enrolled), int(count or 0), version_id,
                       content_hash)


def quiz_view(assignment_id: int, student_id: int) -> StudentView | None:
    """As :func:`student_view`, in plain values for showing the quiz page (no ORM)."""
    row = db.session.connection().execute(_quiz_view_statement(), {
        "assignment_id": assignment_id, "student_id": student_id}).first()
    if row is None:
        return None
    values = tuple(row)
    a, n_lesson = len(_ASSIGNMENT_FACTS), len(_LESSON_FACTS)
    lesson = LessonFacts(*values[a:a + n_lesson])
    classroom = ClassFacts(*values[a + n_lesson:a + n_lesson + len(_CLASS_FACTS)])
    is_enrolled, count, version_id, content_hash = values[-4:]
    return StudentView(AssignmentFacts(*values[:a], lesson=lesson, classroom=classroom),
                       bool(is_enrolled), int(count or 0), version_id, content_hash)


def student_may_open(assignment: Assignment, student_id: int) -> bool:
    """True when the student is enrolled in the assignment's class and it is active."""
    enrolled = db.session.scalar(sa.select(Enrollment.id).where(
        Enrollment.classroom_id == assignment.classroom_id,
        Enrollment.student_id == student_id))
    return enrolled is not None and not assignment.classroom.archived


def answers_hidden_note(attempt: Attempt, now: datetime | None = None) -> str | None:
    """Why the key and explanations of ``attempt`` are hidden, or None if they may be shown.

    An assignment's attempt follows that assignment's feedback timing. A practice attempt
    at a library lesson follows the strictest assignment of the same lesson open to the
    student, or the library would show what the assignment hides.
    """
    now = now or utcnow()
    if attempt.assignment is not None:
        rules = [(attempt.assignment, attempt.assignment.classroom.name)]
    else:
        rules = [(assignment, name) for assignment, name in db.session.execute(
            sa.select(Assignment, Classroom.name)
            .join(Classroom, Assignment.classroom_id == Classroom.id)
            .join(Enrollment, Enrollment.classroom_id == Classroom.id)
            .join(Lesson, Assignment.lesson_id == Lesson.id)
            .where(_open_to(attempt.user_id), Assignment.lesson_id == attempt.lesson_id,
                   Assignment.feedback != "immediately")
            .order_by(Assignment.id))]
    for assignment, class_name in rules:
        if feedback_visible(now=now, due_at=assignment.due_at, timing=assignment.feedback):
            continue
        if assignment.feedback == "after_due" and assignment.due_at is not None:
            due = assignment.due_at.strftime("%Y-%m-%d %H:%M")
            return (f"This lesson is assigned to your class {class_name}: the answers and "
                    f"explanations will be shown after the due date, {due} UTC. "
                    "Come back then.")
        return (f"This lesson is assigned to your class {class_name}, and your teacher has "
                "chosen not to show its answers and explanations. You see your score only.")
    return None
