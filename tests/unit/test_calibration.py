"""Calibration arithmetic, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from app.domain.calibration import (
    MISSED,
    WRONG_FRAME,
    WRONG_MARK,
    WRONG_VERDICT,
    RatedAnswer,
    by_level,
    confident_but_wrong,
    item_names,
    slips_of,
    student_note,
)
from app.domain.calibration_chart import accuracy_svg, describe_levels

FOUND_GANGS = {"type": "found", "text": "gangs", "words": [1]}
MISSED_TERRORISTS = {"type": "missed", "text": "terrorists", "words": [5]}
WRONG_WHEN = {"type": "wrong", "text": "when", "words": [0]}
WRONG_ORDER = {"type": "choice", "chosen": "order", "chosen_text": "Order restored",
               "right": False}
NO_FRAME = {"type": "choice", "chosen": None, "chosen_text": None, "right": False}

ANSWERS = [
    # student, question, rating, points of max, verdicts           percent
    RatedAnswer(1, "words", 4, 2.0, 2.0, [FOUND_GANGS]),            # 100
    RatedAnswer(2, "words", 4, 0.5, 2.0,                            # 25
                [FOUND_GANGS, MISSED_TERRORISTS, WRONG_WHEN]),
    RatedAnswer(1, "frame", 1, 0.0, 1.0, [WRONG_ORDER]),            # 0 (a guess: no slip)
    RatedAnswer(3, "frame", 3, 1.0, 1.0, [{"type": "choice", "chosen": "people",
                                           "right": True}]),        # 100
    RatedAnswer(3, "words", 2, 1.0, 2.0, [MISSED_TERRORISTS]),      # 50 (unsure: no slip)
    RatedAnswer(2, "none", 2, 0.0, 0.0, [MISSED_TERRORISTS]),       # worth nothing: left out
]


def test_each_rating_gets_its_answers_students_and_mean_score():
    levels = by_level(ANSWERS)
    assert [(lv.label, lv.answers, lv.students) for lv in levels] == [
        ("Guessing", 1, 1), ("Unsure", 1, 1), ("Fairly sure", 1, 1), ("Certain", 2, 2)]
    assert [lv.mean_percent for lv in levels] == [0.0, 50.0, 100.0, 62.5]  # (100 + 25) / 2


def test_the_mean_weighs_every_answer_once_whatever_its_question_is_worth():
    # 1 of 1 (100 %) and 1 of 4 (25 %): the mean of the percentages is 62.5, not 2 / 5 = 40.
    levels = by_level([RatedAnswer(1, "a", 3, 1, 1), RatedAnswer(1, "b", 3, 1, 4)])
    assert levels[2].mean_percent == 62.5 and levels[2].students == 1


def test_a_rating_nobody_gave_has_no_mean():
    levels = by_level([RatedAnswer(1, "a", 4, 1, 2)])
    assert [lv.mean_percent for lv in levels] == [None, None, None, 50.0]
    assert by_level([])[0].answers == 0


def test_slips_are_misses_wrong_marks_and_wrong_choices_only():
    verdicts = [FOUND_GANGS, MISSED_TERRORISTS, WRONG_WHEN, WRONG_ORDER, NO_FRAME,
                {"type": "partial", "text": "gangs of", "words": [1, 2], "marked": [1]},
                {"type": "debatable", "text": "mob"}, {"type": "aside", "text": "of"},
                {"type": "verdict", "chosen": "supported", "right": False},
                {"type": "verdict", "chosen": None, "right": False},
                {"type": "missed", "card": "c1", "credit": 0},
                {"type": "wrong", "ref": "c2#f1", "card": "c2"}]
    names = {"c1": "Timeline", "c2#f1": "Troops arrived on 6 January."}
    assert slips_of(verdicts, names) == [
        (MISSED, "terrorists"), (WRONG_MARK, "when"), (WRONG_FRAME, "Order restored"),
        (MISSED, "gangs of"), (WRONG_VERDICT, "Supported by these sources"),
        (MISSED, "Timeline"), (WRONG_MARK, "Troops arrived on 6 January.")]


def test_confident_but_wrong_groups_by_item_and_ranks_by_students():
    answers = [
        *ANSWERS,
        # Student 1 again, twice sure of the words question and missing "terrorists".
        RatedAnswer(1, "words", 3, 1.0, 2.0, [FOUND_GANGS, MISSED_TERRORISTS]),
        RatedAnswer(1, "words", 4, 1.0, 2.0, [MISSED_TERRORISTS, MISSED_TERRORISTS]),
        # Student 3 sure of a wrong frame; "when" marked by student 4.
        RatedAnswer(3, "frame", 4, 0.0, 1.0, [WRONG_ORDER]),
        RatedAnswer(4, "words", 3, 1.5, 2.0, [WRONG_WHEN]),
    ]
    slips = confident_but_wrong(answers, order=["words", "frame"])
    got = [(s.question_id, s.what, s.text, len(s.students), s.answers) for s in slips]
    assert got == [
        # Students 2 and 1 (three answers: a student counts once, an answer once).
        ("words", MISSED, "terrorists", 2, 3),
        # Students 2 and 4.
        ("words", WRONG_MARK, "when", 2, 2),
        # Student 3 only; student 1's wrong frame was a guess.
        ("frame", WRONG_FRAME, "Order restored", 1, 1),
    ]


def test_question_order_breaks_ties():
    answers = [RatedAnswer(1, "b", 4, 0, 1, [MISSED_TERRORISTS]),
               RatedAnswer(1, "a", 4, 0, 1, [WRONG_WHEN])]
    assert [s.question_id for s in confident_but_wrong(answers, order=["a", "b"])] == ["a", "b"]
    assert [s.question_id for s in confident_but_wrong(answers, order=["b", "a"])] == ["b", "a"]


def test_item_names_come_from_the_lessons_cards():
    content = {"cards": {"c1": {"title": "Timeline", "facts": [{"id": "f1", "text": "A."}]}}}
    assert item_names(content) == {"c1": "Timeline", "c1#f1": "A."}
    assert item_names({}) == {}


def test_the_students_note_compares_sure_and_unsure_answers():
    sure = [RatedAnswer(1, "a", 4, 1, 1), RatedAnswer(1, "b", 3, 1, 2)]      # 100, 50 -> 75
    unsure = [RatedAnswer(1, "c", 1, 0, 1), RatedAnswer(1, "d", 2, 1, 4)]    # 0, 25 -> 12.5
    note = student_note(sure + unsure)
    assert note is not None
    assert "“Certain” you scored 75% on average" in note
    assert "“Unsure”, 13%." in note  # 12.5 rounds half up
    assert note.endswith("Being sure went with doing better.")
    flipped = student_note([RatedAnswer(1, "a", 4, 0, 1), RatedAnswer(1, "b", 4, 1, 2),
                            RatedAnswer(1, "c", 1, 1, 1), RatedAnswer(1, "d", 2, 1, 2)])
    assert flipped is not None and "did not go with doing clearly better" in flipped


@pytest.mark.parametrize("answers", [
    [RatedAnswer(1, "a", 4, 1, 1)] * 3,                       # too few
    [RatedAnswer(1, "a", 4, 1, 1)] * 5,                       # only sure answers
    [RatedAnswer(1, "a", 4, 1, 1)] * 2 + [RatedAnswer(1, "b", 1, 0, 0)] * 3,  # worth nothing
])
def test_no_note_without_enough_to_compare(answers):
    assert student_note(answers) is None


def test_the_chart_says_in_words_what_its_bars_show():
    levels = by_level(ANSWERS)
    assert describe_levels(levels) == (
        "Mean score by how sure students said they were. Guessing: 0% mean score over "
        "1 answer; Unsure: 50% mean score over 1 answer; Fairly sure: 100% mean score over "
        "1 answer; Certain: 63% mean score over 2 answers.")
    svg = str(accuracy_svg(levels, title="Sure <and> right", chart_id="c 1"))
    assert 'role="img"' in svg and 'aria-labelledby="c-1-title c-1-desc"' in svg
    assert "Sure &lt;and&gt; right" in svg and "<and>" not in svg
    assert svg.count("<rect") == 3  # 0 % draws no bar; the other three do
    assert ">63%</text>" in svg and ">2 answers</text>" in svg
    empty = str(accuracy_svg(by_level([]), title="t"))
    # Each rating says it in the description, its tooltip and its label: 4 × 3.
    assert empty.count("no answers") == 12 and "<rect" not in empty
