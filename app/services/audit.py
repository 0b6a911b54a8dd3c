"""The admin's log of what was done to accounts and classes, and by whom.

:func:`record` adds an event to the caller's transaction, so an action and its log entry
are stored together or not at all; :func:`log` is for an action its own service has
already committed. Names are copied into the row, so it still reads after an account or
a class is deleted (the ids are then set to NULL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa

from app.domain.paging import Page
from app.extensions import db
from app.models import Classroom, User
from app.models.audit import AuditEvent

# What each action is called on the admin's log page.
ACTIONS: Final = {
    "account_created": "Account created",
    "password_reset": "Password reset",
    "password_changed": "Password changed",
    "account_disabled": "Account disabled",
    "account_enabled": "Account re-enabled",
    "role_changed": "Role changed",
    "student_deleted": "Student deleted",
    "roster_imported": "Roster imported",
    "oneroster_imported": "OneRoster roster imported",
    "class_joined": "Joined a class",
    "lti_platform_saved": "LMS connection saved",
    "lti_platform_deleted": "LMS connection deleted",
    "lti_key_rotated": "LTI signing key rotated",
}
EVENTS_PER_PAGE: Final = 50
_DETAIL_LENGTH: Final = 500


def record(actor: User | None, action: str, *, target: User | None = None,
           classroom: Classroom | None = None, detail: str = "") -> AuditEvent:
    """Add an event to the current transaction (the caller commits).

    ``actor`` None is the command line (an operator on the server).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else "(command line)",
        action=action,
        target_id=target.id if target is not None else None,
        target_name=target.username if target is not None else None,
        classroom_id=classroom.id if classroom is not None else None,
        classroom_name=classroom.name if classroom is not None else None,
        detail=detail[:_DETAIL_LENGTH])
    db.session.add(event)
    return event


def log(actor: User | None, action: str, *, target: User | None = None,
        classroom: Classroom | None = None, detail: str = "") -> None:
    """Record an event on its own and commit it (for an action already committed)."""
    record(actor, action, target=target, classroom=classroom, detail=detail)
    db.session.commit()


@dataclass(frozen=True, slots=True)
class EventPage:
    """One page of the log, newest first."""

    events: list[AuditEvent]
    page: Page


def events(number: int, account: str | None = None) -> EventPage:
    """Page ``number`` of the log, newest first; with ``account``, only the events that
    user did or that were done to them (by username, as recorded)."""
    where = []
    if account:
        where.append(sa.or_(AuditEvent.actor_name == account, AuditEvent.target_name == account))
    total = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(*where)) or 0
    page = Page(number, EVENTS_PER_PAGE, total)
    rows = db.session.scalars(
        sa.select(AuditEvent).where(*where)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset(page.start).limit(EVENTS_PER_PAGE)).all()
    return EventPage(list(rows), page)
