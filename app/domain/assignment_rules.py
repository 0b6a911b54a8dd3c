"""The rules around an assignment that are not about grading: when it opens, whose due date
counts, what a teacher's override holds, and which settings give the answers away.

Pure functions over plain values; :mod:`app.services.assignment_rules` loads the rows.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Final

# Attempts above one with the key shown at once: a student reads the key after attempt 1
# and copies it into attempt 2 (the walkthrough saw 0% -> 96.3%), so the grade says nothing.
LEAK_EXPLANATION: Final = (
    "With more than one attempt, showing the answers right after each attempt lets a "
    "student read the key and copy it into the next attempt, so the grade no longer says "
    "what they can do. Show the answers after the due date (or never), allow one attempt, "
    "or tick the box below if this is practice and that is what you want.")
LEAK_CONFIRMATION: Final = ("Show the answers after each attempt anyway, although students "
                            "can try again (fine for practice, not for a grade)")

OVERRIDE_DECIMALS: Final = 1
_NUMBER: Final = re.compile(r"[0-9]+(?:[.,][0-9]+)?")


def allows_retries(max_attempts: int | None) -> bool:
    """More than one attempt (None: unlimited)."""
    return max_attempts is None or max_attempts > 1


def answers_leak(max_attempts: int | None, feedback: str) -> bool:
    """True for settings that show the key while another attempt is still possible."""
    return allows_retries(max_attempts) and feedback == "immediately"


def default_feedback(max_attempts: int | None) -> str:
    """The answers' timing the form proposes: at once for one attempt, else after the due
    date."""
    return "after_due" if allows_retries(max_attempts) else "immediately"


def student_due(class_due: datetime | None, extension_due: datetime | None) -> datetime | None:
    """The due date that applies to one student.

    An extension gives a student a later date. It never makes theirs earlier than the
    class's (if the teacher later moves the class's date past it, the class's wins), and
    an assignment with no due date has none for anyone.
    """
    if class_due is None:
        return None
    if extension_due is None:
        return class_due
    return max(class_due, extension_due)


def is_late(submitted_at: datetime, due_at: datetime | None) -> bool:
    """Submitted after the due date (exactly on it is on time)."""
    return due_at is not None and submitted_at > due_at


def is_open(now: datetime, available_from: datetime | None) -> bool:
    """Whether students may open the assignment at ``now``."""
    return available_from is None or now >= available_from


class RuleProblem(ValueError):
    """A rule, date or grade a teacher set that cannot be stored; ``str()`` says why."""


def parse_percent(text: str | None) -> float:
    """A typed grade in percent: "85", "85.5" or "85,5" (a decimal comma), 0 to 100.

    At most one decimal place, the precision every page shows. Raises
    :class:`RuleProblem` with a message for the form.
    """
    cleaned = (text or "").strip().removesuffix("%").strip()
    if not cleaned:
        raise RuleProblem("Enter the grade in percent, from 0 to 100.")
    if not _NUMBER.fullmatch(cleaned):
        raise RuleProblem("Enter the grade as a number from 0 to 100, like 85 or 85.5.")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise RuleProblem("Enter the grade as a number from 0 to 100.") from error
    if value > 100:
        raise RuleProblem("A grade can be at most 100%.")
    if value != value.quantize(Decimal(1).scaleb(-OVERRIDE_DECIMALS)):
        raise RuleProblem("Use at most one decimal place, like 85.5.")
    return float(value)


def check_extension(class_due: datetime | None, extended_to: datetime) -> None:
    """An extension must follow the class's due date. Raises :class:`RuleProblem`."""
    if class_due is None:
        raise RuleProblem("This assignment has no due date, so there is nothing to "
                              "extend. Set a due date for the class first.")
    if extended_to <= class_due:
        raise RuleProblem("An extension must be later than the class's due date. "
                              "Choose a later date and time.")


def check_window(available_from: datetime | None, due_at: datetime | None) -> None:
    """The assignment must open before it is due. Raises :class:`RuleProblem`."""
    if available_from is not None and due_at is not None and available_from >= due_at:
        raise RuleProblem("The assignment must open before its due date: choose an "
                              "earlier “available from” date, or a later due date.")
