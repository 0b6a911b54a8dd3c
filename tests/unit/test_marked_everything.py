"""Item analysis and a student who marks (nearly) everything (walkthrough bug 9).

Such an answer scores 0, but it "found" every key phrase and "wrongly marked" every neutral
word, so counted like the others it made the class look better at finding the key and
filled "Neutral words marked most often" with "of", "The", "and". The rule: an answer whose
marks cover more than half of the units (words, or sentences for a sourcing question) that
the key does not count is left out of the found shares and the wrong-word counts, and is
listed apart, by student and question.
"""

from __future__ import annotations

import pytest

from app.domain.analysis import (
    MARKED_EVERYTHING_SHARE,
    Submission,
    marked_everything,
    phrase_shares,
    wrong_words,
)
from app.domain.library import check_library
from app.domain.scoring import mark_everything, score_question
from app.domain.text import words
from tests.unit.stored_answers import Answer

# Ten words; the key: "gangs" (1) and "mob attacks" (6, 7).
TEXT = "The gangs of the city turned mob attacks on squares"
CONTENT = {"excerpts": [{"id": "e", "text": TEXT}],
           "questions": [{"id": "q", "kind": "loaded_terms", "excerpt": "e"}]}
KEY = {1: "gangs", 6: "mob attacks"}


def answer(marked: set[int]) -> Answer:
    """The stored verdicts of a loaded-terms answer marking ``marked``."""
    verdicts = []
    for first, text in KEY.items():
        units = [first] if text == "gangs" else [6, 7]
        hit = [i for i in units if i in marked]
        kind = "found" if len(hit) == len(units) else "partial" if hit else "missed"
        verdicts.append({"type": kind, "text": text, "words": units, "marked": hit})
    wrong = sorted(marked - {1, 6, 7})
    if wrong:
        verdicts.append({"type": "wrong", "text": "…", "words": wrong,
                         "penalty": 0.5 * len(wrong)})
    return Answer("q", 0.0, 2.0, verdicts=verdicts)


def test_an_answer_marking_every_word_is_named_and_left_out_of_the_shares():
    everything = set(range(len(words(TEXT))))
    careful = Submission("ann", [answer({1})], CONTENT)
    blanket = Submission("max", [answer(everything)], CONTENT)
    assert len(words(TEXT)) == 10
    [flagged] = marked_everything([careful, blanket])
    assert (flagged.student, flagged.question_id, flagged.side) == ("max", "q", None)
    assert (flagged.marked, flagged.outside) == (7, 7)
    shares = {share.text: share for share in phrase_shares([careful, blanket])}
    # Only ann counts: she found "gangs" and missed "mob attacks".
    assert (shares["gangs"].students, shares["gangs"].found) == (1, 1)
    assert (shares["mob attacks"].students, shares["mob attacks"].found) == (1, 0)
    assert wrong_words([careful, blanket]) == []


def test_half_of_the_other_words_is_still_an_answer():
    # 7 words lie outside the key; marking 3 of them (under half) keeps the answer in,
    # and so does marking the key and 3 more; 4 of 7 is more than half.
    assert MARKED_EVERYTHING_SHARE == 0.5
    some = Submission("ben", [answer({0, 2, 3, 1, 6, 7})], CONTENT)
    most = Submission("cat", [answer({0, 2, 3, 4})], CONTENT)
    assert marked_everything([some]) == []
    assert [f.student for f in marked_everything([most])] == ["cat"]
    assert [(w.word, w.marks) for w in wrong_words([some, most])] == [("The", 2), ("of", 1)]


def test_a_sourcing_answer_selecting_every_sentence_is_left_out():
    content = {"excerpts": [{"id": "e", "text": "One. Two. Three. Four."}],
               "questions": [{"id": "s", "kind": "sourcing", "excerpt": "e"}]}
    gap = {"type": "found", "text": "Two.", "phrase": "Two", "sentence": 1}
    every = Answer("s", 0.0, 1.0, "sourcing", [gap] + [
        {"type": "wrong", "text": t, "sentence": i, "penalty": 1.0}
        for i, t in ((0, "One."), (2, "Three."), (3, "Four."))])
    [flagged] = marked_everything([Submission("max", [every], content)])
    assert (flagged.marked, flagged.outside, flagged.unit) == (3, 3, "sentences")
    assert phrase_shares([Submission("max", [every], content)]) == []


def test_only_the_blanket_side_of_a_compare_answer_is_left_out():
    content = {"excerpts": [{"id": "a", "text": TEXT}, {"id": "b", "text": TEXT}],
               "questions": [{"id": "c", "kind": "compare",
                              "sides": [{"excerpt": "a"}, {"excerpt": "b"}]}]}
    sides = [dict(v, side=0) for v in answer(set(range(10))).verdicts]
    sides += [dict(v, side=1) for v in answer({1}).verdicts]
    submission = Submission("max", [Answer("c", 0.0, 4.0, "compare", sides)], content)
    assert [(f.question_id, f.side) for f in marked_everything([submission])] == [("c", 0)]
    assert {(s.side, s.text) for s in phrase_shares([submission])} == {
        (1, "gangs"), (1, "mob attacks")}


def _submitted(lesson, question, response):
    texts = {excerpt["id"]: excerpt["text"] for excerpt in lesson["excerpts"]}
    result = score_question(question, response, texts)
    return Submission("s", [Answer(question["id"], result.points, result.max_points,
                                   question["kind"], result.verdicts)], lesson)


def test_library_answers_are_judged_as_a_teacher_would(documents, lesson_files,
                                                       reading_files, frames_file, card_files):
    """In every shipped question a perfect answer stays in, and marking (or picking)
    everything is out."""
    from tests.web.results_builders import perfect_responses

    report = check_library(lesson_files, documents, reading_files, documents, card_files,
                           frames=frames_file)
    assert report.ok, report.issues
    for lesson in report.lessons.values():
        texts = {excerpt["id"]: excerpt["text"] for excerpt in lesson["excerpts"]}
        perfect = perfect_responses(lesson)
        for question in lesson["questions"]:
            right = _submitted(lesson, question, perfect[question["id"]])
            assert marked_everything([right]) == [], question["id"]
            if question["kind"] == "framing" and not question.get("signals"):
                continue  # nothing to mark: a frame choice only
            blanket = _submitted(lesson, question, mark_everything(question, texts))
            sides = len(question.get("sides") or [None])
            assert len(marked_everything([blanket])) == sides, question["id"]


@pytest.mark.parametrize("verdicts", [[], [{"type": "choice", "right": True}]])
def test_answers_with_nothing_marked_are_never_flagged(verdicts):
    assert marked_everything([Submission("a", [Answer("q", 1, 1, "framing", verdicts)],
                                         CONTENT)]) == []
