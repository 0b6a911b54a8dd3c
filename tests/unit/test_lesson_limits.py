"""Lengths (issue 11, F9) and the bounded closest-passage search (F4).

Every text a compiled lesson holds is checked against its limit before anything is
stored: a question id over 64 characters used to import and publish, and then every
student's submission was a 500 (``attempt_answers.question_id`` is 64 wide). A quote
that is not in its document used to start a search that grew with the document times
the quote (105 s for 110 KiB); it is bounded now, and a quote is at most 10,000
characters.
"""

from __future__ import annotations

import difflib
import random

import pytest

from app.domain import limits, text
from app.domain.lessons import LessonInvalid, compile_lesson
from app.models import AttemptAnswer, Document, Lesson

LESSON = """\
slug: test-lesson
title: A test lesson
summary: Checks the validator.
level: intro
goals:
  - Spot a loaded word.
excerpts:
  - id: babich
    document: astana-times-babich
    quote: >-
      The President’s order was fulfilled, and indeed in a few days the riots subsided.
questions:
  - id: q1
    kind: loaded_terms
    prompt: Mark the loaded words.
    excerpt: babich
    phrases:
      - phrase: riots
        neutral: unrest
        why: Calls every protest a riot.
  - id: q2
    kind: framing
    excerpt: babich
    options:
      - text: Order restored
        correct: true
        feedback: Yes.
      - text: Unrest
        feedback: No.
      - text: Reform
        feedback: No.
"""


def problems(source: str, documents) -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(source, "x.yaml", documents)
    return [str(issue) for issue in raised.value.issues]


def test_the_limits_are_the_widths_of_the_columns_they_land_in():
    assert Lesson.__table__.c.slug.type.length == limits.SLUG
    assert Lesson.__table__.c.title.type.length == limits.TITLE
    assert Lesson.__table__.c.level.type.length == limits.WORD
    assert Lesson.__table__.c.status.type.length == limits.WORD
    assert AttemptAnswer.__table__.c.question_id.type.length == limits.ID
    assert AttemptAnswer.__table__.c.kind.type.length == limits.KIND
    assert Document.__table__.c.slug.type.length == limits.DOCUMENT_SLUG


def test_a_lesson_at_every_limit_compiles(documents):
    lesson = compile_lesson(LESSON.replace("id: q1", "id: " + "q" * limits.ID)
                            .replace("title: A test lesson", "title: " + "t" * limits.TITLE)
                            .replace("slug: test-lesson", "slug: " + "s" * limits.SLUG),
                            "x.yaml", documents)
    assert lesson["questions"][0]["id"] == "q" * limits.ID


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("id: q1", "id: " + "q" * 65, 13,
     f"'id' in a question is 65 characters long; it may be at most {limits.ID}"),
    ("slug: test-lesson", "slug: " + "s" * 81, 1,
     "'slug' in the lesson is 81 characters long; it may be at most 80"),
    ("title: A test lesson", "title: " + "t" * 201, 2,
     "'title' in the lesson is 201 characters long; it may be at most 200"),
    ("summary: Checks the validator.", "summary: " + "s" * 4001, 3,
     "'summary' in the lesson is 4,001 characters long; it may be at most 4,000"),
    ("  - Spot a loaded word.", "  - " + "g" * 301, 6,
     "'goals' in the lesson is 301 characters long; it may be at most 300"),
    ("  - id: babich", "  - id: " + "b" * 65, 8,
     "'id' in an excerpt is 65 characters long; it may be at most 64"),
    ("prompt: Mark the loaded words.", "prompt: " + "p" * 4001, 15,
     "'prompt' in question 'q1' is 4,001 characters long; it may be at most 4,000"),
    ("neutral: unrest", "neutral: " + "n" * 301, 19,
     "'neutral' in \"riots\" is 301 characters long; it may be at most 300"),
    ("why: Calls every protest a riot.", "why: " + "w" * 4001, 20,
     "'why' in \"riots\" is 4,001 characters long; it may be at most 4,000"),
    ("text: Order restored", "text: " + "o" * 301, 25,
     "'text' in option 'a' is 301 characters long; it may be at most 300"),
    ("feedback: Yes.", "feedback: " + "f" * 4001, 27,
     "'feedback' in option 'a' is 4,001 characters long; it may be at most 4,000"),
])
def test_every_text_longer_than_its_column_or_field_is_a_problem_on_its_line(
        documents, old, new, line, message):
    assert old in LESSON
    found = problems(LESSON.replace(old, new, 1), documents)
    assert f"x.yaml:{line}: {message}" in found


def test_a_quote_longer_than_an_excerpt_may_be_is_refused_without_searching(documents,
                                                                            monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("searched the document")
    monkeypatch.setattr("app.domain.filereader.closest_passage", no_search)
    long_quote = "word " * 22_528  # 110 KiB
    source = LESSON.replace("The President’s order was fulfilled, and indeed in a few days "
                            "the riots subsided.", long_quote.strip())
    assert problems(source, documents)[0] == (
        "x.yaml:10: 'quote' in excerpt 'babich' is 112,639 characters long; it may be at "
        "most 10,000")


# --- the closest passage, bounded -------------------------------------------------------

@pytest.fixture
def compared(monkeypatch):
    """The sizes of every pair of texts difflib is asked to compare."""
    sizes: list[tuple[int, int]] = []

    class Counting(difflib.SequenceMatcher):
        def set_seqs(self, a, b):
            sizes.append((len(a), len(b)))
            super().set_seqs(a, b)
    monkeypatch.setattr(text, "SequenceMatcher", Counting)
    return sizes


def _document(size: int) -> str:
    chooser = random.Random(11)
    vocabulary = ("the police said protest crowd square city government reported people "
                  "january riot street order calm night").split()
    return " ".join(chooser.choice(vocabulary) + ("." if chooser.random() < 0.1 else "")
                    for _ in range(size // 4))[:size]


def test_a_110_kib_quote_in_a_200_kib_document_compares_only_bounded_pieces(compared):
    document = _document(200 * 1024)
    quote = " ".join(f"nowhere{n}" for n in range(14_000))[:110 * 1024]
    closest = text.closest_passage(document, quote)
    assert closest.passage == "" and closest.similarity == 0.0
    assert all(a * b <= text.EXACT_WORK for a, b in compared)


def test_a_long_quote_with_one_typo_is_still_found_and_located(compared):
    document = _document(200 * 1024)
    quote = document[80_000:80_000 + 110 * 1024]
    typo = quote.index("police", 50_000)
    quote = quote[:typo] + "polise" + quote[typo + 6:]
    closest = text.closest_passage(document, quote)
    assert closest.similarity > 0.99
    assert "polise" in closest.differs_at and "police" in closest.differs_at
    assert closest.passage.startswith(document[80_000:80_100].strip())
    assert compared and all(a * b <= text.EXACT_WORK for a, b in compared)


def test_a_short_quote_in_its_excerpt_is_compared_whole_as_before(documents, compared):
    closest = text.closest_passage(documents["astana-times-babich"][:5000],
                                   "the riot subsided")
    assert closest.passage
    assert compared[0] == (len(text.normalize(documents["astana-times-babich"][:5000])[0]),
                           len("the riot subsided"))
