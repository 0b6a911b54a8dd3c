"""Assignment rules that are not grading: opening dates, one student's due date, overrides,
and the settings that give the key away (review: "Default assignment settings make grades
meaningless": unlimited attempts, answers shown at once, 0% -> 96.3% on attempt 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import assignment_rules as rules

DUE = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("attempts", "feedback", "leaks"), [
    (None, "immediately", True), (2, "immediately", True), (20, "immediately", True),
    (1, "immediately", False), (None, "after_due", False), (3, "never", False),
])
def test_answers_leak_only_when_the_key_shows_while_another_attempt_is_possible(
        attempts, feedback, leaks) -> None:
    assert rules.answers_leak(attempts, feedback) is leaks


@pytest.mark.parametrize(("attempts", "feedback"), [
    (1, "immediately"), (2, "after_due"), (None, "after_due")])
def test_the_form_proposes_answers_after_the_due_date_once_retries_are_allowed(
        attempts, feedback) -> None:
    assert rules.default_feedback(attempts) == feedback
    assert not rules.answers_leak(attempts, rules.default_feedback(attempts))


def test_an_extension_gives_one_student_a_later_due_date() -> None:
    later = DUE + timedelta(days=2)
    assert rules.student_due(DUE, None) == DUE
    assert rules.student_due(DUE, later) == later
    # The class's date moved past the extension: the later one still applies.
    assert rules.student_due(DUE + timedelta(days=5), later) == DUE + timedelta(days=5)
    assert rules.student_due(None, later) is None


def test_late_means_after_the_due_date_that_applies() -> None:
    assert not rules.is_late(DUE, DUE)
    assert rules.is_late(DUE + timedelta(seconds=1), DUE)
    assert not rules.is_late(DUE + timedelta(days=1), rules.student_due(DUE, DUE + timedelta(
        days=2)))
    assert not rules.is_late(DUE, None)


def test_an_assignment_opens_at_its_available_from_date() -> None:
    assert rules.is_open(DUE, None)
    assert not rules.is_open(DUE - timedelta(seconds=1), DUE)
    assert rules.is_open(DUE, DUE)


@pytest.mark.parametrize(("typed", "value"), [
    ("85", 85.0), ("85.5", 85.5), ("85,5", 85.5), ("0", 0.0), ("100", 100.0), (" 90 % ", 90.0),
    ("100.0", 100.0), ("007", 7.0),
])
def test_an_override_is_a_percentage_with_at_most_one_decimal(typed, value) -> None:
    assert rules.parse_percent(typed) == value


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the grade in percent"), (None, "Enter the grade in percent"),
    ("-5", "number from 0 to 100"), ("abc", "number from 0 to 100"),
    ("100.1", "at most 100%"), ("1e2", "number from 0 to 100"), ("85.55", "one decimal"),
    ("nan", "number from 0 to 100"), ("inf", "number from 0 to 100"), ("12 34", "number"),
    ("9" * 400, "at most 100%"),
])
def test_anything_else_is_refused_with_a_message(typed, message) -> None:
    with pytest.raises(rules.RuleProblem, match=message):
        rules.parse_percent(typed)


def test_an_extension_must_follow_the_class_due_date() -> None:
    rules.check_extension(DUE, DUE + timedelta(minutes=1))
    with pytest.raises(rules.RuleProblem, match="later than the class's due date"):
        rules.check_extension(DUE, DUE)
    with pytest.raises(rules.RuleProblem, match="no due date"):
        rules.check_extension(None, DUE)


def test_an_assignment_opens_before_it_is_due() -> None:
    rules.check_window(None, DUE)
    rules.check_window(DUE - timedelta(days=1), None)
    rules.check_window(DUE - timedelta(minutes=1), DUE)
    with pytest.raises(rules.RuleProblem, match="open before its due date"):
        rules.check_window(DUE, DUE)
