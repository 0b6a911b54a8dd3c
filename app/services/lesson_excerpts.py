"""The lesson editor's excerpts: add one by sentence range, change its range, delete it.

Each function loads the lesson's draft (:func:`app.services.authoring.edit`), cuts the
excerpt from its document as a verbatim quote (:func:`app.domain.quotes.quote_for`), and
saves and commits the draft.
"""

from __future__ import annotations

from typing import Any

from app.domain.lesson_edits import excerpts_used, next_id
from app.domain.quotes import Quote, quote_for
from app.models import Lesson
from app.services import authoring


def _range_quote(workspace: authoring.Workspace, document_slug: str,
                 read: authoring.MarksReader) -> Quote:
    if not document_slug:
        raise authoring.AuthoringError("Choose a document first.")
    text = workspace.document_text(document_slug)
    if text is None:
        raise authoring.PartNotFound("That document does not exist, or is not one you can "
                                     "quote.")
    marked = read(text, "sentence")
    if not marked:
        raise authoring.AuthoringError("Tick the first and the last sentence of the excerpt "
                                       "(or every sentence in it).")
    return quote_for(text, min(marked), max(marked))


def _excerpt_entry(excerpt_id: str, document_slug: str, quote: Quote) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": excerpt_id, "document": document_slug, "quote": quote.quote}
    if quote.occurrence is not None:
        entry["occurrence"] = quote.occurrence
    return entry


def add_excerpt(lesson: Lesson, document_slug: str, read: authoring.MarksReader) -> str:
    """Add the excerpt spanning the marked sentences of a document; returns its id."""
    def change(workspace: authoring.Workspace) -> str:
        quote = _range_quote(workspace, document_slug, read)
        excerpts = workspace.source.setdefault("excerpts", [])
        if not isinstance(excerpts, list):
            raise authoring.EditConflict("The draft's excerpts are not a list; fix the file.")
        excerpt_id = next_id("e", [e.get("id") for e in workspace.excerpts()])
        excerpts.append(_excerpt_entry(excerpt_id, document_slug, quote))
        return excerpt_id
    return authoring.edit(lesson, change)


def change_excerpt(lesson: Lesson, excerpt_id: str, read: authoring.MarksReader) -> None:
    """Set an excerpt to a new sentence range of its document (keys may need re-marking)."""
    def change(workspace: authoring.Workspace) -> None:
        excerpt = workspace.excerpt(excerpt_id)
        if excerpt is None:
            raise authoring.PartNotFound("There is no such excerpt in this lesson.")
        quote = _range_quote(workspace, str(excerpt.get("document")), read)
        excerpt.pop("occurrence", None)
        excerpt.update(_excerpt_entry(excerpt_id, str(excerpt["document"]), quote))
    authoring.edit(lesson, change)


def delete_excerpt(lesson: Lesson, excerpt_id: str) -> None:
    """Remove an excerpt no question uses (409 naming the questions that still do)."""
    def change(workspace: authoring.Workspace) -> None:
        excerpt = workspace.excerpt(excerpt_id)
        if excerpt is None:
            raise authoring.PartNotFound("There is no such excerpt in this lesson.")
        users = [str(q.get("id")) for q in workspace.questions()
                 if excerpt_id in map(str, excerpts_used(q))]
        if users:
            raise authoring.EditConflict(f"Excerpt '{excerpt_id}' is used by question(s) "
                                         f"{', '.join(users)}; delete them or give them "
                                         "another excerpt first.")
        workspace.source["excerpts"].remove(excerpt)
    authoring.edit(lesson, change)
