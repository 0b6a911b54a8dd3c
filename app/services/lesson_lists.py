"""The teacher's lesson lists: their own lessons and the starter library, with attempt counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import Attempt, Lesson, User


@dataclass(frozen=True, slots=True)
class LessonRow:
    """A lesson in the teacher's list, with how many attempts it has."""

    lesson: Lesson
    attempts: int


def _rows(where: sa.ColumnElement[bool], *order: Any) -> list[LessonRow]:
    counts = (sa.select(Attempt.lesson_id, sa.func.count(Attempt.id).label("n"))
              .group_by(Attempt.lesson_id).subquery())
    rows = db.session.execute(sa.select(Lesson, counts.c.n)
                              .outerjoin(counts, counts.c.lesson_id == Lesson.id)
                              .where(where).order_by(*order))
    return [LessonRow(lesson, attempts or 0) for lesson, attempts in rows]


def my_lessons(owner: User) -> list[LessonRow]:
    """The teacher's own lessons, archived last, most recently edited first."""
    return _rows(Lesson.owner_id == owner.id, Lesson.status == "archived",
                 Lesson.updated_at.desc(), Lesson.id.desc())


def library_lessons() -> list[LessonRow]:
    """The starter library: published lessons nobody owns."""
    return _rows(sa.and_(Lesson.owner_id.is_(None), Lesson.status == "published"),
                 Lesson.title)
