"""The reading editor: a teacher annotates a document once, in their own reading of it.

A teacher edits their own reading of a document: of one they pasted, or a copy of the
library's reading of a library document ("Copy the library's reading to edit"). From then
on their own lessons on that document take their keys from it when compiled (the next
publish); library lessons keep the library's reading, which changes only through its file.

Each change loads the reading, applies one pure function of
:mod:`app.domain.reading_editor` to its source, compiles the result with
:func:`~app.domain.readings.compile_reading` (a problem refuses the change with every
message, nothing saved), saves a new version and commits, under the reading's
``edit_version`` lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain import reading_editor
from app.domain.lens import analyze
from app.domain.lessons import SOURCING_REASONS, LessonInvalid, LessonIssue
from app.domain.reading_edits import JudgementProblem, emit_reading, parse_reading
from app.domain.readings import compile_reading, reading_path
from app.models import Document, Reading, User
from app.services import dismissals, locking
from app.services.readings import reading_in_force, save_own_reading

Change = Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]]
"""A pure change of a reading: ``change(source, compiled) -> changed source``."""


class ReadingRefused(Exception):
    """A change the editor refuses; ``message`` for the teacher, ``issues`` from the
    compiler (each with its message), ``status`` for HTTP. Nothing was saved."""

    def __init__(self, message: str, status: int = 400,
                 issues: list[LessonIssue] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.issues = issues or []


@dataclass(slots=True)
class ReadingDesk:
    """A document opened in the reading editor: the reading in force for this teacher."""

    document: Document
    reading: Reading | None
    compiled: dict[str, Any]

    @property
    def own(self) -> bool:
        """True when the reading is the teacher's own (they may change it)."""
        return self.reading is not None and self.reading.owner_id is not None

    @property
    def pasted(self) -> bool:
        """True for a document the teacher pasted (not one of the library's)."""
        return self.document.owner_id is not None

    @property
    def entries(self) -> dict[str, list[dict[str, Any]]]:
        return reading_editor.entries_by_tier(self.compiled)


def open_desk(teacher: User, document: Document) -> ReadingDesk:
    """The reading that keys ``teacher``'s lessons on ``document`` (theirs, else the
    library's; an empty one when there is none yet)."""
    reading = reading_in_force(teacher.id, document.id)
    compiled = dict(reading.content) if reading is not None else \
        {"document": document.slug, "entries": []}
    return ReadingDesk(document, reading, compiled)


def start_own(teacher: User, document: Document) -> Reading:
    """The teacher's own reading of ``document``, made now if they have none: a copy of
    the library's reading (its file, byte for byte), or an empty reading. Commits."""
    reading = reading_in_force(teacher.id, document.id)
    if reading is not None and reading.owner_id == teacher.id:
        return reading
    if reading is not None:
        text, compiled = reading.source_text, dict(reading.content)
    else:
        text = emit_reading(reading_editor.new_reading(document.slug))
        compiled = _compiled(text, document)
    row = save_own_reading(teacher.id, document.id, text, compiled)
    locking.commit("reading")
    return row


def _compiled(text: str, document: Document) -> dict[str, Any]:
    try:
        return compile_reading(text, reading_path(document.slug),
                               {document.slug: document.text}, SOURCING_REASONS)
    except LessonInvalid as invalid:
        raise ReadingRefused("The reading would not be valid with this change, so nothing "
                             "was saved:", issues=invalid.issues) from invalid


def change(teacher: User, document: Document, seen_version: int | None,
           apply: Change) -> Reading:
    """Apply ``apply`` to ``teacher``'s own reading of ``document`` and save it.

    ``seen_version`` is the reading's ``edit_version`` the form was drawn with: a reading
    changed since is refused (:class:`~app.services.locking.StaleEdit`, 409). Commits.
    """
    reading = reading_in_force(teacher.id, document.id)
    if reading is None or reading.owner_id != teacher.id:
        raise ReadingRefused("This is not your reading yet: copy it (or start one) first, "
                             "then change it.", 409)
    locking.refuse_if_stale(reading, seen_version, "reading")
    path = reading_path(document.slug)
    try:
        source = parse_reading(reading.source_text, path)
        changed = apply(source, reading.content)
    except JudgementProblem as problem:
        raise ReadingRefused(f"That judgement cannot be saved: {problem}.") from problem
    except LessonInvalid as invalid:
        raise ReadingRefused("Your reading's file cannot be read:",
                             issues=invalid.issues) from invalid
    text = emit_reading(changed)
    compiled = _compiled(text, document)
    saved = save_own_reading(teacher.id, document.id, text, compiled)
    locking.commit("reading")
    return saved


def suggestions(teacher: User, desk: ReadingDesk) -> reading_editor.DocumentSuggestions:
    """The lens's suggestions for the whole document that the reading does not judge
    yet and the teacher did not dismiss."""
    dismissed = dismissals.dismissed_in_reading(teacher.id, desk.document.id)
    return reading_editor.suggestions_for(desk.document.text, analyze(desk.document.text),
                                          desk.compiled, dismissed)


def dismissed_count(teacher: User, document: Document) -> int:
    return len(dismissals.dismissed_in_reading(teacher.id, document.id))


def offered_now(teacher: User, document: Document) -> reading_editor.DocumentSuggestions:
    """What :func:`suggestions` offers for the reading as it is now in the database."""
    return suggestions(teacher, open_desk(teacher, document))


def lessons_note(desk: ReadingDesk) -> str:
    """What a change of this reading changes, in the teacher's words."""
    if desk.pasted:
        return ("Your lessons on this document take their keys from this reading when you "
                "next publish them.")
    return ("This is your own copy of the library's reading. Your own lessons on this "
            "document use it from their next publish; library lessons do not change.")

