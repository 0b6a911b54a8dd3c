"""Scorers: partial credit, wrong-mark costs, and that marking everything never pays."""

from __future__ import annotations

import pytest

from app.domain.scoring import (
    NOT_A_GAP,
    NOT_IN_KEY,
    mark_everything,
    score_compare,
    score_framing,
    score_loaded_terms,
    score_question,
    score_sourcing,
)
from app.domain.text import words

TEXT = ("Gangs of armed bandits stormed the square. Officials said the crowd was large. "
        "Witnesses described peaceful demonstrations before noon.")
EXCERPTS = {"x": TEXT}


def index_of(word: str, occurrence: int = 1) -> int:
    hits = [i for i, span in enumerate(words(TEXT)) if span.text == word]
    return hits[occurrence - 1]


LOADED = {
    "id": "q", "kind": "loaded_terms", "excerpt": "x",
    "phrases": [
        {"text": "Gangs", "words": [0], "neutral": "groups", "why": "criminal label"},
        {"text": "armed bandits", "words": [2, 3], "neutral": "armed men", "why": "outlaws"},
        {"text": "stormed", "words": [4], "neutral": "entered", "why": "violent verb"},
    ],
    "controls": [{"text": "peaceful demonstrations", "words": [15, 16], "why": "neutral noun"}],
}


def test_a_perfect_answer_scores_full_marks():
    result = score_loaded_terms(LOADED, {"words": [0, 2, 3, 4]}, EXCERPTS)
    assert (result.points, result.max_points) == (3.0, 3.0)
    assert [v["type"] for v in result.verdicts] == ["found", "found", "found"]


def test_partial_credit_is_by_word_overlap():
    result = score_loaded_terms(LOADED, {"words": [3]}, EXCERPTS)
    assert result.points == 0.5
    assert result.verdicts[1]["type"] == "partial"
    assert result.verdicts[0]["type"] == result.verdicts[2]["type"] == "missed"


def test_each_wrong_word_costs_half_a_point_and_is_explained():
    result = score_loaded_terms(LOADED, {"words": [0, 5, 6]}, EXCERPTS)  # Gangs + "the square"
    assert result.points == 0.0
    [wrong] = [v for v in result.verdicts if v["type"] == "wrong"]
    assert wrong["text"] == "the square"
    assert wrong["penalty"] == 1.0
    assert wrong["why"] == NOT_IN_KEY


def test_wrong_marks_inside_a_control_get_its_explanation():
    result = score_loaded_terms(LOADED, {"words": [0, 2, 3, 4, 16]}, EXCERPTS)
    assert result.points == 2.5
    [wrong] = [v for v in result.verdicts if v["type"] == "wrong"]
    assert (wrong["text"], wrong["why"]) == ("demonstrations", "neutral noun")


def test_score_never_goes_below_zero():
    result = score_loaded_terms(LOADED, {"words": list(range(6, 14))}, EXCERPTS)
    assert result.points == 0.0


def test_marking_every_word_scores_no_more_than_a_careful_partial_answer():
    everything = score_question(LOADED, mark_everything(LOADED, EXCERPTS), EXCERPTS)
    careful = score_loaded_terms(LOADED, {"words": [0]}, EXCERPTS)
    assert everything.points <= careful.points
    assert everything.points == 0.0


def test_marking_everything_never_pays_in_any_shipped_lesson(shipped_library):
    for lesson in shipped_library.lessons.values():
        texts = {excerpt["id"]: excerpt["text"] for excerpt in lesson["excerpts"]}
        for question in lesson["questions"]:
            result = score_question(question, mark_everything(question, texts), texts)
            assert result.points == 0.0, question["id"]


FRAMING = {
    "id": "f", "kind": "framing", "excerpt": "x",
    "options": [
        {"id": "a", "text": "Order", "correct": True, "feedback": "yes: order"},
        {"id": "b", "text": "People", "correct": False, "feedback": "no: people"},
        {"id": "c", "text": "Economy", "correct": False, "feedback": "no: economy"},
    ],
    "signals": [],
}


@pytest.mark.parametrize(("choice", "points", "feedback"), [
    ("a", 1.0, "yes: order"), ("b", 0.0, "no: people"), (None, 0.0, "")])
def test_framing_scores_the_choice_with_that_options_feedback(choice, points, feedback):
    result = score_framing(FRAMING, {"choice": choice, "words": []}, EXCERPTS)
    assert result.points == points
    assert result.max_points == 1.0
    assert result.verdicts[0]["feedback"] == feedback
    assert result.verdicts[0]["correct_text"] == "Order"


@pytest.mark.parametrize(("choice", "points"), [("a", 1.0), ("b", 1.0), ("c", 0.0),
                                               (None, 0.0)])
def test_framing_with_two_defensible_frames_gives_the_point_for_either(choice, points):
    both = dict(FRAMING, options=[dict(FRAMING["options"][0]),
                                  dict(FRAMING["options"][1], correct=True,
                                       feedback="also: the crowd is the nation"),
                                  dict(FRAMING["options"][2])])
    result = score_framing(both, {"choice": choice, "words": []}, EXCERPTS)
    assert (result.points, result.max_points) == (points, 1.0)
    [verdict] = result.verdicts
    assert verdict["right"] is (points == 1.0)
    # Whatever was chosen, the feedback holds every accepted frame with its evidence.
    assert [(f["text"], f["why"]) for f in verdict["accepted"]] == [
        ("Order", "yes: order"), ("People", "also: the crowd is the nation")]


def test_framing_signal_words_add_points():
    question = dict(FRAMING, signals=[{"text": "stormed", "words": [4], "why": "force"}])
    result = score_framing(question, {"choice": "a", "words": [4]}, EXCERPTS)
    assert (result.points, result.max_points) == (2.0, 2.0)


SOURCING = {
    "id": "s", "kind": "sourcing", "excerpt": "x",
    "gaps": [{"text": "Officials said", "sentence": 1, "reason": "unnamed_group",
              "why": "which officials?"}],
    "controls": [{"text": "Witnesses", "sentence": 2, "why": "eyewitnesses, in context"}],
}


def test_sourcing_finds_gaps_and_charges_for_wrong_sentences():
    assert score_sourcing(SOURCING, {"sentences": [1]}, EXCERPTS).points == 1.0
    result = score_sourcing(SOURCING, {"sentences": [1, 0, 2]}, EXCERPTS)
    assert result.points == 0.0
    wrong = {v["sentence"]: v["why"] for v in result.verdicts if v["type"] == "wrong"}
    assert wrong == {0: NOT_A_GAP, 2: "eyewitnesses, in context"}
    missed = score_sourcing(SOURCING, {"sentences": []}, EXCERPTS)
    assert [v["type"] for v in missed.verdicts] == ["missed"]


def test_compare_scores_each_side():
    other = "The protesters gathered in the square."
    question = {
        "id": "c", "kind": "compare",
        "options": [{"id": "order", "text": "Order", "feedback": ""},
                    {"id": "people", "text": "People", "feedback": ""},
                    {"id": "economy", "text": "Economy", "feedback": ""}],
        "sides": [
            {"excerpt": "x", "frame": "order", "frame_why": "bandits",
             "terms": [{"text": "armed bandits", "words": [2, 3], "neutral": "", "why": ""}]},
            {"excerpt": "y", "frame": "people", "frame_why": "protesters",
             "terms": [{"text": "protesters", "words": [1], "neutral": "", "why": ""}]},
        ],
    }
    excerpts = {"x": TEXT, "y": other}
    response = {"sides": [{"choice": "order", "words": [2, 3]},
                          {"choice": "order", "words": [1, 2]}]}
    result = score_compare(question, response, excerpts)
    # side 0: 1 + 1; side 1: 0 (wrong frame) + 1 - 0.5 (one wrong word) = 2.5
    assert (result.points, result.max_points) == (2.5, 4.0)
    assert [v["side"] for v in result.verdicts if v["type"] == "choice"] == [0, 1]


def test_a_compare_side_accepting_two_frames_gives_the_point_for_either():
    question = {
        "id": "c", "kind": "compare",
        "options": [{"id": "order", "text": "Order", "feedback": "the state", "frame": "order"},
                    {"id": "people", "text": "People", "feedback": "the nation"},
                    {"id": "economy", "text": "Economy", "feedback": "prices"}],
        "sides": [{"excerpt": "x", "frame": "order", "frame_why": "bandits to destroy",
                   "also_frame": "people", "also_why": "a crowd met with force",
                   "terms": [{"text": "armed bandits", "words": [2, 3], "neutral": "",
                              "why": ""}]},
                  {"excerpt": "x", "frame": "economy", "frame_why": "prices",
                   "terms": [{"text": "armed bandits", "words": [2, 3], "neutral": "",
                              "why": ""}]}],
    }
    for choice, points in (("order", 1.0), ("people", 1.0), ("economy", 0.0)):
        response = {"sides": [{"choice": choice, "words": []}, {"choice": None, "words": []}]}
        result = score_compare(question, response, {"x": TEXT})
        assert (result.points, result.max_points) == (points, 4.0)
        verdict = next(v for v in result.verdicts if v["type"] == "choice" and v["side"] == 0)
        assert [(f["id"], f["frame"], f["why"]) for f in verdict["accepted"]] == [
            ("order", "order", "bandits to destroy"), ("people", "", "a crowd met with force")]
    one = next(v for v in result.verdicts if v["type"] == "choice" and v["side"] == 1)
    assert [f["text"] for f in one["accepted"]] == ["Economy"]
