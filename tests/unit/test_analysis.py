"""Class results arithmetic, checked against values worked out by hand."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import analysis
from app.domain.analysis import (
    Column,
    Submission,
    build_gradebook,
    column_averages,
    counting_attempt,
    discrimination_index,
    facility_index,
    gradebook_cell,
    item_analysis,
    parse_sort,
    phrase_shares,
    response_text,
    score_distribution,
    sort_gradebook,
    wrong_words,
)
from app.domain.charts import describe_distribution, distribution_svg
from app.domain.grading import Scored, grade
from tests.unit.stored_answers import Answer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- facility and discrimination (Moodle's definitions) ---------------------------------

def test_facility_is_the_mean_score_as_a_percentage_of_the_maximum():
    # (2 + 1 + 0) / 3 = 1 point on average, of 2: 50 %.
    assert facility_index([2, 1, 0], [2, 2, 2]) == pytest.approx(50.0)
    assert facility_index([0.5, 0.5], [1, 1]) == pytest.approx(50.0)
    assert facility_index([], []) is None


def test_facility_uses_each_attempts_maximum_when_the_key_changed():
    # 1 of 2 and 3 of 3: 4 points of 5 possible.
    assert facility_index([1, 3], [2, 3]) == pytest.approx(80.0)


def test_discrimination_is_100_times_the_correlation_with_the_rest_of_the_quiz():
    # question 1,0,1,0 (mean .5); rest 3,1,2,2 (mean 2).
    # deviations .5,-.5,.5,-.5 and 1,-1,0,0: covariance sum 1, sums of squares 1 and 2,
    # r = 1 / sqrt(2) = 0.7071.
    assert discrimination_index([1, 0, 1, 0], [3, 1, 2, 2]) == pytest.approx(70.7107, abs=1e-3)
    assert discrimination_index([0, 1], [1, 0]) == pytest.approx(-100.0)
    assert discrimination_index([0, 1, 2], [0, 2, 4]) == pytest.approx(100.0)


@pytest.mark.parametrize(("question", "rest"), [
    ([1, 1, 1], [0, 1, 2]),   # everyone scored the same on the question
    ([0, 1, 2], [3, 3, 3]),   # ... or on the rest of the quiz
    ([1], [2]),               # one student: no correlation
    ([], []),
])
def test_discrimination_is_undefined_without_variance(question, rest):
    assert discrimination_index(question, rest) is None


def test_discrimination_needs_paired_scores():
    with pytest.raises(ValueError):
        discrimination_index([1, 2], [1])


def test_item_analysis_of_a_small_class_matches_the_hand_computation():
    # Two questions (1 and 2 points); three students:
    #   A: 1 + 2 = 3    B: 0 + 1 = 1    C: 1 + 1 = 2
    # q1 facility (1+0+1)/3 of 1 = 66.7 %; q2 (2+1+1)/3 of 2 = 66.7 %.
    # q1 against the rest (q2): 1,0,1 vs 2,1,1. Deviations 1/3,-2/3,1/3 and 2/3,-1/3,-1/3:
    # covariance sum 1/3, sums of squares 2/3 and 2/3, r = 0.5 -> 50. q2 is symmetric.
    submissions = [
        Submission("A", [Answer("q1", 1, 1), Answer("q2", 2, 2, "sourcing")], {}),
        Submission("B", [Answer("q1", 0, 1), Answer("q2", 1, 2, "sourcing")], {}),
        Submission("C", [Answer("q1", 1, 1), Answer("q2", 1, 2, "sourcing")], {}),
    ]
    q1, q2 = item_analysis(submissions)
    assert (q1.question_id, q1.kind, q1.students) == ("q1", "loaded_terms", 3)
    assert q1.facility == pytest.approx(200 / 3)
    assert q2.facility == pytest.approx(200 / 3)
    assert q1.discrimination == pytest.approx(50.0)
    assert q2.discrimination == pytest.approx(50.0)
    assert (q2.mean_points, q2.max_points) == (pytest.approx(4 / 3), 2)


def test_item_analysis_skips_a_question_a_version_did_not_have():
    submissions = [
        Submission("A", [Answer("q1", 1, 1), Answer("new", 1, 1)], {}),
        Submission("B", [Answer("q1", 0, 1)], {}),
    ]
    q1, new = item_analysis(submissions)
    assert (q1.students, new.students) == (2, 1)
    assert new.discrimination is None


# --- which attempt counts ----------------------------------------------------------------

ATTEMPTS = [Scored(T0 + timedelta(hours=2), 6, 10), Scored(T0, 5, 10),
            Scored(T0 + timedelta(hours=1), 8, 10), Scored(T0 + timedelta(hours=3), 8, 10)]


@pytest.mark.parametrize(("method", "index"), [
    ("first", 1), ("last", 3), ("average", 3),
    ("highest", 2),  # 8 twice: the earlier one, as grade() takes it
])
def test_the_counting_attempt_follows_the_grading_method(method, index):
    assert counting_attempt(ATTEMPTS, method) == index


def test_no_attempts_count_for_nothing_and_unknown_methods_are_errors():
    assert counting_attempt([], "highest") is None
    with pytest.raises(ValueError):
        counting_attempt(ATTEMPTS, "median")


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 10), st.booleans()),
                min_size=1, max_size=6),
       st.sampled_from(["highest", "first", "last"]))
def test_the_counting_attempt_is_the_one_grade_uses(raw, method):
    attempts = [Scored(T0 + timedelta(minutes=minute), score, 10, late)
                for minute, score, late in raw]
    chosen = attempts[counting_attempt(attempts, method)]
    result = grade(attempts, method)
    assert result.percent == round(chosen.percent, 1)
    assert result.late == chosen.late


# --- gradebook ---------------------------------------------------------------------------

def in_gradebook_order(attempts):
    """``(student, column key) -> [Scored]`` as the rows :func:`build_gradebook` reads:
    ``(student, key, score, max_score, late)`` by student, column and submission time
    (ties in time keep the order given, as :func:`grade`'s stable sort does)."""
    rows = [(student, key, a.submitted_at, n, a.score, a.max_score, a.late)
            for (student, key), group in attempts.items() for n, a in enumerate(group)]
    return [(student, key, score, most, late)
            for student, key, _, _, score, most, late in sorted(rows, key=lambda r: r[:4])]


def _book(now=T0 + timedelta(days=2)):
    columns = [Column(1, "highest", due_at=T0 + timedelta(days=1)),
               Column(2, "average", due_at=None)]
    attempts = {
        ("b", 1): [Scored(T0 + timedelta(hours=1), 9, 10), Scored(T0, 4, 10)],
        ("c", 1): [Scored(T0 + timedelta(days=3), 5, 10, late=True)],
        ("a", 2): [Scored(T0, 5, 10), Scored(T0 + timedelta(hours=1), 10, 10)],
    }
    return build_gradebook([("a", "Ann"), ("b", "ben"), ("c", "Cat")], columns,
                           in_gradebook_order(attempts), now)


def test_gradebook_cells_grade_by_method_and_say_late_and_missing():
    ann, ben, cat = _book()
    assert ann.cells[0].percent is None and ann.cells[0].status == "missing"  # overdue
    assert ben.cells[0].percent == 90.0 and ben.cells[0].grade.attempts == 2
    assert cat.cells[0].percent == 50.0 and cat.cells[0].status == "late"
    assert ann.cells[1].percent == 75.0  # average of 50 and 100
    assert ben.cells[1].status == ""  # no due date: never missing
    assert (ann.percents, ann.attempts, ann.late) == ((None, 75.0), (0, 2), (False, False))


def test_nothing_is_missing_before_the_due_date():
    ann, _, _ = _book(now=T0)
    assert ann.cells[0].status == ""


def test_gradebook_sorts_by_name_or_grade_with_the_ungraded_last():
    rows = _book()
    assert [r.name for r in sort_gradebook(rows, None, False)] == ["Ann", "ben", "Cat"]
    assert [r.name for r in sort_gradebook(rows, None, True)] == ["Cat", "ben", "Ann"]
    assert [r.name for r in sort_gradebook(rows, 0, False)] == ["Cat", "ben", "Ann"]
    assert [r.name for r in sort_gradebook(rows, 0, True)] == ["ben", "Cat", "Ann"]


def test_column_averages_count_only_the_students_with_a_grade():
    rows = _book()
    assert column_averages(rows, 2) == [70.0, 75.0]  # (90 + 50) / 2; Ann's 75 alone
    assert column_averages(rows[:1], 2) == [None, 75.0]
    assert column_averages([], 2) == [None, None]


def test_attempts_outside_the_gradebook_are_ignored():
    columns = [Column("x", "last")]
    rows = build_gradebook([("a", "Ann")], columns, [
        ("a", "gone", 1, 10, False),      # a column not in the gradebook
        ("a", "x", 3, 10, False), ("a", "x", 4, 10, True),
        ("z", "x", 10, 10, False), ("z", "x", 9, 10, False)], T0)  # not enrolled
    assert [(r.name, r.percents, r.attempts, r.late) for r in rows] == \
        [("Ann", (40.0,), (2,), (True,))]


def test_attempts_out_of_order_are_an_error_not_a_wrong_grade():
    columns = [Column("x", "highest"), Column("y", "highest")]
    with pytest.raises(ValueError, match="not together"):
        build_gradebook([("a", "Ann")], columns, [
            ("a", "x", 1, 10, False), ("a", "y", 2, 10, False), ("a", "x", 9, 10, False)],
            T0)


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 2), st.integers(0, 3),
                          st.integers(0, 12), st.sampled_from([0, 3, 12]), st.booleans()),
                max_size=25),
       st.lists(st.sampled_from(["highest", "first", "last", "average"]),
                min_size=3, max_size=3),
       st.lists(st.sampled_from([None, -1, 1]), min_size=3, max_size=3))
def test_the_gradebook_grades_every_cell_as_grade_does(raw, methods, dues):
    """Whatever the attempts (repeated, tied in time, out of points, late), each cell is
    what :func:`gradebook_cell`, i.e. :func:`grade`, makes of that student's attempts."""
    now = T0 + timedelta(days=1)
    columns = [Column(f"k{n}", method, None if due is None else now + timedelta(days=due))
               for n, (method, due) in enumerate(zip(methods, dues, strict=True))]
    attempts = {}
    for student, column, minute, score, most, late in raw:
        attempts.setdefault((student, f"k{column}"), []).append(
            Scored(T0 + timedelta(minutes=minute), score, most, late))
    students = [("a", "Ann"), ("b", "Ben"), ("c", "Cat")]
    rows = build_gradebook(students, columns, in_gradebook_order(attempts), now)
    for row in rows:
        assert row.cells == tuple(
            gradebook_cell(attempts.get((row.student_id, column.key), []), column, now)
            for column in columns)


def test_sort_parameters_are_checked():
    assert parse_sort(None, None, ["a1"]) == (None, False)
    assert parse_sort("a1", "desc", ["a0", "a1"]) == (1, True)
    for sort, direction in (("a9", "asc"), ("student", "sideways"), ("name", None)):
        with pytest.raises(ValueError):
            parse_sort(sort, direction, ["a1"])


# --- distribution ------------------------------------------------------------------------

def test_distribution_counts_ten_bands_with_100_in_the_last():
    bands = score_distribution([0, 9.9, 10, 55, 100, 99.9, 90, -3, 120])
    assert [b.count for b in bands] == [3, 1, 0, 0, 0, 1, 0, 0, 0, 4]
    assert (bands[0].label, bands[9].label) == ("0–10%", "90–100%")
    assert sum(b.count for b in score_distribution([])) == 0


def test_the_chart_is_valid_svg_with_a_title_a_description_and_text_labels():
    bands = score_distribution([15, 15, 72])
    svg = str(distribution_svg(bands, title="Grades on <script>alert(1)</script> & co",
                               chart_id='x" onload="evil'))
    tree = ET.fromstring(svg)  # well-formed XML
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert tree.get("role") == "img"
    title_id, desc_id = tree.get("aria-labelledby").split()
    assert tree.find("svg:title", ns).get("id") == title_id
    assert tree.find("svg:title", ns).text == "Grades on <script>alert(1)</script> & co"
    assert "10–20%: 2" in tree.find("svg:desc", ns).text
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'onload="evil' not in svg
    labels = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    assert "2" in labels and "1" in labels and "70–80%" in labels
    assert "Number of students" in labels


def test_the_description_reads_every_band():
    text = describe_distribution(score_distribution([100]))
    assert text.startswith("1 student in ten score bands.")
    assert "90–100%: 1" in text and "0–10%: 0" in text


# --- key phrases and wrong words ----------------------------------------------------------

def _phrase(kind, text, words, marked, **extra):
    return {"type": kind, "text": text, "words": words, "marked": marked, **extra}


def test_phrase_shares_count_found_and_partly_found_most_missed_first():
    def student(name, gangs, mob):
        return Submission(name, [Answer("q", 0, 2, verdicts=[
            _phrase(gangs, "gangs", [3], [3] if gangs == "found" else []),
            _phrase(mob, "mob attacks", [7, 8], {"found": [7, 8], "partial": [7]}.get(mob, [])),
            {"type": "wrong", "text": "The", "words": [0], "penalty": 0.5},
        ])], {})

    shares = phrase_shares([student("a", "found", "partial"), student("b", "found", "missed"),
                            student("c", "missed", "missed")])
    mob, gangs = shares
    assert (mob.text, mob.students, mob.found, mob.partial, mob.missed) == \
        ("mob attacks", 3, 0, 1, 2)
    assert (gangs.found, gangs.found_percent) == (2, pytest.approx(200 / 3))


def test_sourcing_gaps_and_compare_sides_are_key_items_too():
    verdicts = [{"type": "missed", "text": "Some observers say it works.", "phrase":
                 "Some observers say", "sentence": 2, "reason": "vague_attribution"},
                {"type": "choice", "right": True},
                {"type": "found", "text": "mob", "words": [4], "marked": [4], "side": 1}]
    gap, term = phrase_shares([Submission("a", [Answer("q", 1, 2, "compare", verdicts)], {})])
    assert (gap.text, gap.sentence, gap.side) == ("Some observers say",
                                                 "Some observers say it works.", None)
    assert (term.text, term.side, term.found) == ("mob", 1, 1)


CONTENT = {
    "excerpts": [{"id": "e1", "text": "The Mob and the mob."},
                 {"id": "e2", "text": "the people"}],
    "questions": [{"id": "q", "kind": "loaded_terms", "excerpt": "e1"},
                  {"id": "c", "kind": "compare", "sides": [{"excerpt": "e1"},
                                                           {"excerpt": "e2"}]}],
}


def test_wrong_words_are_grouped_by_text_within_an_excerpt():
    def wrong(*indices, side=None):
        verdict = {"type": "wrong", "text": "…", "words": list(indices), "penalty": 0.5}
        return verdict | ({"side": side} if side is not None else {})

    first = Submission("ann", [Answer("q", 0, 1, verdicts=[wrong(0, 3)]),
                               Answer("c", 0, 1, "compare", [wrong(0, side=1)])], CONTENT)
    second = Submission("ben", [Answer("q", 0, 1, verdicts=[wrong(3), wrong(2)])], CONTENT)
    sourcing = Submission("cat", [Answer("q", 0, 1, "sourcing", [
        {"type": "wrong", "text": "The Mob and the mob.", "sentence": 0, "penalty": 1}])],
        CONTENT)
    found = wrong_words([first, second, sourcing])
    assert [(w.excerpt, w.word, w.marks, w.students) for w in found] == [
        ("e1", "The", 3, 2),   # "The" and "the": one word, marked 3 times by 2 students
        ("e1", "and", 1, 1),
        ("e2", "the", 1, 1),   # the same word in another excerpt is counted apart
    ]


def test_excerpt_of_finds_a_question_or_a_compare_side():
    assert analysis.excerpt_of(CONTENT, "q", None) == "e1"
    assert analysis.excerpt_of(CONTENT, "c", 1) == "e2"
    assert analysis.excerpt_of(CONTENT, "c", None) is None
    assert analysis.excerpt_of(CONTENT, "gone", None) is None


def test_responses_in_words_for_the_csv():
    texts = {"e1": "The Mob and the mob. It ran.", "e2": "the people"}
    marked = {"id": "q", "kind": "framing", "excerpt": "e1",
              "options": [{"id": "a", "text": "Order"}, {"id": "b", "text": "People"}]}
    assert response_text(marked, {"words": [1, 2, 4], "choice": "b"}, texts) == \
        ("Mob and; mob", "People")
    sourcing = {"id": "s", "kind": "sourcing", "excerpt": "e1"}
    assert response_text(sourcing, {"sentences": [0, 1]}, texts) == \
        ("The Mob and the mob. | It ran.", "")
    compare = {"id": "c", "kind": "compare", "options": marked["options"],
               "sides": [{"excerpt": "e1"}, {"excerpt": "e2"}]}
    sides = {"sides": [{"choice": "a", "words": [4]}, {"choice": None, "words": [1]}]}
    assert response_text(compare, sides, texts) == ("A: mob / B: people", "A: Order / B: ")


def test_nothing_submitted_gives_nothing_to_analyse():
    assert item_analysis([]) == [] and phrase_shares([]) == [] and wrong_words([]) == []
    assert math.isclose(sum(b.count for b in score_distribution([50.0])), 1)
