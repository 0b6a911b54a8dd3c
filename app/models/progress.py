"""Work in progress: a student's marks on a lesson, saved as they go, before submitting.

A :class:`Draft` holds the marks of one student on one lesson (practice) or one assignment,
saved on every "next" and by the page as marks change, so a closed tab, a dead battery or
an expired session loses nothing. Submitting an attempt deletes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Draft(db.Model):
    """One student's unsubmitted marks on one lesson or assignment."""

    __tablename__ = "drafts"
    # One draft per student and scope: "lesson:<id>" for practice, "assignment:<id>" for
    # an assignment (a nullable column cannot hold this rule: NULLs are distinct).
    __table_args__ = (sa.UniqueConstraint("user_id", "scope", name="uq_drafts_user_id_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(sa.String(40))
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"),
                                           index=True)
    assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    # The version the marks were made on: marks are word indexes into its excerpts.
    lesson_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lesson_versions.id", ondelete="CASCADE"))
    # The marks so far, question by question (as the quiz form is re-shown with them).
    marks: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # The question the student was on (0-based), for one-question-at-a-time.
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Draft user={self.user_id} {self.scope}>"
