"""What a visitor may put side by side in the compare view, and fetching it by its value.

A choice is a form value: ``d:<document slug>`` for a whole document, or
``x:<lesson slug>:<excerpt id>`` for an excerpt of a published library lesson. Library
documents (no owner) and library lessons are open to every logged-in user; a teacher's own
document only to that teacher (for anyone else it does not exist: 404).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort

from app.domain.documents import credit, excerpt_credit
from app.extensions import db
from app.models import Document, Lesson, User
from app.services.authoring import current_version


@dataclass(frozen=True, slots=True)
class Source:
    """One text to compare: its form value, heading, credit line and text."""

    value: str
    title: str
    credit: str
    text: str
    document_slug: str


@dataclass(frozen=True, slots=True)
class Choices:
    """Everything the visitor may choose: whole documents, then library excerpts."""

    documents: list[Source]
    excerpts: list[Source]

    def find(self, value: str) -> Source | None:
        """The choice with this form value, or None."""
        return next((s for s in self.documents + self.excerpts if s.value == value), None)


def _visible_documents(user: User) -> list[Document]:
    visible = Document.owner_id.is_(None)
    if user.has_role("teacher", "admin"):
        visible = sa.or_(visible, Document.owner_id == user.id)
    return list(db.session.scalars(sa.select(Document).where(visible)
                                   .order_by(Document.owner_id.is_not(None), Document.title)))


def _document_source(document: Document) -> Source:
    return Source(f"d:{document.slug}", document.title,
                  credit(document.author, document.outlet), document.text, document.slug)


def _library_excerpts(titles: dict[str, Document]) -> list[Source]:
    lessons = db.session.scalars(sa.select(Lesson).where(
        Lesson.owner_id.is_(None), Lesson.status == "published").order_by(Lesson.title))
    found = []
    for lesson in lessons:
        version = current_version(lesson)
        for excerpt in (version.content.get("excerpts") or []) if version else []:
            document = titles.get(str(excerpt.get("document")))
            if document is None:
                continue
            found.append(Source(
                f"x:{lesson.slug}:{excerpt['id']}",
                f"{lesson.title}: excerpt {excerpt['id']}",
                excerpt_credit(document.title, document.author, document.outlet),
                str(excerpt["text"]), document.slug))
    return found


def choices_for(user: User) -> Choices:
    """The documents and library excerpts ``user`` may compare."""
    documents = _visible_documents(user)
    library = {d.slug: d for d in documents if d.owner_id is None}
    return Choices([_document_source(d) for d in documents], _library_excerpts(library))


def get_sources_or_abort(choices: Choices, values: list[str]) -> list[Source]:
    """The chosen sources in the order given, duplicates dropped.

    404 when a value names no document or excerpt this visitor may see (a mistyped slug,
    another teacher's document), so a private document's existence is not revealed.
    """
    chosen = []
    for value in dict.fromkeys(values):
        source = choices.find(value)
        if source is None:
            abort(404, description="One of the chosen texts does not exist, or is not "
                                   "one you can see.")
        chosen.append(source)
    return chosen
