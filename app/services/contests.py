"""Students' disagreements with a key ("I disagree"), and what their teachers see of them.

A student contests one item of the feedback on their own attempt (a wrong mark, a missed
or partly found item) with a one-line reason. The contest keeps the span in offsets of the
document, so contests on the same words meet whatever lesson quoted them. A teacher sees
the contests of the students in their classes and dismisses or accepts them (accepting
changes a reading: :mod:`app.services.contest_accept`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain.text import sentences, words
from app.extensions import db
from app.models import (
    CONTESTED_VERDICTS,
    Attempt,
    Classroom,
    Contest,
    Document,
    Enrollment,
    Lesson,
    User,
    utcnow,
)
from app.services.assignments import answers_hidden_note

# At most this many contests sent (new or changed) per student per hour.
RATE_LIMIT: Final = 50
RATE_WINDOW: Final = timedelta(hours=1)
SENT_MESSAGE: Final = "Your disagreement was sent to your teacher."


class ContestRefused(Exception):
    """A contest that cannot be recorded; ``message`` is for the student."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class Target:
    """What a contest is about: a verdict of a question, placed in its document."""

    question_id: str
    verdict: str
    document: str
    start: int
    end: int
    text: str
    unit: str  # "word" or "sentence"


def _excerpt_of(content: Mapping[str, Any], question: Mapping[str, Any],
                side: int | None) -> Mapping[str, Any] | None:
    if question["kind"] == "compare":
        sides = question.get("sides") or []
        if side is None or not 0 <= side < len(sides):
            return None
        excerpt_id = sides[side]["excerpt"]
    else:
        excerpt_id = question.get("excerpt")
    return next((e for e in content["excerpts"] if e["id"] == excerpt_id), None)


def target_of(content: Mapping[str, Any], question_id: str, verdict: Mapping[str, Any]) \
        -> Target | None:
    """Where a stored verdict sits in its document (None when it cannot be placed)."""
    question = next((q for q in content["questions"] if q["id"] == question_id), None)
    if question is None or verdict.get("type") not in CONTESTED_VERDICTS:
        return None
    excerpt = _excerpt_of(content, question, verdict.get("side"))
    if excerpt is None or "start" not in excerpt:
        return None
    if "sentence" in verdict and "words" not in verdict:
        spans, units, unit = sentences(excerpt["text"]), [verdict["sentence"]], "sentence"
    else:
        spans, units, unit = words(excerpt["text"]), list(verdict.get("words") or []), "word"
    if not units or not all(isinstance(i, int) and 0 <= i < len(spans) for i in units):
        return None
    first, last = spans[min(units)], spans[max(units)]
    return Target(question_id, verdict["type"], excerpt["document"],
                  excerpt["start"] + first.start, excerpt["start"] + last.end,
                  excerpt["text"][first.start:last.end], unit)


def unit_key(verdict: Mapping[str, Any]) -> str:
    """The verdict's place as the form sends it: ``side:w1.2.3`` or ``side:s4``."""
    side = verdict.get("side")
    prefix = "" if side is None else str(side)
    if "sentence" in verdict and "words" not in verdict:
        return f"{prefix}:s{verdict['sentence']}"
    return f"{prefix}:w" + ".".join(str(i) for i in verdict.get("words") or [])


def find_verdict(attempt: Attempt, question_id: str, place: str) -> Mapping[str, Any] | None:
    """The contestable verdict of ``attempt`` at ``place`` (see :func:`unit_key`)."""
    answer = next((a for a in attempt.answers if a.question_id == question_id), None)
    if answer is None:
        return None
    return next((v for v in answer.verdicts if v.get("type") in CONTESTED_VERDICTS
                 and unit_key(v) == place), None)


def contests_of_attempt(attempt: Attempt) -> dict[tuple[str, int, int], Contest]:
    """The student's contests on ``attempt``, by (question, start, end) of their span
    (loaded with the attempt on the feedback page: ``Attempt.contests``)."""
    return {(c.question_id, c.span_start, c.span_end): c for c in attempt.contests}


def send(student: User, attempt: Attempt, question_id: str, place: str, reason: str,
         now: datetime | None = None) -> Contest:
    """Record (or update the reason of) the student's contest of one verdict; commits.

    Raises :class:`ContestRefused`: 403 for another's attempt or while the feedback is
    hidden, 404 for a verdict that is not there or cannot be contested, 429 past the
    rate limit. One contest per span: sending again changes the reason (a race of two
    sends meets the unique constraint and becomes an update).
    """
    now = now or utcnow()
    if attempt.user_id != student.id:
        raise ContestRefused("You can only disagree with the feedback on your own attempts.",
                             403)
    if answers_hidden_note(attempt, now) is not None:
        raise ContestRefused("The answers to this attempt are not shown yet, so there is "
                             "nothing to disagree with.", 403)
    verdict = find_verdict(attempt, question_id, place)
    target = target_of(attempt.lesson_version.content, question_id, verdict) \
        if verdict is not None else None
    if target is None:
        raise ContestRefused("That item is not in the feedback of this attempt (reload the "
                             "page and try again).", 404)
    recent = db.session.scalar(sa.select(sa.func.count(Contest.id)).where(
        Contest.student_id == student.id, Contest.updated_at > now - RATE_WINDOW)) or 0
    if recent >= RATE_LIMIT:
        raise ContestRefused(f"You have sent {RATE_LIMIT} disagreements in the last hour, the "
                             "most we take. Please wait a while and send this one later.", 429)
    document_id = db.session.scalar(sa.select(Document.id).where(
        Document.slug == target.document))
    if document_id is None:
        raise ContestRefused("That item's document is gone.", 404)
    for _ in range(2):
        contest = db.session.scalar(sa.select(Contest).where(
            Contest.student_id == student.id, Contest.attempt_id == attempt.id,
            Contest.question_id == question_id, Contest.span_start == target.start,
            Contest.span_end == target.end))
        if contest is None:
            contest = Contest(
                student_id=student.id, attempt_id=attempt.id, lesson_id=attempt.lesson_id,
                lesson_version=attempt.lesson_version.number, question_id=question_id,
                document_id=document_id, span_start=target.start, span_end=target.end,
                span_text=target.text, verdict=target.verdict, created_at=now)
            db.session.add(contest)
        contest.reason = reason
        contest.updated_at = now
        try:
            db.session.commit()
            return contest
        except IntegrityError:  # the same span sent at the same moment: update that one
            db.session.rollback()
    raise ContestRefused("Your disagreement could not be saved; please send it again.", 409)


# --- what a teacher sees -----------------------------------------------------------------

def _students_of(teacher: User) -> sa.ColumnElement[bool]:
    """Contests of students in one of ``teacher``'s classes (every contest for an admin)."""
    if teacher.has_role("admin"):
        return sa.true()
    return Contest.student_id.in_(
        sa.select(Enrollment.student_id).join(Classroom, Classroom.id == Enrollment.classroom_id)
        .where(Classroom.teacher_id == teacher.id))


def may_see(teacher: User, contest: Contest) -> bool:
    """Whether ``contest`` is from a student of one of ``teacher``'s classes."""
    return bool(db.session.scalar(sa.select(sa.literal(True)).where(
        Contest.id == contest.id, _students_of(teacher))))


@dataclass(frozen=True, slots=True)
class ContestRow:
    """One contest as the teacher's list shows it."""

    contest: Contest
    student: str


@dataclass(slots=True)
class SpanGroup:
    """The contests of one span of one question, newest first."""

    question_id: str
    text: str
    verdicts: list[str] = field(default_factory=list)
    rows: list[ContestRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def open(self) -> int:
        return sum(1 for row in self.rows if row.contest.status == "open")


def lesson_contests(teacher: User, lesson: Lesson) -> list[SpanGroup]:
    """The contests on ``lesson`` from ``teacher``'s students, grouped by question and span.

    Groups come in question order of the lesson's current version (then by place in the
    document); contests within a group newest first. One query, plus the version's.
    """
    rows = db.session.execute(
        sa.select(Contest, User.username).join(User, User.id == Contest.student_id)
        .where(Contest.lesson_id == lesson.id, _students_of(teacher))
        .order_by(Contest.updated_at.desc(), Contest.id.desc())).all()
    groups: dict[tuple[str, int, int, int], SpanGroup] = {}
    for contest, username in rows:
        key = (contest.question_id, contest.document_id, contest.span_start, contest.span_end)
        group = groups.setdefault(key, SpanGroup(contest.question_id, contest.span_text))
        if contest.verdict not in group.verdicts:
            group.verdicts.append(contest.verdict)
        group.rows.append(ContestRow(contest, username))
    return sorted(groups.values(), key=lambda g: (g.question_id,
                                                  g.rows[0].contest.span_start))


def open_counts(teacher: User, lesson_id: int) -> dict[tuple[str, str], int]:
    """Open contests on a lesson from ``teacher``'s students, by (question id, span text)."""
    rows = db.session.execute(
        sa.select(Contest.question_id, Contest.span_text, sa.func.count(Contest.id))
        .where(Contest.lesson_id == lesson_id, Contest.status == "open", _students_of(teacher))
        .group_by(Contest.question_id, Contest.span_text))
    return {(question_id, text): count for question_id, text, count in rows}


def decide(contests: Sequence[Contest], teacher: User, status: str,
           now: datetime | None = None) -> None:
    """Mark contests accepted or dismissed by ``teacher`` (no commit)."""
    now = now or utcnow()
    for contest in contests:
        contest.status, contest.decided_at, contest.decided_by_id = status, now, teacher.id


def dismiss(contest: Contest, teacher: User) -> None:
    """Dismiss a contest: the key stays as it is. Commits."""
    decide([contest], teacher, "dismissed")
    db.session.commit()
