"""The questions of a lesson: each kind's fields checked and its answer key compiled.

A key is word indices (marking questions) or sentence indices (sourcing) inside the
question's excerpt. Where the excerpt's document has a reading, the key comes from the
reading (:mod:`app.domain.keys`) and whatever the question writes out must agree with it;
otherwise the question's own phrases are the key. Every question is also scored as if a
student marked everything, and refused if that would earn anything.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from app.domain import checking, frame_options, keys
from app.domain.filereader import FileReader, locate
from app.domain.scoring import mark_everything, score_question
from app.domain.text import Span, sentences, words, words_in
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap

KINDS = ("loaded_terms", "framing", "sourcing", "compare", "verify", "omission")
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
    **checking.DEFAULT_PROMPTS,
}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

@dataclass(frozen=True, slots=True)
class Material:
    """What a lesson's questions are compiled against: its excerpts and their readings,
    the shelf cards (card id -> compiled card) verify and omission questions cite, and the
    frame vocabulary (:mod:`app.domain.frames`) that options may name frames from; with
    ``frames_only`` (library lessons) every option must be one of its frames."""

    excerpts: dict[str, dict[str, Any]]
    texts: dict[str, str]
    readings: Mapping[str, Mapping[str, Any]]
    shelf: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    frames: Mapping[str, Any] | None = None
    frames_only: bool = False

    def reading_of(self, excerpt_id: str) -> Mapping[str, Any] | None:
        return self.readings.get(self.excerpts[excerpt_id]["document"])



def compile_questions(reader: FileReader, top: LineMap, material: Material, *,
                      key: str = "questions", seen: set[str] | None = None
                      ) -> list[dict[str, Any]]:
    """Compile the list ``key`` of the lesson (its questions, or its worked examples).

    ``seen`` holds the ids already used in the lesson; an id may be used once in all.
    """
    questions: list[dict[str, Any]] = []
    seen = set() if seen is None else seen
    for node, line in reader.items(top, key, "the lesson", required=key == "questions"):
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
    if qid and not ID_PATTERN.match(qid):
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
                          material: Material) -> dict[str, Any] | None:
    question, where, ref = _with_excerpt(reader, node, ("phrases", "controls", "about"),
                                         material.excerpts)
    if ref is None:
        return None
    text = material.texts[ref]
    reading = material.reading_of(ref)
    about = keys.read_about(reader, node, where, reading is not None)
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
    key = keys.resolve(reader, node, reading, material.excerpts[ref], written,
                        lambda excerpt: keys.word_key(reading, excerpt, about))
    if key is None:
        return None
    if not key["phrases"]:
        reader.error(reader.line_of(node, "excerpt"), keys.nothing_keyed(reading, ref, about))
        return None
    if about:
        question["about"] = about
    question.update(keys.non_empty(key))
    return question



def _compile_framing(reader: FileReader, node: LineMap,
                     material: Material) -> dict[str, Any] | None:
    texts = material.texts
    question, where, ref = _with_excerpt(reader, node, ("options", "signals"), material.excerpts)
    question["options"] = frame_options.compile_options(reader, node, where, material, ID_PATTERN,
                                                        with_correct=True)
    correct = [option for option in question["options"] if option["correct"]]
    if question["options"] and not 1 <= len(correct) <= 2:
        reader.error(reader.line_of(node, "options"),
                     f"{where} must have one option with 'correct: true', or two when both "
                     f"frames are defensible (it has {len(correct)})")
    if ref is None:
        return None
    question["signals"] = _phrases(reader, node, "signals", where, texts[ref], required=False,
                                   fields=("why",))
    return question


def _compile_sourcing(reader: FileReader, node: LineMap,
                      material: Material) -> dict[str, Any] | None:
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
    key = keys.resolve(reader, node, reading, material.excerpts[ref], written,
                        lambda excerpt: keys.sentence_key(reading, excerpt))
    if key is None:
        return None
    if not key["gaps"]:
        reader.error(reader.line_of(node, "excerpt"), keys.nothing_keyed(reading, ref, []))
        return None
    question.update(keys.non_empty(key))
    return question


def _compile_compare(reader: FileReader, node: LineMap,
                     material: Material) -> dict[str, Any] | None:
    excerpts, texts = material.excerpts, material.texts
    question = _question_head(reader, node, ("options", "sides", "about", "mark"))
    where = f"question '{question['id']}'"
    mark = reader.text(node, "mark", where, required=False, default="loaded")
    if mark not in keys.MARKS:
        reader.error(reader.line_of(node, "mark"), f"'mark' in {where} is one of: "
                                                   f"{', '.join(keys.MARKS)}")
    from_reading = any(isinstance(side, LineMap) and side.get("excerpt") in excerpts
                       and material.reading_of(side["excerpt"]) is not None
                       for side, _ in reader.items(node, "sides", where, required=False))
    about = keys.read_about(reader, node, where, from_reading)
    question["options"] = frame_options.compile_options(reader, node, where, material, ID_PATTERN,
                                                        with_correct=False)
    option_ids = {option["id"] for option in question["options"]}
    sides = []
    for side_node, line in reader.items(node, "sides", where):
        side = reader.mapping(side_node, f"a side of {where}", line,
                              ("excerpt", "frame", "frame_why", "also_frame", "also_why",
                               "terms"))
        if side is None:
            continue
        ref = _excerpt_ref(reader, side, "excerpt", f"a side of {where}", excerpts)
        accepted = frame_options.side_frames(reader, side, f"a side of {where}", option_ids)
        if ref is None:
            continue
        reading = material.reading_of(ref)
        terms = _phrases(reader, side, "terms", f"a side of {where}", texts[ref],
                         required=reading is None, fields=("neutral", "why"))
        compiled = {"excerpt": ref, **accepted, "terms": terms}
        if reading is not None:
            written = {"loaded": terms} if mark == "loaded" else {}
            key = keys.resolve(reader, side, reading, excerpts[ref], written,
                                lambda excerpt, reading=reading: keys.word_key(
                                    reading, excerpt, about) if mark == "loaded"
                                else keys.stand_in_key(reading, excerpt))
            if key is None:
                continue
            if not key["phrases"]:
                reader.error(reader.line_of(side, "excerpt"),
                             keys.nothing_keyed(reading, ref, about))
                continue
            compiled["terms"] = key.pop("phrases")
            compiled.update(keys.non_empty(key))
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


def _compile_checking(reader: FileReader, node: LineMap,
                      material: Material) -> dict[str, Any] | None:
    """A verify or omission question (:mod:`app.domain.checking`), its head read here."""
    kind = node["kind"]
    head = _with_excerpt(reader, node, checking.FIELDS[kind], material.excerpts)
    return checking.COMPILERS[kind](reader, node, material, *head)


_COMPILERS = {
    "loaded_terms": _compile_loaded_terms,
    "framing": _compile_framing,
    "sourcing": _compile_sourcing,
    "compare": _compile_compare,
    "verify": _compile_checking,
    "omission": _compile_checking,
}
