"""What a teacher changes for one student on one assignment: a later due date (an
extension) and a grade of their own with a comment (an override).

Both are kept beside what the assignment says: an extension never changes the class's due
date, an override never rewrites the computed grade, and removing either brings the
assignment's own back. Every change commits or rolls back as a unit; the late flags of
the student's attempts move with their due date in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain.assignment_rules import RuleProblem, check_extension
from app.domain.grading import Grade, Scored, grade
from app.extensions import db
from app.models import Assignment, Attempt, Extension, ScoreOverride, User, utcnow
from app.services import lti_grades
from app.services.assignments import mark_late
from app.services.classes import ensure_active
from app.services.student_assignments import forget_extensions, remember_extension

# The column's length (String(2000)): the form says the same.
MAX_COMMENT: Final[int] = ScoreOverride.__table__.c.comment.type.length


@dataclass(frozen=True, slots=True)
class Override:
    """A teacher's grade for one student on one assignment."""

    percent: float
    comment: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One student's extension and override on one assignment (either may be None)."""

    extended_to: datetime | None = None
    override: Override | None = None


def _upsert(model: type[Extension] | type[ScoreOverride], assignment: Assignment,
            student_id: int, values: dict[str, Any]) -> None:
    """Create or update the student's row of ``model`` with ``values`` (flushed, not
    committed).

    Two teachers' tabs saving at once: the unique constraint refuses the second insert,
    which then updates the row the first one made.
    """
    for _ in range(2):
        row = db.session.scalar(sa.select(model).where(
            model.assignment_id == assignment.id, model.student_id == student_id))
        if row is None:
            row = model(assignment_id=assignment.id, student_id=student_id)
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            continue
        return
    raise RuleProblem("Someone else changed this at the same moment. Reload and try again.")


def set_extension(assignment: Assignment, student: User, due_at: datetime,
                  teacher: User) -> None:
    """Give ``student`` until ``due_at`` (later than the class's date) on ``assignment``."""
    ensure_active(assignment.classroom)
    check_extension(assignment.due_at, due_at)
    values = {"due_at": due_at, "granted_by": teacher.id, "created_at": utcnow()}
    try:
        _upsert(Extension, assignment, student.id, values)
        mark_late(assignment, student.id)
        db.session.commit()
        forget_extensions()
    except Exception:
        db.session.rollback()
        raise


def remove_extension(assignment: Assignment, student: User) -> bool:
    """Back to the class's due date for ``student``; False if they had no extension."""
    ensure_active(assignment.classroom)
    try:
        gone = db.session.execute(sa.delete(Extension).where(
            Extension.assignment_id == assignment.id, Extension.student_id == student.id)
        ).rowcount
        mark_late(assignment, student.id)
        db.session.commit()
        forget_extensions()
    except Exception:
        db.session.rollback()
        raise
    return bool(gone)


def set_override(assignment: Assignment, student: User, percent: float, comment: str,
                 teacher: User) -> None:
    """Grade ``student`` ``percent`` (0-100) on ``assignment``, with ``comment``."""
    ensure_active(assignment.classroom)
    if not 0 <= percent <= 100:
        raise RuleProblem("A grade must be from 0 to 100%.")
    if len(comment) > MAX_COMMENT:
        raise RuleProblem(f"The comment can be at most {MAX_COMMENT} characters long.")
    values = {"percent": percent, "comment": comment, "teacher_id": teacher.id,
              "updated_at": utcnow()}
    try:
        _upsert(ScoreOverride, assignment, student.id, values)
        lti_grades.queue(assignment, [student.id])  # the LMS gets the grade that counts
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def clear_override(assignment: Assignment, student: User) -> bool:
    """Back to the computed grade for ``student``; False if there was no override."""
    ensure_active(assignment.classroom)
    gone = db.session.execute(sa.delete(ScoreOverride).where(
        ScoreOverride.assignment_id == assignment.id, ScoreOverride.student_id == student.id)
    ).rowcount
    lti_grades.queue(assignment, [student.id])
    db.session.commit()
    return bool(gone)


# --- reading them ----------------------------------------------------------------------


def of_student(assignment_id: int, student_id: int) -> Adjustment:
    """The student's extension and override on one assignment (one query)."""
    found = student_adjustments([assignment_id], student_id)
    return found.get(assignment_id, Adjustment())


def student_adjustments(assignment_ids: list[int], student_id: int) -> dict[int, Adjustment]:
    """Per assignment id, the student's extension and override (one query for all)."""
    if not assignment_ids:
        return {}
    for assignment_id in assignment_ids:  # none, unless a row below says otherwise
        remember_extension(assignment_id, student_id, None)
    rows = db.session.execute(
        sa.select(Assignment.id, Extension.due_at, ScoreOverride.percent,
                  ScoreOverride.comment, ScoreOverride.updated_at)
        .outerjoin(Extension, sa.and_(Extension.assignment_id == Assignment.id,
                                      Extension.student_id == student_id))
        .outerjoin(ScoreOverride, sa.and_(ScoreOverride.assignment_id == Assignment.id,
                                          ScoreOverride.student_id == student_id))
        .where(Assignment.id.in_(assignment_ids),
               sa.or_(Extension.id.is_not(None), ScoreOverride.id.is_not(None))))
    found = {}
    for assignment_id, extended_to, percent, comment, updated in rows:
        remember_extension(assignment_id, student_id, extended_to)
        found[assignment_id] = Adjustment(
            extended_to, None if percent is None else Override(percent, comment or "", updated))
    return found


def class_extensions(classroom_id: int) -> dict[tuple[int, int], datetime]:
    """(student id, assignment id) -> extended due date, for a class (one query)."""
    return {(student, assignment): due for student, assignment, due in db.session.execute(
        sa.select(Extension.student_id, Extension.assignment_id, Extension.due_at)
        .join(Assignment, Assignment.id == Extension.assignment_id)
        .where(Assignment.classroom_id == classroom_id))}


def class_overrides(classroom_id: int) -> dict[tuple[int, int], tuple[float, str]]:
    """(student id, assignment id) -> (percent, comment), for a class (one query)."""
    return {(student, assignment): (percent, comment or "")
            for student, assignment, percent, comment in db.session.execute(
        sa.select(ScoreOverride.student_id, ScoreOverride.assignment_id,
                  ScoreOverride.percent, ScoreOverride.comment)
        .join(Assignment, Assignment.id == ScoreOverride.assignment_id)
        .where(Assignment.classroom_id == classroom_id))}


def of_attempt(attempt: Attempt) -> Adjustment:
    """The extension and override of the student's ``attempt``'s assignment (one query;
    none for a practice attempt)."""
    if attempt.assignment_id is None:
        return Adjustment()
    return of_student(attempt.assignment_id, attempt.user_id)


def computed_grade(assignment: Assignment, student_id: int) -> Grade:
    """The student's grade on ``assignment`` from their attempts (one query)."""
    attempts = [Scored(*row) for row in db.session.execute(
        sa.select(Attempt.submitted_at, Attempt.score, Attempt.max_score, Attempt.late)
        .where(Attempt.assignment_id == assignment.id, Attempt.user_id == student_id))]
    return grade(attempts, assignment.grading)
