"""Lesson-file validation: every error names the file, the line and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.lessons import LessonInvalid, compile_lesson, content_hash
from app.domain.library import check_library, render_catalogue, replace_catalogue

VALID = """\
slug: test-lesson
title: A test lesson
summary: Checks the validator.
level: intro
excerpts:
  - id: babich
    document: astana-times-babich
    quote: >-
      The President’s order was fulfilled, and indeed in a few days the riots subsided.
      But now a new problem was on the agenda.
questions:
  - id: q1
    kind: loaded_terms
    excerpt: babich
    phrases:
      - phrase: riots
        neutral: unrest
        why: Calls every protest a riot.
"""


def problems(text: str, documents, path: str = "lessons/x.yaml") -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, path, documents)
    return [str(issue) for issue in raised.value.issues]


def test_a_valid_lesson_compiles_to_offsets_inside_its_excerpt(documents):
    lesson = compile_lesson(VALID, "lessons/x.yaml", documents)
    [excerpt] = lesson["excerpts"]
    document = documents["astana-times-babich"]
    assert document[excerpt["start"]:excerpt["end"]] == excerpt["text"]
    assert excerpt["text"].startswith("The President’s order")  # curly quote kept
    [question] = lesson["questions"]
    assert question["phrases"][0]["text"] == "riots"
    assert json.loads(json.dumps(lesson)) == lesson  # storable as JSON


def test_excerpt_not_in_document_shows_the_closest_passage_and_line(documents):
    text = VALID.replace("the riots subsided", "the riot subsided")
    [message] = problems(text, documents)
    assert message.startswith("lessons/x.yaml:8: ")
    assert "is not in document 'astana-times-babich'" in message
    assert "Closest passage" in message and "riots subsided" in message


def test_answer_phrase_missing_from_excerpt(documents):
    text = VALID.replace("phrase: riots", "phrase: mob")
    [message] = problems(text, documents)
    assert message.startswith("lessons/x.yaml:16: ")
    assert '"mob" is not in the excerpt' in message


def test_ambiguous_phrase_asks_for_an_occurrence(documents):
    text = VALID.replace("phrase: riots", "phrase: the")
    [message] = problems(text, documents)
    assert ":16: " in message and "ambiguous" in message and "occurrence" in message
    fixed = VALID.replace("phrase: riots", "phrase: the\n        occurrence: 2")
    lesson = compile_lesson(fixed, "x.yaml", documents)
    assert lesson["questions"][0]["phrases"][0]["words"] == [21]  # "on the agenda"


def test_unknown_kind_names_its_line_and_the_kinds(documents):
    text = VALID.replace("kind: loaded_terms", "kind: loaded_term")
    [message] = problems(text, documents)
    assert message.startswith("lessons/x.yaml:13: unknown kind 'loaded_term'")
    assert "did you mean 'loaded_terms'" in message


def test_unknown_document_is_named_with_a_suggestion(documents):
    text = VALID.replace("document: astana-times-babich", "document: astana-times")
    messages = problems(text, documents)
    assert len(messages) == 1  # the question citing the excerpt is not reported again
    assert any(":7: unknown document 'astana-times'" in m and "astana-times-babich" in m
               for m in messages)


def test_field_typo_suggests_the_right_name(documents):
    messages = problems(VALID.replace("neutral: unrest", "neutal: unrest"), documents)
    assert any(":17: unknown field 'neutal'" in m and "did you mean 'neutral'" in m
               for m in messages)
    assert any("needs 'neutral'" in m for m in messages)


def test_yaml_syntax_error_names_the_line(documents):
    text = VALID.replace("why: Calls every protest a riot.", "why: Note: calls it a riot.")
    [message] = problems(text, documents)
    assert message.startswith("lessons/x.yaml:18: not valid YAML")


def test_a_question_where_marking_everything_pays_is_refused(documents):
    quote = VALID.split("quote: >-\n")[1].split("questions:")[0]
    short = VALID.replace(quote, "      riots subsided\n")
    [message] = problems(short, documents)
    assert "marking everything" in message and "controls" in message


def test_framing_needs_one_correct_option_or_two_defensible_ones(documents):
    text = VALID + """\
  - id: q2
    kind: framing
    excerpt: babich
    options:
      - text: Order
        feedback: a
      - text: People
        feedback: b
      - text: Economy
        feedback: c
"""
    [message] = problems(text, documents)
    assert ":22: " in message and "one option with 'correct: true', or two" in message
    assert "(it has 0)" in message
    every = text.replace("feedback: a", "feedback: a\n        correct: true").replace(
        "feedback: b", "feedback: b\n        correct: true").replace(
        "feedback: c", "feedback: c\n        correct: true")
    [message] = problems(every, documents)
    assert "(it has 3)" in message
    two = every.replace("feedback: c\n        correct: true", "feedback: c")
    [_, q2] = compile_lesson(two, "lessons/x.yaml", documents)["questions"]
    assert [option["correct"] for option in q2["options"]] == [True, True, False]


def test_duplicate_slug_across_files_and_failed_files_never_half_load(documents):
    broken = VALID.replace("slug: test-lesson", "slug: broken").replace("riots", "mob")
    report = check_library([("a.yaml", VALID), ("b.yaml", VALID), ("c.yaml", broken)], documents)
    assert list(report.lessons) == ["test-lesson"]
    messages = [str(issue) for issue in report.issues]
    assert "b.yaml:1: duplicate slug 'test-lesson': a.yaml uses it already" in messages
    assert any(m.startswith("c.yaml:") for m in messages)
    assert "broken" not in report.lessons


def test_shipped_lessons_pass_and_the_summary_counts_them(shipped_library, lesson_files):
    summary = shipped_library.summary()
    assert summary["lessons"] == len(lesson_files) >= 1
    assert all(summary["questions_per_kind"][kind] >= 1
               for kind in ("loaded_terms", "framing", "sourcing", "compare"))


def test_content_hash_changes_when_the_key_changes(documents):
    first = compile_lesson(VALID, "x.yaml", documents)
    second = compile_lesson(VALID.replace("neutral: unrest", "neutral: disorder"), "x.yaml",
                            documents)
    assert content_hash(first) == content_hash(compile_lesson(VALID, "x.yaml", documents))
    assert content_hash(first) != content_hash(second)


def test_the_example_in_the_lessons_readme_is_a_valid_lesson(documents, reading_files,
                                                            vocabulary):
    readme = (Path(__file__).resolve().parents[2] / "lessons" / "README.md").read_text("utf-8")
    example = readme.split("## A complete example")[1].split("```yaml\n")[1].split("```")[0]
    readings = check_library([], documents, reading_files).readings
    lesson = compile_lesson(example, "lessons/README.md", documents, readings,
                            frames=vocabulary, frames_only=True)
    assert "phrases:" not in example and "gaps:" not in example  # keys from the readings
    assert {q["kind"] for q in lesson["questions"]} == {"loaded_terms", "framing", "sourcing",
                                                        "compare"}


@pytest.mark.parametrize(("phrase", "expected"), [
    ('","', "contains no word to mark"),
    ("indeed in a few days the riots subsided. But now", "runs across"),
])
def test_phrases_must_cover_words_and_sourcing_gaps_one_sentence(documents, phrase, expected):
    text = VALID + f"""\
  - id: q2
    kind: {'loaded_terms' if 'no word' in expected else 'sourcing'}
    excerpt: babich
    {'phrases' if 'no word' in expected else 'gaps'}:
      - phrase: {phrase}
        {'neutral: x' if 'no word' in expected else 'reason: no_source'}
        why: y
"""
    messages = problems(text, documents)
    assert any(":23: " in m and expected in m for m in messages), messages


def test_overlapping_phrases_are_refused(documents):
    text = VALID.replace("        why: Calls every protest a riot.\n", """\
        why: Calls every protest a riot.
      - phrase: the riots subsided
        neutral: calm returned
        why: overlaps
""")
    [message] = problems(text, documents)
    assert ":19: " in message and 'overlaps "riots"' in message


def test_the_catalogue_lists_lessons_by_level_and_replaces_only_its_section(documents):
    lesson = compile_lesson(VALID, "x.yaml", documents)
    catalogue = render_catalogue({lesson["slug"]: lesson})
    assert "### Intro" in catalogue and "**A test lesson** (`test-lesson`)" in catalogue
    assert "Questions: 1 loaded_terms" in catalogue
    readme = replace_catalogue("# Lessons\n\nintro text\n", catalogue)
    assert readme.startswith("# Lessons\n\nintro text\n\n## Catalogue\n\n<!-- catalogue:start")
    again = replace_catalogue(readme + "\nafter\n", catalogue.replace("A test", "A new"))
    assert "A new lesson" in again and "A test lesson" not in again
    assert again.endswith("\nafter\n")


def test_the_summary_reports_single_and_cross_document_lessons(documents):
    lesson = compile_lesson(VALID, "x.yaml", documents)
    report = check_library([("x.yaml", VALID)], documents)
    summary = report.summary()
    assert summary["lessons_focused_on_document"] == {"astana-times-babich": 1}
    assert summary["cross_document_lessons"] == []
    assert summary["controls"] == {"loaded_terms_questions": 1, "with_controls": 0,
                                   "controls": 0}
    assert lesson["slug"] in report.lessons
