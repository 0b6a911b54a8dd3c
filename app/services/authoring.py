"""Authoring in the browser: the draft, publishing, and a lesson opened in the editor.

One source of truth: a lesson's draft (``Lesson.draft_text``) and every published version
(``LessonVersion.source_text``) are lesson-file YAML, checked by the same compiler as the
files in ``lessons/``. The editor changes the draft through :func:`edit`, which parses the
YAML into a plain dict, applies one change, writes canonical YAML back and commits; the
draft is kept even when it does not compile, and its problems are shown.

A lesson that was never published has ``version`` 0 and no versions. Every function that
writes commits everything it changed or rolls it all back. Import, export and copies are in
:mod:`app.services.lesson_files`; regrading past attempts in :mod:`app.services.regrading`;
the documents a lesson may quote in :mod:`app.services.lesson_documents`, the lesson lists
in :mod:`app.services.lesson_lists`, the editor's refusals in
:mod:`app.services.lesson_errors`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa

from app.domain.issue_places import PlacedIssue, place
from app.domain.lesson_files import emit_lesson, parse_source, source_from_content
from app.domain.lessons import (
    LEVELS,
    LessonInvalid,
    LessonIssue,
    compile_lesson,
    content_hash,
    read_yaml,
)
from app.domain.quotes import Quote, quote_in_context
from app.extensions import db
from app.models import Document, Lesson, LessonVersion, User, utcnow
from app.services.frames import library_frames
from app.services.lesson_documents import (
    add_document,
    document_for,
    documents_for,
    normalise_pasted,
    unique_slug,
)
from app.services.lesson_errors import (
    AuthoringError,
    EditConflict,
    PartNotFound,
    commit_or_conflict,
)
from app.services.lesson_lists import LessonRow, library_lessons, my_lessons
from app.services.readings import readings_for
from app.services.shelf import shelf_for

# Defined in the modules this one was split into; callers import them from here too.
__all__ = ["AuthoringError", "EditConflict", "LessonRow", "PartNotFound", "Workspace",
           "add_document", "commit_or_conflict", "current_version", "document_for",
           "documents_for", "edit", "library_lessons", "my_lessons", "normalise_pasted",
           "open_workspace", "publish", "unique_slug", "working_text"]

T = TypeVar("T")


# --- the draft -----------------------------------------------------------------------------

def current_version(lesson: Lesson) -> LessonVersion | None:
    """The version in force (None for a lesson never published)."""
    if lesson.version < 1:
        return None
    return db.session.scalar(sa.select(LessonVersion).where(
        LessonVersion.lesson_id == lesson.id, LessonVersion.number == lesson.version))


def file_name(lesson: Lesson) -> str:
    """The lesson's file name in the ``lessons/`` format (and in problem messages)."""
    return f"{lesson.slug}.yaml"


def version_text(lesson: Lesson, version: LessonVersion | None) -> str | None:
    """A version's lesson file: as stored, or, for a version stored before sources were
    kept, rebuilt from its compiled content (it compiles back to the same lesson)."""
    if version is None:
        return None
    if version.source_text is not None:
        return version.source_text
    texts = {doc.slug: doc.text for doc in documents_for(lesson.owner_id)}
    return emit_lesson(source_from_content(version.content, texts))


def working_text(lesson: Lesson) -> str | None:
    """The YAML the editor works on: the draft, else the current version's source."""
    if lesson.draft_text is not None:
        return lesson.draft_text
    return version_text(lesson, current_version(lesson))


def check(text: str, path: str, owner_id: int | None) -> tuple[dict[str, Any] | None,
                                                              list[LessonIssue]]:
    """Compile ``text`` against the documents its owner may quote: (lesson, problems).

    Questions on a document with a reading take their key from the owner's reading of it
    (their own, else the library's: :func:`app.services.readings.readings_for`).
    """
    texts = {doc.slug: doc.text for doc in documents_for(owner_id)}
    try:
        return compile_lesson(text, path, texts, readings_for(owner_id),
                              shelf_for(owner_id), frames=library_frames()), []
    except LessonInvalid as invalid:
        return None, invalid.issues


@dataclass(slots=True)
class Workspace:
    """A lesson opened in the editor: its YAML, the dict it reads as, and its problems."""

    lesson: Lesson
    text: str
    source: dict[str, Any]
    compiled: dict[str, Any] | None
    issues: list[LessonIssue]
    documents: dict[str, Document]
    # The problems in the editor's words, each with the place it concerns.
    placed: list[PlacedIssue] = field(default_factory=list)
    _quotes: dict[tuple[str, str, Any], Quote | None] = field(default_factory=dict)

    @property
    def has_draft(self) -> bool:
        return self.lesson.draft_text is not None

    def document_text(self, slug: Any) -> str | None:
        document = self.documents.get(slug) if isinstance(slug, str) else None
        return document.text if document is not None else None

    def excerpt(self, excerpt_id: Any) -> dict[str, Any] | None:
        # Ids are compared as text, as the compiler reads them ("id: 5" is "5").
        return next((e for e in self.excerpts() if str(e.get("id")) == str(excerpt_id)), None)

    def excerpts(self) -> list[dict[str, Any]]:
        return [e for e in self.source.get("excerpts") or [] if isinstance(e, dict)]

    def questions(self) -> list[dict[str, Any]]:
        return [q for q in self.source.get("questions") or [] if isinstance(q, dict)]

    def question(self, question_id: str) -> dict[str, Any]:
        found = next((q for q in self.questions() if str(q.get("id")) == question_id), None)
        if found is None:
            raise PartNotFound("There is no such question in this lesson (it may have been "
                               "deleted in another tab).")
        return found

    def quote(self, excerpt: dict[str, Any] | None) -> Quote | None:
        """Where an excerpt of the draft sits in its document (None if it is not found)."""
        if excerpt is None:
            return None
        text = self.document_text(excerpt.get("document"))
        if text is None:
            return None
        key = (str(excerpt.get("document")), str(excerpt.get("quote")), excerpt.get("occurrence"))
        if key not in self._quotes:
            self._quotes[key] = quote_in_context(text, excerpt.get("quote"),
                                                 excerpt.get("occurrence"))
        return self._quotes[key]

    def excerpt_text(self, excerpt_id: Any) -> str | None:
        """The exact text of an excerpt of the draft, as students would see it."""
        quote = self.quote(self.excerpt(excerpt_id))
        return quote.text if quote is not None else None


def open_workspace(lesson: Lesson, *, compile: bool = True) -> Workspace:
    """Read the lesson's working YAML and (unless told not to) compile it, placing its
    problems in the part of the lesson they concern (:mod:`app.domain.issue_places`)."""
    documents = {doc.slug: doc for doc in documents_for(lesson.owner_id)}
    text = working_text(lesson) or ""
    try:
        source = parse_source(text, file_name(lesson))
    except LessonInvalid as invalid:
        return Workspace(lesson, text, {}, None, invalid.issues, documents,
                         place(text, invalid.issues))
    if not compile:
        return Workspace(lesson, text, source, None, [], documents)
    texts = {slug: doc.text for slug, doc in documents.items()}
    try:
        compiled, issues = compile_lesson(text, file_name(lesson), texts,
                                          readings_for(lesson.owner_id),
                                          shelf_for(lesson.owner_id),
                                          frames=library_frames()), []
    except LessonInvalid as invalid:
        compiled, issues = None, invalid.issues
    return Workspace(lesson, text, source, compiled, issues, documents,
                     place(text, issues))


def edit(lesson: Lesson, change: Callable[[Workspace], T], *, if_changed: bool = False) -> T:
    """Apply ``change`` to the lesson's source and save the result as its draft.

    ``change`` mutates ``workspace.source`` (and may raise :class:`AuthoringError`, in
    which case nothing is saved). The draft is written in canonical YAML and kept whether
    or not it compiles. With ``if_changed``, a change that changes nothing writes nothing
    (a published lesson does not get a draft for it).
    """
    workspace = open_workspace(lesson, compile=False)
    if not workspace.source:
        raise EditConflict("This lesson's source is not a readable lesson file, so the "
                           "editor cannot change it. Discard the draft, or import a "
                           "corrected file.")
    before = copy.deepcopy(workspace.source)
    result = change(workspace)
    if not if_changed or workspace.source != before:
        _save_draft(lesson, workspace.source)
    return result


def _save_draft(lesson: Lesson, source: dict[str, Any]) -> None:
    lesson.draft_text = emit_lesson(source)
    if lesson.version < 1:
        # Never published: the list shows what the teacher is writing.
        title, summary, level = (source.get(name) for name in ("title", "summary", "level"))
        if isinstance(title, str) and title.strip():
            lesson.title = title.strip()[:200]
        if isinstance(summary, str):
            lesson.summary = summary.strip()
        if level in LEVELS:
            lesson.level = level
    lesson.updated_at = utcnow()
    commit_or_conflict("The lesson changed while saving; reload it and try again.")


def _details(title: str, summary: str, level: str, minutes: int | None,
             goals: Sequence[str]) -> dict[str, Any]:
    details: dict[str, Any] = {"title": title.strip(), "summary": summary.strip(),
                               "level": level}
    if minutes is not None:
        details["minutes"] = minutes
    lines = [goal.strip() for goal in goals if goal.strip()]
    if lines:
        details["goals"] = lines
    return details


def create_lesson(owner: User, *, title: str, summary: str, level: str,
                  minutes: int | None = None, goals: Sequence[str] = ()) -> Lesson:
    """A new draft lesson owned by ``owner``, with a unique slug made from the title."""
    slug = unique_slug(Lesson, title, "lesson")
    source = {"slug": slug, **_details(title, summary, level, minutes, goals),
              "excerpts": [], "questions": []}
    lesson = Lesson(slug=slug, title=title.strip()[:200], summary=summary.strip(), level=level,
                    status="draft", version=0, owner_id=owner.id,
                    draft_text=emit_lesson(source))
    db.session.add(lesson)
    commit_or_conflict("That lesson could not be created; please try again.")
    return lesson


def update_details(lesson: Lesson, *, title: str, summary: str, level: str,
                   minutes: int | None, goals: Sequence[str]) -> None:
    """Change the lesson's title, summary, level, minutes and goals in the draft."""
    def change(workspace: Workspace) -> None:
        source = workspace.source
        for name in ("minutes", "goals"):
            source.pop(name, None)
        source.update(_details(title, summary, level, minutes, goals))
    edit(lesson, change)


def discard_draft(lesson: Lesson) -> None:
    """Throw away unpublished edits (only for a lesson that has a published version)."""
    if lesson.version < 1:
        raise AuthoringError("This lesson has never been published, so its draft is all "
                             "there is; archive it instead.")
    lesson.draft_text = None
    commit_or_conflict("The lesson changed while saving; reload it and try again.")


MarksReader = Callable[[str, str], list[int]]
"""Reads the units marked on a text from the submitted form: ``read(text, unit)``."""


# --- publishing ----------------------------------------------------------------------------

def publish(lesson: Lesson) -> LessonVersion | None:
    """Publish the draft as a new version; returns it, or None when nothing changed.

    The draft is compiled exactly as the file loader would; on any problem
    :class:`~app.domain.lessons.LessonInvalid` is raised and nothing is written. A draft
    that compiles to the current version's content makes no new version. A lesson with no
    draft is simply published again (after "unpublish").
    """
    if lesson.draft_text is None:
        if lesson.version < 1:
            raise AuthoringError("There is nothing to publish yet.")
        lesson.status = "published"
        commit_or_conflict("The lesson changed while publishing; reload it and try again.")
        return None
    text = lesson.draft_text
    compiled, issues = check(text, file_name(lesson), lesson.owner_id)
    if compiled is not None and compiled["slug"] != lesson.slug:
        issues = [LessonIssue(file_name(lesson), _line_of_slug(text),
                              f"the slug must stay '{lesson.slug}'")]
    if compiled is None or issues:
        raise LessonInvalid(issues)
    digest = content_hash(compiled)
    current = current_version(lesson)
    created = None
    if current is None or current.content_hash != digest:
        created = LessonVersion(lesson=lesson, number=lesson.version + 1, content=compiled,
                                content_hash=digest, source_text=text)
        db.session.add(created)
        lesson.version += 1
    lesson.title, lesson.summary, lesson.level = (compiled["title"][:200], compiled["summary"],
                                                  compiled["level"])
    lesson.status = "published"
    lesson.draft_text = None
    commit_or_conflict("The lesson was published in another tab at the same time; reload it.")
    return created


def _line_of_slug(text: str) -> int:
    root = read_yaml(text, "lesson.yaml")
    return root.key_lines.get("slug", 1) if hasattr(root, "key_lines") else 1


def set_status(lesson: Lesson, status: str) -> None:
    """Unpublish (``draft``: hidden from students), archive, or restore a lesson."""
    if status == "published":
        raise AuthoringError("Use Publish to publish a lesson.")
    lesson.status = status
    commit_or_conflict("The lesson changed while saving; reload it and try again.")
