"""A class's discernment: per student, the class summary, per technique, words, chart.

Hand computations (z from a normal table, four decimals), with the log-linear correction:
* ann: 3 of 4 found, 1 of 9 neutral marked: d′ = 1.5608, c = 0.2560 (see
  test_discernment.py).
* ben: 4 of 4 found, 8 of 9 marked: H = 4.5/5 = 0.90, z = 1.2816; F = 8.5/10 = 0.85,
  z = 1.0364; d′ = 0.2452; c = -1.1590.
* class mean d′ = (1.5608 + 0.2452) / 2 = 0.9030; SD = |1.5608 - 0.2452| / √2 = 0.9303.
* pooled: 7 of 8 found, 9 of 18 marked.
"""

from __future__ import annotations

import random
from statistics import fmean

import pytest

from app.domain.discernment import add_counts, detection_counts, measure, overall
from app.domain.discernment_chart import describe_points, discernment_svg
from app.domain.discernment_report import (
    class_report,
    teacher_reading,
    technique_phrase,
    technique_words,
    true_criterion,
    true_d_prime,
)

ANN = {"signal": {"loaded:people": [2, 2], "loaded:events": [2, 1]}, "noise": {"loaded": [9, 1]}}
BEN = {"signal": {"loaded:people": [2, 2], "sourcing:vague_attribution": [2, 2]},
       "noise": {"loaded": [5, 4], "sourcing": [4, 4]}}


def test_the_class_report_matches_the_hand_computation() -> None:
    report = class_report([(1, "ann"), (2, "ben"), (3, "cy")], {1: ANN, 2: BEN})
    ann, ben, cy = report.students
    assert ann.measure.d_prime == pytest.approx(1.5608, abs=1e-4)
    assert ben.measure.d_prime == pytest.approx(0.2452, abs=1e-4)
    assert ben.measure.criterion == pytest.approx(-1.1590, abs=1e-4)
    assert cy.measure is None and cy.reading == "no marking answers yet"
    assert [line.name for line in report.measured] == ["ann", "ben"]
    assert report.d_prime.mean == pytest.approx(0.9030, abs=1e-4)
    assert report.d_prime.sd == pytest.approx(0.9303, abs=1e-4)
    assert report.criterion.mean == pytest.approx((0.2560 - 1.1590) / 2, abs=1e-4)
    pooled = report.pooled
    assert (pooled.hits, pooled.signal, pooled.false_alarms, pooled.noise) == (7, 8, 9, 18)


def test_techniques_and_families_count_the_students_who_met_them() -> None:
    report = class_report([(1, "ann"), (2, "ben")], {1: ANN, 2: BEN})
    techniques = {line.key: line for line in report.techniques}
    assert list(techniques) == ["loaded:people", "loaded:events",
                                "sourcing:vague_attribution"]
    people = techniques["loaded:people"]
    assert (people.measure.hits, people.measure.signal, people.students) == (4, 4, 2)
    # Loaded noise pooled: 1 of 9 (ann) + 4 of 5 (ben).
    assert (people.measure.false_alarms, people.measure.noise) == (5, 14)
    assert techniques["loaded:events"].students == 1
    families = {line.key: line for line in report.families}
    assert families["loaded"].students == 2 and families["sourcing"].students == 1
    assert families["loaded"].label == "Loaded language"


def test_no_students_or_no_answers_give_an_empty_report() -> None:
    report = class_report([], {})
    assert report.pooled is None and report.d_prime is None and report.techniques == []
    lonely = class_report([(1, "ann")], {1: ANN})
    assert lonely.d_prime.sd is None and lonely.d_prime.mean == lonely.students[0].measure.d_prime


def test_the_teacher_reading_names_discernment_and_how_freely_one_marks() -> None:
    assert teacher_reading(None) == "no marking answers yet"
    assert teacher_reading(measure(9, 10, 2, 100)) == "tells them apart well"
    assert teacher_reading(measure(9, 10, 50, 100)) == "tells them apart somewhat, marks freely"
    assert teacher_reading(measure(2, 10, 1, 100)) == "tells them apart somewhat, careful"
    assert teacher_reading(measure(5, 10, 50, 100)) == "does not yet tell them apart"


def test_a_student_hears_per_technique_only_with_enough_items() -> None:
    counts = {"signal": {"loaded:people": [10, 8], "sourcing:vague_attribution": [6, 2],
                        "loaded:events": [4, 0]},
              "noise": {"loaded": [100, 5], "sourcing": [20, 1]}}
    assert technique_words(counts) == [
        "Loaded words for the people in the streets: you found 8 of 10.",
        "Sourcing: vague attribution: you found 2 of 6.",
        "You find loaded words for the people in the streets more often than sourcing "
        "gaps (vague attribution)."]
    close = {"signal": {"loaded:people": [10, 8], "signals": [10, 7]},
             "noise": {"loaded": [50, 1], "signals": [50, 1]}}
    assert len(technique_words(close)) == 2  # 80% against 70%: no comparison
    assert technique_words(None) == []
    assert technique_phrase("signals") == "framing signals"


def test_true_rates_give_the_textbook_d_prime() -> None:
    assert true_d_prime(0.8, 0.1) == pytest.approx(0.8416 + 1.2816, abs=1e-4)
    assert true_d_prime(0.9, 0.5) == pytest.approx(1.2816, abs=1e-4)
    assert true_criterion(0.9, 0.5) == pytest.approx(-0.6408, abs=1e-4)


def test_the_chart_plots_one_unnamed_point_per_student_with_the_chance_line() -> None:
    points = [measure(3, 4, 1, 9), measure(4, 4, 8, 9)]
    svg = str(discernment_svg(points, title="Class <9b>", pooled=measure(7, 8, 9, 18)))
    assert svg.count("<circle") == 2
    assert 'role="img"' in svg and "<title id=\"discernment-title\">Class &lt;9b&gt;" in svg
    assert 'stroke-dasharray="6 4"' in svg  # the chance diagonal
    assert "Loaded items found (hit rate)" in svg and "false-alarm rate" in svg
    # ann at (11%, 75%) on a 272-unit square: x = 64 + 272 × 1/9, y = 20 + 272 × 0.25.
    assert 'cx="94.2" cy="88.0"' in svg
    words = describe_points(points)
    assert "2 students" in words and "2 above the chance line, 0 on it, 0 below it" in words
    assert "no points" in describe_points([])


def test_a_simulated_class_recovers_its_set_rates_without_a_database(shipped_library) -> None:
    """25 students answer every shipped lesson, marking each signal item with probability
    h and each noise item with f (tests.web.bulk_builders.simulated_responses).

    Tolerance from the number of items: a student meets 268 signal and ~3,800 noise items,
    the class 6,700 and ~96,000. Pooled rates: SE ≤ √(0.25/6700) = 0.006, so ±0.02 is more
    than three SE. A student's d′: SE ≈ √(h(1−h)/(n φ(z_h)²) + f(1−f)/(m φ(z_f)²)) ≤ 0.15,
    so the mean of 25 has SE ≤ 0.03 and ±0.15 allows five SE plus the correction's small
    pull towards 0."""
    from tests.web.bulk_builders import simulated_responses

    lessons = list(shipped_library.lessons.values())
    for hit_rate, alarm_rate, seed in ((0.8, 0.1, 15), (0.9, 0.5, 16)):
        rng = random.Random(seed)
        students = []
        for _ in range(25):
            answers = []
            for lesson in lessons:
                texts = {excerpt["id"]: excerpt["text"] for excerpt in lesson["excerpts"]}
                responses = simulated_responses(lesson, hit_rate, alarm_rate, rng)
                answers += [detection_counts(q, responses.get(q["id"], {}), texts)
                            for q in lesson["questions"]]
            students.append(add_counts(*answers))
        pooled = overall(add_counts(*students))
        assert pooled.hit_rate == pytest.approx(hit_rate, abs=0.02)
        assert pooled.false_alarm_rate == pytest.approx(alarm_rate, abs=0.02)
        mean_d = fmean(overall(counts).d_prime for counts in students)
        assert mean_d == pytest.approx(true_d_prime(hit_rate, alarm_rate), abs=0.15)


def test_what_an_answer_stores_tells_no_counts_from_nothing_to_count() -> None:
    """A framing question without signal phrases stores empty counts, so None on a
    marking kind means only "stored before counts were kept"; checks store None."""
    from app.domain.discernment import stored_detection

    excerpts = {"e": "Crowds gathered in the square."}
    framing = {"id": "f", "kind": "framing", "excerpt": "e", "options": [], "signals": []}
    assert stored_detection(framing, {"choice": "a"}, excerpts) == {"signal": {}, "noise": {}}
    assert stored_detection({"id": "v", "kind": "verify"}, {}, excerpts) is None
    loaded = {"id": "q", "kind": "loaded_terms", "excerpt": "e",
              "phrases": [{"text": "Crowds", "words": [0], "about": "people"}]}
    assert stored_detection(loaded, {"words": [0, 1]}, excerpts) == {
        "signal": {"loaded:people": [1, 1]}, "noise": {"loaded": [4, 1]}}


def test_a_rescore_gives_the_counts_of_the_new_key() -> None:
    from app.domain.rescoring import rescore

    old = {"excerpts": [{"id": "e", "text": "The mob attacked the akimat."}],
           "questions": [{"id": "q", "kind": "loaded_terms", "excerpt": "e",
                          "phrases": [{"text": "mob", "words": [1], "about": "people"},
                                      {"text": "attacked", "words": [2], "about": "events"}]}]}
    new = {**old, "questions": [{**old["questions"][0],
                                 "phrases": old["questions"][0]["phrases"][:1]}]}
    rescored = rescore(old, new, {"q": {"words": [1, 2]}})
    assert rescored.detection == {"q": {"signal": {"loaded:people": [1, 1]},
                                        "noise": {"loaded": [4, 1]}}}
