"""Measuring learning: growth studies (pre/post tests) and review of what was missed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.classes import Assignment, Classroom
    from app.models.content import Document
    from app.models.users import User


class GrowthStudy(db.Model):
    """A teacher's pairing of a pre-test and a post-test in one class (optionally a
    delayed post-test, and a comparison class with its own pre- and post-test
    assignments), whose results page reports change with an effect size."""

    __tablename__ = "growth_studies"
    __table_args__ = (
        sa.CheckConstraint("pre_assignment_id <> post_assignment_id", name="pre_not_post"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classes.id", ondelete="CASCADE"),
                                              index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    pre_assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    post_assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    delayed_assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="SET NULL"))
    # A comparison class (same teacher) and its assignments of the same two lessons.
    comparison_classroom_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="SET NULL"))
    comparison_pre_assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="SET NULL"))
    comparison_post_assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Optimistic lock (see Lesson.edit_version): the study form is a read-modify-write.
    edit_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": edit_version}

    classroom: Mapped[Classroom] = relationship(foreign_keys=[classroom_id])
    pre_assignment: Mapped[Assignment] = relationship(foreign_keys=[pre_assignment_id])
    post_assignment: Mapped[Assignment] = relationship(foreign_keys=[post_assignment_id])
    delayed_assignment: Mapped[Assignment | None] = relationship(
        foreign_keys=[delayed_assignment_id])
    comparison_classroom: Mapped[Classroom | None] = relationship(
        foreign_keys=[comparison_classroom_id])
    comparison_pre_assignment: Mapped[Assignment | None] = relationship(
        foreign_keys=[comparison_pre_assignment_id])
    comparison_post_assignment: Mapped[Assignment | None] = relationship(
        foreign_keys=[comparison_post_assignment_id])

    def __repr__(self) -> str:
        return f"<GrowthStudy {self.name!r} class={self.classroom_id}>"


class ReviewItem(db.Model):
    """One review question for one student: a passage of a document's reading the student
    had not seen, keyed from the reading, on a technique they missed. Answered once; the
    next item of the technique is scheduled after a growing gap (``step``)."""

    __tablename__ = "review_items"
    __table_args__ = (
        sa.Index("ix_review_items_student_id_due_at", "student_id", "due_at"),
        sa.CheckConstraint("step >= 0", name="step"),
        sa.CheckConstraint("passage_end > passage_start", name="passage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    classroom_id: Mapped[int] = mapped_column(sa.ForeignKey("classes.id", ondelete="CASCADE"),
                                              index=True)
    # What it reviews: "loaded:<category>", "sourcing:<reason>" or "signals".
    technique: Mapped[str] = mapped_column(sa.String(48))
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    # The passage's place in the document (character offsets), so no excerpt is shown twice.
    passage_start: Mapped[int]
    passage_end: Mapped[int]
    # The compiled question and its excerpt, as a lesson version's content holds them
    # ({"excerpts": [...], "questions": [...]}), so the quiz and feedback pages render it
    # and the scorers score it unchanged; kept as built, like an attempt's key.
    content: Mapped[Any] = mapped_column(sa.JSON)
    # The gap this item was scheduled after (0: the first review of a miss).
    step: Mapped[int] = mapped_column(default=0, server_default="0")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Filled once, when the student submits it.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response: Mapped[Any | None] = mapped_column(sa.JSON)
    points: Mapped[float | None]
    max_points: Mapped[float | None]
    verdicts: Mapped[Any | None] = mapped_column(sa.JSON)

    student: Mapped[User] = relationship()
    classroom: Mapped[Classroom] = relationship()
    document: Mapped[Document] = relationship()

    def __repr__(self) -> str:
        return f"<ReviewItem {self.technique!r} student={self.student_id} step={self.step}>"
