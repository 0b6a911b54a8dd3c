"""Class results: what the gradebook, the results pages and the CSV exports read.

Read-only (nothing here writes, so there is no transaction to own). Every function runs a
fixed number of queries whatever the class size (tests/web/test_query_counts.py holds us
to it): rows come back in bulk, joined to the class's enrollments, and are grouped in
Python, never fetched student by student. The arithmetic is in :mod:`app.domain.analysis`.

Only students currently enrolled count: a student removed from the class drops out of the
gradebook, the statistics and the exports (their attempts stay stored).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.domain import adjusted_grades, analysis
from app.domain.adjusted_grades import Note
from app.domain.analysis import Column, Row, Submission
from app.domain.assignment_rules import student_due
from app.domain.grading import GRADING_LABELS, Scored, grade
from app.domain.text import words
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Classroom,
    Document,
    Enrollment,
    Lesson,
    LessonVersion,
    LtiLink,
    User,
)
from app.services import adjustments, shelf_view
from app.services.marked_everything import LeftOut
from app.services.marked_everything import by_student as left_out_by_student
from app.student.present import KIND_LABELS, feedback_questions


@dataclass(frozen=True, slots=True)
class AssignmentInfo:
    """An assignment as a gradebook column and a section heading."""

    id: int
    title: str
    lesson_id: int
    due_at: datetime | None
    grading: str
    late_policy: str
    max_attempts: int | None
    available_from: datetime | None = None
    # The lesson's owner (None: the starter library) and current version: whether the
    # teacher can regrade attempts made with an older one.
    owner_id: int | None = None
    lesson_version: int = 0
    # Whether an LMS link opens it (LTI): its scores then go to the LMS's gradebook.
    lms_linked: bool = False

    @property
    def key(self) -> str:
        """Its name in the gradebook's ``?sort=`` parameter."""
        return f"a{self.id}"

    @property
    def grading_label(self) -> str:
        return GRADING_LABELS.get(self.grading, self.grading)

    @property
    def column(self) -> Column:
        return Column(self.id, self.grading, self.due_at)


def class_assignments(classroom_id: int) -> list[AssignmentInfo]:
    """The class's assignments with their lesson titles, by due date (undated last), one query."""
    rows = db.session.execute(
        sa.select(Assignment.id, Lesson.title, Assignment.lesson_id, Assignment.due_at,
                  Assignment.grading, Assignment.late_policy, Assignment.max_attempts,
                  Assignment.available_from, Lesson.owner_id, Lesson.version,
                  sa.exists().where(LtiLink.assignment_id == Assignment.id))
        .join(Lesson, Lesson.id == Assignment.lesson_id)
        .where(Assignment.classroom_id == classroom_id)
        .order_by(sa.case((Assignment.due_at.is_(None), 1), else_=0), Assignment.due_at,
                  Assignment.id))
    return [AssignmentInfo(*row) for row in rows]


def enrolled_in(attempt_user: Any, classroom_id: Any) -> sa.ColumnElement[bool]:
    """Join condition: the attempt's student is enrolled in the class."""
    return sa.and_(Enrollment.student_id == attempt_user, Enrollment.classroom_id == classroom_id)


def _scored(row: Any) -> Scored:
    return Scored(row.submitted_at, row.score, row.max_score, row.late)


# --- gradebook -------------------------------------------------------------------------


@dataclass(slots=True)
class Gradebook:
    """Students (rows, by name) by assignments (columns), with the class average per column.

    ``rows`` hold the grades that count (a teacher's override replaces the computed one);
    ``notes`` keep, per (student id, column index) the teacher changed, the computed grade
    beside the override and the student's extended due date.
    """

    assignments: list[AssignmentInfo]
    rows: list[Row]
    averages: list[float | None] = field(default_factory=list)
    notes: dict[tuple[Any, int], Note] = field(default_factory=dict)


def gradebook(classroom: Classroom, now: datetime) -> Gradebook:
    """The class gradebook: each enrolled student's grade per assignment (five queries).

    Every student is graded, since sorting and the averages need them all; the page shows
    a slice. A class of 1,000 × 50 has 50,000 attempts, so they come back as bare rows
    through the session's connection (not the ORM), ordered in SQL the way
    :func:`analysis.build_gradebook` reduces them in one pass, and are read a thousand at
    a time: a few rows alive at once, instead of 50,000 objects that keep the garbage
    collector busy. The class's extensions and overrides are two more queries, applied
    to the few students they concern (:func:`app.domain.adjusted_grades.adjust`).
    """
    assignments = class_assignments(classroom.id)
    students = db.session.execute(
        sa.select(User.id, User.username)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(User.username)).all()
    result = db.session.connection().execute(
        sa.select(Attempt.user_id, Attempt.assignment_id, Attempt.score, Attempt.max_score,
                  Attempt.late)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(Enrollment, enrolled_in(Attempt.user_id, Assignment.classroom_id))
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Attempt.user_id, Attempt.assignment_id, Attempt.submitted_at, Attempt.id))
    columns = [a.column for a in assignments]
    rows = analysis.build_gradebook(students, columns,
                                    itertools.chain.from_iterable(result.partitions(1000)), now)
    rows, notes = adjusted_grades.adjust(rows, columns, adjustments.class_extensions(classroom.id),
                                         adjustments.class_overrides(classroom.id), now)
    return Gradebook(assignments, rows, analysis.column_averages(rows, len(assignments)), notes)


# --- one assignment's results ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionItem:
    """A question's statistics with what the teacher needs to recognise it."""

    number: int
    label: str
    prompt: str
    stats: analysis.ItemStatistics


@dataclass(frozen=True, slots=True)
class WrongWordItem:
    """A neutral word marked wrongly, with the start of its excerpt to say where."""

    word: analysis.WrongWord
    excerpt_label: str


@dataclass(slots=True)
class AssignmentResults:
    """Everything the per-assignment results page shows."""

    info: AssignmentInfo
    enrolled: int
    students: int
    attempts: int
    bands: list[analysis.Band]
    questions: list[QuestionItem]
    phrases: list[analysis.PhraseShare]
    wrong_words: list[WrongWordItem]
    wrong_words_total: int = 0
    # Attempts scored with an older version of the lesson than its current one: a
    # regrade would rescore them.
    older_attempts: int = 0
    # Answers left out of the key-phrase and wrong-word tables: they marked everything.
    marked_everything: list[LeftOut] = field(default_factory=list)
    # The verify and omission questions: verdicts chosen, cards and facts picked.
    checks: list[analysis.CheckQuestion] = field(default_factory=list)
    # The frames chosen per framing question and compare excerpt.
    frame_choices: list[analysis.FrameChoices] = field(default_factory=list)

    @property
    def numbers(self) -> dict[str, int]:
        """Question id -> its number on the page."""
        return {item.stats.question_id: item.number for item in self.questions}


WRONG_WORDS_SHOWN = 30


def _excerpt_label(text: str, length: int = 8) -> str:
    spans = words(text)
    if len(spans) <= length:
        return text.strip()
    return text[:spans[length - 1].end].strip() + "…"


def assignment_results(assignment: Assignment) -> AssignmentResults:
    """Distribution, item analysis, key phrases and wrong words for one assignment.

    Grades follow the assignment's grading method; the item statistics use one attempt
    per student, the one that counts (the last one for ``average``). Five queries.
    """
    info = next(a for a in class_assignments(assignment.classroom_id) if a.id == assignment.id)
    enrolled = db.session.scalar(sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.classroom_id == assignment.classroom_id)) or 0
    by_student: dict[int, list[Any]] = defaultdict(list)
    for row in db.session.execute(
            sa.select(Attempt.id, Attempt.user_id, Attempt.lesson_version_id,
                      Attempt.submitted_at, Attempt.score, Attempt.max_score, Attempt.late)
            .join(Enrollment, enrolled_in(Attempt.user_id, assignment.classroom_id))
            .where(Attempt.assignment_id == assignment.id)
            .order_by(Attempt.id)):
        by_student[row.user_id].append(row)
    percents = []
    counted: dict[int, tuple[int, int]] = {}  # attempt id -> (student, version id)
    for student, rows in by_student.items():
        scored = [_scored(row) for row in rows]
        percent = grade(scored, assignment.grading).percent
        if percent is not None:
            percents.append(percent)
        index = analysis.counting_attempt(scored, assignment.grading)
        if index is not None:
            counted[rows[index].id] = (student, rows[index].lesson_version_id)
    answers: dict[int, list[Any]] = defaultdict(list)
    for answer in db.session.execute(
            sa.select(AttemptAnswer.attempt_id, AttemptAnswer.question_id, AttemptAnswer.kind,
                      AttemptAnswer.points, AttemptAnswer.max_points, AttemptAnswer.verdicts)
            .where(AttemptAnswer.attempt_id.in_(list(counted)))
            .order_by(AttemptAnswer.attempt_id, AttemptAnswer.position)):
        answers[answer.attempt_id].append(answer)
    contents = _version_contents({version for _, version in counted.values()},
                                 assignment.lesson_id)
    submissions = [Submission(student, answers[attempt_id], contents[version])
                   for attempt_id, (student, version) in counted.items()]
    wrong = analysis.wrong_words(submissions)
    latest = contents[max(contents, key=lambda v: contents[v]["_number"])] if contents else {}
    current = {vid for vid, content in contents.items()
               if content["_number"] == info.lesson_version}
    return AssignmentResults(
        info=info, enrolled=enrolled, students=len(by_student),
        attempts=sum(len(rows) for rows in by_student.values()),
        bands=analysis.score_distribution(percents),
        questions=_question_items(analysis.item_analysis(submissions), latest, contents),
        phrases=analysis.phrase_shares(submissions),
        wrong_words=_wrong_word_items(wrong[:WRONG_WORDS_SHOWN], contents),
        wrong_words_total=len(wrong),
        older_attempts=sum(row.lesson_version_id not in current
                           for rows in by_student.values() for row in rows),
        marked_everything=left_out_by_student(analysis.marked_everything(submissions)),
        checks=analysis.check_questions(submissions),
        frame_choices=analysis.frame_choices(submissions))


def _version_contents(version_ids: set[int], lesson_id: int) -> dict[int, dict[str, Any]]:
    """Content of each version used, plus the lesson's current one (for labels), one query.

    Each content is a shallow copy with its version number under ``_number``.
    """
    current = sa.select(Lesson.version).where(Lesson.id == lesson_id).scalar_subquery()
    rows = db.session.execute(
        sa.select(LessonVersion.id, LessonVersion.number, LessonVersion.content)
        .where(sa.or_(LessonVersion.id.in_(list(version_ids)),
                      sa.and_(LessonVersion.lesson_id == lesson_id,
                              LessonVersion.number == current))))
    return {row.id: {**row.content, "_number": row.number} for row in rows}


def _question_items(stats: list[analysis.ItemStatistics], latest: Mapping[str, Any],
                    contents: Mapping[int, Mapping[str, Any]]) -> list[QuestionItem]:
    prompts: dict[str, str] = {}
    for content in sorted(contents.values(), key=lambda c: c["_number"]):
        prompts.update({q["id"]: q["prompt"] for q in content.get("questions", [])})
    order = {q["id"]: n for n, q in enumerate(latest.get("questions", []))}
    # The current version's order; questions it no longer has follow, as first seen.
    ranked = sorted(stats, key=lambda s: order.get(s.question_id, len(order)))
    return [QuestionItem(number, KIND_LABELS.get(s.kind, s.kind),
                         prompts.get(s.question_id, s.question_id), s)
            for number, s in enumerate(ranked, start=1)]


def _wrong_word_items(found: list[analysis.WrongWord],
                      contents: Mapping[int, Mapping[str, Any]]) -> list[WrongWordItem]:
    labels: dict[str, str] = {}
    for content in sorted(contents.values(), key=lambda c: c["_number"]):
        labels.update({e["id"]: _excerpt_label(e["text"]) for e in content.get("excerpts", [])})
    return [WrongWordItem(word, labels.get(word.excerpt, word.excerpt)) for word in found]


# --- one student's attempts ------------------------------------------------------------


@dataclass(slots=True)
class AttemptView:
    """One attempt with its questions arranged for the feedback macros."""

    attempt: Attempt
    version: int
    questions: list[dict[str, Any]]


@dataclass(slots=True)
class StudentSection:
    """One assignment on the student page: the computed grade, every attempt, and what the
    teacher changed for this student (extension, override)."""

    info: AssignmentInfo
    cell: analysis.Cell
    attempts: list[AttemptView]
    adjustment: adjustments.Adjustment = field(default_factory=adjustments.Adjustment)

    @property
    def due_at(self) -> datetime | None:
        """The student's own due date."""
        return student_due(self.info.due_at, self.adjustment.extended_to)


def enrolled_student(classroom: Classroom, student_id: int) -> User | None:
    """The student ``student_id`` if enrolled in ``classroom``, else None (one query)."""
    return db.session.scalar(
        sa.select(User).join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == classroom.id, User.id == student_id))


def student_sections(classroom: Classroom, student: User, now: datetime) -> list[StudentSection]:
    """Every attempt of ``student`` on the class's assignments, newest first, per assignment.

    Seven queries however many attempts: assignments, attempts, their answers and versions
    (selectin loads), the source documents of every excerpt shown, the library's source
    cards (who is behind each excerpt), and the student's extensions and overrides.
    """
    assignments = class_assignments(classroom.id)
    changes = adjustments.student_adjustments([a.id for a in assignments], student.id)
    attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == student.id,
               Attempt.assignment_id.in_([a.id for a in assignments]))
        .options(selectinload(Attempt.answers), selectinload(Attempt.lesson_version))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())).all()
    slugs = {excerpt["document"] for attempt in attempts
             for excerpt in attempt.lesson_version.content["excerpts"]}
    documents = {doc.slug: doc for doc in db.session.scalars(
        sa.select(Document).where(Document.slug.in_(slugs)))}
    library_cards = shelf_view.library_source_cards()
    by_assignment: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_assignment[attempt.assignment_id or 0].append(attempt)
    sections = []
    for info in assignments:
        mine = by_assignment.get(info.id, [])
        change = changes.get(info.id, adjustments.Adjustment())
        column = Column(info.id, info.grading, student_due(info.due_at, change.extended_to))
        cell = analysis.gradebook_cell([_scored(a) for a in mine], column, now)
        views = [AttemptView(a, a.lesson_version.number,
                             feedback_questions(a.lesson_version.content, list(a.answers),
                                                documents, library_cards))
                 for a in mine]
        sections.append(StudentSection(info, cell, views, change))
    return sections
