"""Assignments as a student meets them: their list, the quiz page's facts, whether they may
submit now, and whether the answers may be shown yet.

Every rule here reads **the student's own due date**: the class's, or a later one the
teacher gave them (:class:`~app.models.Extension`, see
:func:`app.domain.assignment_rules.student_due`). Before an assignment's "available
from" date it is listed but cannot be opened or submitted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.orm import contains_eager

from app.domain.assignment_rules import is_open, student_due
from app.domain.grading import Grade, Permission, Scored, feedback_visible, grade, may_attempt
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    Classroom,
    Draft,
    Enrollment,
    Extension,
    Lesson,
    LessonVersion,
    ScoreOverride,
    User,
    utcnow,
)
from app.services.drafts import SavedDraft
from app.zones import local_text


@dataclass(frozen=True, slots=True)
class StudentAssignment:
    """One assignment as a student sees it in their list.

    ``due_at`` is the student's own due date (``extended`` when the teacher gave them a
    later one); ``override`` and ``comment`` are the teacher's grade, if they set one.
    """

    assignment: Assignment
    lesson: Lesson
    classroom: Classroom
    grade: Grade
    permission: Permission
    overdue: bool
    due_at: datetime | None = None
    extended: bool = False
    is_open: bool = True
    override: float | None = None
    comment: str = ""

    @property
    def attempts_left(self) -> int | None:
        """None when attempts are unlimited."""
        limit = self.assignment.max_attempts
        return None if limit is None else max(0, limit - self.grade.attempts)

    @property
    def percent(self) -> float | None:
        """The grade that counts: the teacher's override, else the computed one."""
        return self.override if self.override is not None else self.grade.percent


def open_to(student_id: int) -> sa.ColumnElement[bool]:
    """Rows of the student's active classes and published lessons."""
    return sa.and_(Enrollment.student_id == student_id, Classroom.archived.is_(False),
                   Lesson.status == "published")


def _extension_of(student_id: Any) -> sa.ColumnElement[bool]:
    return sa.and_(Extension.assignment_id == Assignment.id, Extension.student_id == student_id)


def for_student(student: User, now: datetime | None = None) -> list[StudentAssignment]:
    """Assignments of the student's active classes, soonest due first (two queries).

    Archived classes and unpublished lessons are left out; each row carries the grade by
    the assignment's grading method (and the teacher's override, if any), the student's
    own due date, and whether another attempt is allowed now.
    """
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Assignment, Lesson, Classroom, Extension.due_at, ScoreOverride.percent,
                  ScoreOverride.comment)
        .join(Lesson, Assignment.lesson_id == Lesson.id)
        .join(Classroom, Assignment.classroom_id == Classroom.id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .outerjoin(Extension, _extension_of(student.id))
        .outerjoin(ScoreOverride, sa.and_(ScoreOverride.assignment_id == Assignment.id,
                                          ScoreOverride.student_id == student.id))
        .where(open_to(student.id))
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
    for assignment, lesson, classroom, extended_to, override, comment in rows:
        mine = scored[assignment.id]
        due = student_due(assignment.due_at, extended_to)
        result.append(StudentAssignment(
            assignment, lesson, classroom, grade(mine, assignment.grading),
            _permission(assignment, due, len(mine), now),
            overdue=due is not None and now > due, due_at=due,
            extended=due is not None and due != assignment.due_at,
            is_open=is_open(now, assignment.available_from),
            override=override, comment=comment or ""))
    return result


def _known_extensions() -> dict[tuple[int, int], datetime | None]:
    """Extensions this request has read already, (assignment, student) -> date or None."""
    if not has_app_context():
        return {}
    known: dict[tuple[int, int], datetime | None] = g.setdefault("student_extensions", {})
    return known


def remember_extension(assignment_id: int, student_id: int,
                       extended_to: datetime | None) -> None:
    """Note an extension read elsewhere in this request, so it is not read again."""
    _known_extensions()[assignment_id, student_id] = extended_to


def forget_extensions() -> None:
    """After a change to an extension: read them afresh."""
    if has_app_context():
        g.pop("student_extensions", None)


def student_due_at(assignment: Assignment | AssignmentFacts,
                   student_id: int) -> datetime | None:
    """The due date that applies to ``student_id`` on ``assignment``: none for
    :class:`AssignmentFacts` (they carry it); for a mapped :class:`Assignment` one query,
    once per request."""
    if assignment.due_at is None or isinstance(assignment, AssignmentFacts):
        return assignment.due_at
    known = _known_extensions()
    key = (assignment.id, student_id)
    if key not in known:
        known[key] = db.session.scalar(sa.select(Extension.due_at).where(
            Extension.assignment_id == assignment.id, Extension.student_id == student_id))
    return student_due(assignment.due_at, known[key])


def opens_message(assignment: Assignment | AssignmentFacts) -> str:
    """What a student is told before the assignment's "available from" date."""
    when = local_text(assignment.available_from, assignment.classroom.timezone)
    return (f"This assignment opens on {when}. Until then you can see it in your list but "
            "not open it. Come back then.")


def not_open_reason(assignment: Assignment | AssignmentFacts,
                    now: datetime | None = None) -> str | None:
    """Why the assignment cannot be opened yet, or None when it is open."""
    if is_open(now or utcnow(), assignment.available_from):
        return None
    return opens_message(assignment)


def _permission(assignment: Assignment | AssignmentFacts, due_at: datetime | None,
                attempts_so_far: int, now: datetime) -> Permission:
    if not is_open(now, assignment.available_from):
        return Permission(False, reason=opens_message(assignment))
    return may_attempt(now=now, due_at=due_at, late_policy=assignment.late_policy,
                       max_attempts=assignment.max_attempts, attempts_so_far=attempts_so_far)


_UNSET: Any = object()


def permission_now(assignment: Assignment | AssignmentFacts, attempts_so_far: int,
                   now: datetime | None = None, *, student_id: int | None = None,
                   due_at: datetime | None = _UNSET) -> Permission:
    """Whether one more attempt is allowed at ``now`` (default: this moment).

    :class:`AssignmentFacts` carry the student's own due date already; for a mapped
    :class:`Assignment`, pass ``student_id`` to apply theirs (one query), or ``due_at``
    when the caller has it; else the class's date applies.
    """
    if due_at is _UNSET:
        due_at = assignment.due_at if student_id is None else student_due_at(assignment,
                                                                            student_id)
    return _permission(assignment, due_at, attempts_so_far, now or utcnow())


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
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class AssignmentFacts:
    """An assignment's rules, with its lesson and class, as plain values.

    Attribute for attribute what the quiz page and :func:`permission_now` read of an
    :class:`Assignment`, read without the ORM: the quiz page is the request a whole class
    sends at the same moment, and building three mapped objects cost more than the query.
    ``due_at`` is the student's own due date (``extended`` when it is not the class's).
    """

    id: int
    classroom_id: int
    lesson_id: int
    due_at: datetime | None
    available_from: datetime | None
    max_attempts: int | None
    grading: str
    feedback: str
    late_policy: str
    ask_confidence: bool
    lesson: LessonFacts
    classroom: ClassFacts
    extended: bool = False


@dataclass(frozen=True, slots=True)
class StudentView:
    """An assignment as one student opens it, read in one query.

    ``assignment`` comes with its lesson and class: mapped objects from
    :func:`student_view` (to submit), plain values from :func:`quiz_view` (to show).
    ``version_id`` and ``content_hash`` name the lesson's current version (None if none);
    ``due_at`` is the student's own due date; ``draft`` their saved progress on it (read
    by :func:`quiz_view` only).
    """

    assignment: Assignment | AssignmentFacts
    enrolled: bool
    used: int
    version_id: int | None
    content_hash: str | None
    due_at: datetime | None = None
    draft: SavedDraft | None = None


_LESSON_FACTS = (Lesson.id, Lesson.slug, Lesson.title, Lesson.level, Lesson.summary,
                 Lesson.status, Lesson.version)
_CLASS_FACTS = (Classroom.id, Classroom.name, Classroom.archived, Classroom.timezone)
_ASSIGNMENT_FACTS = (Assignment.id, Assignment.classroom_id, Assignment.lesson_id,
                     Assignment.due_at, Assignment.available_from, Assignment.max_attempts,
                     Assignment.grading, Assignment.feedback, Assignment.late_policy,
                     Assignment.ask_confidence)


def _view_statement(*columns: Any) -> sa.Select[Any]:
    """``columns`` of one assignment (bound: assignment_id) with its lesson and class, and
    for one student (bound: student_id) whether they are enrolled, their attempts so far
    and their extension's date; and the lesson's current version (id, content hash)."""
    student_id = sa.bindparam("student_id")
    enrolled = sa.exists().where(Enrollment.classroom_id == Assignment.classroom_id,
                                 Enrollment.student_id == student_id)
    used = (sa.select(sa.func.count(Attempt.id))
            .where(Attempt.user_id == student_id, Attempt.assignment_id == Assignment.id)
            .scalar_subquery())
    return (sa.select(*columns, enrolled.label("enrolled"), used.label("used"),
                      LessonVersion.id, LessonVersion.content_hash, Extension.due_at)
            .select_from(Assignment)
            .join(Assignment.lesson).join(Assignment.classroom)
            .outerjoin(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                              LessonVersion.number == Lesson.version))
            .outerjoin(Extension, _extension_of(student_id))
            .where(Assignment.id == sa.bindparam("assignment_id")))


# Built once each: constructing a statement costs more than running it.
@cache
def _student_view_statement() -> sa.Select[Any]:
    return _view_statement(Assignment).options(contains_eager(Assignment.lesson),
                                               contains_eager(Assignment.classroom))


@cache
def _quiz_view_statement() -> sa.Select[Any]:
    # The student's saved progress comes in the same statement (the drafts' unique index):
    # the quiz page is read after every "next".
    return (_view_statement(*_ASSIGNMENT_FACTS, *_LESSON_FACTS, *_CLASS_FACTS)
            .add_columns(Draft.lesson_version_id, Draft.position, Draft.marks)
            .outerjoin(Draft, sa.and_(
                Draft.user_id == sa.bindparam("student_id"),
                Draft.scope == "assignment:" + sa.cast(Assignment.id, sa.String))))


def student_view(assignment_id: int, student_id: int) -> StudentView | None:
    """The assignment ``assignment_id`` as mapped objects, with what ``student_id`` may do
    with it (see :class:`StudentView`), or None if there is no such assignment."""
    row = db.session.execute(_student_view_statement(), {
        "assignment_id": assignment_id, "student_id": student_id}).first()
    if row is None:
        return None
    assignment, is_enrolled, count, version_id, content_hash, extended_to = row
    return StudentView(assignment, bool(is_enrolled), int(count or 0), version_id,
                       content_hash, student_due(assignment.due_at, extended_to))


def quiz_view(assignment_id: int, student_id: int) -> StudentView | None:
    """As :func:`student_view`, in plain values for showing the quiz page (no ORM)."""
    row = db.session.connection().execute(_quiz_view_statement(), {
        "assignment_id": assignment_id, "student_id": student_id}).first()
    if row is None:
        return None
    values, (draft_version, position, marks) = tuple(row)[:-3], tuple(row)[-3:]
    a, n_lesson = len(_ASSIGNMENT_FACTS), len(_LESSON_FACTS)
    lesson = LessonFacts(*values[a:a + n_lesson])
    classroom = ClassFacts(*values[a + n_lesson:a + n_lesson + len(_CLASS_FACTS)])
    is_enrolled, count, version_id, content_hash, extended_to = values[-5:]
    facts = AssignmentFacts(*values[:a], lesson=lesson, classroom=classroom)
    due = student_due(facts.due_at, extended_to)
    if due != facts.due_at:
        facts = replace(facts, due_at=due, extended=True)
    draft = None if draft_version is None else SavedDraft(draft_version, position,
                                                          dict(marks or {}))
    return StudentView(facts, bool(is_enrolled), int(count or 0), version_id, content_hash,
                       due, draft)


def student_may_open(assignment: Assignment, student_id: int) -> bool:
    """True when the student is enrolled in the assignment's class and it is active."""
    enrolled = db.session.scalar(sa.select(Enrollment.id).where(
        Enrollment.classroom_id == assignment.classroom_id,
        Enrollment.student_id == student_id))
    return enrolled is not None and not assignment.classroom.archived


def answers_hidden_note(attempt: Attempt, now: datetime | None = None, *,
                        extended_to: datetime | None = _UNSET) -> str | None:
    """Why the key and explanations of ``attempt`` are hidden, or None if they may be shown.

    An assignment's attempt follows that assignment's feedback timing, with the student's
    own due date (``extended_to``: their extension, when the caller has read it; else one
    query). A practice attempt at a library lesson follows the strictest assignment of
    the same lesson open to the student, or the library would show what the assignment
    hides.
    """
    now = now or utcnow()
    if attempt.assignment is not None:
        assignment = attempt.assignment
        due = (student_due_at(assignment, attempt.user_id) if extended_to is _UNSET
               else student_due(assignment.due_at, extended_to))
        rules = [(assignment, assignment.classroom, due)]
    else:
        rules = [(assignment, classroom, student_due(assignment.due_at, extended_to))
                 for assignment, classroom, extended_to in db.session.execute(
            sa.select(Assignment, Classroom, Extension.due_at)
            .join(Classroom, Assignment.classroom_id == Classroom.id)
            .join(Enrollment, Enrollment.classroom_id == Classroom.id)
            .join(Lesson, Assignment.lesson_id == Lesson.id)
            .outerjoin(Extension, _extension_of(attempt.user_id))
            .where(open_to(attempt.user_id), Assignment.lesson_id == attempt.lesson_id,
                   Assignment.feedback != "immediately")
            .order_by(Assignment.id))]
    for assignment, classroom, due in rules:
        if feedback_visible(now=now, due_at=due, timing=assignment.feedback):
            continue
        if assignment.feedback == "after_due" and due is not None:
            return (f"This lesson is assigned to your class {classroom.name}: the answers "
                    "and explanations will be shown after the due date, "
                    f"{local_text(due, classroom.timezone)}. Come back then.")
        return (f"This lesson is assigned to your class {classroom.name}, and your teacher "
                "has chosen not to show its answers and explanations. You see your score "
                "only.")
    return None
