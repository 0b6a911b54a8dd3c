""""How sure are you?": a student's rating of each answer, on four steps.

An assignment may ask it (``Assignment.ask_confidence``). The quiz form then carries one
optional radio group per question, ``<question id>.confidence``, valued 1 to 4. While the
quiz is being taken the rating travels inside the question's marks (``{"words": [...],
"confidence": 3}``), so drafts, the review step and a re-shown form keep it like a mark;
at submission :func:`split` takes the ratings out: the scorers never see them, and they
are stored beside each answer (``AttemptAnswer.confidence``).

Nothing here touches the web or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

# The four steps, in order, as the student reads them.
LEVELS: Final = {1: "Guessing", 2: "Unsure", 3: "Fairly sure", 4: "Certain"}
# Ratings that claim to know: what "confident but wrong" looks at.
CONFIDENT: Final = (3, 4)
# Where a rating sits in a question's marks, and the last part of its form field's name.
KEY: Final = "confidence"
QUESTION: Final = "How sure are you?"


class BadRating(ValueError):
    """A rating no honest form sends; the message is for the student."""


def field_name(question_id: str) -> str:
    """The form field of one question's rating."""
    return f"{question_id}.{KEY}"


def label(level: int | None) -> str | None:
    """The words of a rating ("Fairly sure"), or None for no (or an unknown) rating."""
    return None if level is None else LEVELS.get(level)


def _level(value: str) -> int | None:
    text = value.strip()
    if len(text) == 1 and text.isascii() and text.isdigit() and int(text) in LEVELS:
        return int(text)
    return None


def parse(values: Sequence[str]) -> int | None:
    """One question's rating from its form values: None when not given. Raises
    :class:`BadRating` for a value outside 1-4 or two different ratings."""
    distinct = {value for value in values if value != ""}
    if not distinct:
        return None
    levels = {_level(value) for value in distinct}
    if None in levels:
        raise BadRating(f"“{QUESTION}” takes one of: "
                        + ", ".join(f"{n} ({text})" for n, text in LEVELS.items())
                        + ". Please choose again.")
    if len(levels) > 1:
        raise BadRating(f"Choose only one answer to “{QUESTION}” for each question.")
    (level,) = levels
    return level


def salvage(values: Sequence[str]) -> int | None:
    """The first valid rating among ``values`` (what a rejected form keeps), or None."""
    return next((level for level in map(_level, values) if level is not None), None)


def rating(mark: Mapping[str, Any] | None) -> int | None:
    """The rating kept in one question's marks (None if none, or not a valid one)."""
    value = (mark or {}).get(KEY)
    return value if isinstance(value, int) and value in LEVELS else None


def split(responses: Mapping[str, Mapping[str, Any]]) -> tuple[
        dict[str, dict[str, Any]], dict[str, int]]:
    """(the responses without their ratings, question id -> rating) for submitting."""
    answers = {qid: {part: value for part, value in response.items() if part != KEY}
               for qid, response in responses.items()}
    ratings = {qid: level for qid, response in responses.items()
               if (level := rating(response)) is not None}
    return answers, ratings


def without(marks: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``marks`` with every rating dropped (an assignment that no longer asks)."""
    return split(marks)[0] if any(KEY in (mark or {}) for mark in marks.values()) \
        else dict(marks)


def as_fields(question_ids: Iterable[str],
              marks: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The ratings in ``marks`` as form (field name, value) pairs, in the given order."""
    return [(field_name(qid), str(level)) for qid in question_ids
            if (level := rating(marks.get(qid))) is not None]
