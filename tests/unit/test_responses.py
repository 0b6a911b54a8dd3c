"""Reading the quiz form: tampered, stale and empty submissions are refused clearly."""

from __future__ import annotations

import pytest

from app.domain.responses import BadResponse, parse_submission, salvage

EXCERPTS = {"x": "Gangs stormed the square. Officials said so. It rained."}
QUESTIONS = [
    {"id": "q1", "kind": "loaded_terms", "excerpt": "x", "phrases": [], "controls": []},
    {"id": "q2", "kind": "framing", "excerpt": "x", "signals": [],
     "options": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
    {"id": "q3", "kind": "sourcing", "excerpt": "x", "gaps": []},
]
IGNORED = frozenset({"csrf_token", "submission"})


def parse(form: dict[str, list[str]]):
    return parse_submission(QUESTIONS, EXCERPTS, list(form), lambda key: form.get(key, []),
                            IGNORED)


def test_a_normal_form_becomes_one_response_per_question():
    responses = parse({"q1.w": ["0", "1", "1"], "q2.choice": ["b"], "q3.s": ["1"],
                       "csrf_token": ["t"]})
    assert responses == {"q1": {"words": [0, 1]}, "q2": {"words": [], "choice": "b"},
                         "q3": {"sentences": [1]}}


@pytest.mark.parametrize("value", ["-1", "9", "99999999999999", "1.5", "x", "", "٣", "1e3"])
def test_tampered_word_indices_are_refused(value):
    with pytest.raises(BadResponse, match="marked word"):
        parse({"q1.w": [value]})


def test_out_of_range_sentence_is_refused():
    with pytest.raises(BadResponse, match="sentence is not in this excerpt"):
        parse({"q3.s": ["3"]})


@pytest.mark.parametrize("choices", [["z"], ["a", "b"]])
def test_unknown_or_several_frame_choices_are_refused(choices):
    with pytest.raises(BadResponse):
        parse({"q2.choice": choices})


def test_a_field_for_a_question_not_in_the_lesson_is_refused():
    with pytest.raises(BadResponse, match="not in this lesson"):
        parse({"q9.w": ["0"]})


def test_an_empty_submission_is_refused():
    with pytest.raises(BadResponse, match="not marked or chosen anything"):
        parse({"csrf_token": ["t"], "q2.choice": [""]})


def test_salvage_keeps_every_valid_mark_of_a_rejected_form():
    form = {"q1.w": ["0", "99", "x", "2"], "q2.choice": ["zz", "c"], "q3.s": ["1", "7"]}
    kept = salvage(QUESTIONS, EXCERPTS, lambda key: form.get(key, []))
    assert kept == {"q1": {"words": [0, 2]}, "q2": {"words": [], "choice": "c"},
                    "q3": {"sentences": [1]}}
