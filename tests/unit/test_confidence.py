""""How sure are you?": reading the rating from the quiz form, keeping it with the marks,
and taking it out again to submit."""

from __future__ import annotations

import pytest

from app.domain import confidence
from app.domain.progress import as_fields
from app.domain.responses import BadResponse, field_names, parse_submission, salvage

EXCERPTS = {"x": "Gangs stormed the square. Officials said so. It rained."}
QUESTIONS = [
    {"id": "q1", "kind": "loaded_terms", "excerpt": "x", "phrases": [], "controls": []},
    {"id": "q2", "kind": "framing", "excerpt": "x", "signals": [],
     "options": [{"id": "a"}, {"id": "b"}]},
]
IGNORED = frozenset({"csrf_token"})


def parse(form: dict[str, list[str]], asks: bool = True):
    return parse_submission(QUESTIONS, EXCERPTS, list(form), lambda key: form.get(key, []),
                            IGNORED, asks)


@pytest.mark.parametrize(("values", "level"), [
    ([], None), ([""], None), (["1"], 1), (["4"], 4), ([" 3 "], 3), (["2", "2"], 2)])
def test_a_rating_is_one_of_four_steps_or_none(values, level):
    assert confidence.parse(values) == level


@pytest.mark.parametrize("values", [["0"], ["5"], ["-1"], ["x"], ["3.0"], ["٣"], ["１"],
                                    ["12"], ["Certain"]])
def test_anything_else_is_refused(values):
    with pytest.raises(confidence.BadRating, match="takes one of: 1 \\(Guessing\\)"):
        confidence.parse(values)


def test_two_different_ratings_are_refused():
    with pytest.raises(confidence.BadRating, match="only one"):
        confidence.parse(["1", "4"])


def test_labels_are_the_four_words_students_read():
    assert [confidence.label(n) for n in (1, 2, 3, 4)] == [
        "Guessing", "Unsure", "Fairly sure", "Certain"]
    assert confidence.label(None) is None and confidence.label(7) is None


def test_the_field_is_known_only_when_the_assignment_asks():
    assert "q1.confidence" in field_names(QUESTIONS[0], True)
    assert "q1.confidence" not in field_names(QUESTIONS[0])
    with pytest.raises(BadResponse, match="not in this lesson"):
        parse({"q1.w": ["0"], "q1.confidence": ["3"]}, asks=False)


def test_a_rating_is_kept_in_its_questions_response():
    responses = parse({"q1.w": ["0"], "q1.confidence": ["3"], "q2.choice": ["a"]})
    assert responses == {"q1": {"words": [0], "confidence": 3},
                         "q2": {"words": [], "choice": "a"}}


def test_a_rating_alone_is_not_an_answer():
    with pytest.raises(BadResponse, match="not marked or chosen anything"):
        parse({"q1.confidence": ["2"]})


def test_a_bad_rating_is_a_bad_response_and_salvage_keeps_the_rest():
    form = {"q1.w": ["0"], "q1.confidence": ["9"], "q2.confidence": ["2"]}
    with pytest.raises(BadResponse, match="How sure are you"):
        parse(form)
    kept = salvage(QUESTIONS, EXCERPTS, lambda key: form.get(key, []), True)
    assert kept == {"q1": {"words": [0]}, "q2": {"words": [], "choice": None,
                                                 "confidence": 2}}
    # Not asked: no rating is kept at all.
    assert "confidence" not in salvage(QUESTIONS, EXCERPTS, lambda key: form.get(key, []))["q2"]


def test_split_takes_the_ratings_out_for_the_scorers():
    answers, ratings = confidence.split({"q1": {"words": [0], "confidence": 3},
                                         "q2": {"choice": "a"}})
    assert answers == {"q1": {"words": [0]}, "q2": {"choice": "a"}}
    assert ratings == {"q1": 3}


def test_without_drops_every_rating():
    assert confidence.without({"q1": {"words": [1], "confidence": 4}}) == {"q1": {"words": [1]}}
    assert confidence.without({"q1": {"words": [1]}}) == {"q1": {"words": [1]}}


def test_the_review_step_posts_the_ratings_back():
    marks = {"q1": {"words": [0, 2], "confidence": 1}, "q2": {"choice": "b", "confidence": 4}}
    assert as_fields(QUESTIONS, marks) == [
        ("q1.confidence", "1"), ("q1.w", "0"), ("q1.w", "2"),
        ("q2.confidence", "4"), ("q2.choice", "b")]
    form: dict[str, list[str]] = {}
    for name, value in as_fields(QUESTIONS, marks):
        form.setdefault(name, []).append(value)
    assert parse(form) == {"q1": {"words": [0, 2], "confidence": 1},
                           "q2": {"words": [], "choice": "b", "confidence": 4}}
