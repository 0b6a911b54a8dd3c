"""Grading methods, attempt limits, late work and when feedback is shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.grading import Scored, feedback_visible, grade, may_attempt
from app.domain.numbers import percent

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
ATTEMPTS = [Scored(T0, 5, 10), Scored(T0 + timedelta(hours=1), 8, 10),
            Scored(T0 + timedelta(hours=2), 6, 10, late=True)]


@pytest.mark.parametrize(("method", "percent", "late"), [
    ("highest", 80.0, False), ("last", 60.0, True), ("first", 50.0, False),
    ("average", 190 / 3, False)])
def test_each_grading_method(method, percent, late):
    result = grade(list(reversed(ATTEMPTS)), method)  # order of input does not matter
    assert (result.percent, result.attempts, result.late) == (pytest.approx(percent), 3, late)


def test_a_grade_is_rounded_once_where_it_is_shown_not_twice():
    """80.45% reads 80%, as the attempt's own page reads it: rounding to 80.5 first and then
    to a whole number would show 81% in the gradebook only (review, bug 8)."""
    scored = [Scored(T0, 16.09, 20.0)]
    assert percent(grade(scored, "highest").percent) == percent(16.09, 20.0) == "80%"


def test_no_attempts_means_no_grade():
    assert grade([], "highest").percent is None


def test_unknown_method_is_an_error():
    with pytest.raises(ValueError):
        grade(ATTEMPTS, "median")


def test_attempt_limit_and_late_policy():
    due = T0
    assert may_attempt(now=T0 - timedelta(1), due_at=due, late_policy="refuse",
                       max_attempts=2, attempts_so_far=1).allowed
    used = may_attempt(now=T0, due_at=due, late_policy="accept", max_attempts=2,
                       attempts_so_far=2)
    assert not used.allowed and "all 2 attempts" in used.reason
    late = may_attempt(now=T0 + timedelta(1), due_at=due, late_policy="accept",
                       max_attempts=None, attempts_so_far=9)
    assert late.allowed and late.late
    refused = may_attempt(now=T0 + timedelta(1), due_at=due, late_policy="refuse",
                          max_attempts=None, attempts_so_far=0)
    assert not refused.allowed and "no longer accepts" in refused.reason
    assert may_attempt(now=T0, due_at=None, late_policy="refuse", max_attempts=None,
                       attempts_so_far=0).late is False


def test_feedback_timing():
    before, after = T0 - timedelta(1), T0 + timedelta(1)
    assert feedback_visible(now=before, due_at=T0, timing="immediately")
    assert not feedback_visible(now=before, due_at=T0, timing="after_due")
    assert feedback_visible(now=after, due_at=T0, timing="after_due")
    assert not feedback_visible(now=after, due_at=None, timing="after_due")
    assert not feedback_visible(now=after, due_at=T0, timing="never")
