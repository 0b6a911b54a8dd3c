"""A careful student's answer scores 100% with nothing missed, on every shipped question.

This is the quiz round trip in pure Python for the whole library: the answer built from
each compiled key (app.domain.answers) is scored by the same scorers the quiz uses.
"""

from __future__ import annotations

import pytest

from app.domain.answers import perfect_response, perfect_responses
from app.domain.scoring import score_question

NOT_PERFECT = {"missed", "partial", "wrong"}


@pytest.fixture(scope="module")
def shipped(shipped_library):
    return shipped_library


def _texts(lesson):
    return {excerpt["id"]: excerpt["text"] for excerpt in lesson["excerpts"]}


def test_a_perfect_answer_to_every_shipped_question_scores_full_marks(shipped):
    checked = 0
    for lesson in shipped.lessons.values():
        texts = _texts(lesson)
        for question in lesson["questions"]:
            result = score_question(question, perfect_response(question), texts)
            where = f"{lesson['slug']}/{question['id']}"
            assert result.points == result.max_points > 0, where
            assert not [v for v in result.verdicts if v["type"] in NOT_PERFECT], where
            assert all(v.get("right", True) for v in result.verdicts), where
            checked += 1
    assert checked >= 60


def test_perfect_responses_answer_every_question_of_a_lesson(shipped):
    lesson = next(iter(shipped.lessons.values()))
    assert set(perfect_responses(lesson)) == {q["id"] for q in lesson["questions"]}


def test_the_perfect_answer_of_each_new_kind_is_the_key():
    verify = {"kind": "verify", "verdict": "contradicted",
              "cards": [{"id": "a", "decides": True}, {"id": "b", "decides": False},
                        {"id": "c", "decides": True}]}
    omission = {"kind": "omission", "facts": [{"ref": "t#x", "role": "omitted"},
                                              {"ref": "t#y", "role": "stated"},
                                              {"ref": "t#z", "role": "unrelated"}]}
    assert perfect_response(verify) == {"verdict": "contradicted", "cards": ["a", "c"]}
    assert perfect_response(omission) == {"facts": ["t#x"]}
    with pytest.raises(ValueError):
        perfect_response({"kind": "essay"})
