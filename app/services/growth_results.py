"""What a growth study's results page shows: each student's change, the class's, the
comparison class's, the difference, the match check and the plain words.

Read-only. Which attempt counts: **each student's first submitted attempt** on each
test (pre, post, delayed), whatever the assignment's grading method. The first attempt
on the pre-test is the honest baseline, and taking the first on the post-test as well
keeps both sides alike: a second try after seeing the feedback would count practice on
the very same questions as growth. Only students enrolled in the class now count (as on
the gradebook).

Per attempt: points as a percentage of its maximum, and d′ over its marking answers
(:func:`app.domain.discernment.overall` of their detection counts; answers stored before
the counts were kept are counted from the attempt's own version of the key). The
statistics are in :mod:`app.domain.growth`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app.domain import growth, growth_match, growth_words
from app.domain.discernment import MARKING_KINDS, overall
from app.extensions import db
from app.models import Assignment, Attempt, AttemptAnswer, Enrollment, Lesson, LessonVersion, User
from app.models.learning import GrowthStudy
from app.services import discernment as discernment_service

ATTEMPT_RULE = ("Each student's first submitted attempt on each test counts, whatever the "
                "assignment's grading method: the first try is the honest baseline on the "
                "pre-test, and the same rule on the post-test keeps the two alike (a second "
                "try after feedback would count practice as growth).")


@dataclass(frozen=True, slots=True)
class Taken:
    """One student's first attempt on one test: percent of the maximum and d′."""

    percent: float | None
    d_prime: float | None


@dataclass(frozen=True, slots=True)
class StudentRow:
    """A student's line in the table (None: not taken, or nothing to compute)."""

    student_id: int
    username: str
    pre: Taken | None
    post: Taken | None
    delayed: Taken | None

    @property
    def change(self) -> float | None:
        if self.pre is None or self.post is None or None in (self.pre.percent,
                                                              self.post.percent):
            return None
        return self.post.percent - self.pre.percent  # type: ignore[operator]

    @property
    def d_change(self) -> float | None:
        if self.pre is None or self.post is None or None in (self.pre.d_prime,
                                                              self.post.d_prime):
            return None
        return self.post.d_prime - self.pre.d_prime  # type: ignore[operator]

    @property
    def counted(self) -> bool:
        return self.change is not None


@dataclass(slots=True)
class ClassGrowth:
    """One class's pre/post results."""

    name: str
    rows: list[StudentRow]
    points: growth.PairedChange
    d_prime: growth.PairedChange
    only_pre: int
    only_post: int
    delayed: growth.PairedChange | None = None
    # Discernment from the pre-test to the delayed post-test: does the change last?
    delayed_d: growth.PairedChange | None = None

    @property
    def changes(self) -> list[float]:
        return [row.change for row in self.rows if row.change is not None]

    @property
    def d_changes(self) -> list[float]:
        return [row.d_change for row in self.rows if row.d_change is not None]


@dataclass(slots=True)
class StudyResults:
    study: GrowthStudy
    titles: dict[str, str]
    match: list[str]
    own: ClassGrowth
    comparison: ClassGrowth | None = None
    between: growth.Comparison | None = None
    between_d: growth.Comparison | None = None
    words: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    rule: str = ATTEMPT_RULE


def _first_attempts(classroom_id: int, assignment_ids: list[int]) -> dict[tuple[int, int], Any]:
    """(student id, assignment id) -> the first attempt's row, for enrolled students."""
    rows = db.session.execute(
        sa.select(Attempt.id, Attempt.user_id, Attempt.assignment_id, Attempt.score,
                  Attempt.max_score, Attempt.lesson_version_id, User.username)
        .join(User, User.id == Attempt.user_id)
        .join(Enrollment, sa.and_(Enrollment.student_id == Attempt.user_id,
                                  Enrollment.classroom_id == classroom_id))
        .where(Attempt.assignment_id.in_(assignment_ids))
        .order_by(Attempt.submitted_at, Attempt.id))
    first: dict[tuple[int, int], Any] = {}
    for row in rows:
        first.setdefault((row.user_id, row.assignment_id), row)
    return first


def _d_primes(attempts: Iterable[Any]) -> dict[int, float | None]:
    """Attempt id -> d′ over its marking answers (one query, plus
    :func:`app.services.discernment.fill_missing` for answers stored without counts)."""
    ids = [row.id for row in attempts]
    if not ids:
        return {}
    counts = discernment_service.pooled(db.session.execute(
        sa.select(AttemptAnswer.attempt_id, AttemptAnswer.id, AttemptAnswer.detection)
        .where(AttemptAnswer.attempt_id.in_(ids), AttemptAnswer.kind.in_(MARKING_KINDS))))
    found: dict[int, float | None] = {}
    for attempt_id in ids:
        measured = overall(counts.get(attempt_id))
        found[attempt_id] = measured.d_prime if measured else None
    return found


def _taken(row: Any, d_primes: Mapping[int, float | None]) -> Taken:
    percent = row.score * 100 / row.max_score if row.max_score and row.max_score > 0 else None
    return Taken(percent, d_primes.get(row.id))


def class_growth(name: str, classroom_id: int, pre_id: int, post_id: int,
                 delayed_id: int | None = None) -> ClassGrowth:
    """One class's table and summaries for its pre-, post- (and delayed) test."""
    ids = [pre_id, post_id] + ([delayed_id] if delayed_id else [])
    first = _first_attempts(classroom_id, ids)
    d_primes = _d_primes(first.values())
    students = sorted({(row.username, student) for (student, _), row in first.items()})
    rows = []
    for username, student in students:
        taken = {a: _taken(first[student, a], d_primes) if (student, a) in first else None
                 for a in ids}
        rows.append(StudentRow(student, username, taken[pre_id], taken[post_id],
                               taken.get(delayed_id) if delayed_id else None))
    pairing = growth.pair_up({r.student_id: r.pre.percent if r.pre else None for r in rows},
                             {r.student_id: r.post.percent if r.post else None for r in rows})
    d_pairs = [(r.pre.d_prime, r.post.d_prime) for r in rows if r.d_change is not None]
    result = ClassGrowth(name, rows, growth.paired_change([(p, q) for _, p, q in pairing.pairs]),
                         growth.paired_change(d_pairs),  # type: ignore[arg-type]
                         pairing.only_pre, pairing.only_post)
    if delayed_id:
        result.delayed = growth.paired_change(
            [(r.pre.percent, r.delayed.percent) for r in rows  # type: ignore[misc]
             if r.pre and r.delayed and None not in (r.pre.percent, r.delayed.percent)])
        result.delayed_d = growth.paired_change(
            [(r.pre.d_prime, r.delayed.d_prime) for r in rows  # type: ignore[misc]
             if r.pre and r.delayed and None not in (r.pre.d_prime, r.delayed.d_prime)])
    return result


def _contents(assignment_ids: list[int]) -> dict[int, tuple[int, str, dict[str, Any]]]:
    """Assignment id -> (lesson id, lesson title, its current version's content)."""
    rows = db.session.execute(
        sa.select(Assignment.id, Lesson.id, Lesson.title, LessonVersion.content)
        .join(Lesson, Lesson.id == Assignment.lesson_id)
        .join(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                     LessonVersion.number == Lesson.version))
        .where(Assignment.id.in_(assignment_ids)))
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _match(study: GrowthStudy, contents: Mapping[int, tuple[int, str, dict[str, Any]]]
           ) -> list[str]:
    """The match report, with the delayed and comparison tests' own differences."""
    pre, post = contents.get(study.pre_assignment_id), contents.get(study.post_assignment_id)
    if pre is None or post is None:
        return []
    warnings = growth_match.match_report(pre[2], post[2])
    delayed = contents.get(study.delayed_assignment_id or 0)
    if delayed is not None:
        warnings += [f"Delayed post-test: {w}" for w in growth_match.match_report(pre[2],
                                                                                  delayed[2])]
    other_pre = contents.get(study.comparison_pre_assignment_id or 0)
    other_post = contents.get(study.comparison_post_assignment_id or 0)
    for mine, theirs, which in ((pre, other_pre, "pre-test"), (post, other_post, "post-test")):
        if theirs is not None and theirs[0] != mine[0]:
            names = (f"(“{theirs[1]}”) than this class's (“{mine[1]}”)"
                     if theirs[1] != mine[1] else f"than this class's, with the same title "
                                                  f"(“{mine[1]}”)")
            warnings.append(f"The comparison class's {which} is another lesson {names}: the "
                            "classes are measured on different tests.")
    return warnings


def study_results(study: GrowthStudy) -> StudyResults:
    """Everything the results page shows."""
    ids = [i for i in (study.pre_assignment_id, study.post_assignment_id,
                       study.delayed_assignment_id, study.comparison_pre_assignment_id,
                       study.comparison_post_assignment_id) if i]
    contents = _contents(ids)
    titles = {name: contents[i][1] for name, i in (
        ("pre", study.pre_assignment_id), ("post", study.post_assignment_id),
        ("delayed", study.delayed_assignment_id),
        ("comparison_pre", study.comparison_pre_assignment_id),
        ("comparison_post", study.comparison_post_assignment_id)) if i in contents}
    own = class_growth(study.classroom.name, study.classroom_id, study.pre_assignment_id,
                       study.post_assignment_id, study.delayed_assignment_id)
    results = StudyResults(study, titles, _match(study, contents), own)
    words = [growth_words.describe_points(own.points),
             growth_words.describe_discernment(own.d_prime)]
    other = study.comparison_classroom
    if (other is not None and study.comparison_pre_assignment_id
            and study.comparison_post_assignment_id):
        results.comparison = class_growth(other.name, other.id,
                                          study.comparison_pre_assignment_id,
                                          study.comparison_post_assignment_id)
        results.between = growth.compare(own.changes, results.comparison.changes)
        results.between_d = growth.compare(own.d_changes, results.comparison.d_changes)
        words.append(growth_words.describe_comparison(results.between, other.name))
    results.words = words
    results.caveats = growth_words.caveats(own.points.n, comparison=results.comparison
                                           is not None)
    return results


GROWTH_HEADER = ["class", "student", "counted", "pre-test %", "post-test %",
                 "change (points)", "pre-test d′", "post-test d′", "change in d′",
                 "delayed post-test %", "delayed d′"]


def _cell(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def growth_csv_rows(results: StudyResults) -> Iterator[list[object]]:
    """The results page's per-student table as CSV rows: the class's students, then the
    comparison class's (first attempts; blank where a test was not taken)."""
    for growth_of in (results.own, results.comparison):
        if growth_of is None:
            continue
        for row in growth_of.rows:
            pre, post, delayed = row.pre, row.post, row.delayed
            yield [growth_of.name, row.username, "yes" if row.counted else "no",
                   _cell(pre.percent if pre else None), _cell(post.percent if post else None),
                   _cell(row.change), _cell(pre.d_prime if pre else None),
                   _cell(post.d_prime if post else None), _cell(row.d_change),
                   _cell(delayed.percent if delayed else None),
                   _cell(delayed.d_prime if delayed else None)]
