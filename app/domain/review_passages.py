"""Review passages: a part of a document the student has not seen, with one question on it
keyed from the document's reading (pure: no Flask, no database).

A *passage* is a run of 2 to 4 whole sentences of a document (:data:`MIN_CHARS` to
:data:`MAX_CHARS` characters) that

* holds at least one item the reading judges for the technique (a loaded phrase of that
  category, or a sourcing gap of that reason),
* holds at least one thing to leave alone: an explicit control of the reading (a
  ``neutral`` phrase, a ``sourced`` sentence) or a plain sentence it judges nothing in, and
* overlaps no character range the student has already seen (every excerpt of every lesson
  version they attempted, every earlier review passage).

Of the passages that qualify, the order is a hash of a seed (e.g. the student, the
technique and the step), so the same seed always picks the same passage. The question is
written as a one-question lesson and compiled by the lesson compiler
(:func:`app.domain.lessons.compile_lesson`), so its key is exactly what a lesson on the same
excerpt would take from the reading, and a passage the compiler refuses (marking
everything would pay, an excerpt cutting a judged phrase) is skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import yaml

from app.domain.lessons import DEFAULT_PROMPTS, LessonInvalid, compile_lesson
from app.domain.readings import CATEGORIES
from app.domain.review import reviewable, technique_family
from app.domain.text import sentences

MIN_SENTENCES: Final = 2
MAX_SENTENCES: Final = 4
MIN_CHARS: Final = 250
MAX_CHARS: Final = 900
EXCERPT_ID: Final = "passage"
QUESTION_ID: Final = "review"

# What each family's question judges: the tiers it keys, and those it leaves alone.
_JUDGED = {"loaded": ("loaded", "debatable", "neutral", "signals"),
           "sourcing": ("gaps", "debatable_gaps", "sourced")}
_CONTROL = {"loaded": "neutral", "sourcing": "sourced"}

Ranges = Mapping[str, Sequence[tuple[int, int]]]  # document slug -> [(start, end), ...]


@dataclass(frozen=True, slots=True)
class Passage:
    """A run of whole sentences of a document: its slug, offsets and text."""

    document: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ReviewQuestion:
    """A passage and its compiled one-question content (``{"excerpts", "questions"}``)."""

    passage: Passage
    content: dict[str, Any]


def prompt_for(technique: str) -> str:
    """The question's prompt, worded like the library's own prompts for that kind."""
    family, _, detail = technique.partition(":")
    if family == "loaded":
        return (f"Mark the words and phrases that judge {CATEGORIES[detail]} instead of just "
                "describing them.")
    return DEFAULT_PROMPTS["sourcing"]


def overlaps(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` shares a character with any of ``ranges``."""
    return any(start < seen_end and seen_start < end for seen_start, seen_end in ranges)


def _is_item(entry: Mapping[str, Any], technique: str) -> bool:
    family, _, detail = technique.partition(":")
    if family == "loaded":
        return entry["tier"] == "loaded" and entry.get("about") == detail
    return entry["tier"] == "gaps" and entry.get("reason") == detail


def candidates(document: str, text: str, reading: Mapping[str, Any],
               technique: str, seen: Sequence[tuple[int, int]] = ()) -> list[Passage]:
    """Every passage of one document that qualifies for ``technique`` (see the module),
    in document order; none for a technique that is not reviewable."""
    if not reviewable(technique):
        return []
    family = technique_family(technique)
    judged = [entry for entry in reading["entries"] if entry["tier"] in _JUDGED[family]]
    spans = sentences(text)
    found: list[Passage] = []
    for first in range(len(spans)):
        for count in range(MIN_SENTENCES, MAX_SENTENCES + 1):
            last = first + count - 1
            if last >= len(spans):
                break
            start, end = spans[first].start, spans[last].end
            if end - start > MAX_CHARS:
                break
            if end - start < MIN_CHARS or overlaps(start, end, seen):
                continue
            if _qualifies(judged, spans[first:last + 1], start, end, technique, family):
                found.append(Passage(document, start, end, text[start:end]))
    return found


def _qualifies(judged: list[Mapping[str, Any]], run: Sequence[Any], start: int, end: int,
               technique: str, family: str) -> bool:
    inside = [entry for entry in judged if start <= entry["start"] and entry["end"] <= end]
    if any(entry["start"] < end and start < entry["end"] and entry not in inside
           for entry in judged):
        return False  # the run cuts a judged phrase in two
    if not any(_is_item(entry, technique) for entry in inside):
        return False
    if any(entry["tier"] == _CONTROL[family] for entry in inside):
        return True
    # A plain sentence: nothing judged in it at all.
    return any(not any(entry["start"] < sentence.end and sentence.start < entry["end"]
                       for entry in inside) for sentence in run)


def order_key(seed: str, passage: Passage) -> str:
    return hashlib.sha256(
        f"{seed}|{passage.document}|{passage.start}|{passage.end}".encode()).hexdigest()


def lesson_text(technique: str, passage: Passage) -> str:
    """The one-question lesson file (YAML) that asks ``technique`` on ``passage``."""
    question: dict[str, Any] = {"id": QUESTION_ID, "excerpt": EXCERPT_ID,
                                "prompt": prompt_for(technique)}
    if technique_family(technique) == "loaded":
        question.update(kind="loaded_terms", about=[technique.partition(":")[2]])
    else:
        question["kind"] = "sourcing"
    lesson = {"slug": "review", "title": "Review", "summary": "Review of what was missed.",
              "level": "core",
              "excerpts": [{"id": EXCERPT_ID, "document": passage.document,
                            "quote": passage.text}],
              "questions": [question]}
    return yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False, width=1_000_000)


def build_question(technique: str, passage: Passage, documents: Mapping[str, str],
                   readings: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The compiled content of the review question on ``passage``, or None when the lesson
    compiler refuses it (or places the excerpt anywhere but the passage)."""
    try:
        lesson = compile_lesson(lesson_text(technique, passage), "review.yaml",
                                {passage.document: documents[passage.document]},
                                {passage.document: readings[passage.document]})
    except LessonInvalid:
        return None
    excerpt = lesson["excerpts"][0]
    if (excerpt["start"], excerpt["end"]) != (passage.start, passage.end):
        return None
    return {"excerpts": lesson["excerpts"], "questions": lesson["questions"]}


def ordered_candidates(technique: str, documents: Mapping[str, str],
                       readings: Mapping[str, Mapping[str, Any]], seen: Ranges,
                       seed: str, *,
                       every: Callable[[str], Sequence[Passage]] | None = None
                       ) -> Iterator[Passage]:
    """Every qualifying passage of every document with a reading, in the seed's order.

    ``every(document)`` gives a document's qualifying passages before any is seen (by
    default :func:`candidates`); it depends only on the technique, the document and its
    reading, so a caller may keep its results."""
    def all_of(document: str) -> Sequence[Passage]:
        return candidates(document, documents[document], readings[document], technique)

    listing = every or all_of
    found = [passage for document in sorted(readings) if document in documents
             for passage in listing(document)
             if not overlaps(passage.start, passage.end, seen.get(document, ()))]
    yield from sorted(found, key=lambda passage: order_key(seed, passage))


def choose(technique: str, documents: Mapping[str, str],
           readings: Mapping[str, Mapping[str, Any]], seen: Ranges,
           seed: str, *,
           every: Callable[[str], Sequence[Passage]] | None = None,
           compiled: Callable[[Passage], dict[str, Any] | None] | None = None
           ) -> ReviewQuestion | None:
    """The review question for ``technique``: the first passage in the seed's order that
    the compiler accepts, or None when no passage the student has not seen is left.

    ``every`` (see :func:`ordered_candidates`) and ``compiled(passage)`` (by default
    :func:`build_question`) depend only on the technique, the document and its reading:
    a caller may keep their results between students."""
    def build(passage: Passage) -> dict[str, Any] | None:
        return build_question(technique, passage, documents, readings)

    for passage in ordered_candidates(technique, documents, readings, seen, seed,
                                      every=every):
        content = (compiled or build)(passage)
        if content is not None:
            return ReviewQuestion(passage, content)
    return None
