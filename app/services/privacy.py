"""A student's data: everything we hold about them, deleting all of it, and retention.

Deletion walks ``db.metadata`` for every column that references ``users.id``, so a table
added later (sessions, say) is covered without changing this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Classroom,
    Enrollment,
    Lesson,
    User,
    utcnow,
)
from app.security.throttle import login_throttle
from app.services import audit, locking
from app.services.assignments import answers_hidden_note


class PrivacyProblem(Exception):
    """Deletion refused; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def export_student(user: User) -> dict[str, Any]:
    """Everything stored about ``user`` as plain JSON-ready data (nothing about others)."""
    memberships = db.session.execute(
        sa.select(Enrollment, Classroom, User.username)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .join(User, User.id == Classroom.teacher_id)
        .where(Enrollment.student_id == user.id)
        .order_by(Enrollment.joined_at, Enrollment.id)).all()
    attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.user_id == user.id)
        .options(joinedload(Attempt.lesson), joinedload(Attempt.lesson_version),
                 joinedload(Attempt.assignment), selectinload(Attempt.answers),
                 selectinload(Attempt.contests))
        .order_by(Attempt.submitted_at, Attempt.id)).unique().all()
    now = utcnow()
    return {
        "format": "framinglab-personal-data/1",
        "exported_at": now.isoformat(),
        "account": {"username": user.username, "role": user.role,
                    "created_at": _iso(user.created_at)},
        "classes": [{"name": classroom.name, "teacher": teacher,
                     "joined_at": _iso(enrollment.joined_at)}
                    for enrollment, classroom, teacher in memberships],
        "attempts": [_attempt_data(attempt, answers_hidden_note(attempt, now))
                     for attempt in attempts],
    }


def _attempt_data(attempt: Attempt, hidden_note: str | None) -> dict[str, Any]:
    """One attempt as the feedback page would show it to the student now.

    While the assignment hides its answers (``hidden_note``), the page shows the total
    score and nothing per question; the export holds the same: the student's own
    responses, but no points, verdicts, neutral wordings, reasons or option feedback,
    which together are the answer key.
    """
    data: dict[str, Any] = {
        "id": attempt.id,
        "lesson": {"slug": attempt.lesson.slug, "title": attempt.lesson.title,
                   "version": attempt.lesson_version.number},
        "assignment_id": attempt.assignment_id,
        "submitted_at": _iso(attempt.submitted_at),
        "late": attempt.late,
        "regraded_at": _iso(attempt.regraded_at),
        "score": attempt.score,
        "max_score": attempt.max_score,
    }
    answers = []
    for answer in attempt.answers:
        entry: dict[str, Any] = {"question": answer.question_id, "kind": answer.kind,
                                 "response": answer.response}
        if hidden_note is None:
            entry.update(points=answer.points, max_points=answer.max_points,
                         verdicts=answer.verdicts)
        answers.append(entry)
    data["answers"] = answers
    # What the student said "I disagree" to; what the key said there is part of the key.
    data["disagreements"] = [
        {"question": contest.question_id, "passage": contest.span_text,
         "reason": contest.reason, "status": contest.status,
         "sent_at": _iso(contest.created_at), "decided_at": _iso(contest.decided_at),
         **({"key_said": contest.verdict} if hidden_note is None else {})}
        for contest in sorted(attempt.contests, key=lambda contest: contest.id)]
    if hidden_note is not None:
        data["answers_hidden"] = hidden_note
    return data


def may_delete(actor: User, student: User) -> bool:
    """An admin may delete any student; a teacher, a student in one of their classes."""
    if actor.has_role("admin"):
        return True
    if not actor.has_role("teacher"):
        return False
    return db.session.scalar(
        sa.select(Enrollment.id)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .where(Enrollment.student_id == student.id, Classroom.teacher_id == actor.id)
        .limit(1)) is not None


SHARED_STUDENT = (
    "{name} is also in a class of another teacher, or has work for another teacher's "
    "assignments or lessons. Deleting the account would delete that teacher's records of "
    "{name} too, so only an admin can delete it. You can remove {name} from your classes "
    "instead: their past attempts are kept.")


def shared_with_another_teacher(teacher_id: int, student_id: int) -> bool:
    """True when deleting ``student_id`` would remove records another teacher holds.

    Another teacher's records of a student: a membership of one of their classes, an
    attempt for one of their assignments, or an attempt on one of their own lessons
    (those reach students only through their assignments, even once one is deleted).
    """
    other_class = (sa.select(Enrollment.id)
                   .join(Classroom, Classroom.id == Enrollment.classroom_id)
                   .where(Enrollment.student_id == student_id,
                          Classroom.teacher_id != teacher_id))
    other_assignment = (sa.select(Attempt.id)
                        .join(Assignment, Assignment.id == Attempt.assignment_id)
                        .join(Classroom, Classroom.id == Assignment.classroom_id)
                        .where(Attempt.user_id == student_id,
                               Classroom.teacher_id != teacher_id))
    other_lesson = (sa.select(Attempt.id)
                    .join(Lesson, Lesson.id == Attempt.lesson_id)
                    .where(Attempt.user_id == student_id, Lesson.owner_id.is_not(None),
                           Lesson.owner_id != teacher_id))
    return bool(db.session.scalar(sa.select(
        sa.or_(other_class.exists(), other_assignment.exists(), other_lesson.exists()))))


def deletion_refused(actor: User, student: User) -> str | None:
    """Why ``actor`` may not delete ``student`` although they teach them, or None.

    Admins delete any student; a teacher only a student who is theirs alone.
    """
    if actor.has_role("admin"):
        return None
    if shared_with_another_teacher(actor.id, student.id):
        return SHARED_STUDENT.format(name=student.username)
    return None


def remove_from_classes_of(teacher_id: int, student_id: int) -> int:
    """Take the student off every active class of ``teacher_id``; returns how many.

    Their attempts are kept (as removing them from one class does). Archived classes are
    read-only records and keep them.
    """
    active = (sa.select(Classroom.id)
              .where(Classroom.teacher_id == teacher_id, Classroom.archived.is_(False)))
    removed = db.session.execute(sa.delete(Enrollment).where(
        Enrollment.student_id == student_id,
        Enrollment.classroom_id.in_(active.scalar_subquery()))).rowcount
    db.session.commit()
    return removed


def user_references() -> list[sa.Column[Any]]:
    """Every column in the schema that references ``users.id`` (a foreign key)."""
    users = db.metadata.tables["users"]
    # Children before parents, so deleting in this order never trips a foreign key.
    return [column for table in reversed(db.metadata.sorted_tables) for column in table.columns
            if any(fk.references(users) for fk in column.foreign_keys)]


def delete_student(student_id: int, *, actor: User | None = None) -> dict[str, int]:
    """Delete student ``student_id`` and every row that belongs to them, in one transaction.

    Returns rows removed per table. Rows that merely name them as an owner (a nullable
    reference) are detached instead. Raises :class:`PrivacyProblem` (404) for a missing
    user, (403) for a teacher or admin account: only students are deleted here, and (409)
    when ``actor`` is a teacher and the student is not theirs alone (checked with the
    student's row locked, so a class joined meanwhile is seen).
    """
    if not locking.lock_user(student_id):
        db.session.rollback()
        raise PrivacyProblem("There is no such student.", 404)
    student = db.session.get(User, student_id)
    assert student is not None
    if not student.has_role("student"):
        db.session.rollback()
        raise PrivacyProblem("Only student accounts can be deleted here.", 403)
    username = student.username
    refused = deletion_refused(actor, student) if actor is not None else None
    if refused is not None:
        db.session.rollback()
        raise PrivacyProblem(refused, 409)
    # Logged in the same transaction; the loop below keeps the name and drops the id.
    audit.record(actor, "student_deleted", target=student)
    removed: dict[str, int] = {}
    attempt_ids = sa.select(Attempt.id).where(Attempt.user_id == student_id)
    removed["attempt_answers"] = db.session.execute(
        sa.delete(AttemptAnswer).where(AttemptAnswer.attempt_id.in_(attempt_ids))).rowcount
    for column in user_references():
        table = column.table
        if column.nullable:
            db.session.execute(sa.update(table).where(column == student_id)
                               .values({column.name: None}))
        else:
            count = db.session.execute(sa.delete(table).where(column == student_id)).rowcount
            removed[table.name] = removed.get(table.name, 0) + count
    db.session.execute(sa.delete(User).where(User.id == student_id))
    removed["users"] = 1
    db.session.commit()
    # Failed logins are kept by the name typed (database or Redis), not by user id.
    login_throttle().forget(username)
    return removed


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What ``purge_attempts`` removed, and the cut-off it used."""

    attempts: int
    answers: int
    before: datetime


def purge_attempts(days: int, now: datetime | None = None) -> PurgeResult:
    """Delete attempts submitted more than ``days`` days ago, with their answers."""
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    before = (now or utcnow()) - timedelta(days=days)
    old = sa.select(Attempt.id).where(Attempt.submitted_at < before)
    answers = db.session.execute(
        sa.delete(AttemptAnswer).where(AttemptAnswer.attempt_id.in_(old))).rowcount
    attempts = db.session.execute(
        sa.delete(Attempt).where(Attempt.submitted_at < before)).rowcount
    db.session.commit()
    return PurgeResult(attempts=attempts, answers=answers, before=before)
