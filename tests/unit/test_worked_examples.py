"""Worked examples: questions shown solved before anything is scored (lesson `examples:`)."""

from __future__ import annotations

import pytest

from app.domain.lessons import LessonInvalid, compile_lesson

LESSON = """\
slug: with-examples
title: Worked examples first
summary: Shows one question solved, then asks one.
level: intro
excerpts:
  - id: babich
    document: astana-times-babich
    quote: >-
      The President’s order was fulfilled, and indeed in a few days the riots subsided.
      But now a new problem was on the agenda.
examples:
  - id: shown
    kind: loaded_terms
    excerpt: babich
    phrases:
      - phrase: riots
        neutral: unrest
        why: Calls every protest a riot.
questions:
  - id: {question_id}
    kind: loaded_terms
    excerpt: babich
    phrases:
      - phrase: riots
        neutral: unrest
        why: Calls every protest a riot.
"""


def test_examples_compile_like_questions_but_apart_from_them(documents):
    lesson = compile_lesson(LESSON.format(question_id="asked"), "lessons/x.yaml", documents)
    assert [q["id"] for q in lesson["examples"]] == ["shown"]
    assert [q["id"] for q in lesson["questions"]] == ["asked"]
    assert lesson["examples"][0]["phrases"][0]["text"] == "riots"


def test_an_example_and_a_question_may_not_share_an_id(documents):
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(LESSON.format(question_id="shown"), "lessons/x.yaml", documents)
    [issue] = raised.value.issues
    assert str(issue).startswith("lessons/x.yaml:20: the question id 'shown' is used twice")


def test_a_lesson_without_examples_has_no_examples_key(documents):
    text = LESSON.format(question_id="asked")
    start, end = text.index("examples:"), text.index("questions:")
    lesson = compile_lesson(text[:start] + text[end:], "lessons/x.yaml", documents)
    assert "examples" not in lesson


def test_a_broken_example_is_reported_with_its_line(documents):
    text = LESSON.format(question_id="asked").replace("kind: loaded_terms", "kind: loaded", 1)
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, "lessons/x.yaml", documents)
    assert [str(i) for i in raised.value.issues][0].startswith(
        "lessons/x.yaml:13: unknown kind 'loaded'")
