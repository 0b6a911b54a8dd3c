"""Saved progress: a student's unsubmitted marks on a lesson or an assignment (a Draft).

One draft per student and scope (``lesson:<id>`` for practice, ``assignment:<id>``),
written on every "next" and by the page as marks change, read when the quiz opens (one
indexed statement), replaced by "try again from my marks", deleted by "start over" and
by submitting (in the submit's own transaction: :func:`delete_pending`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain.progress import merge
from app.domain.responses import is_blank
from app.extensions import db
from app.models import Draft, Lesson, LessonVersion


def scope_of(lesson_id: int, assignment_id: int | None = None) -> str:
    """The draft scope of practice on a lesson, or of an assignment."""
    return f"lesson:{lesson_id}" if assignment_id is None else f"assignment:{assignment_id}"


@dataclass(frozen=True, slots=True)
class SavedDraft:
    """A draft as the quiz page reads it: plain values."""

    version_id: int
    position: int
    marks: dict[str, Any]


@cache
def _find_statement() -> sa.Select[Any]:
    # Built once: the quiz page runs it on every step.
    return sa.select(Draft.lesson_version_id, Draft.position, Draft.marks).where(
        Draft.user_id == sa.bindparam("user_id"), Draft.scope == sa.bindparam("scope"))


def find(user_id: int, scope: str) -> SavedDraft | None:
    """The student's draft for ``scope`` (one statement on the unique index), or None."""
    row = db.session.execute(_find_statement(), {"user_id": user_id, "scope": scope}).first()
    return None if row is None else SavedDraft(row[0], row[1], dict(row[2] or {}))


class NotSaved(Exception):
    """The draft could not be stored (its account, lesson or version was just deleted)."""


@dataclass(frozen=True, slots=True)
class Where:
    """What a draft belongs to: the student, the lesson (and assignment), the version."""

    user_id: int
    lesson_id: int
    assignment_id: int | None
    version_id: int

    @property
    def scope(self) -> str:
        return scope_of(self.lesson_id, self.assignment_id)


def save(where: Where, marks: Mapping[str, Any], shown: Sequence[str],
         position: int) -> dict[str, Any]:
    """Store the marks of the ``shown`` questions and the step; returns all saved marks.

    Marks of questions not shown are kept, unless the draft was made on another version
    of the lesson (its marks point into other excerpts): then only these are kept. No
    draft is made for nothing marked. Commits (with whatever else the caller changed); a
    first save racing another for the same scope becomes an update. Plain statements, no
    mapped objects: a class saves every question of a lesson.
    """
    for last_try in (False, True):
        found = db.session.execute(_locked_statement(), {
            "user_id": where.user_id, "scope": where.scope}).first()
        try:
            if found is None:
                if all(is_blank(mark) for mark in marks.values()):
                    db.session.commit()  # nothing worth a draft (the caller may have changed more)
                    return {}
                merged = merge({}, marks, shown)
                db.session.execute(sa.insert(Draft).values(
                    user_id=where.user_id, scope=where.scope, lesson_id=where.lesson_id,
                    assignment_id=where.assignment_id, lesson_version_id=where.version_id,
                    marks=merged, position=position))
            else:
                draft_id, version_id, saved = found
                kept = (saved or {}) if version_id == where.version_id else {}
                merged = merge(kept, marks, shown)
                db.session.execute(sa.update(Draft).where(Draft.id == draft_id).values(
                    lesson_version_id=where.version_id, marks=merged, position=position))
            _commit_keeping_loaded()
        except IntegrityError as error:
            db.session.rollback()
            if last_try:  # not a race: the account, lesson or version is gone
                raise NotSaved("the lesson or the account changed meanwhile") from error
            continue
        return merged
    raise AssertionError("unreachable")  # pragma: no cover


def _commit_keeping_loaded() -> None:
    """Commit without expiring what the request has loaded (the student's account): these
    statements changed no mapped object, and reading the account again after every save
    (the response's headers look at it) would cost a query per question."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


@cache
def _locked_statement() -> sa.Select[Any]:
    # The row is locked (PostgreSQL) so two saves of one student merge one after the other.
    return sa.select(Draft.id, Draft.lesson_version_id, Draft.marks).where(
        Draft.user_id == sa.bindparam("user_id"),
        Draft.scope == sa.bindparam("scope")).with_for_update()


def replace(where: Where, marks: Mapping[str, Any], position: int = 0) -> None:
    """Make the draft exactly ``marks`` (e.g. an earlier attempt's answers). Commits."""
    delete_pending(where.user_id, where.scope)
    db.session.add(Draft(user_id=where.user_id, scope=where.scope, lesson_id=where.lesson_id,
                         assignment_id=where.assignment_id,
                         lesson_version_id=where.version_id, marks=dict(marks),
                         position=position))
    db.session.commit()


def discard(user_id: int, scope: str) -> bool:
    """"Start over": delete the draft. True if there was one. Commits."""
    deleted = delete_pending(user_id, scope)
    db.session.commit()
    return deleted


def delete_pending(user_id: int, scope: str) -> bool:
    """Delete the draft inside the caller's transaction (a submit deletes it with the
    attempt's insert, so both happen or neither). True if there was one."""
    result = db.session.execute(sa.delete(Draft).where(Draft.user_id == user_id,
                                                       Draft.scope == scope))
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """A draft as the lesson list shows it."""

    version_id: int
    content_hash: str
    marks: dict[str, Any]


def of_student(user_id: int) -> dict[str, DraftSummary]:
    """Scope -> the student's draft, with its version's content hash, for drafts on their
    lesson's current version (one statement)."""
    rows = db.session.execute(
        sa.select(Draft.scope, Draft.lesson_version_id, LessonVersion.content_hash,
                  Draft.marks)
        .join(LessonVersion, LessonVersion.id == Draft.lesson_version_id)
        .join(Lesson, sa.and_(Lesson.id == LessonVersion.lesson_id,
                              Lesson.version == LessonVersion.number))
        .where(Draft.user_id == user_id))
    return {scope: DraftSummary(version_id, content_hash, dict(marks or {}))
            for scope, version_id, content_hash, marks in rows}
