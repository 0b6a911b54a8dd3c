"""A teacher's working notes on a lesson that are not part of the lesson file."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class SuggestionDismissal(db.Model):
    """A lens suggestion a teacher set aside for one key list of one question.

    Kept here, not in the session cookie: a cookie over 4 KB is dropped by the browser,
    dismissals and all. ``suggestion`` is the suggestion's short id, checked against its
    pattern before it is stored; the number kept per teacher and lesson is capped.
    """

    __tablename__ = "suggestion_dismissals"
    # A second dismissal of the same suggestion (a double click) hits this constraint.
    __table_args__ = (
        sa.UniqueConstraint("user_id", "lesson_id", "question_id", "key_name", "suggestion",
                            name="uq_suggestion_dismissals_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint's first columns serve "this teacher's dismissals on this lesson".
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"),
                                           index=True)
    question_id: Mapped[str] = mapped_column(sa.String(64))
    key_name: Mapped[str] = mapped_column(sa.String(32))
    suggestion: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReadingSuggestionDismissal(db.Model):
    """A lens suggestion a teacher set aside in the reading editor for one document.

    Like :class:`SuggestionDismissal`, one bounded row per suggestion id (offsets in the
    document and a lens category, checked against its pattern), capped per teacher and
    document.
    """

    __tablename__ = "reading_suggestion_dismissals"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "document_id", "suggestion",
                            name="uq_reading_suggestion_dismissals_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    suggestion: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
