"""Growth: how much a class changed from a pre-test to a post-test, with an effect size.

Each student who took both tests gives one *change* (post minus pre): points as a
percentage of the test's maximum, or discernment d′. For the class:

* the **mean change**, the **SD of the changes** and a t-based 95% confidence interval of
  the mean change: ``mean ± t(0.975, n−1) · SD / √n`` (``scipy.stats.t``; the same interval
  as ``scipy.stats.ttest_rel(post, pre).confidence_interval()``);
* the paired effect size **d_z = mean change / SD of changes** (Cohen's d for paired
  data) with its exact 95% interval by inverting the noncentral t distribution (Steiger &
  Fouladi, 1997): with ``t = d_z·√n`` and ``n−1`` degrees of freedom, the noncentrality
  ``λ_lo`` with ``P(T ≤ t | λ_lo) = 0.975`` and ``λ_hi`` with ``P(T ≤ t | λ_hi) = 0.025``,
  each divided by ``√n`` (what MBESS's ``ci.sm`` computes).

Between two classes (a class and a comparison class), :func:`compare` gives the
difference in mean change with a Welch t interval and Hedges' g on the changes with an
approximate interval ``g ± 1.96·SE``, ``SE = √((n1+n2)/(n1·n2) + g²/(2(n1+n2)))``.

Fewer than two students, or changes that are all equal, leave nothing to divide by: the
numbers that need a spread are None and ``problem`` says why in plain words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, stdev
from typing import Generic, TypeVar

from scipy import optimize, stats

CONFIDENCE = 0.95
NOT_ENOUGH = "not enough students took both tests (at least two are needed)"
ALL_EQUAL = "every student changed by the same amount, so there is no spread to measure against"
NOT_ENOUGH_COMPARISON = "not enough students in one of the classes (at least two each)"
NO_SPREAD_COMPARISON = "the changes in both classes have no spread"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Pairing(Generic[K]):
    """Students in both tests, in the order given, and how many took only one."""

    pairs: list[tuple[K, float, float]]
    only_pre: int
    only_post: int

    @property
    def left_out(self) -> int:
        return self.only_pre + self.only_post


def pair_up(pre: Mapping[K, float | None], post: Mapping[K, float | None]) -> Pairing[K]:
    """Match each student's pre value with their post value; None counts as missing."""
    pairs = [(key, float(value), float(post[key])) for key, value in pre.items()
             if value is not None and post.get(key) is not None]
    paired = {key for key, _, _ in pairs}
    only_pre = sum(1 for key, value in pre.items() if value is not None and key not in paired)
    only_post = sum(1 for key, value in post.items() if value is not None and key not in paired)
    return Pairing(pairs, only_pre, only_post)


@dataclass(frozen=True, slots=True)
class PairedChange:
    """The class's change from pre to post (see the module's formulas)."""

    n: int
    mean_pre: float | None
    mean_post: float | None
    mean_change: float | None
    sd_change: float | None
    change_ci: Interval | None
    d_z: float | None
    d_z_ci: Interval | None
    problem: str | None = None


def _spread(values: Sequence[float]) -> float:
    """The SD of ``values``; 0 for rounding noise around equal values (changes such as
    0.1 + 0.2 and 0.3 are the same change)."""
    spread = stdev(values)
    return 0.0 if spread <= 1e-12 * max(1.0, abs(fmean(values))) else spread


def t_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> Interval | None:
    """The t-based interval of the mean of ``values`` (None: n < 2 or no spread)."""
    if len(values) < 2:
        return None
    spread = _spread(values)
    if spread == 0:
        return None
    critical = float(stats.t.ppf((1 + confidence) / 2, len(values) - 1))
    half = critical * spread / math.sqrt(len(values))
    centre = fmean(values)
    return Interval(float(centre - half), float(centre + half))


def _bracket(gap: Callable[[float], float], start: float, direction: float,
             floor: float | None = None) -> float | None:
    """Step away from ``start`` (doubling steps) until ``gap`` changes sign; never past
    ``floor`` (returned once reached, for the caller to go on from)."""
    step = 1.0
    for _ in range(64):
        point = start + direction * step
        if floor is not None and point <= floor:
            return floor
        value = gap(point)
        if math.isnan(value):
            return None
        if (value > 0) == (direction < 0):
            return point
        step *= 2
    return None  # pragma: no cover - a sign change lies within 2**64 of any start


def _noncentrality(t_obs: float, df: int, cdf: float) -> float | None:
    """The noncentrality λ with ``nct.cdf(t_obs, df, λ) == cdf`` for ``t_obs ≥ 0``.

    ``nct.cdf`` falls as λ grows. At λ = t it is near one half, so the root for a cdf
    above one half lies below t and one below one half above it. Going down, scipy's
    ``nct`` loses precision far below zero for a large t (NaN), so the search stops at 0
    first and goes below it only when the root is there (a small t).
    """

    def gap(ncp: float) -> float:
        return float(stats.nct.cdf(t_obs, df, ncp)) - cdf

    middle = gap(t_obs)
    if math.isnan(middle):
        return None
    if middle == 0:
        return t_obs
    if middle < 0:  # the root is below t
        low = _bracket(gap, t_obs, -1.0, floor=0.0)
        if low == 0.0 and gap(0.0) < 0:
            low = _bracket(gap, 0.0, -1.0)
        high = t_obs
    else:
        low, high = t_obs, _bracket(gap, t_obs, 1.0)
    if low is None or high is None:
        return None
    if gap(low) * gap(high) > 0:  # the floor was reached on the root's side
        return None  # pragma: no cover
    return float(optimize.brentq(gap, low, high, xtol=1e-12))


def d_z_interval(d_z: float, n: int, confidence: float = CONFIDENCE) -> Interval | None:
    """The exact interval of a standardized mean ``d_z`` from ``n`` paired changes
    (None when n < 2, or scipy's noncentral t cannot reach it: an absurdly large d_z)."""
    if n < 2 or not math.isfinite(d_z):
        return None
    t_obs = abs(d_z) * math.sqrt(n)
    tail = (1 - confidence) / 2
    low = _noncentrality(t_obs, n - 1, 1 - tail)
    high = _noncentrality(t_obs, n - 1, tail)
    if low is None or high is None:
        return None
    root = math.sqrt(n)
    if d_z < 0:  # the distribution is symmetric: mirror the interval of |d_z|
        return Interval(-high / root, -low / root)
    return Interval(low / root, high / root)


def paired_change(pairs: Sequence[tuple[float, float]],
                  confidence: float = CONFIDENCE) -> PairedChange:
    """Mean change, its interval and d_z with its interval, from (pre, post) pairs."""
    n = len(pairs)
    if n == 0:
        return PairedChange(0, None, None, None, None, None, None, None, NOT_ENOUGH)
    pre = [float(p) for p, _ in pairs]
    post = [float(q) for _, q in pairs]
    changes = [q - p for p, q in pairs]
    mean = fmean(changes)
    if n < 2:
        return PairedChange(n, fmean(pre), fmean(post), mean, None, None, None, None,
                            NOT_ENOUGH)
    spread = _spread(changes)
    if spread == 0:
        return PairedChange(n, fmean(pre), fmean(post), mean, 0.0, None, None, None,
                            ALL_EQUAL)
    d_z = mean / spread
    return PairedChange(n, fmean(pre), fmean(post), mean, spread,
                        t_interval(changes, confidence), d_z,
                        d_z_interval(d_z, n, confidence))


@dataclass(frozen=True, slots=True)
class Comparison:
    """The class's changes against a comparison class's (class minus comparison)."""

    n_class: int
    n_comparison: int
    difference: float | None
    difference_ci: Interval | None
    hedges_g: float | None
    g_ci: Interval | None
    problem: str | None = None


def hedges_g(changes: Sequence[float], others: Sequence[float],
             confidence: float = CONFIDENCE) -> tuple[float, Interval] | None:
    """Hedges' g of two groups (pooled SD, small-sample correction) and its approximate
    interval; None when a group has fewer than two values or the pooled SD is 0."""
    n1, n2 = len(changes), len(others)
    if n1 < 2 or n2 < 2:
        return None
    pooled = math.sqrt(((n1 - 1) * _spread(changes) ** 2 + (n2 - 1) * _spread(others) ** 2)
                       / (n1 + n2 - 2))
    if pooled == 0:
        return None
    d = (fmean(changes) - fmean(others)) / pooled
    g = d * (1 - 3 / (4 * (n1 + n2) - 9))
    se = math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)))
    z = float(stats.norm.ppf((1 + confidence) / 2))
    return g, Interval(g - z * se, g + z * se)


def welch_interval(changes: Sequence[float], others: Sequence[float],
                   confidence: float = CONFIDENCE) -> Interval | None:
    """Welch's interval of the difference in means (unequal variances, Welch–Satterthwaite
    degrees of freedom): the interval of ``scipy.stats.ttest_ind(..., equal_var=False)``.
    None when neither group has any spread."""
    n1, n2 = len(changes), len(others)
    part1, part2 = _spread(changes) ** 2 / n1, _spread(others) ** 2 / n2
    if part1 + part2 == 0:
        return None
    df = (part1 + part2) ** 2 / (part1 ** 2 / (n1 - 1) + part2 ** 2 / (n2 - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * math.sqrt(part1 + part2)
    centre = fmean(changes) - fmean(others)
    return Interval(centre - half, centre + half)


def compare(changes: Sequence[float], others: Sequence[float],
            confidence: float = CONFIDENCE) -> Comparison:
    """Difference in mean change (Welch interval) and Hedges' g between two classes."""
    n1, n2 = len(changes), len(others)
    if n1 < 2 or n2 < 2:
        difference = fmean(changes) - fmean(others) if n1 and n2 else None
        return Comparison(n1, n2, difference, None, None, None, NOT_ENOUGH_COMPARISON)
    difference = fmean(changes) - fmean(others)
    welch = welch_interval(changes, others, confidence)
    if welch is None:
        return Comparison(n1, n2, difference, None, None, None, NO_SPREAD_COMPARISON)
    found = hedges_g(changes, others, confidence)
    g, g_ci = found if found else (None, None)
    return Comparison(n1, n2, difference, welch, g, g_ci)


def size_word(effect: float) -> str:
    """Cohen's rule of thumb for a standardized effect: negligible, small, medium, large."""
    size = abs(effect)
    if size < 0.2:
        return "negligible"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "medium"
    return "large"
