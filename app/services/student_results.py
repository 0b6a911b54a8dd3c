"""A student's own results page: their attempts, assigned work apart from practice.

One statement: each attempt with its lesson and, for assigned work, the assignment and its
class (the page names the class), however many attempts there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Assignment, Attempt, User


@dataclass(frozen=True, slots=True)
class StudentResults:
    """Attempts made for a class's assignment, and practice attempts, each newest first."""

    assigned: list[Attempt]
    practice: list[Attempt]

    def __bool__(self) -> bool:
        return bool(self.assigned or self.practice)


def results_of(student: User) -> StudentResults:
    """Every attempt of ``student``, split into assigned work and practice."""
    attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.user_id == student.id)
        .options(joinedload(Attempt.lesson),
                 joinedload(Attempt.assignment).joinedload(Assignment.classroom))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())).all()
    return StudentResults([a for a in attempts if a.assignment_id is not None],
                          [a for a in attempts if a.assignment_id is None])
