"""Which shelf cards a person may read, and the source cards behind a lesson's excerpts.

Everyone who is logged in reads the library's cards. A teacher (or admin) also reads their
own. A student reads the cards embedded in the lessons they can open: a teacher's lesson
carries the cards its questions use (the compiled lesson's ``cards``), and reaches a
student through an assignment of one of their classes. A teacher likewise reads the cards
their own lessons carry, so a card they deleted stays readable where a lesson uses it.

On a slug held twice the reader's own card wins, then the library's, then the first lesson
(by id) that carries one: what a question shows comes from the lesson itself, so this
order matters only for the shelf's own pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.domain.assignment_rules import is_open
from app.extensions import db
from app.models import (
    Assignment,
    Classroom,
    Enrollment,
    Lesson,
    LessonVersion,
    ShelfCard,
    User,
    utcnow,
)
from app.services.attempts import version_snapshot


@dataclass(frozen=True, slots=True)
class ShelfEntry:
    """One card as a reader sees it: its compiled content and whose it is."""

    card: Mapping[str, Any]
    owner_id: int | None  # None: the library's (or a card a lesson carries, if not a row)
    mine: bool = False  # the reader's own: they may edit or delete it
    row_id: int | None = None
    edit_version: int | None = None

    @property
    def slug(self) -> str:
        return str(self.card["id"])

    @property
    def kind(self) -> str:
        return str(self.card.get("kind", "fact"))

    @property
    def title(self) -> str:
        return str(self.card.get("title", ""))

    @property
    def summary(self) -> str:
        return str(self.card.get("summary", ""))

    @property
    def role(self) -> str:
        return str(self.card.get("role", ""))

    @property
    def library(self) -> bool:
        return self.owner_id is None and self.row_id is not None


def _entries(rows: Iterable[ShelfCard], reader_id: int) -> list[ShelfEntry]:
    return [ShelfEntry(row.content, row.owner_id, row.owner_id == reader_id, row.id,
                       row.edit_version) for row in rows]


def _teaches(user: User) -> bool:
    return user.has_role("teacher", "admin")


def _lesson_versions(user: User) -> list[tuple[int, str]]:
    """(version id, content hash) of the current version of each teacher's lesson
    ``user`` can open, by lesson id: theirs (a teacher), or assigned to one of their
    classes and open now (a student). Library lessons carry only library cards."""
    current = sa.and_(LessonVersion.lesson_id == Lesson.id,
                      LessonVersion.number == Lesson.version)
    if _teaches(user):
        statement = (sa.select(Lesson.id, LessonVersion.id, LessonVersion.content_hash)
                     .join(LessonVersion, current).where(Lesson.owner_id == user.id))
        return [(version_id, digest) for _, version_id, digest in
                db.session.execute(statement.order_by(Lesson.id))]
    statement = (
        sa.select(Lesson.id, LessonVersion.id, LessonVersion.content_hash,
                  Assignment.available_from)
        .join(Assignment, Assignment.lesson_id == Lesson.id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .join(LessonVersion, current)
        .where(Enrollment.student_id == user.id, Classroom.archived.is_(False),
               Lesson.status == "published", Lesson.owner_id.is_not(None))
        .order_by(Lesson.id))
    now = utcnow()
    seen: dict[int, tuple[int, str]] = {}
    for lesson_id, version_id, digest, available_from in db.session.execute(statement):
        if is_open(now, available_from):
            seen.setdefault(lesson_id, (version_id, digest))
    return list(seen.values())


def _carried(user: User) -> dict[str, Mapping[str, Any]]:
    """Slug -> card, for the cards the lessons ``user`` can open carry (first lesson wins)."""
    carried: dict[str, Mapping[str, Any]] = {}
    for version_id, digest in _lesson_versions(user):
        version = version_snapshot(version_id, digest)
        if version is None:
            continue
        for slug, card in (version.content.get("cards") or {}).items():
            carried.setdefault(slug, card)
    return carried


def visible_cards(user: User) -> list[ShelfEntry]:
    """Every card ``user`` may read, one per slug, by title."""
    mine = ShelfCard.owner_id.is_(None)
    if _teaches(user):
        mine = sa.or_(mine, ShelfCard.owner_id == user.id)
    by_slug: dict[str, ShelfEntry] = {}
    # The library's first, so the reader's own card replaces it below.
    for entry in _entries(db.session.scalars(sa.select(ShelfCard).where(mine).order_by(
            ShelfCard.owner_id.is_not(None), ShelfCard.id)), user.id):
        by_slug[entry.slug] = entry
    for slug, card in _carried(user).items():
        by_slug.setdefault(slug, ShelfEntry(card, None))
    return sorted(by_slug.values(), key=lambda entry: (entry.title.casefold(), entry.slug))


def visible_card(user: User, slug: str) -> ShelfEntry | None:
    """The card ``slug`` as ``user`` may read it, or None (no such card, or not theirs to
    read)."""
    mine = ShelfCard.owner_id.is_(None)
    if _teaches(user):
        mine = sa.or_(mine, ShelfCard.owner_id == user.id)
    rows = db.session.scalars(sa.select(ShelfCard).where(ShelfCard.slug == slug, mine)
                              .order_by(ShelfCard.owner_id.is_(None))).all()
    if rows:
        return _entries(rows[:1], user.id)[0]
    card = _carried(user).get(slug)
    return None if card is None else ShelfEntry(card, None)


# --- the source cards behind a lesson's excerpts ------------------------------------------

def library_source_cards() -> list[Mapping[str, Any]]:
    """The library's source cards (compiled), by slug (one query)."""
    return list(db.session.scalars(
        sa.select(ShelfCard.content).where(ShelfCard.owner_id.is_(None),
                                           ShelfCard.kind == "source")
        .order_by(ShelfCard.slug)))


def source_cards_of(user: User) -> list[Mapping[str, Any]]:
    """The source cards ``user`` reads without a lesson: the library's, and a teacher's own
    (their own replaces the library's on a slug held by both)."""
    cards = {str(card["id"]): card for card in library_source_cards()}
    if _teaches(user):
        for card in db.session.scalars(sa.select(ShelfCard.content).where(
                ShelfCard.owner_id == user.id, ShelfCard.kind == "source")):
            cards[str(card["id"])] = card
    return list(cards.values())


def with_carried(library: Iterable[Mapping[str, Any]],
                 content: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """``library``'s source cards with those the lesson ``content`` carries (the lesson's
    own copy wins on a slug held by both): every one is readable by whoever takes it."""
    cards = {str(card["id"]): card for card in library}
    for slug, card in (content.get("cards") or {}).items():
        if card.get("kind") == "source":
            cards[slug] = card
    return list(cards.values())
