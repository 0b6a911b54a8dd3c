"""Growth in plain words: the class's change, its effect size and the caveats."""

from __future__ import annotations

from app.domain.growth import compare, paired_change
from app.domain.growth_words import (
    caveats,
    describe_comparison,
    describe_discernment,
    describe_points,
    signed,
)

# Changes 14 6 22 14 (see tests/unit/test_growth.py): mean 14, 95% CI 3.6 to 24.4,
# d_z = 2.14 with its exact interval.
PAIRS = [(40, 54), (55, 61), (30, 52), (61, 75)]


def test_the_change_in_points_reads_as_the_issue_words_it() -> None:
    change = paired_change(PAIRS)
    text = describe_points(change)
    low, high = change.d_z_ci.low, change.d_z_ci.high
    assert text.startswith("On average the 4 students who took both tests scored 14 "
                           "percentage points higher on the post-test than on the pre-test "
                           "(95% CI 3.6 to 24.4). The effect size d_z = 2.14 (95% CI "
                           f"{signed(low)} to {signed(high)}) is large by the usual rule of "
                           "thumb (0.2 small, 0.5 medium, 0.8 large).")
    assert "includes zero" not in text


def test_a_fall_says_lower_and_an_interval_across_zero_says_so() -> None:
    # Changes −10, 2, −9: mean −5.667, SD 6.658, SE 3.844, t(0.975, 2) = 4.3027,
    # half-width 16.54: 95% CI −22.2 to 10.9.
    text = describe_points(paired_change([(60, 50), (50, 52), (70, 61)]))
    assert "scored 5.7 percentage points lower" in text
    assert "(95% CI \u221222.2 to 10.9)" in text
    assert "Its interval includes zero" in text


def test_too_few_students_or_no_spread_are_said_plainly() -> None:
    assert describe_points(paired_change([])).startswith("No student has taken both tests")
    assert "Only one student took both tests; their score changed by 12" in describe_points(
        paired_change([(50, 62)]))
    same = describe_points(paired_change([(50, 60), (40, 50)]))
    assert same.startswith("Every one of the 2 students who took both tests scored 10 "
                           "percentage points higher")
    assert "d_z" not in same


def test_discernment_change_in_words() -> None:
    text = describe_discernment(paired_change([(0.5, 1.0), (1.0, 1.2), (0.2, 1.1)]))
    assert text.startswith("Discernment (d′, how well students tell loaded from neutral) "
                           "rose by 0.53 on average (95% CI")
    assert "over 3 students" in text
    assert "no change in discernment" in describe_discernment(paired_change([]))


def test_comparison_in_words() -> None:
    text = describe_comparison(compare([14, 6, 22, 14], [4, 8, 0, 4]), "Media 9C")
    assert text.startswith("This class's scores changed by 10 percentage points more than "
                           "those of Media 9C (95% CI")
    assert "Hedges' g on the changes = 1.68 (95% CI 0.07 to 3.30)" in text
    assert "not enough" in describe_comparison(compare([1], []), "Media 9C")


def test_caveats_name_small_classes_assignment_comparison_regression_and_practice() -> None:
    small = caveats(4, comparison=False)
    assert small[0].startswith("Small class: with 4 students the intervals are wide")
    joined = " ".join(small)
    for words in ("No random assignment", "Without a comparison class",
                  "Regression to the mean", "Test practice"):
        assert words in joined
    with_other = " ".join(caveats(40, comparison=True))
    assert "is not a control group" in with_other
    assert "Small class" not in with_other


def test_signed_numbers_use_a_true_minus_and_no_negative_zero() -> None:
    assert signed(-0.4) == "\u22120.40"
    assert signed(-0.001) == "0.00"
    assert signed(1.333) == "1.33"
