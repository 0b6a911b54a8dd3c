"""Shelf cards in the database: the library's (synced from files) and teachers' own.

The library's cards (``owner_id`` NULL) change only through their files in ``lessons/shelf/``
and ``flask lessons sync``. A teacher may also write cards of their own in the browser; a
lesson sees the library's cards and its owner's own, the owner's winning on a shared id
(as readings do, :mod:`app.services.readings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app.domain.lessons import content_hash
from app.extensions import db
from app.models import ShelfCard


def shelf_for(owner_id: int | None) -> dict[str, dict[str, Any]]:
    """Card id -> compiled card, as a lesson of ``owner_id`` sees the shelf (one query).

    The library's cards for everyone, plus ``owner_id``'s own, which replace a library
    card of the same id. ``None`` (the library itself) gets the library's cards.
    """
    mine = ShelfCard.owner_id.is_(None)
    if owner_id is not None:
        mine = sa.or_(mine, ShelfCard.owner_id == owner_id)
    rows = db.session.execute(
        sa.select(ShelfCard.slug, ShelfCard.content).where(mine)
        # The library's first, so the teacher's own overwrites it below.
        .order_by(ShelfCard.owner_id.is_not(None), ShelfCard.slug))
    return {slug: content for slug, content in rows}


@dataclass(slots=True)
class CardSync:
    """What syncing the library's cards did, by card id."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sync_library_cards(compiled: Mapping[str, dict[str, Any]],
                       paths: Mapping[str, str],
                       files: Iterable[tuple[str, str]]) -> CardSync:
    """Store or update the library's cards from their compiled files (no commit).

    ``compiled`` maps a card id to its compiled card (``LibraryReport.cards``), ``paths``
    a card id to its file, ``files`` holds each card file's ``(path, text)``. A card is
    matched by its id (the row's slug); one whose content or file text changed is
    updated. A library card whose file is gone is kept: lesson versions embed the cards
    they use, and removing one is a decision for the coordinator of the library, not a
    side effect of a sync. The caller owns the transaction (``flask lessons sync`` commits
    the cards with the lessons compiled from them).
    """
    texts = dict(files)
    stored = {card.slug: card for card in db.session.scalars(
        sa.select(ShelfCard).where(ShelfCard.owner_id.is_(None)))}
    report = CardSync()
    for card_id, card in sorted(compiled.items()):
        digest = content_hash(card)
        source = texts.get(paths.get(card_id, ""), "")
        row = stored.get(card_id)
        if row is None:
            db.session.add(ShelfCard(slug=card_id, kind=card["kind"], title=card["title"],
                                     owner_id=None, source_text=source, content=card,
                                     content_hash=digest))
            report.created.append(card_id)
        elif row.content_hash != digest or row.source_text != source:
            row.kind, row.title, row.content = card["kind"], card["title"], card
            row.content_hash, row.source_text = digest, source
            report.updated.append(card_id)
        else:
            report.unchanged.append(card_id)
    return report
