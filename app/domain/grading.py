"""How an assignment turns a student's attempts into one grade, and when they may try.

Pure functions over plain values (scores, timestamps, settings), so the gradebook, the
student's assignment list and the submit route all apply the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

GRADING_LABELS = {
    "highest": "Highest attempt",
    "last": "Last attempt",
    "first": "First attempt",
    "average": "Average of attempts",
}


@dataclass(frozen=True, slots=True)
class Scored:
    """One attempt reduced to what grading needs."""

    submitted_at: datetime
    score: float
    max_score: float
    late: bool = False

    @property
    def percent(self) -> float:
        return percent_of(self.score, self.max_score)


def percent_of(score: float, max_score: float) -> float:
    """``score`` as a percentage of ``max_score`` (0 when there is no maximum)."""
    return 100.0 * score / max_score if max_score else 0.0


@dataclass(frozen=True, slots=True)
class Grade:
    """A student's grade on one assignment; ``percent`` is None when nothing was submitted."""

    percent: float | None
    attempts: int
    late: bool


def grade(attempts: Sequence[Scored], method: str) -> Grade:
    """Combine attempts by ``method`` (highest, last, first, average) into one grade.

    ``late`` is true when the attempt(s) that count were submitted late. Percentages are
    not rounded here: pages and exports round once, half up (:mod:`app.domain.numbers`),
    so one attempt never reads 80.5% in one place and 81% in another.
    """
    if not attempts:
        return Grade(None, 0, False)
    ordered = sorted(attempts, key=lambda attempt: attempt.submitted_at)
    return Grade(*grade_in_order([(a.score, a.max_score, a.late) for a in ordered], method))


def grade_in_order(attempts: Sequence[tuple[float, float, bool]],
                   method: str) -> tuple[float | None, int, bool]:
    """:func:`grade` for attempts already in submission order, as plain tuples.

    ``attempts`` are ``(score, max_score, late)``, earliest first; the result is the
    grade's ``(percent, attempts, late)``. The gradebook grades thousands of students
    with it without building a :class:`Scored` and a :class:`Grade` for each.
    """
    count = len(attempts)
    if not count:
        return None, 0, False
    if method == "average":
        percent = sum(percent_of(score, most) for score, most, _ in attempts) / count
        return percent, count, all(late for _, _, late in attempts)
    if method == "highest":
        # The earliest of equally high attempts: only a strictly higher one replaces it.
        score, most, late = attempts[0]
        best = percent_of(score, most)
        for score, most, this_late in attempts[1:]:
            percent = percent_of(score, most)
            if percent > best:
                best, late = percent, this_late
        return best, count, late
    if method == "first":
        score, most, late = attempts[0]
    elif method == "last":
        score, most, late = attempts[-1]
    else:
        raise ValueError(f"unknown grading method {method!r}")
    return percent_of(score, most), count, late


@dataclass(frozen=True, slots=True)
class Permission:
    """Whether a student may submit now, whether it will count as late, and why not."""

    allowed: bool
    late: bool = False
    reason: str = ""


def may_attempt(*, now: datetime, due_at: datetime | None, late_policy: str,
                max_attempts: int | None, attempts_so_far: int) -> Permission:
    """Apply an assignment's attempt limit and late policy at time ``now``."""
    if max_attempts is not None and attempts_so_far >= max_attempts:
        plural = "attempt" if max_attempts == 1 else "attempts"
        return Permission(False, reason=f"You have used all {max_attempts} {plural} allowed "
                                        "for this assignment.")
    late = due_at is not None and now > due_at
    if late and late_policy == "refuse":
        return Permission(False, late=True,
                          reason="This assignment was due and no longer accepts work.")
    return Permission(True, late=late)


def feedback_visible(*, now: datetime, due_at: datetime | None, timing: str) -> bool:
    """Whether answers and explanations may be shown to the student yet."""
    if timing == "immediately":
        return True
    if timing == "after_due":
        return due_at is not None and now > due_at
    return False
