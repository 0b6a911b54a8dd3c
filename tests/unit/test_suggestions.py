"""Lens findings offered as key entries: what is offered, and the entry an accept makes."""

from __future__ import annotations

from app.domain.key_phrases import entry_units
from app.domain.lens import analyze
from app.domain.suggestions import (
    accepted_entry,
    insert_in_order,
    suggest,
    taken_units,
)

TEXT = "Thugs looted shops, critics say. Thugs fled. Police arrived at noon."


def offered(name: str, unit: str, entries=(), dismissed=()):
    taken = taken_units(TEXT, list(entries), unit)
    return suggest(TEXT, analyze(TEXT), name, unit, taken, dismissed)


def test_loaded_words_are_offered_for_phrases_and_nothing_for_controls() -> None:
    assert [s.finding.text for s in offered("phrases", "word")][:2] == ["Thugs", "Thugs"]
    assert offered("controls", "word") == []


def test_taken_and_dismissed_findings_are_not_offered() -> None:
    first = offered("phrases", "word")[0]
    after_taking = offered("phrases", "word", [{"phrase": "Thugs looted", "occurrence": None}])
    assert first.id not in [s.id for s in after_taking]
    assert first.id not in [s.id for s in offered("phrases", "word", dismissed={first.id})]


def test_an_accepted_word_gets_its_occurrence_neutral_and_why() -> None:
    second = offered("phrases", "word")[1]
    entry = accepted_entry(TEXT, second, "word")
    assert entry["phrase"] == "Thugs" and entry["occurrence"] == 2
    assert entry["why"] == second.finding.reason and "neutral" in entry
    assert entry_units(entry, TEXT, "word") == list(second.units)


def test_sourcing_gaps_take_the_sentence_and_the_reason() -> None:
    (gap,) = [s for s in offered("gaps", "sentence") if s.finding.text == "critics say"]
    entry = accepted_entry(TEXT, gap, "sentence")
    assert entry["reason"] == "vague_attribution"
    assert entry_units(entry, TEXT, "sentence") == [0]


def test_entries_stay_in_text_order() -> None:
    later = {"phrase": "Police", "neutral": "", "why": ""}
    earlier = {"phrase": "looted", "neutral": "", "why": ""}
    assert [e["phrase"] for e in insert_in_order([later], earlier, TEXT, "word")] == [
        "looted", "Police"]
