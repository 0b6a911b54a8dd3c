"""Lens findings offered to a teacher as key entries while they write a question.

Pure Python (no Flask, no database). A ``loaded_terms`` question's ``phrases`` list is
offered the lens's ``loaded`` findings; a ``sourcing`` question's ``gaps`` list is offered
its ``attribution`` findings whose category is a sourcing reason (the lens's category ids
``vague_attribution``, ``unnamed_group``, ``presumption``, ``allegedly`` and ``agentless``
are the lesson format's reasons). A finding that touches a word (or sentence) the key
already holds, as a key phrase or a control, is not offered, nor is one the teacher
dismissed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.key_phrases import entry_units, phrases_for, sentence_phrase
from app.domain.lens.findings import Finding
from app.domain.lessons import SOURCING_REASONS
from app.domain.text import sentences, words

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


def accepted_entry(text: str, suggestion: Suggestion, unit: str) -> dict[str, Any]:
    """The key entry an accepted suggestion becomes, its explanation prefilled.

    A word list gets the finding's words as its phrase, ``neutral`` from the lens's
    suggestion and ``why`` from its reason; a sentence list (sourcing gaps) gets the
    phrase that picks out the finding's sentence, the finding's category as ``reason``
    and its reason as ``why``. The teacher edits them afterwards like any other entry.
    """
    finding = suggestion.finding
    if unit == "word":
        (marked,) = phrases_for(text, suggestion.units)
        phrase, occurrence = marked.phrase, marked.occurrence
        fields = {"neutral": finding.suggestion, "why": finding.reason}
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
