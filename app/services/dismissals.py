"""Lens suggestions a teacher dismissed, kept in the database per teacher and lesson.

They used to live in the signed session cookie, where any posted text was stored: past
4 KB the browser drops the cookie, and the teacher's login and dismissals with it. Here
each dismissal is one bounded row (the suggestion's short id, checked against its
pattern), and a teacher keeps at most :data:`PER_LESSON` of them per lesson (the oldest
go first). Every function that writes commits or rolls back.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain.suggestions import valid_suggestion_id
from app.extensions import db
from app.models import ReadingSuggestionDismissal, SuggestionDismissal

PER_LESSON: Final = 200
PER_DOCUMENT: Final = 500


class BadDismissal(ValueError):
    """The posted suggestion id is not one the lens makes (400)."""


def dismissed(user_id: int, lesson_id: int, question_id: str, key_name: str) -> list[str]:
    """The suggestion ids ``user_id`` dismissed for one key list of one question."""
    return list(db.session.scalars(
        sa.select(SuggestionDismissal.suggestion)
        .where(SuggestionDismissal.user_id == user_id,
               SuggestionDismissal.lesson_id == lesson_id,
               SuggestionDismissal.question_id == question_id,
               SuggestionDismissal.key_name == key_name)
        .order_by(SuggestionDismissal.id)))


def _record(row: SuggestionDismissal | ReadingSuggestionDismissal, where: str,
            *scope: sa.ColumnElement[bool], keep: int) -> None:
    """Store one dismissal (a repeat is a no-op) and keep only the newest ``keep`` of its
    ``scope``; ``where`` names the page to reload when the id is not the lens's."""
    if not valid_suggestion_id(row.suggestion):
        raise BadDismissal("That is not a suggestion of the language lens. Reload the "
                           f"{where} and choose Dismiss on one of its suggestions.")
    model = type(row)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # dismissed already (a double click, a second tab)
        db.session.rollback()
        return
    mine = sa.and_(*scope)
    kept = sa.select(model.id).where(mine).order_by(model.id.desc()).limit(keep)
    db.session.execute(sa.delete(model).where(mine, model.id.not_in(kept.scalar_subquery())))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def dismiss(user_id: int, lesson_id: int, question_id: str, key_name: str,
            suggestion: str) -> None:
    """Record one dismissal (a repeat is a no-op); keep only the newest per lesson."""
    _record(SuggestionDismissal(user_id=user_id, lesson_id=lesson_id, question_id=question_id,
                                key_name=key_name, suggestion=suggestion), "question",
            SuggestionDismissal.user_id == user_id, SuggestionDismissal.lesson_id == lesson_id,
            keep=PER_LESSON)


def restore(user_id: int, lesson_id: int, question_id: str, key_name: str) -> None:
    """Forget the dismissals of one key list: its suggestions are offered again."""
    db.session.execute(sa.delete(SuggestionDismissal).where(
        SuggestionDismissal.user_id == user_id, SuggestionDismissal.lesson_id == lesson_id,
        SuggestionDismissal.question_id == question_id,
        SuggestionDismissal.key_name == key_name))
    db.session.commit()


# --- the reading editor: dismissals per teacher and document ------------------------------

def dismissed_in_reading(user_id: int, document_id: int) -> list[str]:
    """The suggestion ids ``user_id`` dismissed in the reading editor for one document."""
    return list(db.session.scalars(
        sa.select(ReadingSuggestionDismissal.suggestion)
        .where(ReadingSuggestionDismissal.user_id == user_id,
               ReadingSuggestionDismissal.document_id == document_id)
        .order_by(ReadingSuggestionDismissal.id)))


def dismiss_in_reading(user_id: int, document_id: int, suggestion: str) -> None:
    """Record one dismissal for a document (a repeat is a no-op); keep the newest only."""
    _record(ReadingSuggestionDismissal(user_id=user_id, document_id=document_id,
                                       suggestion=suggestion), "reading",
            ReadingSuggestionDismissal.user_id == user_id,
            ReadingSuggestionDismissal.document_id == document_id, keep=PER_DOCUMENT)


def restore_in_reading(user_id: int, document_id: int) -> None:
    """Forget a document's dismissals: its suggestions are offered again."""
    db.session.execute(sa.delete(ReadingSuggestionDismissal).where(
        ReadingSuggestionDismissal.user_id == user_id,
        ReadingSuggestionDismissal.document_id == document_id))
    db.session.commit()
