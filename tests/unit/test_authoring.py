"""Authoring helpers: canonical YAML, phrases from marks, excerpts by sentence, regrading."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.key_phrases import (
    entry_units,
    phrase_for,
    phrases_for,
    rekey,
    sentence_phrase,
    word_runs,
)
from app.domain.lesson_edits import new_question, next_id
from app.domain.lesson_files import (
    emit_lesson,
    issues_by_section,
    parse_source,
    replace_slug,
    slugify,
    source_from_content,
)
from app.domain.lessons import KINDS, LessonInvalid, compile_lesson, content_hash
from app.domain.quotes import quote_for, quote_in_context
from app.domain.rescoring import NotRegradable, rescore
from app.domain.text import find_all, sentences, words, words_in

# --- canonical YAML ----------------------------------------------------------------------

# Characters that break naive YAML writers: quotes, colons, comment marks, indicators,
# leading/trailing spaces, line breaks of every kind, tabs, unicode and emoji.
TRICKY = st.sampled_from(list(" :#'\"-?[]{},&*!|>%@`\n\t\\\r\u2028’“éж😀\u00a0\ufeff"))
# Control characters other than tab and the line breaks (NEL, U+0085, included) are refused
# by the text-input rule, in forms and in the YAML reader alike (a lesson cannot store
# them): tests/unit/test_yaml_guard.py covers them.
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
TEXT = st.one_of(
    st.text(PRINTABLE, max_size=40),
    st.text(alphabet=st.one_of(TRICKY, PRINTABLE), max_size=120),
    st.lists(st.sampled_from(["word", "Mob", "true", "null", "1.5", "- x", "a: b", "#c", " ",
                              "\n", "\n\n", "\r\n", "  lead", "trail  ", "“quoted”", "yes",
                              "~", "long words " * 9]),
             max_size=40).map("".join),
)
ENTRY = st.fixed_dictionaries({"phrase": TEXT, "why": TEXT},
                              optional={"occurrence": st.integers(1, 9), "neutral": TEXT,
                                        "reason": TEXT})
OPTION = st.fixed_dictionaries({"text": TEXT, "feedback": TEXT},
                               optional={"id": TEXT, "correct": st.booleans()})
SIDE = st.fixed_dictionaries({"excerpt": TEXT, "frame": TEXT, "frame_why": TEXT,
                              "terms": st.lists(ENTRY, max_size=3)})
QUESTION = st.fixed_dictionaries(
    {"id": TEXT, "kind": st.sampled_from(KINDS)},
    optional={"prompt": TEXT, "excerpt": TEXT, "options": st.lists(OPTION, max_size=5),
              "phrases": st.lists(ENTRY, max_size=3), "controls": st.lists(ENTRY, max_size=2),
              "signals": st.lists(ENTRY, max_size=2), "gaps": st.lists(ENTRY, max_size=2),
              "sides": st.lists(SIDE, max_size=3)})
EXCERPT = st.fixed_dictionaries({"id": TEXT, "document": TEXT, "quote": TEXT},
                                optional={"occurrence": st.integers(1, 5)})
SOURCE = st.fixed_dictionaries(
    {"slug": TEXT, "title": TEXT, "summary": TEXT, "level": TEXT,
     "excerpts": st.lists(EXCERPT, max_size=3), "questions": st.lists(QUESTION, max_size=4)},
    optional={"minutes": st.integers(-5, 10_000), "goals": st.lists(TEXT, max_size=3),
              "status": TEXT})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCE)
def test_emitted_yaml_parses_back_to_the_same_lesson_and_is_stable(source):
    text = emit_lesson(source)
    assert parse_source(text) == source
    assert emit_lesson(parse_source(text)) == text


@settings(max_examples=25, deadline=None)
@given(SOURCE, st.randoms(use_true_random=False))
def test_the_order_fields_were_given_in_does_not_change_the_file(source, random):
    items = list(source.items())
    random.shuffle(items)
    assert emit_lesson(dict(items)) == emit_lesson(source)


def test_fields_come_in_the_documented_order_with_block_text_and_spaced_sections():
    source = {
        "questions": [{"phrases": [{"why": "Brands them.", "neutral": "groups",
                                    "phrase": "gangs"}], "excerpt": "e1", "kind":
                       "loaded_terms", "id": "q1"},
                      {"options": [{"feedback": "f", "correct": True, "text": "t", "id": "a"}],
                       "kind": "framing", "id": "q2"}],
        "excerpts": [{"quote": "Line one.\nLine two.", "document": "d", "id": "e1"}],
        "level": "intro", "summary": "A summary that is long enough to be folded onto more "
                                     "than one line when it is written out.",
        "title": "Title: with a colon", "slug": "s",
    }
    assert emit_lesson(source) == """\
slug: s
title: 'Title: with a colon'
summary: >-
  A summary that is long enough to be folded onto more than one line when it is written out.
level: intro

excerpts:
  - id: e1
    document: d
    quote: |-
      Line one.
      Line two.

questions:
  - id: q1
    kind: loaded_terms
    excerpt: e1
    phrases:
      - phrase: gangs
        neutral: groups
        why: Brands them.

  - id: q2
    kind: framing
    options:
      - id: a
        text: t
        correct: true
        feedback: f
"""


@pytest.fixture(scope="module")
def shipped(shipped_library):
    """The library's readings and shelf cards, as its lessons are compiled against them."""
    return shipped_library.readings, shipped_library.cards


def test_a_shipped_lesson_file_survives_parse_and_emit_and_compiles_the_same(
        documents, lesson_files, shipped, vocabulary):
    for path, text in lesson_files:
        emitted = emit_lesson(parse_source(text))
        assert content_hash(compile_lesson(emitted, path, documents, *shipped,
                                           frames=vocabulary)) == \
            content_hash(compile_lesson(text, path, documents, *shipped, frames=vocabulary))


def test_a_compiled_lesson_without_its_file_gets_a_source_that_compiles_the_same(
        documents, lesson_files, shipped, vocabulary):
    """The rebuilt source writes out the key the reading gave (which agrees with it), each
    option's frame by its name (the vocabulary turns it back into the same frame), the
    verify and omission questions and the worked examples."""
    for path, text in lesson_files:
        compiled = compile_lesson(text, path, documents, *shipped, frames=vocabulary)
        rebuilt = emit_lesson(source_from_content(compiled, documents))
        assert compile_lesson(rebuilt, path, documents, *shipped,
                              frames=vocabulary) == compiled, path


@pytest.mark.parametrize(("text", "message"), [
    ("- a list\n", "must be a mapping"),
    ("slug: a\nslug: b\n", "the key 'slug' appears twice"),
    ("title: [unclosed\n", "not valid YAML"),
])
def test_parse_source_refuses_what_is_not_a_lesson_mapping(text, message):
    with pytest.raises(LessonInvalid) as raised:
        parse_source(text)
    assert message in str(raised.value)


# --- phrases from marks --------------------------------------------------------------------

EXCERPT_TEXT = ("The mob gathered. Police said the mob was violent; nobody was hurt.\n"
                "Some observers say it was a coup. The mob gathered.")


def indices_of(text, phrase, occurrence=1):
    span = find_all(text, phrase)[occurrence - 1]
    return words_in(words(text), span.start, span.end)


def test_phrase_for_marked_words_and_the_occurrence_it_needs():
    assert phrase_for(EXCERPT_TEXT, indices_of(EXCERPT_TEXT, "Police said")) == (
        "Police said", None)
    assert phrase_for(EXCERPT_TEXT, indices_of(EXCERPT_TEXT, "mob", 2)) == ("mob", 2)
    assert phrase_for(EXCERPT_TEXT, indices_of(EXCERPT_TEXT, "The mob gathered", 2)) == (
        "The mob gathered", 2)
    # A line break inside the marked words reads as a space, as the matcher reads it.
    assert phrase_for(EXCERPT_TEXT, indices_of(EXCERPT_TEXT, "hurt. Some")) == (
        "hurt. Some", None)


@pytest.mark.parametrize("marks", [[], [0, 2], [999]])
def test_phrase_for_refuses_no_gappy_or_outside_marks(marks):
    with pytest.raises(ValueError):
        phrase_for(EXCERPT_TEXT, marks)


def test_non_consecutive_marks_become_several_phrases():
    marks = indices_of(EXCERPT_TEXT, "mob", 3) + indices_of(EXCERPT_TEXT, "Police said")
    assert [(m.phrase, m.occurrence) for m in phrases_for(EXCERPT_TEXT, marks)] == [
        ("Police said", None), ("mob", 3)]
    assert word_runs([7, 1, 2, 4, 2]) == [[1, 2], [4], [7]]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_every_marked_run_of_a_real_excerpt_compiles_back_to_the_same_words(documents, data):
    text = documents["astana-times-babich"][:3000]
    count = len(words(text))
    start = data.draw(st.integers(0, count - 1))
    end = data.draw(st.integers(start, min(count - 1, start + 6)))
    phrase, occurrence = phrase_for(text, range(start, end + 1))
    assert entry_units({"phrase": phrase, "occurrence": occurrence}, text, "word") == list(
        range(start, end + 1))


def test_sentence_phrase_picks_out_each_sentence_of_a_real_document(documents):
    text = documents["quo-vadis-blog"]
    for index in range(len(sentences(text))):
        phrase, occurrence = sentence_phrase(text, index)
        assert entry_units({"phrase": phrase, "occurrence": occurrence}, text,
                           "sentence") == [index]


def test_sentence_phrase_is_short_when_it_can_be_and_numbered_when_it_repeats():
    assert sentence_phrase(EXCERPT_TEXT, 1) == ("Police said the mob was violent", None)
    assert sentence_phrase(EXCERPT_TEXT, 0) == ("The mob gathered", 1)
    assert sentence_phrase(EXCERPT_TEXT, 4) == ("The mob gathered", 2)
    with pytest.raises(ValueError):
        sentence_phrase(EXCERPT_TEXT, 5)


def test_rekey_keeps_explanations_of_unchanged_phrases_and_reports_lost_ones():
    entries = [{"phrase": "mob", "occurrence": 2, "neutral": "crowd", "why": "Judges."},
               {"phrase": "Police said", "neutral": "", "why": "Named."},
               {"phrase": "riot", "neutral": "unrest", "why": "Gone from the text."}]
    marks = indices_of(EXCERPT_TEXT, "mob", 2) + indices_of(EXCERPT_TEXT, "a coup")
    new, lost = rekey(entries, EXCERPT_TEXT, marks, "word", ("neutral", "why"))
    assert new == [{"phrase": "mob", "occurrence": 2, "neutral": "crowd", "why": "Judges."},
                   {"phrase": "a coup", "neutral": "", "why": ""}]
    assert lost == ["riot"]


def test_rekey_by_sentence_keeps_the_authors_phrase():
    entries = [{"phrase": "Some observers say", "reason": "vague_attribution", "why": "Who?"}]
    new, lost = rekey(entries, EXCERPT_TEXT, [3, 1], "sentence", ("reason", "why"))
    assert new == [{"phrase": "Police said the mob was violent", "reason": "", "why": ""},
                   {"phrase": "Some observers say", "reason": "vague_attribution",
                    "why": "Who?"}]
    assert lost == []


# --- excerpts by sentence range -------------------------------------------------------------

def test_quote_for_cuts_the_exact_text_and_the_compiler_finds_it_there(documents):
    text = documents["astana-times-babich"]
    spans = sentences(text)
    first = next(i for i, s in enumerate(spans) if s.text.startswith("The year was full"))
    quote = quote_for(text, first, first + 2)
    assert quote.text == text[spans[first].start:spans[first + 2].end]
    assert quote.text.startswith("The year was full") and quote.occurrence is None
    assert quote.before.endswith("\n\n") and "momentous change" in quote.before
    assert quote.after.startswith(" The President had the reputation")
    source = {"slug": "x", "title": "t", "summary": "s", "level": "intro",
              "excerpts": [{"id": "e", "document": "astana-times-babich",
                            "quote": quote.quote}],
              "questions": [{"id": "q", "kind": "loaded_terms", "excerpt": "e",
                             "phrases": [{"phrase": "gangs", "neutral": "groups", "why": "w"}]}]}
    compiled = compile_lesson(emit_lesson(source), "x.yaml", documents)
    assert (compiled["excerpts"][0]["start"], compiled["excerpts"][0]["end"]) == (
        quote.start, quote.end)
    assert quote_in_context(text, quote.quote) == quote


def test_a_repeated_passage_gets_its_occurrence():
    text = "Intro here. The same line. Middle part. The same line. End."
    quote = quote_for(text, 3, 3)
    assert (quote.quote, quote.occurrence) == ("The same line.", 2)
    assert quote_in_context(text, quote.quote, 2) == quote
    assert quote_in_context(text, "The same line.") is None  # ambiguous without it
    with pytest.raises(ValueError):
        quote_for(text, 3, 1)


# --- slugs, ids, new questions -----------------------------------------------------------

def test_slugs_ids_and_slug_lines():
    assert slugify("Mob, mutineers — or Protesters?") == "mob-mutineers-or-protesters"
    assert slugify("Январь") == ""
    assert next_id("q", ["q1", "q3"]) == "q2"
    text = "# comment\nslug: old-one  # keep\ntitle: t\n"
    assert replace_slug(text, "new-one") == "# comment\nslug: new-one  # keep\ntitle: t\n"
    assert replace_slug("title: t\n", "x") is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_question_is_an_empty_shell_the_compiler_explains(kind, documents):
    refs = ["a", "b"] if kind == "compare" else ["a"]
    source = {"slug": "x", "title": "t", "summary": "s", "level": "intro",
              "excerpts": [{"id": "a", "document": "astana-times-babich",
                            "quote": "The President had the reputation"},
                           {"id": "b", "document": "quo-vadis-blog",
                            "quote": "The protesters have spoken as the nation"}],
              "questions": [new_question(kind, "q1", refs)]}
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(emit_lesson(source), "x.yaml", documents)
    assert all("q1" in issue.message or "is empty" in issue.message
               for issue in raised.value.issues)


# --- regrading --------------------------------------------------------------------------------

def lesson(phrases, text="The mob and the gangs met the police.", questions=None):
    return {"excerpts": [{"id": "e", "text": text}],
            "questions": questions or [{"id": "q", "kind": "loaded_terms", "excerpt": "e",
                                        "phrases": phrases, "controls": []}]}


MOB = {"text": "mob", "words": [1], "neutral": "crowd", "why": "w"}
GANGS = {"text": "gangs", "words": [4], "neutral": "groups", "why": "w"}


def test_rescore_uses_the_new_key_on_the_old_marks():
    rescored = rescore(lesson([MOB]), lesson([GANGS]), {"q": {"words": [1]}})
    assert (rescored.score, rescored.max_score) == (0.0, 1.0)
    rescored = rescore(lesson([MOB]), lesson([MOB, GANGS]), {"q": {"words": [1, 4]}})
    assert (rescored.score, rescored.max_score) == (2.0, 2.0)
    assert [v["type"] for v in rescored.answers["q"][2]] == ["found", "found"]


@pytest.mark.parametrize(("new", "reason"), [
    (lesson([MOB], text="The mob and the gangs met the army."), "excerpt text of question 'q'"),
    (lesson([], questions=[{"id": "r", "kind": "loaded_terms", "excerpt": "e",
                            "phrases": [MOB]}]), "Question 'q' was removed"),
    (lesson([], questions=[{"id": "q", "kind": "loaded_terms", "excerpt": "e", "phrases": [MOB]},
                           {"id": "z", "kind": "loaded_terms", "excerpt": "e",
                            "phrases": [GANGS]}]), "Question 'z' was added"),
    (lesson([], questions=[{"id": "q", "kind": "sourcing", "excerpt": "e", "gaps": []}]),
     "changed from loaded_terms to sourcing"),
])
def test_rescore_refuses_when_the_old_marks_no_longer_mean_the_same(new, reason):
    with pytest.raises(NotRegradable) as raised:
        rescore(lesson([MOB]), new, {"q": {"words": [1]}})
    assert reason in str(raised.value)


def test_problems_are_grouped_by_the_part_of_the_file_they_are_in():
    from app.domain.lessons import LessonIssue

    text = ("slug: x\ntitle: t\nexcerpts:\n  - id: a\n    quote: q\n  - id: b\n    quote: r\n"
            "questions:\n  - id: q1\n    kind: framing\n")
    issues = [LessonIssue("x", line, str(line)) for line in (1, 3, 5, 6, 9, 10)]
    grouped = issues_by_section(text, issues)
    assert {key: [i.line for i in value] for key, value in grouped.items()} == {
        "lesson": [1, 3], "excerpts/0": [5], "excerpts/1": [6], "questions/0": [9, 10]}
