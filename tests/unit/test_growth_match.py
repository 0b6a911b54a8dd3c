"""The match check of a pre-test and a post-test: level, kinds, items to find, maximum
points and reused passages, each a plain warning; none when the tests are matched."""

from __future__ import annotations

import pytest

from app.domain.growth_match import (
    items_to_find,
    kind_counts,
    match_report,
    max_points,
    shared_passages,
    uneven,
)
from app.domain.lessons import compile_lesson

ASTANA = ("when gangs of presumably foreign-trained terrorists quickly transformed "
          "initially peaceful demonstrations into dangerous mob attacks.")
BLOG = "This suggests it was a classic people-against-regime stand-off."
REFORMS = "These political and economic reforms send a positive signal to foreign investors."
BET = "Tokayev won his bet on introducing democracy to Kazakhstan"
PACKAGE = ("In September, Tokayev instructed his officials to prepare a new reform package "
           "that further “decentralizes and distributes” power between the government, "
           "ministries, and regional heads (animats).")


def lesson(documents, *, level="intro", words=("astana-times-babich", ASTANA),
           phrases=("gangs", "terrorists"), frame=("quo-vadis-blog", BLOG),
           extra_frames=0) -> dict:
    """A compiled lesson: one loaded-language question on ``words`` marking ``phrases``,
    and ``1 + extra_frames`` framing questions on ``frame`` (one point each)."""
    phrase_lines = "".join(f"      - phrase: {p}\n        neutral: plain\n        why: Judges.\n"
                           for p in phrases)
    frames = "".join(f"""\
  - id: frame{n}
    kind: framing
    excerpt: second
    prompt: Which frame?
    options:
      - id: a
        text: One frame
        correct: true
        feedback: Yes.
      - id: b
        text: Another frame
        feedback: No.
      - id: c
        text: A third frame
        feedback: No.
""" for n in range(1 + extra_frames))
    text = f"""\
slug: lesson-{level}
title: A lesson
summary: For the match tests.
level: {level}
excerpts:
  - id: first
    document: {words[0]}
    quote: >-
      {words[1]}
  - id: second
    document: {frame[0]}
    quote: >-
      {frame[1]}
questions:
  - id: words
    kind: loaded_terms
    excerpt: first
    prompt: Mark the words that judge.
    phrases:
{phrase_lines}{frames}"""
    return compile_lesson(text, "test.yaml", documents)


@pytest.fixture
def pre(documents):
    return lesson(documents)


def post_of(documents, **changes):
    """A post-test like ``pre`` but on other passages (so matched unless changed)."""
    fields = {"words": ("neighborhood-trouble", REFORMS),
              "phrases": ("positive signal", "foreign investors"),
              "frame": ("astana-times-babich", BET)}
    return lesson(documents, **{**fields, **changes})


def test_two_tests_alike_on_other_passages_are_matched(documents, pre) -> None:
    post = post_of(documents)
    assert kind_counts(pre) == kind_counts(post) == {"loaded_terms": 1, "framing": 1}
    assert items_to_find(pre) == items_to_find(post) == {"loaded": 2}
    assert max_points(pre) == max_points(post) == 3
    assert match_report(pre, post) == []


def test_a_different_level_is_named(documents, pre) -> None:
    report = match_report(pre, post_of(documents, level="challenge"))
    assert len(report) == 1
    assert "pre-test is “intro”, the post-test “challenge”" in report[0]


def test_different_question_kinds_or_counts_are_listed(documents, pre) -> None:
    report = match_report(pre, post_of(documents, extra_frames=1))
    kinds = [w for w in report if "ask different questions" in w]
    assert kinds == ["The tests ask different questions: the pre-test has 1 framing, "
                     "1 loaded-language; the post-test has 2 framing, 1 loaded-language."]


def test_many_more_items_to_find_is_uneven(documents, pre) -> None:
    post = post_of(documents, words=("neighborhood-trouble", PACKAGE),
                   phrases=("instructed", "decentralizes", "distributes", "regional heads"))
    report = match_report(pre, post)
    assert any(w.startswith("Loaded language: the pre-test asks students to find 2 items, "
                            "the post-test 4.") for w in report)
    # 3 points against 5: 40% fewer, so the maximum scores are uneven too.
    assert any("3 points on the pre-test, 5 on the post-test" in w for w in report)


def test_a_difference_within_a_quarter_is_not_flagged() -> None:
    assert not uneven(4, 5)  # 20% of the larger
    assert uneven(3, 5)      # 40%
    assert not uneven(0, 0)
    assert uneven(0, 2)


def test_reused_passages_are_named(documents, pre) -> None:
    # Same loaded-language passage as the pre-test, the framing one is new.
    post = post_of(documents, words=("astana-times-babich", ASTANA),
                   phrases=("gangs", "terrorists"))
    assert shared_passages(pre, post) == 1
    report = match_report(pre, post)
    assert report == ["The post-test reuses 1 passage of the pre-test (the same text, or "
                      "part of it). A post-test on the very same passages measures memory, "
                      "not skill: choose a lesson on other passages."]


def test_a_passage_overlapping_part_of_another_counts_as_reused(documents, pre) -> None:
    part = ("presumably foreign-trained terrorists quickly transformed initially peaceful "
            "demonstrations into dangerous mob attacks.")
    post = post_of(documents, words=("astana-times-babich", part), phrases=("terrorists",
                                                                             "presumably"))
    assert shared_passages(pre, post) == 1
    assert shared_passages(pre, pre) == 2


def test_everything_uneven_gives_every_warning(documents, pre) -> None:
    post = lesson(documents, level="core", phrases=("gangs",), extra_frames=3)
    report = match_report(pre, post)
    assert len(report) == 5, report
