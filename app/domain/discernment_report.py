"""Discernment of a class: per student, the class as a whole, per technique, in words.

Pure functions over detection counts already summed per student (see
:mod:`app.domain.discernment` for what a hit and a false alarm are and for the
correction). The teacher's discernment page, its CSV, the gradebook's d′ column and the
student's own words are all built from what is here.

The class summary gives two views that answer different questions:

* the **mean of the students' d′ and c** (with their standard deviation): how well the
  typical student tells loaded from neutral, each student weighing the same;
* the **pooled rates**: every signal item and every noise item of the class together, the
  figures a simulated class with set rates must reproduce.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist, fmean, stdev

from app.domain.discernment import (
    FAMILIES,
    Counts,
    Discernment,
    add_counts,
    by_family,
    by_technique,
    describe,
    family,
    overall,
    technique_label,
)

_Z = NormalDist().inv_cdf

# Plain bands for the teacher's reading of a student (the numbers stay beside them).
APART_WELL = 1.5      # d′ at or above: tells loaded from neutral well
APART_SOMEWHAT = 0.5  # d′ below this: does not yet tell them apart
FREE = -0.5           # c below: marks freely
CAREFUL = 0.5         # c above: careful
# A technique is put into words for a student from this many signal items on.
STUDENT_MIN_ITEMS = 5
# Two techniques' hit rates must differ by this much for "more often than".
NOTABLE_GAP = 0.2


def true_d_prime(hit_rate: float, false_alarm_rate: float) -> float:
    """d′ of known rates, no correction: z(h) − z(f) (what a simulation sets)."""
    return _Z(hit_rate) - _Z(false_alarm_rate)


def true_criterion(hit_rate: float, false_alarm_rate: float) -> float:
    """c of known rates, no correction: −(z(h) + z(f)) / 2."""
    return -(_Z(hit_rate) + _Z(false_alarm_rate)) / 2


def teacher_reading(found: Discernment | None) -> str:
    """A few words for the teacher: how well the student tells loaded from neutral, and
    how freely they mark ("tells them apart well, marks freely")."""
    if found is None:
        return "no marking answers yet"
    if found.d_prime >= APART_WELL:
        apart = "tells them apart well"
    elif found.d_prime >= APART_SOMEWHAT:
        apart = "tells them apart somewhat"
    else:
        apart = "does not yet tell them apart"
    if found.criterion < FREE:
        return f"{apart}, marks freely"
    if found.criterion > CAREFUL:
        return f"{apart}, careful"
    return apart


@dataclass(frozen=True, slots=True)
class StudentLine:
    """One student's pooled counts and what they measure (None: no marking answers)."""

    student_id: Hashable
    name: str
    counts: Counts
    measure: Discernment | None

    @property
    def reading(self) -> str:
        return teacher_reading(self.measure)


@dataclass(frozen=True, slots=True)
class Spread:
    """A mean over students, with its standard deviation (None for fewer than two)."""

    mean: float
    sd: float | None


def spread(values: Sequence[float]) -> Spread | None:
    """Mean and sample standard deviation of ``values``; None when there are none."""
    if not values:
        return None
    return Spread(fmean(values), stdev(values) if len(values) > 1 else None)


@dataclass(frozen=True, slots=True)
class TechniqueLine:
    """A technique (or a family) over the class's pooled counts, and how many students
    met at least one of its signal items."""

    key: str
    label: str
    measure: Discernment
    students: int


@dataclass(slots=True)
class ClassReport:
    """Everything the class's discernment page shows."""

    students: list[StudentLine]
    pooled: Discernment | None
    d_prime: Spread | None
    criterion: Spread | None
    techniques: list[TechniqueLine] = field(default_factory=list)
    families: list[TechniqueLine] = field(default_factory=list)

    @property
    def measured(self) -> list[StudentLine]:
        """The students with a measure (they answered at least one marking question)."""
        return [line for line in self.students if line.measure is not None]


def class_report(students: Sequence[tuple[Hashable, str]],
                 counts: Mapping[Hashable, Counts]) -> ClassReport:
    """The report of a class: ``students`` (id, name) in page order, ``counts`` their
    pooled detection counts (a student missing from it has none)."""
    lines = []
    for student_id, name in students:
        mine = add_counts(counts.get(student_id))
        lines.append(StudentLine(student_id, name, mine, overall(mine)))
    measured = [line.measure for line in lines if line.measure is not None]
    pooled = add_counts(*(line.counts for line in lines))
    return ClassReport(
        students=lines, pooled=overall(pooled),
        d_prime=spread([m.d_prime for m in measured]),
        criterion=spread([m.criterion for m in measured]),
        techniques=[TechniqueLine(key, technique_label(key), found,
                                  _students_with(lines, key, exact=True))
                    for key, found in by_technique(pooled).items()],
        families=[TechniqueLine(name, FAMILIES[name], found,
                                _students_with(lines, name, exact=False))
                  for name, found in by_family(pooled).items()])


def _students_with(lines: Sequence[StudentLine], wanted: str, *, exact: bool) -> int:
    """How many students met a signal item of technique ``wanted`` (``exact``) or of a
    technique of family ``wanted``."""
    return sum(1 for line in lines
               if any(items and (key == wanted if exact else family(key) == wanted)
                      for key, (items, _) in line.counts["signal"].items()))


# --- words for the student ---------------------------------------------------------------


def technique_phrase(key: str) -> str:
    """A technique in the middle of a sentence: "loaded words for the people in the
    streets", "sourcing gaps (vague attribution)", "framing signals"."""
    label = technique_label(key)
    if family(key) == "sourcing":
        reason = label.split(": ", 1)[1] if ": " in label else ""
        return f"sourcing gaps ({reason})" if reason else "sourcing gaps"
    return label[:1].lower() + label[1:]


def technique_words(counts: Counts | None,
                    minimum: int = STUDENT_MIN_ITEMS) -> list[str]:
    """Per technique the student met at least ``minimum`` signal items of, what they found
    ("Loaded words for the people in the streets: you found 8 of 10."), then, when two of
    them differ by :data:`NOTABLE_GAP` or more, which they find more often."""
    found = {key: measure for key, measure in by_technique(counts).items()
             if measure.signal >= minimum}
    sentences = [f"{technique_label(key)}: you found {m.hits} of {m.signal}."
                 for key, m in found.items()]
    if len(found) >= 2:
        best = max(found, key=lambda key: found[key].hit_rate)
        worst = min(found, key=lambda key: found[key].hit_rate)
        if found[best].hit_rate - found[worst].hit_rate >= NOTABLE_GAP:
            sentences.append(f"You find {technique_phrase(best)} more often than "
                             f"{technique_phrase(worst)}.")
    return sentences


@dataclass(frozen=True, slots=True)
class StudentWords:
    """What a student reads about their own marking: the numbers, one plain sentence
    (:func:`app.domain.discernment.describe`) and per technique where there are enough
    items (:func:`technique_words`)."""

    measure: Discernment
    sentence: str
    techniques: list[str]


def student_words(counts: Counts | None) -> StudentWords | None:
    """A student's own words, or None before any marking answer."""
    found = overall(counts)
    if found is None:
        return None
    return StudentWords(found, describe(found), technique_words(counts))
