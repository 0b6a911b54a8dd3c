"""Steps through a lesson, what counts as answered, merging saved marks, excerpts shared
between questions (app/domain/progress.py): plain data, no app."""

from __future__ import annotations

import pytest

from app.domain.progress import (
    BadStep,
    answered_count,
    as_fields,
    clamp_position,
    excerpt_uses,
    known_marks,
    layout_of,
    merge,
    parse_step,
    question_state,
    shown_questions,
    step_name,
    target_step,
    unanswered,
)
from app.domain.responses import parse_submission

WORDS = {"id": "w", "kind": "loaded_terms", "excerpt": "a", "prompt": "Mark."}
FRAME = {"id": "f", "kind": "framing", "excerpt": "b", "prompt": "Frame?",
         "options": [{"id": "x"}, {"id": "y"}]}
SOURCES = {"id": "s", "kind": "sourcing", "excerpt": "a", "prompt": "Sources?"}
COMPARE = {"id": "c", "kind": "compare", "prompt": "Compare.", "options": [{"id": "x"}],
           "sides": [{"excerpt": "a"}, {"excerpt": "b"}]}
LESSON = [WORDS, FRAME, SOURCES, COMPARE]


def test_the_default_layout_is_one_question_at_a_time():
    assert layout_of(None) == "one" and layout_of("all") == "all"
    assert layout_of("sideways") == "one"


@pytest.mark.parametrize(("raw", "step"), [(None, None), ("", None), ("1", 1), ("4", 4),
                                           (" 2 ", 2), ("review", 5)])
def test_steps_are_question_numbers_or_the_review(raw, step):
    assert parse_step(raw, 4) == step


@pytest.mark.parametrize("raw", ["0", "5", "-1", "1.5", "abc", "٣", "99999", "reviews"])
def test_a_step_the_lesson_does_not_have_is_refused(raw):
    with pytest.raises(BadStep):
        parse_step(raw, 4)


def test_step_names_in_urls():
    assert step_name(3, 4) == "3" and step_name(5, 4) == "review"


@pytest.mark.parametrize(("go", "current", "target"), [
    ("next", 1, 2), ("next", 4, 5), ("next", 5, 5), ("back", 3, 2), ("back", 1, 1),
    ("stay", 3, 3), ("review", 2, 5), ("4", 1, 4),
])
def test_navigation(go, current, target):
    assert target_step(go, current, 4) == target


@pytest.mark.parametrize(("go", "current"), [("sideways", 1), ("9", 1), ("next", 0),
                                             ("next", 6)])
def test_navigation_that_no_button_sends(go, current):
    with pytest.raises(BadStep):
        target_step(go, current, 4)


def test_a_stored_position_is_kept_inside_the_lesson():
    assert clamp_position(0, 4) == 1 and clamp_position(4, 4) == 5
    assert clamp_position(12, 4) == 5 and clamp_position(-3, 4) == 1


def test_what_counts_as_answered():
    assert question_state(WORDS, {"words": [3]}) == ("answered", "")
    assert question_state(WORDS, None) == ("blank", "no words marked")
    assert question_state(SOURCES, {"sentences": []})[0] == "blank"
    assert question_state(FRAME, {"words": [1], "choice": None}) == ("partial", "no frame chosen")
    assert question_state(FRAME, {"words": [], "choice": "x"})[0] == "answered"
    assert question_state(COMPARE, {"sides": [{"choice": "x", "words": []},
                                              {"choice": None, "words": [2]}]}) == (
        "partial", "no frame chosen for excerpt B")
    assert question_state(COMPARE, {}) == ("blank", "no frames chosen")


def test_unanswered_lists_what_a_student_is_warned_about():
    marks = {"w": {"words": [1]}, "f": {"words": [2], "choice": None}}
    missing = unanswered(LESSON, marks)
    assert [(m.number, m.question_id, m.state) for m in missing] == [
        (2, "f", "partial"), (3, "s", "blank"), (4, "c", "blank")]
    assert answered_count(LESSON, marks) == 1


def test_a_save_replaces_only_the_questions_its_page_showed():
    saved = {"w": {"words": [1]}, "f": {"words": [], "choice": "x"}}
    # Page 2 showed "f" and sent nothing for it (every box unticked): it is cleared.
    assert merge(saved, {}, ["f"]) == {"w": {"words": [1]}}
    assert merge(saved, {"f": {"words": [4], "choice": "y"}}, ["f"]) == {
        "w": {"words": [1]}, "f": {"words": [4], "choice": "y"}}
    assert known_marks(LESSON, {"w": {}, "gone": {}}) == {"w": {}}


def test_shown_questions_must_be_the_lessons():
    assert shown_questions(LESSON, ["c", "w"]) == ["w", "c"]
    with pytest.raises(BadStep):
        shown_questions(LESSON, ["w", "nope"])


def test_marks_as_form_fields_read_back_as_the_same_responses():
    texts = {"a": "One two three four.", "b": "Five six seven."}
    marks = {"w": {"words": [0, 2]}, "f": {"words": [1], "choice": "y"},
             "s": {"sentences": [0]},
             "c": {"sides": [{"choice": "x", "words": [3]}, {"choice": None, "words": []}]}}
    fields = as_fields(LESSON, marks)
    assert ("w.w", "0") in fields and ("c.0.choice", "x") in fields
    values: dict[str, list[str]] = {}
    for name, value in fields:
        values.setdefault(name, []).append(value)
    parsed = parse_submission(LESSON, texts, list(values), lambda name: values.get(name, []))
    assert parsed == marks


def test_an_excerpt_is_printed_by_its_first_question_only():
    uses = excerpt_uses(LESSON)
    assert set(uses) == {("s", None), ("c", 0), ("c", 1)}
    assert uses[("s", None)].describe() == "question 1"
    assert uses[("c", 1)].describe() == "question 2" and uses[("c", 1)].question_id == "f"
    same_text = {**COMPARE, "sides": [{"excerpt": "z"}, {"excerpt": "z"}]}
    assert excerpt_uses([same_text])[("c", 1)].describe() == "excerpt A of question 1"
