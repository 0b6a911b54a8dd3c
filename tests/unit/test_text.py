"""Tokens, sentences and verbatim matching on the real seed texts."""

from __future__ import annotations

import pytest

from app.domain import text as text_module
from app.domain.text import (
    closest_passage,
    find_all,
    normalize,
    pieces,
    runs_by_state,
    sentences,
    words,
    words_in,
)


def test_every_word_span_is_exact_on_every_seed(documents):
    for text in documents.values():
        spans = words(text)
        assert spans
        for span in spans:
            assert text[span.start:span.end] == span.text
            assert not any(ch.isspace() for ch in span.text)
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize("word", ["Kazakhstan’s", "foreign-trained", "democratically-minded",
                                  "people-against-regime", "5,500", "1.9"])
def test_curly_apostrophes_hyphens_and_numbers_stay_one_word(documents, word):
    text = "\n".join(documents.values())
    assert word in [span.text for span in words(text)]


def test_dashes_between_words_are_not_words():
    spans = words("on 2 – 13 January — and after")
    assert [span.text for span in spans] == ["on", "2", "13", "January", "and", "after"]


def test_non_ascii_offsets_are_python_str_offsets():
    text = "Öffentlich “mob” — Алматы’s protesters"
    for span in words(text):
        assert text[span.start:span.end] == span.text
    assert [span.text for span in words(text)] == ["Öffentlich", "mob", "Алматы’s", "protesters"]


def test_every_sentence_span_is_exact_on_every_seed(documents):
    for text in documents.values():
        for span in sentences(text):
            assert text[span.start:span.end] == span.text
            assert span.text == span.text.strip()


def test_sentences_respect_initials_abbreviations_and_quotes(documents):
    babich = [span.text for span in sentences(documents["astana-times-babich"])]
    assert any(s.endswith("the President said on Jan. 7.") for s in babich)
    assert "What a stupid suggestion!.." in babich
    assert "No, no and one more time no." in babich
    panel = [span.text for span in sentences(documents["liberal-international-panel"])]
    assert any("Stephen B. Nix, expressed" in s for s in panel)


def test_semicolons_split_clauses():
    assert [s.text for s in sentences("It came as no surprise; the violence did.")] == [
        "It came as no surprise;", "the violence did."]


def test_find_all_tolerates_typography_and_maps_back(documents):
    text = documents["astana-times-babich"]
    [span] = find_all(text, 'calling for "concessions" and "understanding"')
    assert text[span.start:span.end] == "calling for “concessions” and “understanding”"
    [span] = find_all(text, "And they did leave - days after")
    assert span.text == "And they did leave – days after"


def test_find_all_matches_across_line_breaks_and_no_break_spaces(documents):
    text = documents["astana-times-babich"]
    assert "\u00a0" in text
    [span] = find_all(text, "to solve problems. What a stupid suggestion")
    assert "\u00a0" in span.text


def test_find_all_matches_whole_words_only():
    assert [s.start for s in find_all("mobile mob mobs", "mob")] == [7]
    assert len(find_all("mobile mob mobs", "mob", whole_words=False)) == 3


def test_closest_passage_says_where_the_quote_differs(documents):
    closest = closest_passage(documents["astana-times-babich"],
                              "gangs of presumably foreign trained terrorists quickly")
    assert closest.passage.startswith("gangs of presumably foreign-trained")
    assert "foreign-trained" in closest.differs_at
    assert closest.similarity > 0.9


def test_normalize_keeps_a_map_to_every_original_offset():
    text = "a\u00a0\u00a0“b”\n\nc"
    folded, origin = normalize(text)
    assert folded == 'a "b" c'
    assert len(origin) == len(folded) + 1
    assert text[origin[2]] == "“"


def test_words_in_returns_overlapping_indices():
    spans = words("one two three four")
    assert words_in(spans, 4, 13) == [1, 2]


def test_pieces_rebuild_the_excerpt_exactly(documents):
    for text in documents.values():
        for unit in ("word", "sentence"):
            assert "".join(piece.text for piece in pieces(text, unit)) == text


def test_runs_join_a_marked_phrase_and_rebuild_the_text():
    text = "Gangs of armed bandits stormed it."
    runs = runs_by_state(text, {2: "found", 3: "found", 4: "wrong"})
    assert runs == [("", "Gangs of "), ("found", "armed bandits"), ("", " "),
                    ("wrong", "stormed"), ("", " it.")]
    assert "".join(chunk for _, chunk in runs) == text


def test_splits_are_kept_but_each_caller_gets_its_own_list():
    excerpt = "Protesters gathered. Police said little; observers said more."
    first = words(excerpt)
    first.clear()  # a caller changing its list changes nobody else's
    assert [w.text for w in words(excerpt)][:2] == ["Protesters", "gathered"]
    split = sentences(excerpt)
    split.pop()
    assert len(sentences(excerpt)) == 3


def test_long_texts_split_the_same_without_the_cache():
    # Whole documents (the lens, the whole-document page) are split afresh every time.
    long_text = "Protesters gathered in Almaty. " * 1000
    assert len(long_text) > text_module._CACHED_TEXT_LIMIT
    assert len(words(long_text)) == 4000 and len(sentences(long_text)) == 1000
    short = "Protesters gathered in Almaty. " * 10
    assert words(long_text)[:40] == words(short)
