"""The compare view's alignment: naming groups, offsets, inflections, highlights."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.compare import align, default_groups, find_names, highlight, load_groups
from app.domain.lens import analyze
from app.domain.lens.lexicon import LexiconError


def names(text: str) -> list[tuple[str, str]]:
    return [(o.group, o.text) for o in find_names(text)]


def test_offsets_are_exact_even_after_non_ascii_text() -> None:
    text = "Алматы — “Rioters” clashed with riot police; the regime’s troops arrived."
    found = find_names(text)
    assert [(o.group, o.text) for o in found] == [
        ("people", "Rioters"), ("events", "clashed"), ("force", "riot police"),
        ("power", "regime’s"), ("force", "troops")]
    for occurrence in found:
        assert text[occurrence.start:occurrence.end] == occurrence.text


def test_inflections_and_case_are_matched() -> None:
    assert names("A Protester, two demonstrators, three Mobs; they rioted and were rioting.") == [
        ("people", "Protester"), ("people", "demonstrators"), ("people", "Mobs"),
        ("events", "rioted"), ("events", "rioting")]


def test_the_longest_term_wins_and_phrases_stop_at_punctuation() -> None:
    assert names("Security forces met a peaceful protest.") == [
        ("force", "Security forces"), ("events", "peaceful protest")]
    assert names("It was peaceful. Protest followed.") == [("events", "Protest")]


def test_a_text_about_something_else_names_nothing() -> None:
    text = "The library opened a new reading room on Tuesday, and children borrowed books."
    assert find_names(text) == []
    assert not any(row.found for row in align([text]))
    assert [f for f in analyze(text) if f.kind == "loaded"] == []


def test_align_counts_wordings_per_document_in_the_order_given() -> None:
    rows = align(["Bandits and terrorists, bandits again.", "Protesters marched."])
    people = next(row for row in rows if row.group.id == "people")
    assert people.cells[0].counts == [("Bandits", 2), ("terrorists", 1)]
    assert people.cells[1].counts == [("Protesters", 1)]
    assert [row.group.id for row in rows] == [group.id for group in default_groups()]


def test_highlight_joins_back_into_the_text_and_drops_overlaps() -> None:
    text = "Thugs stormed the building, critics say, and hundreds were reportedly killed."
    findings = analyze(text)
    segments = highlight(text, findings)
    assert "".join(segment.text for segment in segments) == text
    marked = [s for s in segments if s.finding is not None]
    assert marked[0].text == "Thugs" and marked[0].finding.kind == "loaded"
    ends = [(s.finding.start, s.finding.end) for s in marked]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))


def test_a_malformed_naming_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "naming.yaml"
    path.write_text("groups:\n  - label: no id\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="needs an `id`"):
        load_groups(path)
