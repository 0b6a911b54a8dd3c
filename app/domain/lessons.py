"""Lesson files: parse, validate against the documents, and compile answer keys.

A lesson file is YAML (format documented in ``lessons/README.md``). Authors write
phrases; this module turns each into word or sentence indices inside its excerpt, so a
key can never point at text the student does not see. Every problem is reported with
the file, the line and what to do, and a lesson with any problem is not compiled at all:
the caller loads all of a file or none of it.

The compiled lesson is a plain JSON-ready dict; it is what lesson versions store and
what the scorers in :mod:`app.domain.scoring` read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any

from app.domain.checking import cards_used
from app.domain.filereader import FileReader, LessonInvalid, LessonIssue, locate, read_yaml
from app.domain.questions import (
    DEFAULT_PROMPTS,
    ID_PATTERN,
    KINDS,
    SOURCING_REASONS,
    Material,
    compile_questions,
)
from app.domain.yamllines import LineMap

# The names lesson callers use, several defined in the modules this one builds on.
__all__ = ["DEFAULT_PROMPTS", "KINDS", "LEVELS", "SOURCING_REASONS", "LessonInvalid",
           "LessonIssue", "compile_lesson", "content_hash", "read_yaml"]

LEVELS = ("intro", "core", "challenge")
STATUSES = ("published", "draft")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def compile_lesson(text: str, path: str, documents: Mapping[str, str],
                   readings: Mapping[str, Mapping[str, Any]] | None = None,
                   shelf: Mapping[str, Mapping[str, Any]] | None = None, *,
                   frames: Mapping[str, Any] | None = None,
                   frames_only: bool = False) -> dict[str, Any]:
    """Validate one lesson file's text and return the compiled lesson.

    ``documents`` maps a document slug to its exact text; ``readings`` maps a document
    slug to its compiled reading (:func:`app.domain.readings.compile_reading`): questions on
    excerpts of a document with a reading take their keys from it (:mod:`app.domain.keys`).
    ``shelf`` maps a card id to its compiled card (:func:`app.domain.shelf.compile_card`):
    the cards verify and omission questions cite. A lesson with such questions carries the
    cards they use under ``"cards"`` (so a changed card makes a new version); a lesson
    without them has no ``"cards"`` key, and its content (and hash) is what it always was.
    ``frames`` is the frame vocabulary (:func:`app.domain.frames.compile_frames`) options may
    name frames from; with ``frames_only`` (the library's lessons) they may name no other.
    Raises :class:`LessonInvalid` with every problem found, each naming the file and line.
    """
    reader = FileReader(path)
    root = read_yaml(text, path)
    top = reader.mapping(root, "the lesson", 1, (
        "slug", "title", "summary", "level", "minutes", "goals", "status", "excerpts",
        "questions", "examples",
    ))
    if top is None:
        raise LessonInvalid(reader.issues)
    lesson: dict[str, Any] = {
        "slug": reader.text(top, "slug", "the lesson"),
        "title": reader.text(top, "title", "the lesson"),
        "summary": reader.text(top, "summary", "the lesson"),
        "level": reader.text(top, "level", "the lesson"),
        "status": reader.text(top, "status", "the lesson", required=False,
                              default="published"),
        "minutes": None,
        "goals": [],
    }
    if lesson["slug"] and not _SLUG.match(lesson["slug"]):
        reader.error(reader.line_of(top, "slug"),
                     "the slug may use only lower-case letters, digits and single hyphens")
    if lesson["level"] and lesson["level"] not in LEVELS:
        reader.error(reader.line_of(top, "level"),
                     f"unknown level '{lesson['level']}' (expected one of: {', '.join(LEVELS)})")
    if lesson["status"] not in STATUSES:
        reader.error(reader.line_of(top, "status"),
                     f"unknown status '{lesson['status']}' (expected one of: "
                     f"{', '.join(STATUSES)})")
    minutes = top.get("minutes")
    if minutes is not None:
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600:
            reader.error(reader.line_of(top, "minutes"),
                         "'minutes' must be a whole number of minutes from 1 to 600")
        else:
            lesson["minutes"] = minutes
    for goal, line in reader.items(top, "goals", "the lesson", required=False):
        if isinstance(goal, str) and goal.strip():
            if reader.fits(goal.strip(), "goals", "the lesson", line):
                lesson["goals"].append(goal.strip())
        else:
            reader.error(line, "each goal must be a line of text")

    excerpts = _compile_excerpts(reader, top, documents)
    lesson["excerpts"] = list(excerpts.values())
    texts = {excerpt_id: excerpt["text"] for excerpt_id, excerpt in excerpts.items()}
    material = Material(excerpts, texts, readings or {}, shelf or {}, frames=frames,
                        frames_only=frames_only)
    # Worked examples come first and are never scored: the student sees each with its
    # answer and feedback (app.domain.answers) before the first question.
    seen: set[str] = set()
    examples = compile_questions(reader, top, material, key="examples", seen=seen)
    lesson["questions"] = compile_questions(reader, top, material, seen=seen)
    if reader.issues:
        raise LessonInvalid(reader.issues)
    if examples:
        lesson["examples"] = examples
    cards = cards_used(examples + lesson["questions"], shelf or {})
    if cards:
        lesson["cards"] = cards
    return lesson


def _compile_excerpts(reader: FileReader, top: LineMap,
                      documents: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    excerpts: dict[str, dict[str, Any]] = {}
    for node, line in reader.items(top, "excerpts", "the lesson"):
        item = reader.mapping(node, "an excerpt", line, ("id", "document", "quote", "occurrence"))
        if item is None:
            continue
        excerpt_id = reader.text(item, "id", "an excerpt")
        where = f"excerpt '{excerpt_id}'" if excerpt_id else "an excerpt"
        document = reader.text(item, "document", where)
        quote = reader.text(item, "quote", where)
        if excerpt_id and not ID_PATTERN.match(excerpt_id):
            reader.error(reader.line_of(item, "id"),
                         "ids may use only lower-case letters, digits, '-' and '_'")
        if excerpt_id in excerpts:
            reader.error(reader.line_of(item, "id"), f"the excerpt id '{excerpt_id}' is used twice")
            continue
        if not document or not quote:
            reader.failed_excerpts.add(excerpt_id)
            continue
        if document not in documents:
            known = ", ".join(sorted(documents)) or "none loaded"
            hint = get_close_matches(document, list(documents), n=1)
            suggestion = f" — did you mean '{hint[0]}'?" if hint else ""
            reader.error(reader.line_of(item, "document"),
                         f"unknown document '{document}'{suggestion} (known: {known})")
            reader.failed_excerpts.add(excerpt_id)
            continue
        span = locate(reader, item, "quote", quote, documents[document], f"document '{document}'",
                       whole_words=False)
        if span is None:
            reader.failed_excerpts.add(excerpt_id)
        else:
            excerpts[excerpt_id] = {"id": excerpt_id, "document": document, "start": span.start,
                                    "end": span.end, "text": span.text}
    return excerpts


def content_hash(lesson: Mapping[str, Any]) -> str:
    """A stable fingerprint of a compiled lesson; a new hash means a new version."""
    canonical = json.dumps(lesson, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
