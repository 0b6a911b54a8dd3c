"""The documents a teacher may quote in a lesson: the library's and the ones they pasted."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from app.domain.documents import sha256_hex
from app.domain.lesson_files import slugify
from app.extensions import db
from app.models import Document, Lesson, User
from app.services.lesson_errors import commit_or_conflict

_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def documents_for(owner_id: int | None) -> list[Document]:
    """The documents a teacher may quote: the library (seeds) and their own, by title."""
    visible = Document.owner_id.is_(None)
    if owner_id is not None:
        visible = sa.or_(visible, Document.owner_id == owner_id)
    return list(db.session.scalars(sa.select(Document).where(visible)
                                   .order_by(Document.owner_id.is_not(None), Document.title)))


def document_for(owner_id: int | None, slug: str) -> Document | None:
    """One document the teacher may quote, by slug (None if missing or another's)."""
    return next((doc for doc in documents_for(owner_id) if doc.slug == slug), None)


def unique_slug(model: type[Lesson] | type[Document], title: str, fallback: str) -> str:
    """A slug no ``model`` row has: the title's words and a random suffix."""
    base = slugify(title) or fallback
    while True:
        suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(5))
        slug = f"{base}-{suffix}"
        if db.session.scalar(sa.select(model.id).where(model.slug == slug)) is None:
            return slug


def normalise_pasted(text: str) -> str:
    """Pasted text as stored: Windows line endings (CRLF) become LF, nothing else changes."""
    return text.replace("\r\n", "\n")


def add_document(owner: User, *, title: str, author: str, outlet: str, publisher_note: str,
                 text: str, genre: str = "") -> Document:
    """Store a pasted article for ``owner`` exactly as pasted (CRLF normalised to LF)."""
    text = normalise_pasted(text)
    document = Document(slug=unique_slug(Document, title, "document"), title=title.strip(),
                        author=author.strip() or "unknown", outlet=outlet.strip() or "unknown",
                        publisher_note=publisher_note.strip(), genre=genre,
                        text=text, owner_id=owner.id,
                        sha256=sha256_hex(text.encode("utf-8")))
    db.session.add(document)
    commit_or_conflict("That document could not be saved; please try again.")
    return document
