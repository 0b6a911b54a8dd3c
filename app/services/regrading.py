"""Regrading: rescoring past attempts with the lesson's current version, shown before done.

:func:`regrade_plan` says whom a regrade would change (and whom it cannot, and why);
:func:`apply_regrade` applies exactly the plan the teacher reviewed, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.domain.rescoring import NotRegradable, Rescored, rescore
from app.extensions import db
from app.models import Attempt, Lesson, LessonVersion, User, utcnow
from app.services import lti_grades
from app.services.authoring import EditConflict, commit_or_conflict, current_version


@dataclass(frozen=True, slots=True)
class RegradeRow:
    """An attempt on an older version: its score now, and after regrading (or why not)."""

    attempt: Attempt
    student: str
    version: int
    rescored: Rescored | None = None
    reason: str = ""


@dataclass(slots=True)
class RegradePlan:
    """What regrading would do: the attempts whose score changes, and those it cannot touch.

    ``fingerprint`` pins the plan the teacher saw, so applying refuses a plan that has
    changed since (a new attempt or version in the meantime).
    """

    version: LessonVersion | None
    changes: list[RegradeRow] = field(default_factory=list)
    blocked: list[RegradeRow] = field(default_factory=list)
    unchanged: int = 0
    fingerprint: str = ""


def regrade_plan(lesson: Lesson) -> RegradePlan:
    """Rescore every attempt on an older version of ``lesson`` with the current key.

    Who is covered: every attempt on this lesson. Regrading is offered only for a
    teacher's own lessons, and those reach students only through that teacher's
    assignments, so these are the teacher's students' attempts (including ones whose
    assignment was deleted since). Nothing is written here.
    """
    version = current_version(lesson)
    plan = RegradePlan(version)
    if version is None:
        return plan
    versions = {v.id: v for v in db.session.scalars(
        sa.select(LessonVersion).where(LessonVersion.lesson_id == lesson.id))}
    attempts = db.session.execute(
        sa.select(Attempt, User.username).join(User, Attempt.user_id == User.id)
        .where(Attempt.lesson_id == lesson.id, Attempt.lesson_version_id != version.id)
        .options(selectinload(Attempt.answers))
        .order_by(User.username, Attempt.submitted_at, Attempt.id)).all()
    for attempt, username in attempts:
        old = versions[attempt.lesson_version_id]
        responses = {answer.question_id: answer.response for answer in attempt.answers}
        try:
            rescored = rescore(old.content, version.content, responses)
        except NotRegradable as reason:
            plan.blocked.append(RegradeRow(attempt, username, old.number, reason=str(reason)))
            continue
        if (rescored.score, rescored.max_score) == (attempt.score, attempt.max_score):
            plan.unchanged += 1
        else:
            plan.changes.append(RegradeRow(attempt, username, old.number, rescored))
    pinned = [version.id, [(row.attempt.id, row.rescored.score, row.rescored.max_score)
                           for row in plan.changes if row.rescored is not None]]
    plan.fingerprint = hashlib.sha256(json.dumps(pinned).encode()).hexdigest()
    return plan


def apply_regrade(lesson: Lesson, fingerprint: str) -> int:
    """Apply the plan the teacher reviewed, in one transaction; returns attempts changed.

    Each changed attempt gets the new points, verdicts and detection counts per answer,
    its new total, the current version and ``regraded_at``. Raises :class:`EditConflict`
    if the plan is no longer the one with ``fingerprint``.
    """
    plan = regrade_plan(lesson)
    if plan.version is None or plan.fingerprint != fingerprint:
        raise EditConflict("The attempts or the lesson changed since you looked at the "
                           "regrade. Review the new list and apply it again.")
    now = utcnow()
    for row in plan.changes:
        assert row.rescored is not None
        for answer in row.attempt.answers:
            answer.points, answer.max_points, answer.verdicts = \
                row.rescored.answers[answer.question_id]
            answer.detection = row.rescored.detection.get(answer.question_id)
        row.attempt.score = row.rescored.score
        row.attempt.max_score = row.rescored.max_score
        row.attempt.lesson_version_id = plan.version.id
        row.attempt.regraded_at = now
    db.session.flush()
    for assignment in {row.attempt.assignment for row in plan.changes
                       if row.attempt.assignment is not None}:
        lti_grades.queue(assignment)  # the LMS's gradebook follows the new scores
    commit_or_conflict("The attempts changed while regrading; nothing was changed. Try again.")
    return len(plan.changes)
