"""Class results: the gradebook, the score distribution and item analysis.

Pure functions over plain values (scores, timestamps, stored verdicts, compiled lesson
content); the services in :mod:`app.services.results` load the rows and the teacher pages
render what comes out. Grades always come from :mod:`app.domain.grading` (:func:`grade`,
or :func:`grade_in_order` on which it rests, for the gradebook's thousands of attempts), so
the gradebook, the student's own list and these statistics apply one rule.

Item analysis follows Moodle's quiz statistics report (see :func:`facility_index` and
:func:`discrimination_index`). Like Moodle, it analyses one attempt per student: here the
attempt that counts under the assignment's grading method (:func:`counting_attempt`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from app.domain.grading import Grade, Scored, grade, grade_in_order, percent_of
from app.domain.text import sentences, words

# Where Moodle defines the item statistics used here (linked from the results page).
MOODLE_STATISTICS_DOC = "https://docs.moodle.org/dev/Quiz_statistics_calculations"

# --- which attempt counts ----------------------------------------------------------------


def counting_attempt(attempts: Sequence[Scored], method: str) -> int | None:
    """Index (into ``attempts``) of the one attempt item analysis uses for a student.

    For ``highest``, ``first`` and ``last`` it is the attempt :func:`grade` takes (the
    earliest of equally high attempts for ``highest``). An ``average`` grade has no single
    attempt, so the last one stands in for it. None when there are no attempts.
    """
    if not attempts:
        return None
    order = sorted(range(len(attempts)), key=lambda i: attempts[i].submitted_at)
    if method in ("last", "average"):
        return order[-1]
    if method == "first":
        return order[0]
    if method == "highest":
        # Ties go to the earliest, as in grade().
        return max(enumerate(order), key=lambda pair: (attempts[pair[1]].percent, -pair[0]))[1]
    raise ValueError(f"unknown grading method {method!r}")


# --- the gradebook ---------------------------------------------------------------------


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
        percents[index], counts[index], lates[index] = round(percent_of(score, most), 1), 1, late
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
    """Mean grade per column over the students who have one (one decimal), or None.

    ``count`` is the number of columns (the rows may be none).
    """
    averages: list[float | None] = []
    columns = zip(*(row.percents for row in rows), strict=True) if rows else [()] * count
    for column in columns:
        percents = [percent for percent in column if percent is not None]
        averages.append(round(sum(percents) / len(percents), 1) if percents else None)
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


# --- item analysis ---------------------------------------------------------------------


class ScoredAnswer(Protocol):
    """What item analysis needs of a stored answer (an ``AttemptAnswer`` or a row of one)."""

    question_id: str
    kind: str
    points: float
    max_points: float
    verdicts: Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Submission:
    """One student's counted attempt: who, its answers, and the lesson content it used."""

    student: Hashable
    answers: Sequence[ScoredAnswer]
    content: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ItemStatistics:
    """Moodle's per-question statistics for one question."""

    question_id: str
    kind: str
    students: int
    mean_points: float
    max_points: float
    facility: float | None
    discrimination: float | None


def facility_index(points: Sequence[float], max_points: Sequence[float]) -> float | None:
    """Moodle's facility index: the mean score on a question as a percentage of its maximum.

    ``points[i]`` out of ``max_points[i]`` for each student; with one maximum this is
    ``100 × mean(points) / max``, and if a key changed between versions each attempt's
    own maximum is used (``100 × Σpoints / Σmax``). None when there is nothing to average.
    Definition: Moodle, "Quiz statistics calculations", Facility index
    (https://docs.moodle.org/dev/Quiz_statistics_calculations; Moodle's
    ``question/classes/statistics/questions/calculator.php`` computes
    ``markaverage / maxmark``, shown as a percentage).
    """
    total_max = sum(max_points)
    if not points or total_max <= 0:
        return None
    return 100.0 * sum(points) / total_max


def discrimination_index(question: Sequence[float], rest: Sequence[float]) -> float | None:
    """Moodle's discrimination index: 100 × the correlation of question and rest-of-quiz scores.

    ``question[i]`` is student i's score on this question, ``rest[i]`` their score on the
    rest of the quiz (total minus this question), so the question is not correlated with
    itself. Pearson's r, in −100…100; None with fewer than two students or when either list
    has no variance (everyone scored the same), where r is undefined.
    Definition: Moodle, "Quiz statistics calculations", Discrimination index
    (https://docs.moodle.org/dev/Quiz_statistics_calculations), as computed by Moodle's
    ``question/classes/statistics/questions/calculator.php``:
    ``100 · cov(x, X−x) / sqrt(var(x) · var(X−x))``.
    """
    n = len(question)
    if n != len(rest):
        raise ValueError("question and rest scores must be paired, one per student")
    if n < 2:
        return None
    mean_q = sum(question) / n
    mean_r = sum(rest) / n
    covariance = sum((q - mean_q) * (r - mean_r) for q, r in zip(question, rest, strict=True))
    variance_q = sum((q - mean_q) ** 2 for q in question)
    variance_r = sum((r - mean_r) ** 2 for r in rest)
    # Sums of squares, not floats compared with 0: a constant column gives exactly 0 here.
    if variance_q <= 1e-12 or variance_r <= 1e-12:
        return None
    return 100.0 * covariance / math.sqrt(variance_q * variance_r)


def item_analysis(submissions: Sequence[Submission]) -> list[ItemStatistics]:
    """Facility and discrimination for every question, in the order questions first appear.

    Each submission's total is the sum of its answers' points; a question's "rest of the
    quiz" is that total minus the question. A submission without an answer to a question
    (it used a version of the lesson without it) is left out of that question only.
    """
    totals = [sum(answer.points for answer in s.answers) for s in submissions]
    scores: dict[str, list[tuple[float, float, float]]] = {}
    kinds: dict[str, str] = {}
    for submission, total in zip(submissions, totals, strict=True):
        for answer in submission.answers:
            kinds.setdefault(answer.question_id, answer.kind)
            scores.setdefault(answer.question_id, []).append(
                (answer.points, answer.max_points, total - answer.points))
    result = []
    for question_id, rows in scores.items():
        points = [row[0] for row in rows]
        maxima = [row[1] for row in rows]
        result.append(ItemStatistics(
            question_id=question_id, kind=kinds[question_id], students=len(rows),
            mean_points=sum(points) / len(rows), max_points=max(maxima),
            facility=facility_index(points, maxima),
            discrimination=discrimination_index(points, [row[2] for row in rows])))
    return result


# --- key phrases found, neutral words marked -------------------------------------------

KEY_VERDICTS = ("found", "partial", "missed")


@dataclass(frozen=True, slots=True)
class PhraseShare:
    """How many of the students who had a key item (phrase, signal, term, gap) found it."""

    question_id: str
    kind: str
    text: str
    side: int | None
    sentence: str
    students: int
    found: int
    partial: int

    @property
    def found_percent(self) -> float:
        """Share of the students who found the whole item, in percent."""
        return 100.0 * self.found / self.students if self.students else 0.0

    @property
    def partial_percent(self) -> float:
        """Share of the students who found part of its words, in percent."""
        return 100.0 * self.partial / self.students if self.students else 0.0

    @property
    def missed(self) -> int:
        """How many students marked none of it."""
        return self.students - self.found - self.partial


def _key_of(question_id: str, verdict: Mapping[str, Any]) -> tuple[Any, ...]:
    units = tuple(verdict["words"]) if "words" in verdict else ("s", verdict.get("sentence"))
    return (question_id, verdict.get("side"), units)


def phrase_shares(submissions: Sequence[Submission]) -> list[PhraseShare]:
    """Per key item, the students who found it fully and partly; most missed first.

    Key items are read from the stored verdicts (``found`` / ``partial`` / ``missed``):
    loaded-terms phrases, framing signals, compare terms and sourcing gaps. Sorted by the
    share found, then the share partly found (both ascending), then lesson order.
    """
    tally: dict[tuple[Any, ...], dict[str, Any]] = {}
    for submission in submissions:
        for answer in submission.answers:
            for verdict in answer.verdicts:
                if verdict.get("type") not in KEY_VERDICTS:
                    continue
                key = _key_of(answer.question_id, verdict)
                entry = tally.setdefault(key, {
                    "question_id": answer.question_id, "kind": answer.kind,
                    "text": verdict.get("phrase") or verdict.get("text", ""),
                    "side": verdict.get("side"),
                    "sentence": verdict.get("text", "") if "sentence" in verdict else "",
                    "students": 0, "found": 0, "partial": 0, "order": len(tally)})
                entry["students"] += 1
                if verdict["type"] in ("found", "partial"):
                    entry[verdict["type"]] += 1
    ranked = sorted(tally.values(), key=lambda e: (e["found"] / e["students"],
                                                   e["partial"] / e["students"], e["order"]))
    return [PhraseShare(**{k: v for k, v in entry.items() if k != "order"})
            for entry in ranked]


@dataclass(frozen=True, slots=True)
class WrongWord:
    """A word that is not in the key, as often as students marked it in one excerpt."""

    excerpt: str
    word: str
    marks: int
    students: int


def excerpt_of(content: Mapping[str, Any], question_id: str, side: int | None) -> str | None:
    """The excerpt id a question (or one side of a compare question) is about, if known."""
    for question in content.get("questions", []):
        if question["id"] != question_id:
            continue
        if question["kind"] == "compare":
            sides = question["sides"]
            return sides[side]["excerpt"] if side is not None and side < len(sides) else None
        return question.get("excerpt")
    return None


def wrong_words(submissions: Sequence[Submission]) -> list[WrongWord]:
    """Words marked that are in no key phrase, grouped by text (any case) within an excerpt.

    Read from the stored ``wrong`` verdicts of word questions (sourcing's wrongly chosen
    sentences are not words and are left out). ``marks`` counts every marked occurrence;
    ``students`` counts each student once. Sorted by students, then marks (most first),
    then the word. The word is shown as first met in the text.
    """
    tally: dict[tuple[str, str], dict[str, Any]] = {}
    for submission in submissions:
        texts = {e["id"]: e["text"] for e in submission.content.get("excerpts", [])}
        spans: dict[str, list[Any]] = {}
        for answer in submission.answers:
            for verdict in answer.verdicts:
                if verdict.get("type") != "wrong" or "words" not in verdict:
                    continue
                excerpt = excerpt_of(submission.content, answer.question_id,
                                     verdict.get("side"))
                if excerpt is None or excerpt not in texts:
                    continue
                if excerpt not in spans:
                    spans[excerpt] = words(texts[excerpt])
                for index in verdict["words"]:
                    if not 0 <= index < len(spans[excerpt]):
                        continue
                    shown = spans[excerpt][index].text
                    entry = tally.setdefault((excerpt, shown.casefold()), {
                        "excerpt": excerpt, "word": shown, "marks": 0,
                        "students": set()})
                    entry["marks"] += 1
                    entry["students"].add(submission.student)
    ranked = sorted(tally.values(), key=lambda e: (-len(e["students"]), -e["marks"],
                                                   e["word"].casefold(), e["excerpt"]))
    return [WrongWord(e["excerpt"], e["word"], e["marks"], len(e["students"]))
            for e in ranked]


# --- responses in words (for the responses CSV) -----------------------------------------


# An export puts thousands of responses on the same few excerpts into words.
_words = lru_cache(maxsize=128)(words)
_sentences = lru_cache(maxsize=128)(sentences)


def _marked_phrases(text: str, indices: Iterable[int]) -> str:
    """Marked words as the phrases they form: consecutive words joined, runs split by "; "."""
    spans = _words(text)
    chosen = sorted({i for i in indices if 0 <= i < len(spans)})
    runs: list[list[int]] = []
    for index in chosen:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return "; ".join(text[spans[run[0]].start:spans[run[-1]].end] for run in runs)


def _option_text(question: Mapping[str, Any], choice: str | None) -> str:
    options = {option["id"]: option["text"] for option in question.get("options", [])}
    return options.get(choice, "") if choice else ""


def response_text(question: Mapping[str, Any], response: Mapping[str, Any],
                  excerpts: Mapping[str, str]) -> tuple[str, str]:
    """A stored response in words: ``(what was marked, the frame chosen)``.

    Marked words become the phrases they form ("gangs; dangerous mob attacks"); selected
    sentences are quoted whole, separated by " | ". A compare question prefixes each
    excerpt's part with its letter ("A: mob / B: protesters").
    """
    kind = question["kind"]
    if kind == "sourcing":
        spans = _sentences(excerpts.get(question["excerpt"], ""))
        return " | ".join(spans[i].text for i in response.get("sentences", [])
                          if 0 <= i < len(spans)), ""
    if kind == "compare":
        sides = list(response.get("sides", []))
        marked, chosen = [], []
        for number, side in enumerate(question["sides"]):
            answer = sides[number] if number < len(sides) else {}
            letter = chr(ord("A") + number)
            marked.append(f"{letter}: "
                          + _marked_phrases(excerpts.get(side["excerpt"], ""),
                                            answer.get("words", [])))
            chosen.append(f"{letter}: " + _option_text(question, answer.get("choice")))
        return " / ".join(marked), " / ".join(chosen)
    text = excerpts.get(question["excerpt"], "")
    return (_marked_phrases(text, response.get("words", [])),
            _option_text(question, response.get("choice")))
