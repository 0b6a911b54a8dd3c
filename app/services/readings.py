"""Readings in the database: the library's (synced from files) and teachers' own.

The library's reading of a document (``owner_id`` NULL) changes only through its file in
``lessons/readings/`` and ``flask lessons sync``. A teacher may hold their own reading of a
document (made by accepting a student's contest, see :mod:`app.services.contests`): it
replaces the library's in every lesson that teacher compiles in the browser; library
lessons keep the library's reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from app.domain.lessons import content_hash
from app.extensions import db
from app.models import Document, Reading


def _in_force(owner_id: int | None, *columns: Any) -> sa.Result[Any]:
    """(document slug, *columns) of the reading that keys ``owner_id``'s lessons on each
    document: the library's first, then the teacher's own, so that a dict built in order
    keeps the teacher's (one query)."""
    mine = Reading.owner_id.is_(None)
    if owner_id is not None:
        mine = sa.or_(mine, Reading.owner_id == owner_id)
    return db.session.execute(
        sa.select(Document.slug, *columns)
        .join(Document, Document.id == Reading.document_id).where(mine)
        .order_by(Reading.owner_id.is_not(None)))


def readings_for(owner_id: int | None) -> dict[str, dict[str, Any]]:
    """Document slug -> compiled reading, as a lesson of ``owner_id`` is keyed (one query).

    The library's readings for everyone; a teacher's own reading of a document replaces
    the library's for that teacher. ``None`` (the library itself) gets the library's.
    """
    return {slug: content for slug, content in _in_force(owner_id, Reading.content)}


def reading_hashes_for(owner_id: int | None) -> dict[str, tuple[int, str]]:
    """Document slug -> (reading id, content hash) of the readings :func:`readings_for`
    gives, without reading their contents (one query)."""
    return {slug: (reading_id, content_hash) for slug, reading_id, content_hash
            in _in_force(owner_id, Reading.id, Reading.content_hash)}


def reading_in_force(owner_id: int | None, document_id: int) -> Reading | None:
    """The reading that keys ``owner_id``'s lessons on a document: theirs, else the library's."""
    mine = Reading.owner_id.is_(None)
    if owner_id is not None:
        mine = sa.or_(mine, Reading.owner_id == owner_id)
    return db.session.scalar(
        sa.select(Reading).where(Reading.document_id == document_id, mine)
        .order_by(Reading.owner_id.is_(None)).limit(1))


def sync_library_readings(compiled: Mapping[str, dict[str, Any]],
                          files: Iterable[tuple[str, str]]) -> list[str]:
    """Store or update the library's readings from their compiled files (no commit).

    ``compiled`` maps a document slug to its compiled reading (``LibraryReport.readings``),
    ``files`` holds each reading file's ``(path, text)``. A reading whose content changed
    gets ``version`` + 1; an unchanged one is left alone. Returns the slugs stored or
    changed. The caller owns the transaction (``flask lessons sync`` commits the readings
    with the lessons compiled from them).
    """
    texts = dict(files)
    documents = {doc.slug: doc.id for doc in db.session.execute(
        sa.select(Document.slug, Document.id).where(Document.owner_id.is_(None),
                                                    Document.slug.in_(list(compiled))))}
    stored = {reading.document_id: reading for reading in db.session.scalars(
        sa.select(Reading).where(Reading.owner_id.is_(None)))}
    changed: list[str] = []
    for slug, reading in sorted(compiled.items()):
        document_id = documents.get(slug)
        if document_id is None:
            continue
        digest = content_hash(reading)
        source = texts.get(reading.get("path", ""), "")
        row = stored.get(document_id)
        if row is None:
            db.session.add(Reading(document_id=document_id, owner_id=None, source_text=source,
                                   content=reading, content_hash=digest, version=1))
            changed.append(slug)
        elif row.content_hash != digest:
            row.content, row.content_hash, row.source_text = reading, digest, source
            row.version += 1
            changed.append(slug)
        elif row.source_text != source:
            row.source_text = source  # a comment or layout changed: same judgements
    return changed


def save_own_reading(owner_id: int, document_id: int, source_text: str,
                     compiled: dict[str, Any]) -> Reading:
    """Store ``owner_id``'s own reading of a document, or a new version of it (no commit).

    The row's ``edit_version`` makes two saves of one reading at once refuse the later.
    """
    digest = content_hash(compiled)
    row = db.session.scalar(sa.select(Reading).where(Reading.owner_id == owner_id,
                                                     Reading.document_id == document_id))
    if row is None:
        row = Reading(document_id=document_id, owner_id=owner_id, source_text=source_text,
                      content=compiled, content_hash=digest, version=1)
        db.session.add(row)
    elif row.content_hash != digest or row.source_text != source_text:
        row.source_text, row.content, row.content_hash = source_text, compiled, digest
        row.version += 1
    return row
