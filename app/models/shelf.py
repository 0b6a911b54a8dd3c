"""The reference shelf: fact cards and source cards that questions send students to.

A :class:`ShelfCard` is one compiled card (format and compiler in ``lessons/shelf/README.md``
and :mod:`app.domain.shelf`): the library's, synced from ``lessons/shelf/<slug>.yaml``
(no owner), or a teacher's own, written in the browser and used in that teacher's lessons.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

CARD_KINDS: Final = ("fact", "source")


class ShelfCard(db.Model):
    """One card of the shelf: the library's (no owner) or one teacher's own."""

    __tablename__ = "shelf_cards"
    # One card per (teacher, slug); one library card per slug. NULL owners are distinct in
    # a unique constraint, so the library's rule is a partial index (as for readings).
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "slug", name="uq_shelf_cards_owner_id_slug"),
        sa.Index("uq_shelf_cards_library_slug", "slug", unique=True,
                 sqlite_where=sa.text("owner_id IS NULL"),
                 postgresql_where=sa.text("owner_id IS NULL")),
        sa.CheckConstraint("kind IN ('fact', 'source')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(200))
    # None: the library's card (changed only through its file); else the teacher's own.
    # CASCADE, never SET NULL: a teacher's card must not become the library's.
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The card file's YAML as written (library), or as the browser form produced it.
    source_text: Mapped[str] = mapped_column(sa.Text)
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Optimistic lock, as on lessons: two edits of one card cannot both win.
    edit_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": edit_version}

    def __repr__(self) -> str:
        return f"<ShelfCard {self.slug!r} owner={self.owner_id}>"
