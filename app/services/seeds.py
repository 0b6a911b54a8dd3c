"""Load the source documents in ``seeds/`` into the database, exactly as given."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from app.domain.documents import CatalogueError, decode_document, parse_catalogue, sha256_hex
from app.extensions import db
from app.models import Document

CATALOGUE = "documents.yaml"


@dataclass(slots=True)
class SeedReport:
    """What a load did, document by document."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def load_seeds(seed_dir: Path) -> SeedReport:
    """Store every catalogued document; idempotent; all or nothing.

    A document's text never changes once stored (lessons point at offsets inside it):
    a seed file whose bytes differ from the stored text is refused with
    :class:`CatalogueError`. Metadata (title, author, notes, genre) may be corrected.
    """
    catalogue = parse_catalogue((seed_dir / CATALOGUE).read_text(encoding="utf-8"))
    texts = {}
    for meta in catalogue:
        path = seed_dir / meta.file
        if not path.is_file():
            raise CatalogueError(f"{meta.file} is listed in {CATALOGUE} but missing")
        texts[meta.slug] = decode_document(meta, path.read_bytes())
    existing = {doc.slug: doc for doc in db.session.scalars(sa.select(Document))}
    report = SeedReport()
    try:
        for meta in catalogue:
            text = texts[meta.slug]
            fields = {"title": meta.title, "author": meta.author, "outlet": meta.outlet,
                      "publisher_note": meta.publisher_note, "genre": meta.genre}
            document = existing.get(meta.slug)
            if document is None:
                db.session.add(Document(slug=meta.slug, text=text,
                                        sha256=sha256_hex(text.encode("utf-8")), **fields))
                report.created.append(meta.slug)
                continue
            if document.sha256 != sha256_hex(text.encode("utf-8")) or document.text != text:
                raise CatalogueError(
                    f"{meta.file}: the stored text of '{meta.slug}' differs from the file. "
                    "Stored documents are never rewritten; add the new text under a new slug."
                )
            if any(getattr(document, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(document, name, value)
                report.updated.append(meta.slug)
            else:
                report.unchanged.append(meta.slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def library_document_slugs() -> list[str]:
    """The slugs of the library's own documents (from ``seeds/``, not pasted by a teacher)."""
    return list(db.session.scalars(sa.select(Document.slug).where(Document.owner_id.is_(None))))


def document_texts() -> dict[str, str]:
    """Every stored document's text by slug: what lesson excerpts are checked against."""
    rows = db.session.execute(sa.select(Document.slug, Document.text))
    return {slug: text for slug, text in rows}
