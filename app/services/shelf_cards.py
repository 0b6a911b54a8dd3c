"""A teacher's own shelf cards: written, changed and deleted in the browser.

A card from the form is built into card-file YAML (:mod:`app.domain.card_forms`) and
compiled by the shelf's compiler (:func:`app.domain.shelf.compile_card`), exactly as a
library card file is: a teacher's card meets the library's standard (at least one source
with every field, the length limits, web addresses). Any problem refuses the change with
every message placed at its form field; nothing is saved.

Each change commits here, under the card's ``edit_version`` lock (a form drawn before
another change is refused with :class:`~app.services.locking.StaleEdit`). A lesson that
uses a card carries a copy of it in each version (its ``cards``), so deleting or changing
a card never changes a published lesson; the teacher's next publish takes the new card.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain.card_forms import build_card, emit_card, field_of
from app.domain.filereader import LessonInvalid
from app.domain.issue_places import plain
from app.domain.lessons import content_hash
from app.domain.shelf import compile_card
from app.extensions import db
from app.models import Lesson, LessonVersion, ShelfCard, User
from app.services import locking

# Addresses the shelf's own pages use: a card there could never be opened.
RESERVED: Final = frozenset({"new"})


class CardRefused(Exception):
    """A card the shelf refuses, nothing saved. ``problems`` maps a form field's name
    ("title", "facts-2-text"; "" for the card as a whole) to its messages."""

    status = 400

    def __init__(self, problems: Mapping[str, list[str]]) -> None:
        self.problems = {name: list(messages) for name, messages in problems.items()}
        super().__init__("; ".join(m for messages in self.problems.values() for m in messages))


def own_card(owner_id: int, slug: str) -> ShelfCard | None:
    """The teacher's own card ``slug``, or None."""
    return db.session.scalar(sa.select(ShelfCard).where(ShelfCard.owner_id == owner_id,
                                                        ShelfCard.slug == slug))


def in_library(slug: str) -> bool:
    """Whether the library has a card ``slug``."""
    return db.session.scalar(sa.select(ShelfCard.id).where(
        ShelfCard.owner_id.is_(None), ShelfCard.slug == slug)) is not None


def _address_problem(owner_id: int, slug: str) -> str | None:
    if slug in RESERVED:
        return f"“{slug}” is an address the shelf itself uses: choose another."
    if in_library(slug):
        return (f"The library already has a card at “{slug}”: choose another address, so "
                "that your lessons and the library's never mean different cards by it.")
    if own_card(owner_id, slug) is not None:
        return f"You already have a card at “{slug}”: choose another address, or edit that card."
    return None


def compiled_card(fields: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The card-file text and the compiled card the form's ``fields`` make.

    Raises :class:`CardRefused` with each problem at its field.
    """
    built = build_card(fields)
    problems = dict(built.problems)
    if not built.card["id"]:
        # No address typed and no title to make one from: the title's own problem says
        # what to do; compile under a stand-in address so the id is not blamed as well.
        built.card["id"] = "card"
        problems.setdefault("slug", []).append(
            "Type an address, or give the card a title to make one from.")
    text = emit_card(built.card)
    try:
        compiled = compile_card(text, f"shelf/{built.card['id']}.yaml")
    except LessonInvalid as invalid:
        for issue in invalid.issues:
            name = field_of(text, issue.line, built.rows)
            message = plain(issue.message).replace("card's id", "card's address")
            if message not in problems.get(name, []):
                problems.setdefault(name, []).append(message)
        compiled = {}
    if problems:
        raise CardRefused(problems)
    return text, compiled


def create_card(owner: User, fields: Mapping[str, Any]) -> ShelfCard:
    """Store a new card of ``owner`` from the form's ``fields``. Commits."""
    text, compiled = compiled_card(fields)
    slug = compiled["id"]
    clash = _address_problem(owner.id, slug)
    if clash:
        raise CardRefused({"slug": [clash]})
    row = ShelfCard(slug=slug, kind=compiled["kind"], title=compiled["title"],
                    owner_id=owner.id, source_text=text, content=compiled,
                    content_hash=content_hash(compiled))
    db.session.add(row)
    try:
        locking.commit("card")
    except IntegrityError as error:  # the same address saved a moment ago (another tab)
        raise CardRefused({"slug": [_address_problem(owner.id, slug)
                                    or f"The address “{slug}” was just taken."]}) from error
    return row


def change_card(row: ShelfCard, seen_version: int | None, fields: Mapping[str, Any]) -> ShelfCard:
    """Save the teacher's own card ``row`` as the form's ``fields`` now describe it.

    Its address never changes (lessons cite it). ``seen_version``: the ``edit_version``
    the form was drawn with; a card changed since is refused (409). Commits.
    """
    locking.refuse_if_stale(row, seen_version, "card")
    text, compiled = compiled_card({**fields, "slug": row.slug})
    digest = content_hash(compiled)
    if digest != row.content_hash or text != row.source_text:
        row.kind, row.title, row.source_text = compiled["kind"], compiled["title"], text
        row.content, row.content_hash = compiled, digest
    locking.commit("card")
    return row


def delete_card(row: ShelfCard, seen_version: int | None) -> None:
    """Delete the teacher's own card ``row`` (409 if it changed since the page). Commits.

    Lesson versions keep their copy of it; the next publish of a lesson citing it is
    refused until the lesson cites another card.
    """
    locking.refuse_if_stale(row, seen_version, "card")
    db.session.delete(row)
    locking.commit("card")


def lessons_using(owner_id: int, slug: str) -> list[str]:
    """Titles of the teacher's lessons whose current version carries the card ``slug``,
    or whose unpublished draft names it."""
    rows = db.session.execute(
        sa.select(Lesson.title, LessonVersion.content, Lesson.draft_text)
        .outerjoin(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                          LessonVersion.number == Lesson.version))
        .where(Lesson.owner_id == owner_id).order_by(Lesson.title))
    named = re.compile(rf"(?<![a-z0-9-]){re.escape(slug)}(?![a-z0-9-])")
    return [title for title, content, draft in rows
            if slug in ((content or {}).get("cards") or {}) or (draft and named.search(draft))]
