"""The gradebook (one grade per student per assignment) and the score distribution.

Pure functions over plain values; grades always come from :mod:`app.domain.grading`
(:func:`~app.domain.grading.grade`, or :func:`~app.domain.grading.grade_in_order` on which it
rests, for the gradebook's thousands of attempts), so the gradebook, the student's own list
and the statistics apply one rule.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.grading import Grade, Scored, grade, grade_in_order, percent_of

# The gradebook page shows this many students at a time (Moodle's grader report: 100).
STUDENTS_PER_PAGE = 100


@dataclass(frozen=True, slots=True)
class Column:
    """One assignment as a gradebook column: how it is graded and when it was due."""

    key: Hashable
    method: str
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """A student's standing on one assignment.

    ``missing``: nothing submitted and the due date has passed. ``late``: the attempt(s)
    that count were submitted after the due date.
    """

    grade: Grade
    missing: bool = False

    @property
    def percent(self) -> float | None:
        """The grade in percent, or None when nothing was submitted."""
        return self.grade.percent

    @property
    def status(self) -> str:
        """The word the gradebook prints next to the grade: late, missing, or nothing."""
        if self.missing:
            return "missing"
        return "late" if self.grade.late else ""


_NO_GRADE = Grade(None, 0, False)
_BLANK, _MISSING = Cell(_NO_GRADE), Cell(_NO_GRADE, missing=True)


@dataclass(frozen=True, slots=True)
class Row:
    """One student in the gradebook: per column the grade's percent, attempts and lateness.

    Three flat tuples rather than an object per grade: a class of 1,000 students by 50
    assignments has 50,000 grades, and the page shows 100 rows of them. ``overdue`` says
    per column whether its due date has passed (one tuple shared by every row); with it
    :attr:`cells` tells "missing" from "not due yet".
    """

    student_id: Hashable
    name: str
    percents: tuple[float | None, ...]
    attempts: tuple[int, ...]
    late: tuple[bool, ...]
    overdue: tuple[bool, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The row's grades as :class:`Cell` objects for display (built on each access)."""
        return tuple(Cell(Grade(percent, attempts, late)) if attempts
                     else _MISSING if overdue else _BLANK
                     for percent, attempts, late, overdue
                     in zip(self.percents, self.attempts, self.late, self.overdue, strict=True))


def gradebook_cell(attempts: Sequence[Scored], column: Column, now: datetime) -> Cell:
    """Grade ``attempts`` by the column's method; flag it missing when overdue and empty."""
    result = grade(attempts, column.method)
    missing = not attempts and column.due_at is not None and now > column.due_at
    return Cell(result, missing)


def build_gradebook(students: Sequence[tuple[Hashable, str]], columns: Sequence[Column],
                    attempts: Iterable[tuple[Hashable, Hashable, float, float, bool]],
                    now: datetime) -> list[Row]:
    """One row per student, in the order given, one grade per column.

    ``attempts`` are ``(student_id, column key, score, max_score, late)``, each student's
    attempts on a column together and in submission order (the service orders them so
    in SQL); every group is graded by :func:`~app.domain.grading.grade_in_order`, the
    rule of :func:`~app.domain.grading.grade`. One pass, no object per attempt: a class of
    1,000 × 50 has 50,000 of them. Attempts by students or on columns not given are
    ignored; a group that comes back after another one raises :class:`ValueError`.
    """
    count = len(columns)
    position = {column.key: index for index, column in enumerate(columns)}
    grids = {student_id: ([None] * count, [0] * count, [False] * count)
             for student_id, _ in students}
    percents: list[float | None] = []
    counts: list[int] = []
    lates: list[bool] = []
    # Groups of two or more attempts, graded after the pass: (student, column index) ->
    # their (score, max_score, late), earliest first.
    repeated: dict[tuple[Hashable, int], list[Sequence[Any]]] = {}
    enrolled, index, first = False, -1, None
    last_student: Hashable = object()
    last_key: Hashable = object()
    for attempt in attempts:
        student, key, score, most, late = attempt
        if key == last_key and student == last_student:
            if enrolled and index >= 0:
                repeated.setdefault((student, index), [first[2:]]).append(attempt[2:])
            continue
        if student != last_student:
            enrolled = student in grids
            if enrolled:
                percents, counts, lates = grids[student]
        last_student, last_key = student, key
        index = position.get(key, -1)
        if not enrolled or index < 0:
            continue
        if counts[index]:
            raise ValueError(f"the attempts of student {student!r} on column {key!r} are "
                             "not together: order them by student and column")
        first = attempt
        # One attempt is graded the same way by every method.
        percents[index], counts[index], lates[index] = percent_of(score, most), 1, late
    for (student, index), group in repeated.items():
        percents, counts, lates = grids[student]
        percents[index], counts[index], lates[index] = grade_in_order(
            group, columns[index].method)
    overdue = tuple(column.due_at is not None and now > column.due_at for column in columns)
    return [Row(student_id, name, *map(tuple, grids[student_id]), overdue)
            for student_id, name in students]


def parse_sort(sort: str | None, direction: str | None,
               keys: Sequence[str]) -> tuple[int | None, bool]:
    """Read the gradebook's ``?sort=&dir=`` into (column index or None for name, descending).

    ``sort`` is ``"student"`` or one of ``keys``; ``direction`` is ``"asc"`` or ``"desc"``.
    Both default to the student name, ascending. Anything else raises :class:`ValueError`.
    """
    sort = sort or "student"
    direction = direction or "asc"
    if direction not in ("asc", "desc"):
        raise ValueError("The sort direction must be “asc” or “desc”.")
    if sort == "student":
        return None, direction == "desc"
    if sort not in keys:
        raise ValueError("There is no such column in this gradebook to sort by.")
    return list(keys).index(sort), direction == "desc"


def sort_gradebook(rows: Iterable[Row], column: int | None, descending: bool) -> list[Row]:
    """Rows sorted by student name (``column`` None) or by the grade in ``column``.

    Students without a grade come last in either direction; ties keep name order.
    """
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), str(row.student_id)))
    if column is None:
        return by_name[::-1] if descending else by_name
    graded = [row for row in by_name if row.percents[column] is not None]
    ungraded = [row for row in by_name if row.percents[column] is None]
    graded.sort(key=lambda row: row.percents[column], reverse=descending)
    return graded + ungraded


def column_averages(rows: Sequence[Row], count: int) -> list[float | None]:
    """Mean grade per column over the students who have one (unrounded), or None.

    ``count`` is the number of columns (the rows may be none).
    """
    averages: list[float | None] = []
    columns = zip(*(row.percents for row in rows), strict=True) if rows else [()] * count
    for column in columns:
        percents = [percent for percent in column if percent is not None]
        averages.append(sum(percents) / len(percents) if percents else None)
    return averages


# --- score distribution ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Band:
    """How many grades fall in ``[low, high)`` percent (the 90–100 band includes 100)."""

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        """How the band is written on the chart: "10–20%"."""
        return f"{self.low}–{self.high}%"


def score_distribution(percents: Iterable[float]) -> list[Band]:
    """Count grades in ten 10-point bands: 0–10, 10–20, …, 90–100.

    A grade on a boundary belongs to the higher band (10 is in 10–20); 100 is in 90–100.
    Values outside 0–100 are clamped into the first or last band.
    """
    counts = [0] * 10
    for percent in percents:
        counts[min(9, max(0, int(math.floor(percent / 10))))] += 1
    return [Band(10 * i, 10 * i + 10, count) for i, count in enumerate(counts)]
