"""Item analysis: Moodle's facility and discrimination indices, per question.

Item analysis follows Moodle's quiz statistics report (see :func:`facility_index` and
:func:`discrimination_index`). Like Moodle, it analyses one attempt per student: here the
attempt that counts under the assignment's grading method (:func:`counting_attempt`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.domain.grading import Scored

# Where Moodle defines the item statistics used here (linked from the results page).
MOODLE_STATISTICS_DOC = "https://docs.moodle.org/dev/Quiz_statistics_calculations"

def counting_attempt(attempts: Sequence[Scored], method: str) -> int | None:
    """Index (into ``attempts``) of the one attempt item analysis uses for a student.

    For ``highest``, ``first`` and ``last`` it is the attempt :func:`grade` takes (the
    earliest of equally high attempts for ``highest``). An ``average`` grade has no single
    attempt, so the last one stands in for it. None when there are no attempts.
    """
    if not attempts:
        return None
    order = sorted(range(len(attempts)), key=lambda i: attempts[i].submitted_at)
    if method in ("last", "average"):
        return order[-1]
    if method == "first":
        return order[0]
    if method == "highest":
        # Ties go to the earliest, as in grade().
        return max(enumerate(order), key=lambda pair: (attempts[pair[1]].percent, -pair[0]))[1]
    raise ValueError(f"unknown grading method {method!r}")


class ScoredAnswer(Protocol):
    """What item analysis needs of a stored answer (an ``AttemptAnswer`` or a row of one)."""

    question_id: str
    kind: str
    points: float
    max_points: float
    verdicts: Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Submission:
    """One student's counted attempt: who, its answers, and the lesson content it used."""

    student: Hashable
    answers: Sequence[ScoredAnswer]
    content: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ItemStatistics:
    """Moodle's per-question statistics for one question."""

    question_id: str
    kind: str
    students: int
    mean_points: float
    max_points: float
    facility: float | None
    discrimination: float | None


def facility_index(points: Sequence[float], max_points: Sequence[float]) -> float | None:
    """Moodle's facility index: the mean score on a question as a percentage of its maximum.

    ``points[i]`` out of ``max_points[i]`` for each student; with one maximum this is
    ``100 × mean(points) / max``, and if a key changed between versions each attempt's
    own maximum is used (``100 × Σpoints / Σmax``). None when there is nothing to average.
    Definition: Moodle, "Quiz statistics calculations", Facility index
    (https://docs.moodle.org/dev/Quiz_statistics_calculations; Moodle's
    ``question/classes/statistics/questions/calculator.php`` computes
    ``markaverage / maxmark``, shown as a percentage).
    """
    total_max = sum(max_points)
    if not points or total_max <= 0:
        return None
    return 100.0 * sum(points) / total_max


def discrimination_index(question: Sequence[float], rest: Sequence[float]) -> float | None:
    """Moodle's discrimination index: 100 × the correlation of question and rest-of-quiz scores.

    ``question[i]`` is student i's score on this question, ``rest[i]`` their score on the
    rest of the quiz (total minus this question), so the question is not correlated with
    itself. Pearson's r, in −100…100; None with fewer than two students or when either list
    has no variance (everyone scored the same), where r is undefined.
    Definition: Moodle, "Quiz statistics calculations", Discrimination index
    (https://docs.moodle.org/dev/Quiz_statistics_calculations), as computed by Moodle's
    ``question/classes/statistics/questions/calculator.php``:
    ``100 · cov(x, X−x) / sqrt(var(x) · var(X−x))``.
    """
    n = len(question)
    if n != len(rest):
        raise ValueError("question and rest scores must be paired, one per student")
    if n < 2:
        return None
    mean_q = sum(question) / n
    mean_r = sum(rest) / n
    covariance = sum((q - mean_q) * (r - mean_r) for q, r in zip(question, rest, strict=True))
    variance_q = sum((q - mean_q) ** 2 for q in question)
    variance_r = sum((r - mean_r) ** 2 for r in rest)
    # Sums of squares, not floats compared with 0: a constant column gives exactly 0 here.
    if variance_q <= 1e-12 or variance_r <= 1e-12:
        return None
    return 100.0 * covariance / math.sqrt(variance_q * variance_r)


def item_analysis(submissions: Sequence[Submission]) -> list[ItemStatistics]:
    """Facility and discrimination for every question, in the order questions first appear.

    Each submission's total is the sum of its answers' points; a question's "rest of the
    quiz" is that total minus the question. A submission without an answer to a question
    (it used a version of the lesson without it) is left out of that question only.
    """
    totals = [sum(answer.points for answer in s.answers) for s in submissions]
    scores: dict[str, list[tuple[float, float, float]]] = {}
    kinds: dict[str, str] = {}
    for submission, total in zip(submissions, totals, strict=True):
        for answer in submission.answers:
            kinds.setdefault(answer.question_id, answer.kind)
            scores.setdefault(answer.question_id, []).append(
                (answer.points, answer.max_points, total - answer.points))
    result = []
    for question_id, rows in scores.items():
        points = [row[0] for row in rows]
        maxima = [row[1] for row in rows]
        result.append(ItemStatistics(
            question_id=question_id, kind=kinds[question_id], students=len(rows),
            mean_points=sum(points) / len(rows), max_points=max(maxima),
            facility=facility_index(points, maxima),
            discrimination=discrimination_index(points, [row[2] for row in rows])))
    return result
