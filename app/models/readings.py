"""Readings stored in the database, and students' disagreements with a key ("contests").

A :class:`Reading` is the compiled judgements of one document (format and compiler in
``lessons/readings/README.md`` and :mod:`app.domain.readings`): the library's, synced from
``lessons/readings/<slug>.yaml`` (no owner), or a teacher's own reading of that document,
which replaces the library's in that teacher's lessons. A :class:`Contest` is a student's
"I disagree" about one item of the feedback on one attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.content import Document

CONTEST_STATUSES: Final = ("open", "accepted", "dismissed")
# The verdicts a student may contest: a wrong mark, a missed item, a partly found one.
CONTESTED_VERDICTS: Final = ("wrong", "missed", "partial")


class Reading(db.Model):
    """One set of judgements about a document: the library's, or one teacher's own."""

    __tablename__ = "readings"
    # One reading per (teacher, document); one library reading per document. NULL owners
    # are distinct in a unique constraint, so the library's rule is a partial index.
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "document_id", name="uq_readings_owner_id_document_id"),
        sa.Index("uq_readings_library_document_id", "document_id", unique=True,
                 sqlite_where=sa.text("owner_id IS NULL"),
                 postgresql_where=sa.text("owner_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    # None: the library's reading (changed only through its file); else the teacher's own.
    # CASCADE, never SET NULL: a teacher's reading must not become the library's.
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The reading file's YAML, as written (or as the last accepted contest rewrote it).
    source_text: Mapped[str] = mapped_column(sa.Text)
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    # Adds one on each change of the content: lessons keyed from it change with it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Optimistic lock, as on lessons: two accepts of one reading cannot both win.
    edit_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": edit_version}

    document: Mapped[Document] = relationship()

    def __repr__(self) -> str:
        return f"<Reading document={self.document_id} owner={self.owner_id} v{self.version}>"


class Contest(db.Model):
    """A student's disagreement with one verdict of the key on one of their attempts.

    The span is kept in offsets of the document (not of the excerpt), so contests from
    different lessons and versions quoting the same words meet on the same passage.
    """

    __tablename__ = "contests"
    # One contest per span of a question of an attempt: sending again updates the reason.
    __table_args__ = (
        sa.UniqueConstraint("student_id", "attempt_id", "question_id", "span_start",
                            "span_end", name="uq_contests_span"),
        sa.CheckConstraint("status IN ('open', 'accepted', 'dismissed')", name="status"),
        sa.CheckConstraint("verdict IN ('wrong', 'missed', 'partial')", name="verdict"),
        sa.Index("ix_contests_lesson_id_status", "lesson_id", "status"),
        sa.Index("ix_contests_student_id_updated_at", "student_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"))
    lesson_version: Mapped[int]
    question_id: Mapped[str] = mapped_column(sa.String(64))
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    span_start: Mapped[int]
    span_end: Mapped[int]
    span_text: Mapped[str] = mapped_column(sa.Text)
    # What the key said of the span: wrong (marked, not in the key), missed or partial.
    verdict: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(16), default="open", server_default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Each send (a new contest or a new reason) sets it: the rate limit counts these.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))

    document: Mapped[Document] = relationship()

    def __repr__(self) -> str:
        return (f"<Contest attempt={self.attempt_id} {self.question_id!r} "
                f"{self.span_start}-{self.span_end} {self.status}>")
