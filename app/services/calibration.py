"""Calibration of one assignment: what its teacher's "How sure are you?" page reads.

Read-only. Every rated answer of every attempt on the assignment counts (a student who
tried three times rated three times), from students now enrolled in the class, as the
other results pages count them; two queries whatever the class size. The arithmetic is
in :mod:`app.domain.calibration`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.domain import calibration
from app.domain.calibration import Level, RatedAnswer, Slip
from app.extensions import db
from app.models import Assignment, Attempt, AttemptAnswer, Enrollment, LessonVersion
from app.services.results import enrolled_in


@dataclass(frozen=True, slots=True)
class SlipRow:
    """A confident slip with the question it is in, as the page lists it."""

    slip: Slip
    number: int | None
    prompt: str


@dataclass(frozen=True, slots=True)
class Calibration:
    """The page's numbers: per rating, the confident slips, and how much was rated."""

    asks: bool
    levels: list[Level]
    slips: list[SlipRow]
    rated_answers: int
    students: int
    attempts: int


def _questions(contents: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """Question id -> (number, prompt), the newest version's first."""
    found: dict[str, tuple[int, str]] = {}
    for content in contents:
        for number, question in enumerate(content["questions"], start=1):
            found.setdefault(question["id"], (number, question["prompt"]))
    return found


def of_assignment(assignment: Assignment) -> Calibration:
    """The calibration of ``assignment`` (see the module's note on who counts)."""
    rows = db.session.execute(
        sa.select(Attempt.id, Attempt.user_id, Attempt.lesson_version_id,
                  AttemptAnswer.question_id, AttemptAnswer.confidence, AttemptAnswer.points,
                  AttemptAnswer.max_points, AttemptAnswer.verdicts)
        .join(AttemptAnswer, AttemptAnswer.attempt_id == Attempt.id)
        .join(Enrollment, enrolled_in(Attempt.user_id, assignment.classroom_id))
        .where(Attempt.assignment_id == assignment.id, AttemptAnswer.confidence.is_not(None))
        .order_by(Attempt.id, AttemptAnswer.position)).all()
    answers = [RatedAnswer(user_id, question_id, level, points, max_points, verdicts or [])
               for _, user_id, _, question_id, level, points, max_points, verdicts in rows]
    version_ids = {row[2] for row in rows}
    contents = [content for (content,) in db.session.execute(
        sa.select(LessonVersion.content)
        .where(LessonVersion.id.in_(version_ids))
        .order_by(LessonVersion.number.desc()))] if version_ids else []
    names: dict[str, str] = {}
    for content in reversed(contents):  # the newest version's names win
        names.update(calibration.item_names(content))
    questions = _questions(contents)
    order = sorted(questions, key=lambda qid: questions[qid][0])
    slips = [SlipRow(slip, *questions.get(slip.question_id, (None, slip.question_id)))
             for slip in calibration.confident_but_wrong(answers, names, order)]
    levels = calibration.by_level(answers)
    return Calibration(
        asks=assignment.ask_confidence, levels=levels, slips=slips,
        rated_answers=sum(level.answers for level in levels),
        students=len({answer.student_id for answer in answers}),
        attempts=len({row[0] for row in rows}))
