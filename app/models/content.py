"""Teaching material: source documents, lessons, and the versions a lesson went through."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

LESSON_STATUSES: Final = ("published", "draft", "archived")


class Document(db.Model):
    """A source article, stored byte-for-byte as given; excerpts must quote it verbatim."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    # "unknown" when the text itself does not say: we never guess who wrote a piece.
    author: Mapped[str] = mapped_column(sa.String(200), default="unknown")
    outlet: Mapped[str] = mapped_column(sa.String(200), default="unknown")
    # What the page's own footer or author bio says; it matters for judging the source.
    publisher_note: Mapped[str] = mapped_column(sa.Text, default="")
    # What kind of writing it is (news_report, opinion, advocacy, analysis, event_writeup;
    # app.domain.documents.GENRES); "" when no one has said.
    genre: Mapped[str] = mapped_column(sa.String(32), default="", server_default="")
    text: Mapped[str] = mapped_column(sa.Text)
    # None: part of the shared library (seeds/); else the teacher who pasted it in.
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Hash of the exact text, so a changed seed file is noticed rather than silently reloaded.
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Document {self.slug!r}>"


class Lesson(db.Model):
    """A lesson as students see it; its questions live in the current `LessonVersion`."""

    __tablename__ = "lessons"
    __table_args__ = (
        sa.CheckConstraint("status IN ('published', 'draft', 'archived')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    level: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16), default="draft", server_default="draft")
    # Number of the LessonVersion in force; attempts keep pointing at the one they used.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The file in lessons/ it was loaded from; None when written in the browser.
    source_path: Mapped[str | None] = mapped_column(sa.String(300))
    # None: the starter library (read-only in the browser); else the teacher who owns it.
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Unpublished edits, in the lesson file format; None when there are none.
    draft_text: Mapped[str | None] = mapped_column(sa.Text)
    # The library lesson this one was copied from ("copy to edit").
    copied_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Optimistic lock: every change to the row adds one, and an UPDATE carries the number it
    # read (``version_id_col``), so two edits of one draft cannot both win. The editor's
    # forms carry it too, so an edit made on a page opened before another change is refused.
    edit_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": edit_version}

    versions: Mapped[list[LessonVersion]] = relationship(
        back_populates="lesson", order_by="LessonVersion.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Lesson {self.slug!r} v{self.version} {self.status}>"


class LessonVersion(db.Model):
    """One immutable snapshot of a lesson's validated spec (questions and answer keys).

    Attempts reference the version they were scored against, so editing a lesson
    never silently changes past scores.
    """

    __tablename__ = "lesson_versions"
    __table_args__ = (sa.UniqueConstraint("lesson_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No separate index: the (lesson_id, number) unique constraint already serves lookups.
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"))
    number: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    # The lesson file this version was compiled from: exported as is, so a file that is
    # imported and exported again comes back byte for byte.
    source_text: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"<LessonVersion lesson={self.lesson_id} #{self.number}>"
