"""Growth statistics: paired change, its t interval, d_z with its exact interval, and the
difference between two classes.

Hand computation (the class of four used throughout):
  pre  40 55 30 61, post 54 61 52 75 -> changes 14 6 22 14
  mean 14; deviations 0 −8 8 0; SS 128; variance 128/3 = 42.667; SD 6.5320
  SE = 6.5320/√4 = 3.2660; t(0.975, 3) = 3.1824 (table); half-width 10.394
  -> 95% CI 3.606 to 24.394; d_z = 14/6.5320 = 2.1433
Comparison class: changes 4 8 0 4 -> mean 4, SS 32, variance 10.667
  pooled variance (128 + 32)/6 = 26.667, SD 5.1640; d = 10/5.1640 = 1.9365
  J = 1 − 3/(4·8 − 9) = 0.86957; g = 1.6839
  SE = √(8/16 + g²/16) = 0.82294; 95% CI 1.6839 ± 1.96·0.82294 = 0.0710 to 3.2968
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from app.domain.growth import (
    ALL_EQUAL,
    NOT_ENOUGH,
    NOT_ENOUGH_COMPARISON,
    compare,
    d_z_interval,
    hedges_g,
    pair_up,
    paired_change,
    size_word,
)

PRE = [40, 55, 30, 61]
POST = [54, 61, 52, 75]
PAIRS = list(zip(PRE, POST, strict=True))
OTHER_CHANGES = [4, 8, 0, 4]


def test_mean_sd_and_t_interval_match_the_hand_computation() -> None:
    change = paired_change(PAIRS)
    assert change.n == 4
    assert change.mean_pre == pytest.approx(46.5)
    assert change.mean_post == pytest.approx(60.5)
    assert change.mean_change == pytest.approx(14)
    assert change.sd_change == pytest.approx(6.5320, abs=1e-4)
    assert change.change_ci.low == pytest.approx(3.606, abs=1e-3)
    assert change.change_ci.high == pytest.approx(24.394, abs=1e-3)
    assert change.d_z == pytest.approx(2.1433, abs=1e-4)
    assert change.problem is None


def test_the_mean_change_interval_is_scipys_paired_t_test_interval() -> None:
    change = paired_change(PAIRS)
    reference = stats.ttest_rel(POST, PRE).confidence_interval()
    assert change.change_ci.low == pytest.approx(reference.low, rel=1e-12)
    assert change.change_ci.high == pytest.approx(reference.high, rel=1e-12)


def test_the_d_z_bounds_satisfy_the_definition() -> None:
    """At the bounds, the observed t is at the 97.5th / 2.5th percentile of the
    noncentral t (n − 1 df) whose noncentrality is the bound times √n."""
    change = paired_change(PAIRS)
    t_obs = change.d_z * math.sqrt(4)
    assert t_obs == pytest.approx(stats.ttest_rel(POST, PRE).statistic)
    assert stats.nct.cdf(t_obs, 3, change.d_z_ci.low * 2) == pytest.approx(0.975, abs=1e-9)
    assert stats.nct.cdf(t_obs, 3, change.d_z_ci.high * 2) == pytest.approx(0.025, abs=1e-9)
    assert change.d_z_ci.low < change.d_z < change.d_z_ci.high


@pytest.mark.parametrize("d_z", [0.0, 0.3, 0.5, -0.8])
def test_the_d_z_interval_approaches_the_large_sample_formula(d_z: float) -> None:
    """At n = 200 the exact interval is close to d ± 1.96·√(1/n + d²/(2n))."""
    n = 200
    found = d_z_interval(d_z, n)
    half = 1.96 * math.sqrt(1 / n + d_z * d_z / (2 * n))
    assert found.low == pytest.approx(d_z - half, abs=0.005)
    assert found.high == pytest.approx(d_z + half, abs=0.005)


def test_the_noncentrality_limits_match_a_published_example() -> None:
    """Harms (2016), ConfidenceIntervals-Noncentral.R (Steiger & Fouladi's method), README:
    ``confint.ncp.t(3.04, 314, alpha=.99)`` gives 0.4429486 and 5.632345. A standardized
    mean from n = 315 (df 314) with t = 3.04 is d_z = 3.04/√315; its limits times √n are
    those noncentrality limits."""
    n = 315
    found = d_z_interval(3.04 / math.sqrt(n), n, confidence=0.99)
    assert found.low * math.sqrt(n) == pytest.approx(0.4429486, abs=1e-6)
    assert found.high * math.sqrt(n) == pytest.approx(5.632345, abs=1e-6)


def test_a_negative_effect_mirrors_the_positive_one() -> None:
    up, down = d_z_interval(1.2, 6), d_z_interval(-1.2, 6)
    assert down.low == pytest.approx(-up.high)
    assert down.high == pytest.approx(-up.low)
    zero = d_z_interval(0.0, 2)
    assert zero.low == pytest.approx(-zero.high)


def test_a_huge_effect_from_two_students_still_gets_its_interval() -> None:
    change = paired_change([(45, 55), (40, 51)])  # changes 10 and 11: d_z = 14.85
    assert change.d_z == pytest.approx(14.849, abs=1e-3)
    assert 0 < change.d_z_ci.low < change.d_z < change.d_z_ci.high


def test_fewer_than_two_students_is_said_not_divided_by() -> None:
    empty = paired_change([])
    assert (empty.n, empty.mean_change, empty.d_z, empty.problem) == (0, None, None, NOT_ENOUGH)
    one = paired_change([(50, 62)])
    assert one.mean_change == 12 and one.sd_change is None and one.change_ci is None
    assert one.d_z is None and one.problem == NOT_ENOUGH


def test_everyone_changing_alike_has_no_spread_and_no_effect_size() -> None:
    same = paired_change([(50, 60), (40, 50), (70, 80)])
    assert same.mean_change == pytest.approx(10)
    assert same.sd_change == 0 and same.change_ci is None and same.d_z is None
    assert same.problem == ALL_EQUAL


def test_pairing_counts_the_students_left_out() -> None:
    pre = {"ann": 50.0, "ben": 40.0, "cat": 70.0, "dan": None}
    post = {"ann": 60.0, "cat": 65.0, "eve": 80.0, "dan": 90.0}
    pairing = pair_up(pre, post)
    assert pairing.pairs == [("ann", 50.0, 60.0), ("cat", 70.0, 65.0)]
    assert (pairing.only_pre, pairing.only_post, pairing.left_out) == (1, 2, 3)


def test_hedges_g_matches_the_hand_computation() -> None:
    changes = [post - pre for pre, post in PAIRS]
    g, ci = hedges_g(changes, OTHER_CHANGES)
    assert g == pytest.approx(1.6839, abs=1e-4)
    assert ci.low == pytest.approx(0.0710, abs=1e-3)
    assert ci.high == pytest.approx(3.2968, abs=1e-3)


def test_the_difference_between_classes_takes_welchs_interval() -> None:
    changes = [post - pre for pre, post in PAIRS]
    found = compare(changes, OTHER_CHANGES)
    assert found.difference == pytest.approx(10)
    # Welch by hand: SE² = 42.667/4 + 10.667/4 = 13.333; df by Welch–Satterthwaite.
    a, b = 128 / 3 / 4, 32 / 3 / 4
    df = (a + b) ** 2 / (a * a / 3 + b * b / 3)
    assert df == pytest.approx(4.4118, abs=1e-4)
    half = stats.t.ppf(0.975, df) * math.sqrt(a + b)
    assert found.difference_ci.low == pytest.approx(10 - half)
    assert found.difference_ci.high == pytest.approx(10 + half)
    assert found.hedges_g == pytest.approx(1.6839, abs=1e-4)
    assert (found.n_class, found.n_comparison, found.problem) == (4, 4, None)


def test_a_comparison_with_too_few_students_says_so() -> None:
    found = compare([10, 12], [5])
    assert found.difference == pytest.approx(6)
    assert found.difference_ci is None and found.hedges_g is None
    assert found.problem == NOT_ENOUGH_COMPARISON
    assert compare([], [1, 2]).difference is None
    flat = compare([5, 5], [2, 2])
    assert flat.difference == 3 and flat.difference_ci is None and flat.problem


@pytest.mark.parametrize(("effect", "word"), [(0.1, "negligible"), (-0.3, "small"),
                                              (0.5, "medium"), (0.79, "medium"),
                                              (0.85, "large"), (-2, "large")])
def test_rule_of_thumb_words(effect: float, word: str) -> None:
    assert size_word(effect) == word


def test_the_welch_interval_is_scipys_ttest_ind_interval() -> None:
    changes, others = [12.5, 3.0, 20.0, 9.5, 14.0], [1.0, 6.5, -2.0]
    found = compare(changes, others).difference_ci
    reference = stats.ttest_ind(changes, others, equal_var=False).confidence_interval()
    assert found.low == pytest.approx(reference.low, rel=1e-10)
    assert found.high == pytest.approx(reference.high, rel=1e-10)


def test_rounding_noise_is_no_spread() -> None:
    """Changes equal but for float rounding (0.1 + 0.2 against 0.3) have no spread."""
    same = paired_change([(0.0, 0.1 + 0.2), (0.0, 0.3), (1.0, 1.3)])
    assert same.problem == ALL_EQUAL and same.d_z is None
    flat = compare([0.1 + 0.2, 0.3], [0.3, 0.1 + 0.2])
    assert flat.difference_ci is None and flat.hedges_g is None
