"""Taking a lesson: the visible lessons, scoring a submission, and a student's history."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.caching import kept
from app.domain.discernment import stored_detection
from app.domain.scoring import score_question
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Draft,
    Enrollment,
    Lesson,
    LessonVersion,
    User,
)
from app.services import locking, lti_grades, review
from app.services.assignments import attempts_used, permission_now
from app.services.drafts import SavedDraft, delete_pending, scope_of

SUBMISSION_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class StudentGone(Exception):
    """The student's account was deleted while they submitted: nothing was stored."""


class DuplicateSubmission(Exception):
    """This form was submitted already (a double click, a second tab, a resend)."""

    def __init__(self, attempt_id: int | None):
        super().__init__("already submitted")
        self.attempt_id = attempt_id


def visible_lesson(slug: str) -> Lesson | None:
    """The published library lesson with this slug, or None.

    Drafts, archived lessons and teachers' own lessons are hidden here: a teacher's lesson
    reaches students only through an assignment to their class.
    """
    return db.session.scalar(sa.select(Lesson).where(*_in_library(slug)))


def _in_library(slug: str) -> tuple[sa.ColumnElement[bool], ...]:
    return Lesson.slug == slug, Lesson.status == "published", Lesson.owner_id.is_(None)


@dataclass(frozen=True, slots=True)
class Opening:
    """A library lesson as a student opens it: the lesson, its current version (None if
    it has none) and the student's draft on it (None if none)."""

    lesson: Lesson
    version: VersionSnapshot | None
    draft: SavedDraft | None


def visible_lesson_snapshot(slug: str, user_id: int) -> Opening | None:
    """The published library lesson ``slug``, its current version and ``user_id``'s draft
    of practice on it, or None if there is no such lesson.

    One statement for the lesson, its version's key and the draft (on the drafts' unique
    index); the content comes from the per-process snapshot (see :func:`version_snapshot`).
    """
    row = db.session.execute(
        sa.select(Lesson, LessonVersion.id, LessonVersion.content_hash,
                  Draft.lesson_version_id, Draft.position, Draft.marks)
        .outerjoin(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                          LessonVersion.number == Lesson.version))
        .outerjoin(Draft, sa.and_(Draft.user_id == user_id,
                                  Draft.scope == "lesson:" + sa.cast(Lesson.id, sa.String)))
        .where(*_in_library(slug))).first()
    if row is None:
        return None
    lesson, version_id, content_hash, draft_version, position, marks = row
    draft = None if draft_version is None else SavedDraft(draft_version, position,
                                                          dict(marks or {}))
    return Opening(lesson, version_snapshot(version_id, content_hash), draft)


def lesson_version(lesson: Lesson, number: int | None = None) -> LessonVersion | None:
    """A version of ``lesson`` by number (default: the current one)."""
    return db.session.scalar(sa.select(LessonVersion).where(
        LessonVersion.lesson_id == lesson.id,
        LessonVersion.number == (lesson.version if number is None else number)))


def version_by_number(lesson_id: int, number: int) -> VersionSnapshot | None:
    """Version ``number`` of the lesson as its per-process snapshot (one small statement:
    its id and hash; the content is parsed once per process), or None."""
    row = db.session.execute(_version_key_statement(), {"lesson_id": lesson_id,
                                                        "number": number}).first()
    return None if row is None else version_snapshot(row[0], row[1])


@cache
def _version_key_statement() -> sa.Select[Any]:
    return sa.select(LessonVersion.id, LessonVersion.content_hash).where(
        LessonVersion.lesson_id == sa.bindparam("lesson_id"),
        LessonVersion.number == sa.bindparam("number"))


@dataclass(frozen=True, slots=True)
class VersionSnapshot:
    """What the quiz page needs of a lesson version, shared by every request of a process.

    A version's content never changes (an edit makes a new version), so it is read and
    parsed once per process and key, not once per student. ``content`` is shared: treat
    it as read-only.
    """

    id: int
    lesson_id: int
    number: int
    content_hash: str
    content: dict[str, Any]


def version_snapshot(version_id: int | None, content_hash: str | None) -> VersionSnapshot | None:
    """The version ``version_id`` whose content hashes to ``content_hash``, or None (also
    when either is None: a lesson without a current version).

    Kept per process (a school uses a few lessons at a time); the key includes the hash,
    so a kept entry can only ever be the content the caller asked for.
    """
    if version_id is None or content_hash is None:
        return None

    def load() -> VersionSnapshot | None:
        version = db.session.get(LessonVersion, version_id)
        if version is None or version.content_hash != content_hash:
            return None
        return VersionSnapshot(version.id, version.lesson_id, version.number,
                               version.content_hash, version.content)

    return kept("version_snapshots", 64).get((version_id, content_hash), load)


def excerpt_texts(content: dict[str, Any]) -> dict[str, str]:
    """Excerpt id -> text, as the scorers and the form parser take them."""
    return {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}


def submit_attempt(user: User, lesson: Lesson, version: LessonVersion, token: str,
                   responses: dict[str, dict[str, Any]], *,
                   assignment: Assignment | None = None,
                   confidence: Mapping[str, int] | None = None) -> Attempt:
    """Score ``responses`` against ``version``'s key and store the attempt, all or nothing.

    The attempt keeps every response, every verdict and the version used, so later edits
    to the lesson never change this score. A token seen before for this user raises
    :class:`DuplicateSubmission` carrying the attempt already stored.

    For an ``assignment``, its rules apply at the moment of submission: the student must
    still be enrolled, within the attempt limit, and on time unless late work is accepted
    (then the attempt is flagged ``late``). A refusal raises :class:`AttemptRefused` and
    stores nothing.

    The student's saved progress on the lesson (or assignment) is deleted in the same
    transaction: the attempt and the draft's removal are stored together or not at all.

    ``confidence``: question id -> the student's "How sure are you?" rating (1-4), stored
    beside that answer (an assignment that asks it; see :mod:`app.domain.confidence`).
    """
    user_id = user.id
    ratings = confidence or {}
    # Waits for a deletion of this student in progress (see locking.lock_user).
    if not locking.lock_user(user_id, share=True):
        _gone()
    existing = _attempt_for_token(user_id, token)
    if existing is not None:
        raise DuplicateSubmission(existing)
    late = _check_rules(user_id, assignment) if assignment is not None else False
    content = version.content
    texts = excerpt_texts(content)
    attempt = Attempt(user_id=user.id, lesson_id=lesson.id, lesson_version_id=version.id,
                      submission_token=token, score=0.0, max_score=0.0, late=late,
                      assignment_id=None if assignment is None else assignment.id)
    total = maximum = 0.0
    for position, question in enumerate(content["questions"]):
        response = responses.get(question["id"], {})
        result = score_question(question, response, texts)
        total += result.points
        maximum += result.max_points
        attempt.answers.append(AttemptAnswer(
            position=position, question_id=question["id"], kind=question["kind"],
            response=response, points=result.points, max_points=result.max_points,
            verdicts=result.verdicts,
            confidence=ratings.get(question["id"]),
            detection=stored_detection(question, response, texts)))
    attempt.score = round(total, 2)
    attempt.max_score = round(maximum, 2)
    db.session.add(attempt)
    try:
        db.session.flush()
        if assignment is not None:
            _recheck_limit(user_id, assignment)
            review.schedule_after_attempt(attempt, assignment)  # if the class reviews misses
            lti_grades.queue_after_attempt(attempt)  # for the LMS's gradebook, if linked
        delete_pending(user_id, scope_of(lesson.id, None if assignment is None
                                         else assignment.id))
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if not account_exists(user_id):  # SQLite: the student was deleted meanwhile (foreign key)
            _gone(error)
        # Two requests with one token raced past the check above: the other one won.
        raise DuplicateSubmission(_attempt_for_token(user_id, token)) from error
    return attempt


def account_exists(user_id: int) -> bool:
    """Whether the account still exists (it may be deleted while its owner submits)."""
    return db.session.scalar(sa.select(User.id).where(User.id == user_id)) is not None


def _gone(cause: Exception | None = None) -> None:
    db.session.rollback()
    raise StudentGone("this account was deleted") from cause


class AttemptRefused(Exception):
    """The assignment's rules refuse this attempt; ``str()`` says why, for the student."""


def _check_rules(user_id: int, assignment: Assignment) -> bool:
    """Apply the assignment's rules inside the submit transaction; True if it is late.

    The enrollment row is locked (``FOR UPDATE`` on PostgreSQL) so two submissions by one
    student for one class run one after the other: the second counts the first one's
    attempt. SQLite ignores the lock but lets one writer in at a time, and
    :func:`_recheck_limit` counts again once this attempt holds the write lock.
    """
    enrolled = db.session.scalar(
        sa.select(Enrollment.id).where(Enrollment.classroom_id == assignment.classroom_id,
                                       Enrollment.student_id == user_id)
        .with_for_update())
    if enrolled is None and not account_exists(user_id):
        _gone()  # removed from the class by the deletion of their account
    if enrolled is None or assignment.classroom.archived:
        db.session.rollback()
        raise AttemptRefused("You are not in this class, so you cannot submit work for it.")
    permission = permission_now(assignment, attempts_used(user_id, assignment.id),
                                student_id=user_id)
    if not permission.allowed:
        db.session.rollback()
        raise AttemptRefused(permission.reason)
    return permission.late


def _recheck_limit(user_id: int, assignment: Assignment) -> None:
    """After the insert, before the commit: were we still within the limit? Else undo."""
    before_this_one = attempts_used(user_id, assignment.id) - 1
    permission = permission_now(assignment, before_this_one, student_id=user_id)
    if not permission.allowed:
        db.session.rollback()
        raise AttemptRefused(permission.reason)


def _attempt_for_token(user_id: int, token: str) -> int | None:
    return db.session.scalar(sa.select(Attempt.id).where(
        Attempt.user_id == user_id, Attempt.submission_token == token))


@dataclass(frozen=True, slots=True)
class LessonRow:
    """A lesson in the student's list, with their best result so far."""

    lesson: Lesson
    attempts: int
    best_percent: int | None
    minutes: int | None


def lessons_for(user: User) -> list[LessonRow]:
    """Published lessons with the user's attempt count and best percentage (two queries)."""
    best = (
        sa.select(Attempt.lesson_id,
                  sa.func.count(Attempt.id).label("attempts"),
                  sa.func.max(sa.case((Attempt.max_score > 0,
                                       Attempt.score * 100.0 / Attempt.max_score),
                                      else_=0.0)).label("best"))
        .where(Attempt.user_id == user.id)
        .group_by(Attempt.lesson_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Lesson, best.c.attempts, best.c.best, LessonVersion.content)
        .outerjoin(best, best.c.lesson_id == Lesson.id)
        .join(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                     LessonVersion.number == Lesson.version))
        .where(Lesson.status == "published", Lesson.owner_id.is_(None))
        .order_by(sa.case({"intro": 0, "core": 1, "challenge": 2}, value=Lesson.level,
                          else_=3), Lesson.title)
    )
    return [LessonRow(lesson, attempts or 0, None if best_pct is None else round(best_pct),
                      content.get("minutes"))
            for lesson, attempts, best_pct, content in rows]


def attempts_of(user: User, *, assignment_id: int | None = None) -> list[Attempt]:
    """Every attempt of ``user`` (or only those for one assignment), newest first, with its
    lesson loaded."""
    query = sa.select(Attempt).where(Attempt.user_id == user.id)
    if assignment_id is not None:
        query = query.where(Attempt.assignment_id == assignment_id)
    return list(db.session.scalars(
        query.options(sa.orm.joinedload(Attempt.lesson))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())))
