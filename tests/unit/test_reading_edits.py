"""Changing a reading as plain data (app/domain/reading_edits.py): no app, no database."""

from __future__ import annotations

import pytest

from app.domain.lessons import SOURCING_REASONS, compile_lesson
from app.domain.reading_edits import (
    JudgementProblem,
    emit_reading,
    entries_at,
    judgements_for,
    parse_reading,
    phrase_for_span,
    set_judgement,
)
from app.domain.readings import compile_reading
from tests.unit.test_readings import LESSON, READING

PATH = "lessons/readings/astana-times-babich.yaml"


def compiled(text: str, documents) -> dict:
    return compile_reading(text, PATH, documents, SOURCING_REASONS)


def judged(reading: dict) -> dict[str, str]:
    return {entry["text"]: entry["tier"] for entry in reading["entries"]}


def span_of(reading: dict, text: str) -> tuple[int, int]:
    entry = next(e for e in reading["entries"] if e["text"] == text)
    return entry["start"], entry["end"]


def test_emit_round_trips_through_the_compiler_and_is_stable(documents):
    source = parse_reading(READING, PATH)
    text = emit_reading(source)
    def without_lines(reading: dict) -> list[dict]:
        return [{k: v for k, v in entry.items() if k != "line"} for entry in reading["entries"]]

    assert without_lines(compiled(text, documents)) == without_lines(compiled(READING, documents))
    assert parse_reading(text, PATH) == source
    assert emit_reading(parse_reading(text, PATH)) == text
    assert text.startswith("document: astana-times-babich\n")
    assert "\n\nloaded:\n  - phrase: gangs\n    about: people\n" in text


def test_a_loaded_phrase_judged_neutral_replaces_its_entry(documents):
    before = compiled(READING, documents)
    start, end = span_of(before, "gangs")
    document = documents["astana-times-babich"]
    target = phrase_for_span(document, start, end)
    replacing = entries_at(before, start, end, ("loaded", "debatable", "neutral", "signals"))
    assert replacing == [("loaded", 0)]
    source = parse_reading(READING, PATH)
    changed = set_judgement(source, target, "neutral", {"why": "A plain word for groups."},
                            replacing)
    assert source == parse_reading(READING, PATH)  # the input is left as it was
    after = compiled(emit_reading(changed), documents)
    tiers = judged(after)
    assert tiers["gangs"] == "neutral" and tiers["terrorists"] == "loaded"
    gangs = next(e for e in after["entries"] if e["text"] == "gangs")
    assert (gangs["start"], gangs["end"]) == (start, end)
    assert gangs["why"] == "A plain word for groups."


def test_a_new_loaded_phrase_replaces_an_overlapping_debatable_one(documents):
    before = compiled(READING, documents)
    document = documents["astana-times-babich"]
    start = document.index("foreign-trained terrorists")
    end = start + len("foreign-trained")
    replacing = entries_at(before, start, end, ("loaded", "debatable", "neutral", "signals"))
    assert replacing == [("debatable", 0)]
    changed = set_judgement(parse_reading(READING, PATH), phrase_for_span(document, start, end),
                            "loaded", {"about": "people", "neutral": "(leave it out)",
                                       "why": "Insinuates a foreign plot."}, replacing)
    tiers = judged(compiled(emit_reading(changed), documents))
    assert tiers["foreign-trained"] == "loaded"
    assert "presumably foreign-trained" not in tiers
    assert "debatable" not in changed


def test_remove_takes_the_judgement_out(documents):
    before = compiled(READING, documents)
    start, end = span_of(before, "some observers say")
    replacing = entries_at(before, start, end, ("gaps", "debatable_gaps", "sourced"))
    assert replacing == [("gaps", 0)]
    changed = set_judgement(parse_reading(READING, PATH), {"phrase": "x"}, "remove", {},
                            replacing)
    assert "gaps" not in changed
    assert "some observers say" not in judged(compiled(emit_reading(changed), documents))


def test_a_sentence_entry_judges_the_whole_sentence(documents):
    before = compiled(READING, documents)
    gap = next(e for e in before["entries"] if e["tier"] == "gaps")
    start, end = gap["sentence_start"], gap["sentence_end"]
    assert entries_at(before, start, end, ("gaps", "debatable_gaps", "sourced")) == \
        [("gaps", 0)]
    document = documents["astana-times-babich"]
    changed = set_judgement(parse_reading(READING, PATH), phrase_for_span(document, start, end),
                            "sourced", {"why": "Named enough."}, [("gaps", 0)])
    after = compiled(emit_reading(changed), documents)
    sourced = [e for e in after["entries"] if e["tier"] == "sourced"]
    assert any(e["sentence_start"] == start for e in sourced)


def test_a_repeated_phrase_gets_its_occurrence(documents):
    document = documents["astana-times-babich"]
    first = document.index("the ")
    second = document.index("the ", first + 1)
    assert phrase_for_span(document, first, first + 3) == {"phrase": "the", "occurrence": 1}
    assert phrase_for_span(document, second, second + 3)["occurrence"] == 2


@pytest.mark.parametrize(("tier", "fields", "message"), [
    ("loaded", {"about": "people", "why": "x"}, "needs neutral"),
    ("neutral", {"why": "x", "about": "people"}, "has no field about"),
    ("shady", {}, "unknown judgement"),
])
def test_bad_judgements_are_refused(tier, fields, message):
    with pytest.raises(JudgementProblem, match=message):
        set_judgement(parse_reading(READING, PATH), {"phrase": "gangs"}, tier, fields)


def test_judgements_offered_follow_the_unit():
    assert set(judgements_for("word")) == {"loaded", "debatable", "neutral", "signals",
                                           "remove"} - {"signals"}
    assert set(judgements_for("sentence")) == {"gaps", "debatable_gaps", "sourced", "remove"}


def test_a_lesson_takes_the_changed_key(documents):
    before = compiled(READING, documents)
    start, end = span_of(before, "gangs")
    changed = set_judgement(parse_reading(READING, PATH),
                            phrase_for_span(documents["astana-times-babich"], start, end),
                            "neutral", {"why": "Plain."}, [("loaded", 0)])
    lesson = compile_lesson(LESSON, "lessons/x.yaml", documents,
                            {"astana-times-babich": compiled(emit_reading(changed), documents)})
    [question] = lesson["questions"]
    assert [p["text"] for p in question["phrases"]] == ["terrorists",
                                                       "kind, democratically-minded"]
    assert "gangs" in [c["text"] for c in question["controls"]]
