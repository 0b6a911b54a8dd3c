"""A student's own results page: their attempts, assigned work apart from practice.

Two statements: each attempt with its lesson and, for assigned work, the assignment and its
class (the page names the class), however many attempts there are; and the grades teachers
set by hand, with their comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Assignment, Attempt, ScoreOverride, User


@dataclass(frozen=True, slots=True)
class StudentResults:
    """Attempts made for a class's assignment, and practice attempts, each newest first."""

    assigned: list[Attempt]
    practice: list[Attempt]
    # A teacher's own grade per assignment, with the assignment's lesson and class.
    overrides: list[ScoreOverride] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.assigned or self.practice or self.overrides)


def results_of(student: User) -> StudentResults:
    """Every attempt of ``student``, split into assigned work and practice."""
    attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.user_id == student.id)
        .options(joinedload(Attempt.lesson),
                 joinedload(Attempt.assignment).joinedload(Assignment.classroom))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())).all()
    overrides = db.session.scalars(
        sa.select(ScoreOverride).where(ScoreOverride.student_id == student.id)
        .options(joinedload(ScoreOverride.assignment).joinedload(Assignment.lesson),
                 joinedload(ScoreOverride.assignment).joinedload(Assignment.classroom))
        .order_by(ScoreOverride.updated_at.desc(), ScoreOverride.id.desc())).all()
    return StudentResults([a for a in attempts if a.assignment_id is not None],
                          [a for a in attempts if a.assignment_id is None], list(overrides))
