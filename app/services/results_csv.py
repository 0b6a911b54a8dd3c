"""The class results as CSV rows: the gradebook, and every response to every question.

Read-only, a fixed number of queries whatever the class size (as :mod:`app.services.results`,
whose gradebook the first export reuses). Percentages are whole numbers rounded half up
(:func:`app.domain.numbers.percent_value`), the same figure every page shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from app.domain import analysis
from app.domain.confidence import LEVELS as CONFIDENCE_LEVELS
from app.domain.discernment import Discernment
from app.domain.discernment_report import ClassReport
from app.domain.numbers import percent_value
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Classroom,
    Enrollment,
    Lesson,
    LessonVersion,
    User,
)
from app.services.results import Gradebook, enrolled_in

GRADEBOOK_COLUMNS = ("grade %", "attempts", "status", "computed grade %", "override %",
                     "override comment")
# Last, after every assignment: the student's discernment over every marking answer of
# the class (last, so spreadsheets reading the assignment columns by position still work).
GRADEBOOK_DISCERNMENT = ["d′ (discernment)", "loaded items found %",
                         "marked outside the key %"]


def discernment_cells(found: Discernment | None) -> list[object]:
    """d′ (two decimals), hit % and false-alarm %, or three blanks without a measure."""
    if found is None:
        return [None, None, None]
    return [round(found.d_prime, 2), percent_value(found.hits, found.signal),
            percent_value(found.false_alarms, found.noise)]


def gradebook_csv_rows(book: Gradebook, discernment: Mapping[Any, Discernment | None]
                       ) -> tuple[list[str], Iterator[list[object]]]:
    """Header and rows of the gradebook export.

    Per assignment: the grade that counts (the teacher's override when there is one),
    attempts, status (late, missing, extended), then the computed grade, the override and
    its comment, so a spreadsheet can tell them apart. Last, the student's discernment
    (:data:`GRADEBOOK_DISCERNMENT`) from ``discernment`` (student id -> measure).
    """
    header = ["student"]
    for info in book.assignments:
        name = f"{info.title} (assignment {info.id})"
        header += [f"{name}: {column}" for column in GRADEBOOK_COLUMNS]
    header += GRADEBOOK_DISCERNMENT

    def rows() -> Iterator[list[object]]:
        for row in book.rows:
            cells: list[object] = [row.name]
            for index, cell in enumerate(row.cells):
                note = book.notes.get((row.student_id, index))
                if note is None:
                    computed = percent_value(cell.percent)
                    cells += [computed, cell.grade.attempts, cell.status, computed, None, None]
                    continue
                status = note.computed.status or ("extended" if note.extended_to else "")
                cells += [percent_value(note.percent), note.computed.grade.attempts, status,
                          percent_value(note.computed.percent), note.override,
                          note.comment if note.override is not None else None]
            yield cells + discernment_cells(discernment.get(row.student_id))

    return header, rows()


# "marked" and "choice" say a response in words (for a verify question the titles of the
# cards picked and the verdict's label; for an omission question the facts picked); the
# last three columns hold what a verify or omission response chose as the lesson file
# names it (the verdict, card ids, fact refs "card#fact", several joined by " | "), so a
# spreadsheet can count them. They are empty for the other kinds. "how sure" is the
# student's "How sure are you?" rating (1 Guessing .. 4 Certain), empty when not given.
RESPONSE_HEADER = ["student", "assignment", "lesson", "version", "attempt id",
                   "submitted at (UTC)", "late", "question id", "kind", "points", "max points",
                   "marked", "choice", "verdict chosen", "cards picked", "facts picked",
                   "how sure (1-4)", "how sure"]


def responses_csv_rows(classroom: Classroom) -> Iterator[list[object]]:
    """One row per enrolled student per question per attempt on the class's assignments.

    Two queries: the answers joined to their attempts, students and lessons; and the
    content of every lesson version they used (to put the marks into words).
    """
    rows = db.session.execute(
        sa.select(User.username, Attempt.assignment_id, Lesson.title, LessonVersion.number,
                  Attempt.lesson_version_id, Attempt.id.label("attempt_id"),
                  Attempt.submitted_at, Attempt.late, AttemptAnswer.question_id,
                  AttemptAnswer.kind, AttemptAnswer.points, AttemptAnswer.max_points,
                  AttemptAnswer.response, AttemptAnswer.confidence)
        .select_from(AttemptAnswer)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(Enrollment, enrolled_in(Attempt.user_id, Assignment.classroom_id))
        .join(User, User.id == Attempt.user_id)
        .join(Lesson, Lesson.id == Assignment.lesson_id)
        .join(LessonVersion, LessonVersion.id == Attempt.lesson_version_id)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(User.username, Attempt.assignment_id, Attempt.submitted_at, Attempt.id,
                  AttemptAnswer.position)).all()
    used = sa.select(Attempt.lesson_version_id).join(
        Assignment, Assignment.id == Attempt.assignment_id).where(
        Assignment.classroom_id == classroom.id)
    contents = dict(db.session.execute(
        sa.select(LessonVersion.id, LessonVersion.content).where(LessonVersion.id.in_(used))
    ).all())
    return _response_rows(rows, contents)


def _response_rows(rows: Sequence[Any],
                   contents: Mapping[int, Mapping[str, Any]]) -> Iterator[list[object]]:
    questions = {version: {q["id"]: q for q in content["questions"]}
                 for version, content in contents.items()}
    texts = {version: {e["id"]: e["text"] for e in content["excerpts"]}
             for version, content in contents.items()}
    cards = {version: content.get("cards") or {} for version, content in contents.items()}
    for row in rows:
        question = questions.get(row.lesson_version_id, {}).get(row.question_id)
        response = row.response or {}
        marked, choice = ("", "") if question is None else analysis.response_text(
            question, response, texts[row.lesson_version_id], cards[row.lesson_version_id])
        verdict = cards_picked = facts_picked = ""
        if question is not None and question["kind"] == "verify":
            verdict = str(response.get("verdict") or "")
            cards_picked = " | ".join(analysis.picks(question, response))
        elif question is not None and question["kind"] == "omission":
            facts_picked = " | ".join(analysis.picks(question, response))
        yield [row.username, row.assignment_id, row.title, row.number, row.attempt_id,
               row.submitted_at.strftime("%Y-%m-%d %H:%M:%S"), "late" if row.late else "",
               row.question_id, row.kind, row.points, row.max_points, marked, choice,
               verdict, cards_picked, facts_picked, row.confidence,
               CONFIDENCE_LEVELS.get(row.confidence, "")]


DISCERNMENT_HEADER = ["student", "loaded items found", "loaded items", "found %",
                      "marked outside the key", "items outside the key", "marked %", "d′",
                      "c",
                      "reading"]


def discernment_csv_rows(report: ClassReport) -> Iterator[list[object]]:
    """One row per enrolled student of the discernment page's table (blank numbers and
    "no marking answers yet" for a student without a measure)."""
    for line in report.students:
        found = line.measure
        if found is None:
            yield [line.name, None, None, None, None, None, None, None, None, line.reading]
            continue
        yield [line.name, found.hits, found.signal, percent_value(found.hits, found.signal),
               found.false_alarms, found.noise,
               percent_value(found.false_alarms, found.noise), round(found.d_prime, 2),
               round(found.criterion, 2), line.reading]
