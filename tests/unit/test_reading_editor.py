"""The reading editor's operations (app/domain/reading_editor.py): no app, no database."""

from __future__ import annotations

import pytest

from app.domain.lens.findings import Finding
from app.domain.lessons import SOURCING_REASONS
from app.domain.reading_editor import (
    accept_category,
    accept_suggestion,
    edit_entry,
    entries_by_tier,
    judge,
    new_reading,
    remove_entry,
    suggestions_for,
)
from app.domain.reading_edits import JudgementProblem, emit_reading, parse_reading
from app.domain.readings import compile_reading
from app.domain.text import sentences, words

DOC = ("Rioters stormed the square on Tuesday. Some observers say the mob was paid. "
       "The mayor said on Monday that calm had returned. The mob left at night.")
SLUG = "paste"
PATH = "paste.yaml"


def compiled(reading: dict) -> dict:
    return compile_reading(emit_reading(reading), PATH, {SLUG: DOC}, SOURCING_REASONS)


def word_indices(phrase: str, occurrence: int = 1) -> list[int]:
    start = -1
    for _ in range(occurrence):
        start = DOC.index(phrase, start + 1)
    end = start + len(phrase)
    return [n for n, w in enumerate(words(DOC)) if w.start >= start and w.end <= end]


def sentence_index(words_in_it: str) -> int:
    return next(n for n, s in enumerate(sentences(DOC)) if words_in_it in s.text)


LOADED = {"about": "people", "neutral": "Protesters", "why": "Judges them."}


def test_marking_words_adds_a_judgement_that_compiles_and_leaves_the_input_alone():
    reading = new_reading(SLUG)
    changed = judge(reading, compiled(reading), DOC, "word", word_indices("Rioters"),
                    "loaded", {**LOADED, "reason": "ignored: not a field of loaded"})
    assert reading == {"document": SLUG}
    assert changed["loaded"] == [{"phrase": "Rioters", **LOADED}]
    assert [e["text"] for e in compiled(changed)["entries"]] == ["Rioters"]


def test_a_repeated_phrase_gets_its_occurrence_and_judging_again_replaces():
    reading = new_reading(SLUG)
    changed = judge(reading, compiled(reading), DOC, "word", word_indices("mob", 2),
                    "loaded", LOADED)
    assert changed["loaded"][0]["occurrence"] == 2
    again = judge(changed, compiled(changed), DOC, "word", word_indices("mob", 2),
                  "neutral", {"why": "Plain here."})
    assert "loaded" not in again
    assert again["neutral"] == [{"phrase": "mob", "occurrence": 2, "why": "Plain here."}]
    removed = judge(again, compiled(again), DOC, "word", word_indices("mob", 2), "remove", {})
    assert removed == {"document": SLUG}


def test_words_must_form_one_phrase_and_the_tier_must_fit_the_unit():
    reading = new_reading(SLUG)
    split = word_indices("Rioters") + word_indices("square")
    with pytest.raises(JudgementProblem, match="one phrase at a time"):
        judge(reading, compiled(reading), DOC, "word", split, "loaded", LOADED)
    with pytest.raises(JudgementProblem, match="not a judgement of words"):
        judge(reading, compiled(reading), DOC, "word", word_indices("Rioters"), "gaps", {})
    with pytest.raises(JudgementProblem, match="needs about"):
        judge(reading, compiled(reading), DOC, "word", word_indices("Rioters"), "loaded",
              {"neutral": "x", "why": "y"})
    with pytest.raises(JudgementProblem, match="first"):
        judge(reading, compiled(reading), DOC, "word", [], "loaded", LOADED)
    with pytest.raises(JudgementProblem, match="not in this document"):
        judge(reading, compiled(reading), DOC, "word", [999], "loaded", LOADED)


def test_selected_sentences_each_become_a_gap():
    reading = new_reading(SLUG)
    chosen = [sentence_index("Some observers"), sentence_index("The mob left")]
    changed = judge(reading, compiled(reading), DOC, "sentence", chosen, "gaps",
                    {"reason": "vague_attribution", "why": "Who?"})
    entries = compiled(changed)["entries"]
    assert [e["tier"] for e in entries] == ["gaps", "gaps"]
    assert [e["sentence_start"] for e in entries] == [sentences(DOC)[n].start for n in chosen]
    sourced = judge(changed, compiled(changed), DOC, "sentence", chosen[:1], "sourced",
                    {"why": "Fine."})
    assert [e["tier"] for e in compiled(sourced)["entries"]] == ["sourced", "gaps"]


def test_entries_are_listed_edited_and_removed_by_tier_and_position():
    reading = new_reading(SLUG)
    reading = judge(reading, compiled(reading), DOC, "word", word_indices("Rioters"),
                    "loaded", LOADED)
    reading = judge(reading, compiled(reading), DOC, "word", word_indices("stormed"),
                    "debatable", {"about": "events", "for": "a", "against": "b"})
    grouped = entries_by_tier(compiled(reading))
    assert [e["text"] for e in grouped["loaded"]] == ["Rioters"]
    assert [e["text"] for e in grouped["debatable"]] == ["stormed"]
    edited = edit_entry(reading, "loaded", 0, {"about": "people", "neutral": "People",
                                               "why": "New why."})
    assert edited["loaded"] == [{"phrase": "Rioters", "about": "people", "neutral": "People",
                                 "why": "New why."}]
    with pytest.raises(JudgementProblem, match="needs why"):
        edit_entry(reading, "loaded", 0, {"about": "people", "neutral": "People"})
    with pytest.raises(JudgementProblem, match="no longer"):
        edit_entry(reading, "loaded", 3, LOADED)
    assert "debatable" not in remove_entry(reading, "debatable", 0)
    with pytest.raises(JudgementProblem, match="unknown"):
        remove_entry(reading, "nonsense", 0)


def _finding(text: str, kind: str, category: str, suggestion: str = "",
             occurrence: int = 1) -> Finding:
    start = -1
    for _ in range(occurrence):
        start = DOC.index(text, start + 1)
    return Finding(start, start + len(text), text, kind, category, suggestion, "The lens says.")


FINDINGS = [
    _finding("Rioters", "loaded", "disorder", "Protesters"),
    _finding("mob", "loaded", "disorder", ""),
    _finding("Some observers say", "attribution", "vague_attribution"),
    _finding("mob", "loaded", "disorder", "crowd", occurrence=2),
]


def test_suggestions_leave_out_what_is_judged_and_what_was_dismissed():
    reading = new_reading(SLUG)
    offered = suggestions_for(DOC, FINDINGS, compiled(reading))
    assert [s.finding.text for s in offered.words] == ["Rioters", "mob", "mob"]
    assert [s.finding.text for s in offered.sentences] == ["Some observers say"]
    assert offered.categories() == [("disorder", 3), ("vague_attribution", 1)]
    judged = judge(reading, compiled(reading), DOC, "word", word_indices("Rioters"),
                   "neutral", {"why": "Fine."})
    left = suggestions_for(DOC, FINDINGS, compiled(judged), dismissed=[offered.words[1].id])
    assert [s.finding.text for s in left.all()] == ["mob", "Some observers say"]


def test_accepting_fills_neutral_and_why_from_the_lens_and_asks_for_about():
    reading = new_reading(SLUG)
    offered = suggestions_for(DOC, FINDINGS, compiled(reading))
    rioters, mob = offered.words[0].id, offered.words[1].id
    with pytest.raises(JudgementProblem, match="about"):
        accept_suggestion(reading, DOC, offered, rioters, {})
    changed = accept_suggestion(reading, DOC, offered, rioters, {"about": "people"})
    assert changed["loaded"] == [{"phrase": "Rioters", "about": "people",
                                  "neutral": "Protesters", "why": "The lens says."}]
    with pytest.raises(JudgementProblem, match="needs neutral"):
        accept_suggestion(reading, DOC, offered, mob, {"about": "people"})
    gap = accept_suggestion(reading, DOC, offered, offered.sentences[0].id, {})
    assert gap["gaps"][0]["reason"] == "vague_attribution"
    compiled(gap)
    with pytest.raises(JudgementProblem, match="no longer offered"):
        accept_suggestion(reading, DOC, offered, "1-2-nothing", {})


def test_accepting_a_category_takes_what_the_lens_can_explain_and_names_the_rest():
    reading = new_reading(SLUG)
    offered = suggestions_for(DOC, FINDINGS, compiled(reading))
    done = accept_category(reading, DOC, offered, "disorder", about="people")
    assert done.accepted == ["Rioters", "mob"]
    assert done.asks == ["mob"]
    assert [e["text"] for e in compiled(done.reading)["entries"]] == ["Rioters", "mob"]
    with pytest.raises(JudgementProblem, match="nothing in that category"):
        accept_category(reading, DOC, offered, "hype")


def test_a_phrase_that_yaml_reads_as_a_boolean_stays_a_word():
    text = ("document: paste\n\nneutral:\n  - phrase: 'yes'\n    why: Plain.\n")
    doc = "They said yes to it."
    reading = parse_reading(text, PATH)
    assert reading["neutral"][0]["phrase"] == "yes"
    again = emit_reading(reading)
    assert parse_reading(again, PATH)["neutral"][0]["phrase"] == "yes"
    plain = parse_reading("document: paste\nneutral:\n  - phrase: yes\n    why: Plain.\n", PATH)
    assert plain["neutral"][0]["phrase"] == "yes"
    assert compile_reading(emit_reading(plain), PATH, {SLUG: doc},
                           SOURCING_REASONS)["entries"][0]["text"] == "yes"
