"""Lens findings offered to a teacher as key entries while they write a question.

Pure Python (no Flask, no database). A ``loaded_terms`` question's ``phrases`` list is
offered the lens's ``loaded`` findings; a ``sourcing`` question's ``gaps`` list is offered
its ``attribution`` findings whose category is a sourcing reason (the lens's category ids
``vague_attribution``, ``unnamed_group``, ``presumption``, ``allegedly`` and ``agentless``
are the lesson format's reasons). A finding that touches a word (or sentence) the key
already holds, as a key phrase or a control, is not offered, nor is one the teacher
dismissed.

Every word suggestion carries a neutral wording before it becomes a key entry: the lens's
own, or one the teacher writes (:class:`NeedsNeutral` when there is none), so accepting a
suggestion can never leave an entry that blocks publishing. A suggestion is shown in its
context (:func:`in_context`): a few words either side, and which occurrence it is when
the same words appear more than once in the excerpt.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.key_phrases import entry_units, phrases_for, sentence_phrase
from app.domain.lens.findings import Finding
from app.domain.lessons import SOURCING_REASONS
from app.domain.text import find_all, sentences, words

# Key list name -> which findings it is offered.
OFFERED = {"phrases": "loaded", "gaps": "attribution"}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One finding offered for a key list; ``id`` names it in forms and in dismissals."""

    id: str
    finding: Finding
    units: tuple[int, ...]


def suggestion_id(finding: Finding) -> str:
    """A short id for a finding in its excerpt: ``<start>-<end>-<category>``."""
    return f"{finding.start}-{finding.end}-{finding.category}"


# Offsets in an excerpt and a lens category id: what suggestion_id makes, and no more.
_SUGGESTION_ID = re.compile(r"[0-9]{1,7}-[0-9]{1,7}-[a-z_]{1,40}")
MAX_SUGGESTION_ID = 64


def valid_suggestion_id(value: str) -> bool:
    """True for a string shaped like a :func:`suggestion_id` (bounded: at most 56 chars)."""
    return (len(value) <= MAX_SUGGESTION_ID
            and _SUGGESTION_ID.fullmatch(value) is not None)


def _units(text: str, finding: Finding, unit: str) -> tuple[int, ...]:
    spans = words(text) if unit == "word" else sentences(text)
    return tuple(index for index, span in enumerate(spans)
                 if span.start < finding.end and finding.start < span.end)


def taken_units(text: str, entries: Sequence[Mapping[str, Any]], unit: str) -> set[int]:
    """The word (or sentence) indices the given key entries already cover in ``text``."""
    taken: set[int] = set()
    for entry in entries:
        taken.update(entry_units(entry, text, unit) or ())
    return taken


def suggest(text: str, findings: Sequence[Finding], list_name: str, unit: str,
            taken: Collection[int], dismissed: Collection[str] = ()) -> list[Suggestion]:
    """The findings offered for key list ``list_name`` on excerpt ``text``, in text order.

    ``taken`` are the units already in the question's key lists (phrases and controls);
    ``dismissed`` the suggestion ids the teacher set aside. A list the lens has nothing
    for ("controls", "signals") is offered nothing.
    """
    kind = OFFERED.get(list_name)
    offered = []
    for finding in findings:
        if finding.kind != kind or (kind == "attribution"
                                    and finding.category not in SOURCING_REASONS):
            continue
        units = _units(text, finding, unit)
        if not units or (unit == "sentence" and len(units) != 1):
            continue
        if set(units) & set(taken) or suggestion_id(finding) in dismissed:
            continue
        offered.append(Suggestion(suggestion_id(finding), finding, units))
    return offered


class NeedsNeutral(ValueError):
    """A word suggestion accepted with no neutral wording (the lens had none to offer and
    the teacher wrote none); the message is for the teacher."""

    def __init__(self, phrase: str):
        super().__init__(f"Write a neutral wording for “{phrase}” before accepting it.")
        self.phrase = phrase


def accepted_entry(text: str, suggestion: Suggestion, unit: str,
                   neutral: str | None = None) -> dict[str, Any]:
    """The key entry an accepted suggestion becomes, its explanation prefilled.

    A word list gets the finding's words as its phrase, ``neutral`` (the teacher's, else
    the lens's suggestion) and ``why`` from the finding's reason; with neither neutral
    wording :class:`NeedsNeutral` is raised. A sentence list (sourcing gaps) gets the
    phrase that picks out the finding's sentence, the finding's category as ``reason``
    and its reason as ``why``. The teacher edits them afterwards like any other entry.
    """
    finding = suggestion.finding
    if unit == "word":
        wording = (finding.suggestion if neutral is None else neutral).strip()
        if not wording:
            raise NeedsNeutral(finding.text)
        (marked,) = phrases_for(text, suggestion.units)
        phrase, occurrence = marked.phrase, marked.occurrence
        fields = {"neutral": wording, "why": finding.reason}
    else:
        phrase, occurrence = sentence_phrase(text, suggestion.units[0])
        fields = {"reason": finding.category, "why": finding.reason}
    entry: dict[str, Any] = {"phrase": phrase}
    if occurrence is not None:
        entry["occurrence"] = occurrence
    return {**entry, **fields}


def insert_in_order(entries: list[dict[str, Any]], entry: dict[str, Any], text: str,
                    unit: str) -> list[dict[str, Any]]:
    """``entries`` with ``entry`` added, ordered as they occur in ``text`` (as marking does).

    Entries that cannot be found keep their relative order at the end.
    """
    def position(item: Mapping[str, Any]) -> float:
        found = entry_units(item, text, unit)
        return found[0] if found else float("inf")
    return sorted([*entries, entry], key=position)


@dataclass(frozen=True, slots=True)
class Accepted:
    """What accepting several suggestions did: the key list after, the phrases added, and
    those left offered because they still need a neutral wording."""

    entries: list[dict[str, Any]]
    added: list[str]
    waiting: list[str]


def accept_all(entries: list[dict[str, Any]], text: str, offered: Sequence[Suggestion],
               unit: str, neutrals: Mapping[str, str]) -> Accepted:
    """Add every offered suggestion to a key list, in text order.

    ``neutrals`` holds the neutral wordings the teacher wrote (suggestion id -> text); a
    word suggestion with none, typed or suggested, is left offered (``waiting``). One
    that overlaps a suggestion added just before it is skipped: each word is keyed once.
    """
    added, waiting = [], []
    taken = taken_units(text, entries, unit)
    for suggestion in offered:
        if set(suggestion.units) & taken:
            continue
        try:
            entry = accepted_entry(text, suggestion, unit, neutrals.get(suggestion.id))
        except NeedsNeutral:
            waiting.append(suggestion.finding.text)
            continue
        entries = insert_in_order(entries, entry, text, unit)
        taken.update(suggestion.units)
        added.append(str(entry["phrase"]))
    return Accepted(entries, added, waiting)


@dataclass(frozen=True, slots=True)
class InContext:
    """A suggestion as the teacher reads it: the words before, the words, the words after,
    and which occurrence of them it is (``count`` > 1 when they repeat)."""

    before: str
    text: str
    after: str
    occurrence: int
    count: int

    @property
    def ordinal(self) -> str:
        """"2nd of 3"; empty when the words occur once."""
        if self.count < 2:
            return ""
        suffix = "th" if 10 <= self.occurrence % 100 <= 20 else {
            1: "st", 2: "nd", 3: "rd"}.get(self.occurrence % 10, "th")
        return f"{self.occurrence}{suffix} of {self.count}"


def in_context(text: str, suggestion: Suggestion, around: int = 4) -> InContext:
    """``around`` words either side of a suggestion, cut at the excerpt's ends."""
    finding = suggestion.finding
    spans = words(text)
    first = next((n for n, span in enumerate(spans) if span.end > finding.start), len(spans))
    last = max((n for n, span in enumerate(spans) if span.start < finding.end), default=first)
    start = spans[max(0, first - around)].start if spans else 0
    end = spans[min(len(spans) - 1, last + around)].end if spans else len(text)
    before = ("…" if start > 0 else "") + text[start:finding.start]
    after = text[finding.end:end] + ("…" if end < len(text) else "")
    matches = find_all(text, finding.text)
    occurrence = next((n for n, match in enumerate(matches, start=1)
                       if match.start == finding.start), 1)
    return InContext(" ".join(before.split()) + (" " if before[-1:].isspace() else ""),
                     finding.text, (" " if after[:1].isspace() else "") + " ".join(after.split()),
                     occurrence, max(len(matches), 1))
