"""Lens suggestions as a teacher accepts them: always with a neutral wording, one or all,
and shown in context with which occurrence they are."""

from __future__ import annotations

import pytest

from app.domain.lens import analyze
from app.domain.suggestions import (
    InContext,
    NeedsNeutral,
    accept_all,
    accepted_entry,
    in_context,
    suggest,
)

TEXT = ("Bandits? No. The bandits attacked the city hall at noon. It was a stupid plan, said "
        "the mayor. Later the bandits fled to the hills. Officials said calm had returned.")


def offered():
    return {s.finding.text + (f"@{s.finding.start}"): s
            for s in suggest(TEXT, analyze(TEXT), "phrases", "word", set())}


def by_text(word, nth=0):
    return [s for key, s in offered().items() if key.split("@")[0] == word][nth]


def test_a_word_suggestion_needs_a_neutral_wording():
    stupid = by_text("stupid")
    assert stupid.finding.suggestion == ""  # the lens has none for it
    with pytest.raises(NeedsNeutral, match="Write a neutral wording for “stupid”"):
        accepted_entry(TEXT, stupid, "word")
    with pytest.raises(NeedsNeutral):
        accepted_entry(TEXT, stupid, "word", "   ")
    entry = accepted_entry(TEXT, stupid, "word", " a plan he rejected ")
    assert entry == {"phrase": "stupid", "neutral": "a plan he rejected",
                     "why": stupid.finding.reason}


def test_the_teachers_wording_replaces_the_lenss():
    bandits = by_text("bandits", 1)
    assert accepted_entry(TEXT, bandits, "word")["neutral"] == bandits.finding.suggestion
    entry = accepted_entry(TEXT, bandits, "word", "people who fled")
    assert (entry["phrase"], entry["occurrence"], entry["neutral"]) == ("bandits", 2,
                                                                       "people who fled")


def test_accept_all_adds_those_with_a_wording_in_text_order_and_leaves_the_rest():
    suggestions = list(offered().values())
    result = accept_all([], TEXT, suggestions, "word", {})
    assert result.added == ["Bandits", "bandits", "bandits"]
    assert result.waiting == ["stupid"]
    assert [(e["phrase"], e.get("occurrence")) for e in result.entries] == [
        ("Bandits", None), ("bandits", 1), ("bandits", 2)]
    typed = {by_text("stupid").id: "poor"}
    result = accept_all([], TEXT, suggestions, "word", typed)
    assert result.waiting == [] and "stupid" in result.added
    assert [e["phrase"] for e in result.entries] == ["Bandits", "bandits", "stupid", "bandits"]


def test_accept_all_never_keys_a_word_twice():
    first = by_text("bandits", 0)
    result = accept_all([], TEXT, [first, first], "word", {})
    assert result.added == ["bandits"]


def test_a_suggestion_in_context_says_which_occurrence_it_is():
    first, second = by_text("bandits", 0), by_text("bandits", 1)
    context = in_context(TEXT, first)
    assert (context.before, context.text, context.after) == (
        "Bandits? No. The ", "bandits", " attacked the city hall…")
    assert context.ordinal == "1st of 2"
    assert in_context(TEXT, second).ordinal == "2nd of 2"
    assert in_context(TEXT, second).before == "…the mayor. Later the "
    assert in_context(TEXT, by_text("stupid")).ordinal == ""
    assert in_context(TEXT, by_text("Bandits")).before == ""


@pytest.mark.parametrize(("occurrence", "count", "ordinal"), [
    (1, 2, "1st of 2"), (2, 3, "2nd of 3"), (3, 3, "3rd of 3"), (4, 12, "4th of 12"),
    (11, 12, "11th of 12"), (12, 12, "12th of 12"), (21, 30, "21st of 30"), (1, 1, "")])
def test_ordinals(occurrence, count, ordinal):
    assert InContext("", "x", "", occurrence, count).ordinal == ordinal
