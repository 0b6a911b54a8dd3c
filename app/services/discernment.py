"""Discernment read from stored answers: per student and class, and a student's own.

Read-only. Every marking answer stores its detection counts when it is scored
(:func:`app.domain.discernment.stored_detection`, at submission and at a regrade), so
reports sum stored JSON instead of rescoring: one query brings back the (student,
counts) rows of a whole class, summed in Python.

**Answers stored before counts were kept** (migration 0010) have ``detection`` None on a
marking kind. They are not dropped: :func:`fill_missing` scores their counts from the
response and the lesson version the attempt used (two more queries, only when there are
such answers), exactly as they would have been stored.

**Which attempts count**: every attempt on the class's assignments (or on one of them)
by a student now enrolled, pooled per student. A retry is a new set of decisions, so it
adds items; a student who retries after seeing the key will look better on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.domain.assignment_rules import student_due
from app.domain.discernment import (
    MARKING_KINDS,
    Counts,
    Discernment,
    add_counts,
    overall,
    stored_detection,
)
from app.domain.discernment_report import ClassReport, class_report
from app.domain.grading import feedback_visible
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Classroom,
    Enrollment,
    Extension,
    Lesson,
    LessonVersion,
    User,
    utcnow,
)
from app.services.student_assignments import open_to


def _excerpts(content: Mapping[str, Any]) -> dict[str, str]:
    return {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}


def answer_counts(question_id: str, response: Mapping[str, Any] | None,
                  content: Mapping[str, Any]) -> Counts | None:
    """The counts an answer to ``question_id`` of version ``content`` stores (None if the
    version has no such question)."""
    question = next((q for q in content["questions"] if q["id"] == question_id), None)
    if question is None:
        return None
    return stored_detection(question, response or {}, _excerpts(content))


def fill_missing(answer_ids: Iterable[int]) -> dict[int, Counts | None]:
    """Counts of answers stored without them (before migration 0010), scored now from
    their responses and the lesson versions their attempts used; answer id -> counts.
    Two queries (none when ``answer_ids`` is empty)."""
    wanted = sorted(set(answer_ids))
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(AttemptAnswer.id, AttemptAnswer.question_id, AttemptAnswer.response,
                  Attempt.lesson_version_id)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(AttemptAnswer.id.in_(wanted))).all()
    contents = dict(db.session.execute(
        sa.select(LessonVersion.id, LessonVersion.content)
        .where(LessonVersion.id.in_({row.lesson_version_id for row in rows}))).all())
    return {row.id: answer_counts(row.question_id, row.response,
                                  contents[row.lesson_version_id]) for row in rows}


def pooled(rows: Iterable[tuple[Any, int, Any]]) -> dict[Any, Counts]:
    """(owner, answer id, stored counts) rows summed per owner (a student, an attempt...),
    counts stored before 0010 filled by :func:`fill_missing`."""
    stored: dict[Any, list[Any]] = defaultdict(list)
    missing: dict[int, Any] = {}
    for owner, answer_id, detection in rows:
        if detection is None:
            missing[answer_id] = owner
        else:
            stored[owner].append(detection)
    for answer_id, counts in fill_missing(missing).items():
        stored[missing[answer_id]].append(counts)
    return {owner: add_counts(*many) for owner, many in stored.items()}


# Summed by the database: a class of 1,000 students by 50 assignments stores 100,000
# answers' counts, too many to decode one by one in Python within the gradebook's time.
# The answers are found once (a CTE used three times, which PostgreSQL and SQLite 3.35+
# both materialize: the marking answers of enrolled students on the class's assignments,
# or one of them); the last branch lists those stored without counts (before 0010). The
# JSON is read with each engine's own functions (:data:`_JSON`): SQLite's json_extract and
# json_each work from 3.9, where its ``->`` operators need 3.38 (Ubuntu 22.04 has 3.37).
_CLASS_COUNTS = """
WITH answers AS (
  SELECT a.user_id AS student, aa.id AS answer, aa.detection AS detection
  FROM attempt_answers AS aa
  JOIN attempts AS a ON a.id = aa.attempt_id
  JOIN assignments AS s ON s.id = a.assignment_id
  JOIN enrollments AS e ON e.student_id = a.user_id AND e.classroom_id = s.classroom_id
  WHERE s.classroom_id = :classroom AND aa.kind IN ({kinds}){one}{some})
SELECT student, 'signal', t.key, SUM(CAST({items} AS INTEGER)), SUM(CAST({marked} AS INTEGER))
FROM answers, {each_signal} AS t
GROUP BY student, t.key
UNION ALL
SELECT student, 'noise', t.key, SUM(CAST({items} AS INTEGER)), SUM(CAST({marked} AS INTEGER))
FROM answers, {each_noise} AS t
GROUP BY student, t.key
UNION ALL
SELECT student, 'missing', '', answer, 0
FROM answers
WHERE detection IS NULL OR {signal} IS NULL
"""
# dialect -> the SQL that reads the stored counts: each part's members, a member's two
# numbers ([items, marked]) and the "signal" member itself (NULL when absent or null).
_JSON = {
    "postgresql": {"each_signal": "json_each(answers.detection -> 'signal')",
                   "each_noise": "json_each(answers.detection -> 'noise')",
                   "items": "t.value ->> 0", "marked": "t.value ->> 1",
                   "signal": "detection -> 'signal'"},
    "sqlite": {"each_signal": "json_each(answers.detection, '$.signal')",
               "each_noise": "json_each(answers.detection, '$.noise')",
               "items": "json_extract(t.value, '$[0]')",
               "marked": "json_extract(t.value, '$[1]')",
               "signal": "json_extract(detection, '$.signal')"},
}


def _statement(one_assignment: bool, some_students: bool) -> sa.TextClause:
    kinds = ", ".join(f"'{kind}'" for kind in MARKING_KINDS)  # constants, not input
    statement = sa.text(_CLASS_COUNTS.format(
        kinds=kinds, one=" AND a.assignment_id = :assignment" if one_assignment else "",
        some=" AND a.user_id IN :students" if some_students else "",
        **_JSON[db.engine.dialect.name]))
    if some_students:
        statement = statement.bindparams(sa.bindparam("students", expanding=True))
    return statement


def student_counts(classroom: Classroom, assignment_id: int | None = None,
                   students: Sequence[int] | None = None) -> dict[int, Counts]:
    """Each enrolled student's counts (or only ``students``'), pooled over every attempt
    on the class's assignments (or on ``assignment_id`` only): one query summing in the
    database (plus :func:`fill_missing` for answers stored without counts)."""
    parameters: dict[str, Any] = {"classroom": classroom.id}
    if assignment_id is not None:
        parameters["assignment"] = assignment_id
    if students is not None:
        if not students:
            return {}
        parameters["students"] = list(students)
    counts: dict[int, Counts] = defaultdict(lambda: {"signal": {}, "noise": {}})
    missing: dict[int, int] = {}
    for student, part, technique, items, marked in db.session.execute(
            _statement(assignment_id is not None, students is not None), parameters):
        if part == "missing":
            missing[items] = student
        else:
            counts[student][part][technique] = [int(items), int(marked)]
    for answer_id, found in fill_missing(missing).items():
        counts[missing[answer_id]] = add_counts(counts[missing[answer_id]], found)
    return dict(counts)


def overall_by_student(classroom: Classroom, students: Sequence[int] | None = None
                       ) -> dict[int, Discernment | None]:
    """Each student's (or only ``students``') overall discernment on the class's
    assignments (the gradebook's column), from :func:`student_counts`."""
    return {student: overall(counts)
            for student, counts in student_counts(classroom, students=students).items()}


def class_discernment(classroom: Classroom, assignment_id: int | None = None) -> ClassReport:
    """The class's discernment page: every enrolled student (by name), the class, per
    technique and family. Two queries (plus :func:`fill_missing`)."""
    students = db.session.execute(
        sa.select(User.id, User.username)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(User.username)).all()
    return class_report([(row.id, row.username) for row in students],
                        student_counts(classroom, assignment_id))


# --- the student's own -------------------------------------------------------------------


def attempt_counts(attempt: Attempt) -> Counts:
    """The counts of one attempt, from its loaded answers (missing ones scored from its
    lesson version, already loaded with it)."""
    content = attempt.lesson_version.content
    return add_counts(*(
        answer.detection if answer.detection is not None
        else answer_counts(answer.question_id, answer.response, content)
        for answer in attempt.answers if answer.kind in MARKING_KINDS))


def visible_attempts(student: User, attempts: Sequence[Attempt],
                     now: datetime | None = None) -> list[Attempt]:
    """The attempts whose answers the student may see now (the rule of
    :func:`app.services.student_assignments.answers_hidden_note`, for many attempts in
    two queries): the counts tell how many items there were, so hidden keys stay hidden.

    ``attempts`` must have their assignment loaded (as the results page loads them).
    """
    now = now or utcnow()
    extensions = dict(db.session.execute(
        sa.select(Extension.assignment_id, Extension.due_at)
        .where(Extension.student_id == student.id)).all())
    practice_lessons = {a.lesson_id for a in attempts if a.assignment_id is None}
    strict: dict[int, list[bool]] = defaultdict(list)
    if practice_lessons:
        for lesson_id, due_at, timing, assignment_id in db.session.execute(
                sa.select(Assignment.lesson_id, Assignment.due_at, Assignment.feedback,
                          Assignment.id)
                .join(Classroom, Assignment.classroom_id == Classroom.id)
                .join(Enrollment, Enrollment.classroom_id == Classroom.id)
                .join(Lesson, Assignment.lesson_id == Lesson.id)
                .where(open_to(student.id), Assignment.lesson_id.in_(practice_lessons),
                       Assignment.feedback != "immediately")):
            due = student_due(due_at, extensions.get(assignment_id))
            strict[lesson_id].append(feedback_visible(now=now, due_at=due, timing=timing))
    shown = []
    for attempt in attempts:
        if attempt.assignment is not None:
            assignment = attempt.assignment
            due = student_due(assignment.due_at, extensions.get(assignment.id))
            if feedback_visible(now=now, due_at=due, timing=assignment.feedback):
                shown.append(attempt)
        elif all(strict.get(attempt.lesson_id, [])):
            shown.append(attempt)
    return shown


def own_counts(attempts: Sequence[Attempt]) -> Counts:
    """A student's counts pooled over ``attempts`` (their own, already chosen); one query
    (plus :func:`fill_missing`)."""
    ids = [attempt.id for attempt in attempts]
    if not ids:
        return add_counts()
    rows = db.session.execute(
        sa.select(sa.literal(0), AttemptAnswer.id, AttemptAnswer.detection)
        .where(AttemptAnswer.attempt_id.in_(ids), AttemptAnswer.kind.in_(MARKING_KINDS)))
    return pooled(rows).get(0, add_counts())
