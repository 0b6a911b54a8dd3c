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
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from app.domain import keys
from app.domain.filereader import FileReader, LessonInvalid, LessonIssue, locate, read_yaml
from app.domain.readings import CATEGORIES
from app.domain.scoring import mark_everything, score_question
from app.domain.text import Span, sentences, words, words_in
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap, LineSeq

# The file-reading names lesson callers use are re-exported from here.
__all__ = ["KINDS", "LEVELS", "SOURCING_REASONS", "LessonInvalid", "LessonIssue", "compile_lesson",
           "content_hash", "read_yaml"]

KINDS = ("loaded_terms", "framing", "sourcing", "compare")
LEVELS = ("intro", "core", "challenge")
STATUSES = ("published", "draft")
SOURCING_REASONS: dict[str, str] = {
    "vague_attribution": "Vague attribution",
    "unnamed_group": "Unnamed group",
    "presumption": "Presumption stated as fact",
    "allegedly": "“Allegedly” with no source",
    "no_source": "Claim with no source",
    "agentless": "No one is named as doing it",
    "no_disclosure": "Who is speaking is not disclosed",
}
DEFAULT_PROMPTS = {
    "loaded_terms": "Mark the words and phrases that judge the people or events instead of "
                    "just describing them.",
    "framing": "Which frame fits this excerpt best?",
    "sourcing": "Select each sentence that makes a claim without a named, checkable source.",
    "compare": "Both excerpts describe the same events. Choose the frame of each, and mark "
               "the word or phrase each uses for the people involved.",
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class _Material:
    """What a lesson's questions are compiled against: its excerpts and their readings."""

    excerpts: dict[str, dict[str, Any]]
    texts: dict[str, str]
    readings: Mapping[str, Mapping[str, Any]]

    def reading_of(self, excerpt_id: str) -> Mapping[str, Any] | None:
        return self.readings.get(self.excerpts[excerpt_id]["document"])


def compile_lesson(text: str, path: str, documents: Mapping[str, str],
                   readings: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Validate one lesson file's text and return the compiled lesson.

    ``documents`` maps a document slug to its exact text; ``readings`` maps a document
    slug to its compiled reading (:func:`app.domain.readings.compile_reading`): questions on
    excerpts of a document with a reading take their keys from it (:mod:`app.domain.keys`).
    Raises :class:`LessonInvalid` with every problem found, each naming the file and line.
    """
    reader = FileReader(path)
    root = read_yaml(text, path)
    top = reader.mapping(root, "the lesson", 1, (
        "slug", "title", "summary", "level", "minutes", "goals", "status", "excerpts",
        "questions",
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
    lesson["questions"] = _compile_questions(reader, top,
                                             _Material(excerpts, texts, readings or {}))
    if reader.issues:
        raise LessonInvalid(reader.issues)
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
        if excerpt_id and not _ID.match(excerpt_id):
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


def _compile_questions(reader: FileReader, top: LineMap,
                       material: _Material) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = []
    seen: set[str] = set()
    for node, line in reader.items(top, "questions", "the lesson"):
        if not isinstance(node, LineMap):
            reader.error(line, "each question must be a mapping of 'field: value' lines")
            continue
        kind = reader.text(node, "kind", "a question")
        if kind and kind not in KINDS:
            hint = get_close_matches(kind, KINDS, n=1)
            suggestion = f" — did you mean '{hint[0]}'?" if hint else ""
            reader.error(reader.line_of(node, "kind"),
                         f"unknown kind '{kind}'{suggestion} (expected one of: {', '.join(KINDS)})")
            continue
        if not kind:
            continue
        before = len(reader.issues)
        question = _COMPILERS[kind](reader, node, material)
        if question is None or len(reader.issues) > before:
            continue
        if question["id"] in seen:
            reader.error(reader.line_of(node, "id"), f"the question id '{question['id']}' is "
                                                     "used twice")
            continue
        seen.add(question["id"])
        texts = material.texts
        everything = score_question(question, mark_everything(question, texts), texts)
        if everything.points > 0:
            reader.error(line, f"marking everything in question '{question['id']}' would score "
                               f"{everything.points} of {everything.max_points}; add neutral "
                               "sentences to the excerpt (controls) or key fewer items")
            continue
        questions.append(question)
    return questions


def _question_head(reader: FileReader, node: LineMap, allowed: tuple[str, ...]) -> dict[str, Any]:
    reader.mapping(node, "a question", node.line, ("id", "kind", "prompt", *allowed))
    qid = reader.text(node, "id", "a question")
    if qid and not _ID.match(qid):
        reader.error(reader.line_of(node, "id"),
                     "ids may use only lower-case letters, digits, '-' and '_'")
    kind = node["kind"]
    return {"id": qid, "kind": kind,
            "prompt": reader.text(node, "prompt", f"question '{qid}'", required=False,
                                  default=DEFAULT_PROMPTS[kind])}


def _with_excerpt(reader: FileReader, node: LineMap, allowed: tuple[str, ...],
                  excerpts: dict[str, dict[str, Any]]
                  ) -> tuple[dict[str, Any], str, str | None]:
    """Head of a question on one excerpt: ``(question, where, excerpt id or None)``."""
    question = _question_head(reader, node, ("excerpt", *allowed))
    where = f"question '{question['id']}'"
    ref = _excerpt_ref(reader, node, "excerpt", where, excerpts)
    if ref is not None:
        question["excerpt"] = ref
    return question, where, ref


def _excerpt_ref(reader: FileReader, node: LineMap, key: str, where: str,
                 excerpts: dict[str, dict[str, Any]]) -> str | None:
    ref = reader.text(node, key, where)
    if ref in reader.failed_excerpts:
        return None  # the excerpt's own problem was reported; don't pile on
    if ref and ref not in excerpts:
        declared = [excerpt_id for excerpt_id in excerpts]
        reader.error(reader.line_of(node, key),
                     f"no excerpt with id '{ref}' in this lesson"
                     + (f" (excerpts: {', '.join(declared)})" if declared else ""))
        return None
    return ref or None


def _located_entries(reader: FileReader, node: LineMap, key: str, where: str, excerpt_text: str, *,
                     required: bool, fields: tuple[str, ...]
                     ) -> Iterator[tuple[LineMap, dict[str, Any], Span]]:
    """Read a list of ``phrase:`` entries and find each phrase in the excerpt.

    Yields ``(item, entry, span)`` for every entry whose phrase was found once; ``entry``
    holds the phrase as it stands in the excerpt plus the text ``fields``. Problems are
    reported on ``reader`` and the entry skipped.
    """
    for item_node, line in reader.items(node, key, where, required=required):
        item = reader.mapping(item_node, f"'{key}' in {where}", line,
                              ("phrase", "occurrence", *fields))
        if item is None:
            continue
        phrase = reader.text(item, "phrase", f"an entry of '{key}'")
        entry: dict[str, Any] = {"text": phrase}
        for name in fields:
            entry[name] = reader.text(item, name, f'"{shorten(phrase, 40)}"')
        if not phrase:
            continue
        span = locate(reader, item, "phrase", phrase, excerpt_text, "the excerpt")
        if span is not None:
            entry["text"] = span.text
            yield item, entry, span


def _phrases(reader: FileReader, node: LineMap, key: str, where: str, excerpt_text: str, *,
             required: bool, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Compile a list of ``phrase:`` entries into word indices, checking overlaps."""
    spans = words(excerpt_text)
    compiled: list[dict[str, Any]] = []
    taken: dict[int, str] = {}
    for item, entry, span in _located_entries(reader, node, key, where, excerpt_text,
                                              required=required, fields=fields):
        indices = words_in(spans, span.start, span.end)
        if not indices:
            reader.error(reader.line_of(item, "phrase"),
                         f'"{entry["text"]}" contains no word to mark')
            continue
        clash = next((taken[i] for i in indices if i in taken), None)
        if clash is not None:
            reader.error(reader.line_of(item, "phrase"),
                         f'"{shorten(entry["text"], 40)}" overlaps "{shorten(clash, 40)}"; key '
                         "each word once")
            continue
        for index in indices:
            taken[index] = entry["text"]
        entry["words"] = indices
        compiled.append(entry)
    return compiled


def _check_controls(reader: FileReader, node: LineMap, keyed: list[dict[str, Any]],
                    controls: list[dict[str, Any]]) -> None:
    keyed_words = {i for item in keyed for i in item["words"]}
    for control in controls:
        if set(control["words"]) & keyed_words:
            reader.error(reader.line_of(node, "controls"),
                         f'the control "{shorten(control["text"], 40)}" overlaps a keyed answer; '
                         "a control must be neutral")


def _compile_loaded_terms(reader: FileReader, node: LineMap,
                          material: _Material) -> dict[str, Any] | None:
    question, where, ref = _with_excerpt(reader, node, ("phrases", "controls", "about"),
                                         material.excerpts)
    if ref is None:
        return None
    text = material.texts[ref]
    reading = material.reading_of(ref)
    about = _about(reader, node, where, reading)
    written = {
        "loaded": _phrases(reader, node, "phrases", where, text, required=reading is None,
                           fields=("neutral", "why")),
        "neutral": _phrases(reader, node, "controls", where, text, required=False,
                            fields=("why",)),
    }
    if reading is None:
        question["phrases"], question["controls"] = written["loaded"], written["neutral"]
        _check_controls(reader, node, question["phrases"], question["controls"])
        return question
    key = _from_reading(reader, node, reading, material.excerpts[ref], written,
                        lambda excerpt: keys.word_key(reading, excerpt, about))
    if key is None:
        return None
    if not key["phrases"]:
        reader.error(reader.line_of(node, "excerpt"), _nothing_keyed(reading, ref, about))
        return None
    if about:
        question["about"] = about
    question.update(_non_empty(key))
    return question


def _about(reader: FileReader, node: LineMap, where: str,
           reading: Mapping[str, Any] | None) -> list[str]:
    """The categories a question narrows its reading's key to (``about:``), checked."""
    value = node.get("about")
    if value is None:
        return []
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, LineSeq) \
        else None
    line = reader.line_of(node, "about")
    if not names or not all(isinstance(name, str) for name in names):
        reader.error(line, f"'about' in {where} must be a category or a list of them "
                           f"({', '.join(CATEGORIES)})")
        return []
    unknown = [name for name in names if name not in CATEGORIES]
    if unknown:
        reader.error(line, f"unknown category '{shorten(unknown[0], 40)}' in {where} (expected "
                           f"one of: {', '.join(CATEGORIES)})")
        return []
    if reading is None:
        reader.error(line, f"'about' in {where} narrows a key taken from a reading, and this "
                           "excerpt's document has none")
        return []
    return list(dict.fromkeys(names))


def _from_reading(reader: FileReader, node: LineMap, reading: Mapping[str, Any],
                  excerpt: Mapping[str, Any], written: Mapping[str, list[Any]],
                  resolve: Callable[[Mapping[str, Any]], dict[str, Any]],
                  ) -> dict[str, Any] | None:
    """Resolve a key from the reading, reporting what the question writes against it."""
    for _, message in keys.disagreements(reading, excerpt, written):
        reader.error(reader.line_of(node, "excerpt"), message)
    try:
        return resolve(excerpt)
    except keys.KeyProblem as problem:
        reader.error(reader.line_of(node, "excerpt"), str(problem))
        return None


def _nothing_keyed(reading: Mapping[str, Any], excerpt_id: str, about: list[str]) -> str:
    narrowed = f" about {keys.category_labels(about)}" if about else ""
    return (f"the reading of '{reading['document']}' ({reading.get('path', 'its reading')}) "
            f"keys nothing{narrowed} inside excerpt '{excerpt_id}', so this question would "
            "have no answer; choose another excerpt or add the judgement to the reading")


def _non_empty(key: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """A resolved key without its empty lists, so lessons that have no debatable or
    aside items compile to exactly what they did before those existed."""
    return {name: items for name, items in key.items() if items or name == "controls"}


def _options(reader: FileReader, node: LineMap, where: str, *,
             with_correct: bool) -> list[dict[str, Any]]:
    fields = ("id", "text", "feedback", "correct") if with_correct else ("id", "text", "feedback")
    options: list[dict[str, Any]] = []
    items = reader.items(node, "options", where)
    for number, (item_node, line) in enumerate(items):
        item = reader.mapping(item_node, f"an option of {where}", line, fields)
        if item is None:
            continue
        option_id = reader.text(item, "id", "an option", required=not with_correct,
                                default=chr(ord("a") + number))
        option = {"id": option_id,
                  "text": reader.text(item, "text", f"option '{option_id}'"),
                  "feedback": reader.text(item, "feedback", f"option '{option_id}'")}
        if option_id and not _ID.match(option_id):
            reader.error(reader.line_of(item, "id"),
                         "ids may use only lower-case letters, digits, '-' and '_'")
        if with_correct:
            correct = item.get("correct", False)
            if not isinstance(correct, bool):
                reader.error(reader.line_of(item, "correct"), "'correct' must be true or false")
            option["correct"] = correct is True
        options.append(option)
    if items and not 3 <= len(items) <= 5:
        reader.error(reader.line_of(node, "options"),
                     f"{where} has {len(items)} options; give 3 to 5")
    ids = Counter(option["id"] for option in options)
    for option_id, count in ids.items():
        if count > 1:
            reader.error(reader.line_of(node, "options"), f"the option id '{option_id}' is used "
                                                          "twice")
    return options


def _compile_framing(reader: FileReader, node: LineMap,
                     material: _Material) -> dict[str, Any] | None:
    texts = material.texts
    question, where, ref = _with_excerpt(reader, node, ("options", "signals"), material.excerpts)
    question["options"] = _options(reader, node, where, with_correct=True)
    correct = [option for option in question["options"] if option["correct"]]
    if question["options"] and len(correct) != 1:
        reader.error(reader.line_of(node, "options"),
                     f"{where} must have exactly one option with 'correct: true' "
                     f"(it has {len(correct)})")
    if ref is None:
        return None
    question["signals"] = _phrases(reader, node, "signals", where, texts[ref], required=False,
                                   fields=("why",))
    return question


def _compile_sourcing(reader: FileReader, node: LineMap,
                      material: _Material) -> dict[str, Any] | None:
    texts = material.texts
    question, where, ref = _with_excerpt(reader, node, ("gaps", "controls"), material.excerpts)
    if ref is None:
        return None
    reading = material.reading_of(ref)
    spans = sentences(texts[ref])
    for key, fields in (("gaps", ("reason", "why")), ("controls", ("why",))):
        compiled = []
        for item, entry, span in _located_entries(reader, node, key, where, texts[ref],
                                                  required=key == "gaps" and reading is None,
                                                  fields=fields):
            if key == "gaps" and entry["reason"] and entry["reason"] not in SOURCING_REASONS:
                reader.error(reader.line_of(item, "reason"),
                             f"unknown reason '{shorten(entry['reason'], 40)}' (expected one of: "
                             f"{', '.join(SOURCING_REASONS)})")
            hits = words_in(spans, span.start, span.end)
            if len(hits) != 1:
                reader.error(reader.line_of(item, "phrase"),
                             f'"{shorten(entry["text"], 40)}" runs across {len(hits)} sentences; '
                             "key the words of one sentence")
                continue
            entry["sentence"] = hits[0]
            compiled.append(entry)
        question[key] = compiled
    repeated = Counter(gap["sentence"] for gap in question["gaps"])
    for sentence, count in repeated.items():
        if count > 1:
            reader.error(reader.line_of(node, "gaps"),
                         f"{count} gaps point into the same sentence "
                         f"({shorten(spans[sentence].text, 60)}); students select whole "
                         "sentences, so key each sentence once")
    gap_sentences = {gap["sentence"] for gap in question["gaps"]}
    for control in question["controls"]:
        if control["sentence"] in gap_sentences:
            reader.error(reader.line_of(node, "controls"),
                         f'the control "{shorten(control["text"], 40)}" is in a sentence keyed as '
                         "a gap; a control must be a sourced or neutral sentence")
    if reading is None:
        return question
    written = {"gaps": question.pop("gaps"), "sourced": question.pop("controls")}
    key = _from_reading(reader, node, reading, material.excerpts[ref], written,
                        lambda excerpt: keys.sentence_key(reading, excerpt))
    if key is None:
        return None
    if not key["gaps"]:
        reader.error(reader.line_of(node, "excerpt"), _nothing_keyed(reading, ref, []))
        return None
    question.update(_non_empty(key))
    return question


def _compile_compare(reader: FileReader, node: LineMap,
                     material: _Material) -> dict[str, Any] | None:
    excerpts, texts = material.excerpts, material.texts
    question = _question_head(reader, node, ("options", "sides", "about", "mark"))
    where = f"question '{question['id']}'"
    mark = reader.text(node, "mark", where, required=False, default="loaded")
    if mark not in keys.MARKS:
        reader.error(reader.line_of(node, "mark"), f"'mark' in {where} is one of: "
                                                   f"{', '.join(keys.MARKS)}")
    with_reading = [side.get("excerpt") for side, _ in reader.items(node, "sides", where,
                                                                   required=False)
                    if isinstance(side, LineMap) and side.get("excerpt") in excerpts
                    and material.reading_of(side["excerpt"]) is not None]
    about = _about(reader, node, where, material.reading_of(with_reading[0])
                   if with_reading else None)
    question["options"] = _options(reader, node, where, with_correct=False)
    option_ids = {option["id"] for option in question["options"]}
    sides = []
    for side_node, line in reader.items(node, "sides", where):
        side = reader.mapping(side_node, f"a side of {where}", line,
                              ("excerpt", "frame", "frame_why", "terms"))
        if side is None:
            continue
        ref = _excerpt_ref(reader, side, "excerpt", f"a side of {where}", excerpts)
        frame = reader.text(side, "frame", f"a side of {where}")
        if frame and option_ids and frame not in option_ids:
            reader.error(reader.line_of(side, "frame"),
                         f"frame '{frame}' is not an option id ({', '.join(sorted(option_ids))})")
        frame_why = reader.text(side, "frame_why", f"a side of {where}")
        if ref is None:
            continue
        reading = material.reading_of(ref)
        terms = _phrases(reader, side, "terms", f"a side of {where}", texts[ref],
                         required=reading is None, fields=("neutral", "why"))
        compiled = {"excerpt": ref, "frame": frame, "frame_why": frame_why, "terms": terms}
        if reading is not None:
            written = {"loaded": terms} if mark == "loaded" else {}
            key = _from_reading(reader, side, reading, excerpts[ref], written,
                                lambda excerpt, reading=reading: keys.word_key(
                                    reading, excerpt, about) if mark == "loaded"
                                else keys.stand_in_key(reading, excerpt))
            if key is None:
                continue
            if not key["phrases"]:
                reader.error(reader.line_of(side, "excerpt"), _nothing_keyed(reading, ref, about))
                continue
            compiled["terms"] = key.pop("phrases")
            compiled.update(_non_empty(key))
        sides.append(compiled)
    if len(sides) < 2:
        reader.error(reader.line_of(node, "sides"), f"{where} compares at least two excerpts")
    documents = [excerpts[side["excerpt"]]["document"] for side in sides]
    if len(set(documents)) != len(documents):
        reader.error(reader.line_of(node, "sides"),
                     f"{where} must compare excerpts from different documents")
    question["sides"] = sides
    if about:
        question["about"] = about
    if mark != "loaded":
        question["mark"] = mark
    return question


_COMPILERS = {
    "loaded_terms": _compile_loaded_terms,
    "framing": _compile_framing,
    "sourcing": _compile_sourcing,
    "compare": _compile_compare,
}


def content_hash(lesson: Mapping[str, Any]) -> str:
    """A stable fingerprint of a compiled lesson; a new hash means a new version."""
    canonical = json.dumps(lesson, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
