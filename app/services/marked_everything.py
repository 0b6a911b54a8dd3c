"""The students item analysis left out of a question because they marked everything in it,
with their names, for the results page (the rule is :mod:`app.domain.class_marks`)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from app.domain.class_marks import MarkedEverything
from app.extensions import db
from app.models import User


@dataclass(frozen=True, slots=True)
class LeftOut:
    """One student and the answers of theirs left out (question id, compare side)."""

    username: str
    answers: list[MarkedEverything]


def by_student(found: Sequence[MarkedEverything]) -> list[LeftOut]:
    """``found`` grouped by student, in username order; one query, none when empty."""
    if not found:
        return []
    grouped: dict[Hashable, list[MarkedEverything]] = {}
    for item in found:
        grouped.setdefault(item.student, []).append(item)
    names = dict(db.session.execute(
        sa.select(User.id, User.username).where(User.id.in_(list(grouped)))).all())
    return sorted((LeftOut(names.get(student, str(student)), answers)
                   for student, answers in grouped.items()),
                  key=lambda left: left.username.casefold())
