"""Submitted attempts: history that later lesson edits must not rewrite."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.classes import Assignment
    from app.models.content import Lesson, LessonVersion
    from app.models.readings import Contest
    from app.models.users import User


class Attempt(db.Model):
    """One submission of one lesson by one student, with its score at that time."""

    __tablename__ = "attempts"
    # The form carries a one-time token: a double click or a resent POST hits this
    # constraint instead of recording a second attempt.
    # A student's attempts on one assignment are counted on every quiz page and submit
    # (the attempt limit): an index on both columns finds them directly, where one on
    # either column alone reads the whole class's attempts or all of the student's.
    # (user_id alone is served by either index's first column.)
    __table_args__ = (
        sa.UniqueConstraint("user_id", "submission_token", name="uq_attempts_user_submission"),
        sa.Index("ix_attempts_user_id_assignment_id", "user_id", "assignment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"), index=True)
    lesson_version_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson_versions.id"), index=True)
    # Set when the attempt was made for an assignment (its rules and gradebook).
    assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="SET NULL"), index=True)
    submission_token: Mapped[str] = mapped_column(sa.String(32))
    score: Mapped[float]
    max_score: Mapped[float]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Submitted after the assignment's due date (accepted, and flagged).
    late: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # When a teacher last rescored it against a newer version of the key.
    regraded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    lesson: Mapped[Lesson] = relationship()
    lesson_version: Mapped[LessonVersion] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt",
        order_by="AttemptAnswer.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # The student's disagreements with this attempt's feedback (the database deletes them
    # with the attempt).
    contests: Mapped[list[Contest]] = relationship(viewonly=True, order_by="Contest.id")

    def __repr__(self) -> str:
        return (
            f"<Attempt user={self.user_id} lesson={self.lesson_id}"
            f" {self.score}/{self.max_score}>"
        )


class AttemptAnswer(db.Model):
    """A student's response to one question, with the points and per-item verdicts given."""

    __tablename__ = "attempt_answers"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question_id"),
        sa.CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 4",
                           name="confidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(32))
    response: Mapped[Any] = mapped_column(sa.JSON)
    points: Mapped[float]
    max_points: Mapped[float]
    # What the feedback page renders: found / missed / wrongly marked, item by item.
    verdicts: Mapped[Any] = mapped_column(sa.JSON)
    # Signal-detection counts of a marking answer (hits and false alarms per technique,
    # see app.domain.discernment), stored with the verdicts so that class reports sum
    # them instead of rescoring. None: not a marking question, or stored before 0010.
    detection: Mapped[Any | None] = mapped_column(sa.JSON)
    # How sure the student said they were (1 guessing .. 4 certain), when the assignment
    # asked; None when it did not or the student left it blank.
    confidence: Mapped[int | None] = mapped_column(sa.SmallInteger)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")

    def __repr__(self) -> str:
        return f"<AttemptAnswer {self.question_id!r} {self.points}/{self.max_points}>"
