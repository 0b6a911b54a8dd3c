"""Classes, who is in them, and the lessons assigned to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.content import Lesson
    from app.models.users import User

GRADING_METHODS: Final = ("highest", "last", "first", "average")
FEEDBACK_TIMINGS: Final = ("immediately", "after_due", "never")
LATE_POLICIES: Final = ("accept", "refuse")


class Classroom(db.Model):
    """A teacher's class; students join it with its join code."""

    __tablename__ = "classes"
    # One active class per name per teacher, whatever the case ("10B" and "10b"): the
    # database holds the rule, so two requests at once cannot both create the name.
    # Archived classes are left out, so an old class's name can be used again.
    __table_args__ = (
        sa.Index("uq_classes_teacher_id_active_name", "teacher_id", sa.text("lower(name)"),
                 unique=True, sqlite_where=sa.text("NOT archived"),
                 postgresql_where=sa.text("NOT archived")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Short, unambiguous (no 0/O, 1/I/L); regenerating it locks out anyone with the old one.
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The IANA time zone due dates are entered and shown in ("Asia/Almaty"); None: the
    # site's default (SCHOOL_TIMEZONE). Dates are stored in UTC whatever it is.
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    # Review of what was missed: students get short review sets built from passages
    # they have not seen (app.services.review), when the teacher switches it on.
    review_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The OneRoster `sourcedId` of an imported class: a re-import updates, never doubles.
    sourced_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Optimistic lock (see Lesson.edit_version): renames and settings read-modify-write it.
    edit_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": edit_version}

    teacher: Mapped[User] = relationship()
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", passive_deletes=True)
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Assignment.id")

    def __repr__(self) -> str:
        return f"<Classroom {self.name!r} teacher={self.teacher_id}>"


class Enrollment(db.Model):
    """A student's membership of a class (a student may be in several)."""

    __tablename__ = "enrollments"
    __table_args__ = (sa.UniqueConstraint("classroom_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classes.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="enrollments")
    student: Mapped[User] = relationship()


class Assignment(db.Model):
    """A lesson set for a class, with the rules its attempts are taken and graded under."""

    __tablename__ = "assignments"
    __table_args__ = (
        sa.CheckConstraint("grading IN ('highest', 'last', 'first', 'average')", name="grading"),
        sa.CheckConstraint("feedback IN ('immediately', 'after_due', 'never')", name="feedback"),
        sa.CheckConstraint("late_policy IN ('accept', 'refuse')", name="late_policy"),
        sa.CheckConstraint("max_attempts IS NULL OR max_attempts >= 1", name="max_attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classes.id", ondelete="CASCADE"),
                                              index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Before this, students see the assignment listed but cannot open it. None: at once.
    available_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # None: unlimited attempts.
    max_attempts: Mapped[int | None]
    grading: Mapped[str] = mapped_column(sa.String(16), default="highest",
                                         server_default="highest")
    feedback: Mapped[str] = mapped_column(sa.String(16), default="immediately",
                                          server_default="immediately")
    late_policy: Mapped[str] = mapped_column(sa.String(16), default="accept",
                                             server_default="accept")
    # Ask "How sure are you?" (four steps) under every question of this assignment.
    ask_confidence: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Optimistic lock (see Lesson.edit_version): the rules form is a read-modify-write.
    edit_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": edit_version}

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")
    lesson: Mapped[Lesson] = relationship()

    def __repr__(self) -> str:
        return f"<Assignment class={self.classroom_id} lesson={self.lesson_id}>"


class Extension(db.Model):
    """A later due date for one student on one assignment."""

    __tablename__ = "assignment_extensions"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "student_id",
                                          name="uq_assignment_extensions_assignment_student"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    granted_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Extension assignment={self.assignment_id} student={self.student_id}>"


class ScoreOverride(db.Model):
    """A teacher's grade for one student on one assignment, kept beside the computed one.

    The gradebook, the CSV and the student's results show both: the computed score is
    never rewritten.
    """

    __tablename__ = "score_overrides"
    __table_args__ = (
        sa.UniqueConstraint("assignment_id", "student_id",
                            name="uq_score_overrides_assignment_student"),
        sa.CheckConstraint("percent >= 0 AND percent <= 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    percent: Mapped[float]
    comment: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship()

    def __repr__(self) -> str:
        return f"<ScoreOverride assignment={self.assignment_id} student={self.student_id}>"
