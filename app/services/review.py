"""Review of what was missed, stored: scheduling after an attempt, a student's due items,
answering one (once), and the teacher's overview of a class.

The rules (which techniques count as missed, the growing gaps, the set) are in
:mod:`app.domain.review`; choosing a passage and keying its question in
:mod:`app.domain.review_passages`. Only classes whose teacher switched review on
(``Classroom.review_enabled``) schedule items, and a student sees the items of those
classes only, while they are in them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.caching import kept
from app.domain import review as rules
from app.domain import review_passages
from app.domain.assignment_rules import student_due
from app.domain.scoring import score_question
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    Classroom,
    Document,
    Enrollment,
    Extension,
    LessonVersion,
    Reading,
    ReviewItem,
    User,
)
from app.security import clock
from app.services.readings import reading_hashes_for


class AlreadyAnswered(Exception):
    """The item was answered before (a double click, a resent form): nothing changed."""


class NotDue(Exception):
    """The item is not due yet: it cannot be answered before its day."""


# --- scheduling -------------------------------------------------------------------------


def schedule_after_attempt(attempt: Attempt, assignment: Assignment | None,
                           now: datetime | None = None) -> list[ReviewItem]:
    """Schedule the first review of every reviewable technique ``attempt`` missed (no
    commit: the caller's transaction stores the attempt and its reviews together).

    ``attempt`` is one just scored and not yet committed (submit_attempt calls this).
    Nothing happens unless the attempt is for an assignment of a class with review on. A
    technique that already has an open item in the class is brought forward instead (back
    to the first gap, due no later than a new one would be). A technique with no passage
    left that the student has not seen gets no item. Returns the items added.

    A review names what the attempt missed, so it never comes before the attempt's own
    answers may be shown: for an assignment that shows them after the due date, the first
    review is due then at the earliest (the student's own due date, with an extension);
    for one that never shows them, none is scheduled.
    """
    if assignment is None or not assignment.classroom.review_enabled:
        return []
    now = now or clock.now()
    shown_from = answers_shown_from(assignment, attempt.user_id, now)
    if shown_from is None:
        return []
    # The attempt was just scored: every marking answer carries its counts
    # (app.domain.discernment.stored_detection), so nothing is rescored here.
    missed = [technique for technique in rules.missed_techniques(
                  answer.detection for answer in attempt.answers)
              if rules.reviewable(technique)]
    if not missed:
        return []
    classroom = assignment.classroom
    open_items = {item.technique: item for item in db.session.scalars(
        sa.select(ReviewItem).where(ReviewItem.student_id == attempt.user_id,
                                    ReviewItem.classroom_id == classroom.id,
                                    ReviewItem.answered_at.is_(None),
                                    ReviewItem.technique.in_(missed)))}
    due = max(rules.first_due(now), shown_from)
    planner = _Planner(attempt.user_id, classroom.teacher_id)
    added = []
    for technique in missed:
        item = open_items.get(technique)
        if item is not None:
            item.step, item.due_at = 0, min(item.due_at, due)
            continue
        new = planner.plan(classroom.id, technique, 0, due)
        if new is not None:
            added.append(new)
    db.session.flush()
    return added


def answers_shown_from(assignment: Assignment, student_id: int,
                       now: datetime) -> datetime | None:
    """From when the student may see the answers of their attempts on ``assignment``: now
    (shown at once), their due date (shown after it; with their extension, if any), or
    None (never shown, or "after the due date" with no due date)."""
    if assignment.feedback == "immediately":
        return now
    if assignment.feedback != "after_due" or assignment.due_at is None:
        return None
    extended = db.session.scalar(sa.select(Extension.due_at).where(
        Extension.assignment_id == assignment.id, Extension.student_id == student_id))
    return student_due(assignment.due_at, extended)


class _Planner:
    """Chooses passages for one student, every earlier passage and excerpt left out.

    What a passage choice costs (listing a document's passages for a technique, compiling
    a question on one) depends only on the technique, the document and its reading, not
    on the student: it is kept per process (:func:`app.caching.kept`), keyed by the
    reading's content hash, so scheduling at submission costs little after the first."""

    def __init__(self, student_id: int, teacher_id: int) -> None:
        self.student_id = student_id
        self.readings, self.documents, self.ids, self.hashes = _material(teacher_id)
        self.seen = seen_ranges(student_id)

    def plan(self, classroom_id: int, technique: str, step: int,
             due_at: datetime) -> ReviewItem | None:
        def every(document: str) -> tuple[review_passages.Passage, ...]:
            return kept("review_passages", 256).get(
                (technique, document, self.hashes[document]),
                lambda: tuple(review_passages.candidates(
                    document, self.documents[document], self.readings[document],
                    technique))) or ()

        def compiled(passage: review_passages.Passage) -> dict[str, Any] | None:
            found = kept("review_questions", 2048).get(
                (technique, passage.document, self.hashes[passage.document], passage.start,
                 passage.end),
                lambda: review_passages.build_question(
                    technique, passage, self.documents, self.readings) or _REFUSED)
            return None if found is _REFUSED else copy.deepcopy(found)

        chosen = review_passages.choose(technique, self.documents, self.readings, self.seen,
                                        f"{self.student_id}:{technique}:{step}",
                                        every=every, compiled=compiled)
        if chosen is None:
            return None
        passage = chosen.passage
        self.seen.setdefault(passage.document, []).append((passage.start, passage.end))
        item = ReviewItem(student_id=self.student_id, classroom_id=classroom_id,
                          technique=technique, document_id=self.ids[passage.document],
                          passage_start=passage.start, passage_end=passage.end,
                          content=chosen.content, step=step, due_at=due_at)
        db.session.add(item)
        return item


# Kept for a passage the compiler refuses (the cache keeps no None).
_REFUSED: dict[str, Any] = {"refused": True}


def _material(teacher_id: int) -> tuple[dict[str, Any], dict[str, str], dict[str, int],
                                        dict[str, str]]:
    """The readings that key the teacher's lessons, of the library's documents, with the
    documents' texts, ids and the readings' content hashes (two statements; a reading's
    content is read again only when its hash is new to this process)."""
    in_force = reading_hashes_for(teacher_id)
    rows = db.session.execute(sa.select(Document.slug, Document.id, Document.text).where(
        Document.owner_id.is_(None), Document.slug.in_(list(in_force))))
    readings, documents, ids, hashes = {}, {}, {}, {}
    for slug, document_id, text in rows:
        reading_id, content_hash = in_force[slug]
        readings[slug] = kept("review_readings", 64).get(
            content_hash, lambda reading_id=reading_id: db.session.scalar(
                sa.select(Reading.content).where(Reading.id == reading_id)))
        documents[slug], ids[slug], hashes[slug] = text, document_id, content_hash
    return readings, documents, ids, hashes


def seen_ranges(student_id: int) -> dict[str, list[tuple[int, int]]]:
    """Document slug -> every character range the student has been shown: each excerpt of
    each lesson version they attempted, and each of their review passages (two statements,
    and one more per lesson version new to this process: a version's excerpts never change,
    so they are kept by its id and content hash)."""
    seen: dict[str, list[tuple[int, int]]] = {}
    versions = sa.select(Attempt.lesson_version_id).where(
        Attempt.user_id == student_id).distinct()
    for version_id, content_hash in db.session.execute(
            sa.select(LessonVersion.id, LessonVersion.content_hash)
            .where(LessonVersion.id.in_(versions))):
        for document, start, end in kept("review_version_ranges", 512).get(
                (version_id, content_hash), lambda version_id=version_id: _excerpt_ranges(
                    version_id)) or ():
            seen.setdefault(document, []).append((start, end))
    for slug, start, end in db.session.execute(
            sa.select(Document.slug, ReviewItem.passage_start, ReviewItem.passage_end)
            .join(Document, Document.id == ReviewItem.document_id)
            .where(ReviewItem.student_id == student_id)):
        seen.setdefault(slug, []).append((start, end))
    return seen


def _excerpt_ranges(version_id: int) -> tuple[tuple[str, int, int], ...]:
    content = db.session.scalar(sa.select(LessonVersion.content)
                                .where(LessonVersion.id == version_id))
    return tuple((excerpt["document"], excerpt["start"], excerpt["end"])
                 for excerpt in (content or {}).get("excerpts", []))


# --- the student's items ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentView:
    """What a student's pages show of review: whether any class of theirs has it on, the
    set due now, and when the next item after those is due."""

    enabled: bool
    due: list[rules.Due]
    next_due_at: datetime | None


def student_view(student_id: int, now: datetime | None = None) -> StudentView:
    """The student's review (one statement): only classes with review on, while enrolled."""
    now = now or clock.now()
    rows = db.session.execute(
        sa.select(Classroom.id, ReviewItem.id, ReviewItem.technique, ReviewItem.due_at)
        .join(Enrollment, sa.and_(Enrollment.classroom_id == Classroom.id,
                                  Enrollment.student_id == student_id))
        .outerjoin(ReviewItem, sa.and_(ReviewItem.classroom_id == Classroom.id,
                                       ReviewItem.student_id == student_id,
                                       ReviewItem.answered_at.is_(None)))
        .where(Classroom.review_enabled.is_(True), Classroom.archived.is_(False))).all()
    items = [rules.Due(item_id, technique, due_at)
             for _class, item_id, technique, due_at in rows if item_id is not None]
    due = rules.due_set(items, now)
    later = [item.due_at for item in items if item.due_at > now]
    return StudentView(bool(rows), due, min(later) if later else None)


def items_of_student(item_ids: list[int], student_id: int) -> dict[int, ReviewItem]:
    """Item id -> the student's own item, of those in a class with review on that they
    are in (with its document and class); anyone else's, or of a class with review off,
    is left out."""
    if not item_ids:
        return {}
    return {item.id: item for item in db.session.scalars(
        sa.select(ReviewItem)
        .join(Classroom, Classroom.id == ReviewItem.classroom_id)
        .join(Enrollment, sa.and_(Enrollment.classroom_id == Classroom.id,
                                  Enrollment.student_id == student_id))
        .where(ReviewItem.id.in_(item_ids), ReviewItem.student_id == student_id,
               Classroom.review_enabled.is_(True), Classroom.archived.is_(False))
        .options(sa.orm.joinedload(ReviewItem.document),
                 sa.orm.joinedload(ReviewItem.classroom)))}


def item_of_student(item_id: int, student_id: int) -> ReviewItem | None:
    """The student's own item ``item_id`` (see :func:`items_of_student`), or None."""
    return items_of_student([item_id], student_id).get(item_id)


def next_of(item: ReviewItem) -> ReviewItem | None:
    """The open item of the same student, class and technique scheduled after ``item``."""
    return db.session.scalar(
        sa.select(ReviewItem).where(ReviewItem.student_id == item.student_id,
                                    ReviewItem.classroom_id == item.classroom_id,
                                    ReviewItem.technique == item.technique,
                                    ReviewItem.answered_at.is_(None),
                                    ReviewItem.id > item.id)
        .order_by(ReviewItem.id).limit(1))


@dataclass(frozen=True, slots=True)
class Answered:
    """An item just answered, and what comes next for its technique: the next item, or
    None (``ended``: the last gap was passed; otherwise no unseen passage is left)."""

    item: ReviewItem
    next_item: ReviewItem | None
    ended: bool


def answer(item: ReviewItem, response: Mapping[str, Any],
           now: datetime | None = None) -> Answered:
    """Score ``response`` and store it on ``item``, exactly once, and schedule the
    technique's next item; one transaction.

    Raises :class:`NotDue` before the item's day and :class:`AlreadyAnswered` when it was
    answered already (also when another request answered it a moment ago): nothing is
    stored then, and the first answer stands.
    """
    now = now or clock.now()
    if item.answered_at is not None:
        raise AlreadyAnswered
    if item.due_at > now:
        raise NotDue
    content = item.content
    texts = {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}
    result = score_question(content["questions"][0], response, texts)
    stored = db.session.execute(
        sa.update(ReviewItem)
        .where(ReviewItem.id == item.id, ReviewItem.answered_at.is_(None))
        .values(answered_at=now, response=dict(response), points=result.points,
                max_points=result.max_points, verdicts=result.verdicts)
        .execution_options(synchronize_session=False))
    if stored.rowcount != 1:
        db.session.rollback()
        raise AlreadyAnswered
    step = rules.next_step(item.step, result.points, result.max_points)
    next_item = None
    if step is not None:
        classroom = db.session.get(Classroom, item.classroom_id)
        planner = _Planner(item.student_id, classroom.teacher_id)
        next_item = planner.plan(item.classroom_id, item.technique, step,
                                 rules.due_after(now, step))
    db.session.commit()
    db.session.refresh(item)
    return Answered(item, next_item, ended=step is None)


# --- the teacher's overview -------------------------------------------------------------


def overview(classroom: Classroom,
             now: datetime | None = None) -> list[tuple[User, rules.StudentReview]]:
    """Every student of the class, by username, with their review in it (two statements)."""
    now = now or clock.now()
    students = list(db.session.scalars(
        sa.select(User).join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == classroom.id).order_by(User.username)))
    items: dict[int, list[dict[str, Any]]] = {}
    for row in db.session.execute(
            sa.select(ReviewItem.student_id, ReviewItem.technique, ReviewItem.due_at,
                      ReviewItem.answered_at, ReviewItem.points, ReviewItem.max_points)
            .where(ReviewItem.classroom_id == classroom.id)).mappings():
        items.setdefault(row["student_id"], []).append(dict(row))
    return [(student, rules.summarize(items.get(student.id, []), now)) for student in students]
