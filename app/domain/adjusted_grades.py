"""A gradebook with the teacher's per-student changes: extensions and overrides.

Pure: :func:`adjust` takes the rows :func:`app.domain.analysis.build_gradebook` made from
the attempts, and what the teacher set for single students, and returns

* rows whose ``percents`` are the grades that count (an override replaces the computed
  grade, so sorting and the class average follow it) and whose ``overdue`` follows each
  student's own due date (an extended student is not "missing" before theirs);
* a :class:`Note` for every changed cell, keeping the computed grade beside the override.

Only the few students with a change are touched; every other row is passed through.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from app.domain.analysis import Cell, Column, Row
from app.domain.assignment_rules import student_due


@dataclass(frozen=True, slots=True)
class Note:
    """A changed cell: the computed standing, the teacher's grade, the student's date."""

    computed: Cell
    override: float | None = None
    comment: str = ""
    extended_to: datetime | None = None

    @property
    def percent(self) -> float | None:
        """The grade that counts."""
        return self.override if self.override is not None else self.computed.percent


Key = tuple[Hashable, Hashable]  # (student id, column key)


def adjust(rows: Sequence[Row], columns: Sequence[Column],
           extensions: Mapping[Key, datetime], overrides: Mapping[Key, tuple[float, str]],
           now: datetime) -> tuple[list[Row], dict[tuple[Hashable, int], Note]]:
    """The rows with overrides and extensions applied, and a note per changed cell.

    Notes are keyed by (student id, column index), as the page walks the rows.
    """
    position = {column.key: index for index, column in enumerate(columns)}
    changed: dict[Hashable, dict[int, tuple[datetime | None, tuple[float, str] | None]]] = \
        defaultdict(dict)
    for (student, key), due in extensions.items():
        if key in position:
            changed[student][position[key]] = (due, None)
    for (student, key), override in overrides.items():
        if key in position:
            due, _ = changed[student].get(position[key], (None, None))
            changed[student][position[key]] = (due, override)
    notes: dict[tuple[Hashable, int], Note] = {}
    result = []
    for row in rows:
        cells_changed = changed.get(row.student_id)
        if not cells_changed:
            result.append(row)
            continue
        overdue = list(row.overdue)
        for index, (extended_to, _) in cells_changed.items():
            if extended_to is not None:
                due = student_due(columns[index].due_at, extended_to)
                overdue[index] = due is not None and now > due
        row = replace(row, overdue=tuple(overdue))
        cells = row.cells
        percents = list(row.percents)
        for index, (extended_to, override) in cells_changed.items():
            percent, comment = override if override is not None else (None, "")
            notes[row.student_id, index] = Note(cells[index], percent, comment, extended_to)
            if percent is not None:
                percents[index] = percent
        result.append(replace(row, percents=tuple(percents)))
    return result, notes
