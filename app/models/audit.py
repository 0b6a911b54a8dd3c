"""What was done to accounts and classes, and by whom: the admin's log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One action on an account or a class (a reset, a role change, a roster import…).

    The names are copied, so the log still reads after an account or class is deleted.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(sa.String(32))
    # A short machine name: "password_reset", "account_disabled", "role_changed", …
    action: Mapped[str] = mapped_column(sa.String(48))
    target_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target_name: Mapped[str | None] = mapped_column(sa.String(32))
    classroom_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("classes.id", ondelete="SET NULL"))
    classroom_name: Mapped[str | None] = mapped_column(sa.String(120))
    # What changed, in words ("teacher → admin", "24 accounts created").
    detail: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} by {self.actor_name}>"
