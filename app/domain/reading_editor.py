"""The reading editor's operations, as pure functions over a reading and its document.

A teacher annotates a document once (format in ``lessons/readings/README.md``): they mark
words or select sentences and judge them, change or remove an entry, and accept or dismiss
the language lens's suggestions. Each operation here takes the reading as the plain dict
its YAML reads as (:func:`app.domain.reading_edits.parse_reading`), the compiled reading
where it needs positions (:func:`app.domain.readings.compile_reading`) and the document's
text, and returns a changed copy; :class:`JudgementProblem` says what is missing. Nothing
here knows about forms, the database or who may change what: the service compiles the
result again before it saves anything.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.key_phrases import sentence_phrase, word_runs
from app.domain.lens.findings import Finding
from app.domain.reading_edits import (
    REMOVE,
    JudgementProblem,
    entries_at,
    phrase_for_span,
    set_judgement,
    tier_fields,
    tiers_of,
)
from app.domain.readings import CATEGORIES, SENTENCE_TIERS, TIERS, WORD_TIERS
from app.domain.suggestions import Suggestion, suggest
from app.domain.text import sentences, words, words_in

Reading = Mapping[str, Any]


def new_reading(document_slug: str) -> dict[str, Any]:
    """The reading of a document before anything is judged in it."""
    return {"document": document_slug}


def entries_by_tier(compiled: Reading) -> dict[str, list[dict[str, Any]]]:
    """The compiled entries of each tier in the file's order (an entry's position in its
    list is the ``position`` the other operations take)."""
    grouped: dict[str, list[dict[str, Any]]] = {tier: [] for tier in TIERS}
    for entry in sorted(compiled.get("entries") or [], key=lambda e: e["line"]):
        grouped[entry["tier"]].append(entry)
    return grouped


def _targets(document: str, unit: str, marked: Iterable[int]) -> list[tuple[dict[str, Any],
                                                                             int, int]]:
    """What the marks pick out: one phrase (a run of consecutive words) or each sentence,
    as ``(target, start, end)`` in the document."""
    chosen = sorted(set(marked))
    if not chosen:
        raise JudgementProblem("mark the words (or select the sentences) to judge first")
    if unit == "word":
        spans = words(document)
        if chosen[0] < 0 or chosen[-1] >= len(spans):
            raise JudgementProblem("a marked word is not in this document")
        if len(word_runs(chosen)) != 1:
            raise JudgementProblem("mark one phrase at a time: the marked words must follow "
                                   "one another")
        start, end = spans[chosen[0]].start, spans[chosen[-1]].end
        return [(phrase_for_span(document, start, end), start, end)]
    spans = sentences(document)
    if chosen[0] < 0 or chosen[-1] >= len(spans):
        raise JudgementProblem("a selected sentence is not in this document")
    targets = []
    for index in chosen:
        phrase, occurrence = sentence_phrase(document, index)
        target: dict[str, Any] = {"phrase": phrase}
        if occurrence is not None:
            target["occurrence"] = occurrence
        targets.append((target, spans[index].start, spans[index].end))
    return targets


def judge(reading: Reading, compiled: Reading, document: str, unit: str,
          marked: Iterable[int], tier: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``reading`` in which the marked words (``unit="word"``: one run, one
    phrase) or each selected sentence (``unit="sentence"``) is judged ``tier``.

    ``marked`` holds word or sentence indices of the whole document, as the checkboxes
    submit them. Whatever judged those words (or sentences) before is replaced; with
    ``tier`` ``"remove"`` it is only taken out. Fields the tier does not have are
    ignored (the form offers them all); a required one missing raises
    :class:`JudgementProblem`.
    """
    if tier != REMOVE and tier not in tiers_of(unit):
        kind = "words" if unit == "word" else "sentences"
        raise JudgementProblem(f"'{tier}' is not a judgement of {kind}")
    targets = _targets(document, unit, marked)
    replacing = sorted({found for _, start, end in targets
                        for found in entries_at(compiled, start, end, tiers_of(unit))})
    kept = {name: value for name, value in fields.items() if name in tier_fields(tier)}
    changed = set_judgement(reading, targets[0][0], tier, kept, replacing)
    for target, _, _ in targets[1:]:
        changed = set_judgement(changed, target, tier, kept)
    return changed


def _position_checked(reading: Reading, tier: str, position: int) -> None:
    if tier not in TIERS:
        raise JudgementProblem(f"unknown judgement '{tier}'")
    if not 0 <= position < len(reading.get(tier) or []):
        raise JudgementProblem("that entry is no longer in the reading")


def remove_entry(reading: Reading, tier: str, position: int) -> dict[str, Any]:
    """A copy of ``reading`` without the entry at ``position`` of ``tier``."""
    _position_checked(reading, tier, position)
    return set_judgement(reading, {}, REMOVE, {}, [(tier, position)])


def edit_entry(reading: Reading, tier: str, position: int,
               fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``reading`` with new fields (about, neutral, why...) for one entry.

    The entry keeps its place, its phrase, ``in``, ``occurrence`` and ``sources``; fields
    its tier does not have are ignored, and a required one left empty raises
    :class:`JudgementProblem`.
    """
    _position_checked(reading, tier, position)
    allowed, required = (WORD_TIERS | SENTENCE_TIERS)[tier]
    values = {name: str(fields.get(name) or "").strip() for name in allowed}
    missing = [name for name in required if not values[name]]
    if missing:
        raise JudgementProblem(f"a '{tier}' entry needs {', '.join(missing)}")
    changed = copy.deepcopy(dict(reading))
    entry = changed[tier][position]
    for name in allowed:
        entry.pop(name, None)
    entry.update({name: value for name, value in values.items() if value})
    return changed


# --- the lens's suggestions for the whole document -----------------------------------------

@dataclass(frozen=True, slots=True)
class DocumentSuggestions:
    """The lens's findings offered for a reading: loaded words and sourcing gaps."""

    words: list[Suggestion] = field(default_factory=list)
    sentences: list[Suggestion] = field(default_factory=list)

    def all(self) -> list[Suggestion]:
        return [*self.words, *self.sentences]

    def find(self, suggestion_id: str) -> Suggestion | None:
        return next((s for s in self.all() if s.id == suggestion_id), None)

    def categories(self) -> list[tuple[str, int]]:
        """The lens categories offered, each with how many suggestions it has."""
        counts: dict[str, int] = {}
        for suggestion in self.all():
            counts[suggestion.finding.category] = counts.get(suggestion.finding.category, 0) + 1
        return sorted(counts.items())


def _taken(document: str, compiled: Reading) -> tuple[set[int], set[int]]:
    """The words and sentences of the document that the reading judges already."""
    word_spans, sentence_spans = words(document), sentences(document)
    taken_words: set[int] = set()
    taken_sentences: set[int] = set()
    for entry in compiled.get("entries") or []:
        if entry["tier"] in WORD_TIERS:
            taken_words.update(words_in(word_spans, entry["start"], entry["end"]))
        else:
            taken_sentences.update(words_in(sentence_spans, entry["sentence_start"],
                                            entry["sentence_end"]))
    return taken_words, taken_sentences


def suggestions_for(document: str, findings: Sequence[Finding], compiled: Reading,
                    dismissed: Collection[str] = ()) -> DocumentSuggestions:
    """The lens's findings (``analyze(document)``) the reading does not judge yet.

    Loaded findings are offered as loaded words, attribution findings whose category is
    a sourcing reason as sourcing gaps; never one touching a judged word or sentence, nor
    one in ``dismissed`` (suggestion ids, offsets in the document).
    """
    taken_words, taken_sentences = _taken(document, compiled)
    return DocumentSuggestions(
        suggest(document, findings, "phrases", "word", taken_words, dismissed),
        suggest(document, findings, "gaps", "sentence", taken_sentences, dismissed))


def _accepted(reading: Reading, document: str, suggestion: Suggestion,
              fields: Mapping[str, Any]) -> dict[str, Any]:
    finding = suggestion.finding
    if finding.kind == "loaded":
        about = str(fields.get("about") or "").strip()
        if about not in CATEGORIES:
            raise JudgementProblem(f'choose what "{finding.text}" names (about) before '
                                   "accepting it")
        values = {"about": about,
                  "neutral": str(fields.get("neutral") or "").strip() or finding.suggestion,
                  "why": str(fields.get("why") or "").strip() or finding.reason}
        spans = words(document)
        start, end = spans[suggestion.units[0]].start, spans[suggestion.units[-1]].end
        return set_judgement(reading, phrase_for_span(document, start, end), "loaded", values)
    phrase, occurrence = sentence_phrase(document, suggestion.units[0])
    target: dict[str, Any] = {"phrase": phrase}
    if occurrence is not None:
        target["occurrence"] = occurrence
    values = {"reason": finding.category,
              "why": str(fields.get("why") or "").strip() or finding.reason}
    return set_judgement(reading, target, "gaps", values)


def accept_suggestion(reading: Reading, document: str, offered: DocumentSuggestions,
                      suggestion_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``reading`` with one offered suggestion judged: a loaded word (``about``
    from ``fields``, neutral wording and why from ``fields``, else the lens's) or a
    sourcing gap (the lens's category as its reason).

    :class:`JudgementProblem` when it is not offered (any more), or a loaded word's
    ``about`` is missing, or the lens has no neutral wording and none was given.
    """
    suggestion = offered.find(suggestion_id)
    if suggestion is None:
        raise JudgementProblem("that suggestion is no longer offered: the reading changed "
                               "since the page was opened")
    return _accepted(reading, document, suggestion, fields)


@dataclass(frozen=True, slots=True)
class AcceptedAll:
    """What accepting a category did: the reading, and the suggestions left to the teacher
    (the lens has no neutral wording for them)."""

    reading: dict[str, Any]
    accepted: list[str]
    asks: list[str]


def accept_category(reading: Reading, document: str, offered: DocumentSuggestions,
                    category: str, about: str = "") -> AcceptedAll:
    """Accept every offered suggestion of lens ``category`` with the lens's explanations.

    Loaded words all name ``about`` (required when the category holds loaded words); one
    the lens has no neutral wording for is left offered, its text in ``asks``.
    """
    chosen = [s for s in offered.all() if s.finding.category == category]
    if not chosen:
        raise JudgementProblem("the lens offers nothing in that category any more")
    changed: dict[str, Any] = copy.deepcopy(dict(reading))
    accepted, asks = [], []
    for suggestion in chosen:
        if suggestion.finding.kind == "loaded" and not suggestion.finding.suggestion:
            asks.append(suggestion.finding.text)
            continue
        changed = _accepted(changed, document, suggestion, {"about": about})
        accepted.append(suggestion.finding.text)
    return AcceptedAll(changed, accepted, asks)
