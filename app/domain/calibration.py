"""Calibration: how sure students said they were against how well they did.

An assignment that asks "How sure are you?" (:mod:`app.domain.confidence`) stores a
rating, 1 to 4, beside each answer that has one. Here, pure arithmetic on those answers:

* :func:`by_level`: per rating, how many answers (and students) and the mean score, each
  answer's points as a percentage of its maximum, averaged (every rated answer counts
  once, whatever the question is worth);
* :func:`confident_but_wrong`: in answers rated "Fairly sure" or "Certain", the key items
  missed or marked wrongly and the wrong frames and verdicts chosen, grouped by the
  item's text within its question, most students first;
* :func:`student_note`: one sentence for a student about their own ratings.

Answers worth no points (a maximum of 0) tell nothing about accuracy and are left out.
Nothing here touches the web or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from app.domain.checking import VERDICTS as VERDICT_LABELS
from app.domain.confidence import CONFIDENT, LEVELS
from app.domain.numbers import percent

# Fewer rated answers than this and the student's note says nothing.
NOTE_MINIMUM: Final = 4
# Percentage points by which sure answers must beat unsure ones to be called better.
CLEAR_GAP: Final = 10
# How a confident slip is named, in the order the page explains them.
MISSED: Final = "Missed"
WRONG_MARK: Final = "Marked, but not in the key"
WRONG_FRAME: Final = "Wrong frame chosen"
WRONG_VERDICT: Final = "Wrong verdict chosen"


@dataclass(frozen=True, slots=True)
class RatedAnswer:
    """One stored answer with its rating: whose, which question, the points, the verdicts."""

    student_id: int
    question_id: str
    confidence: int
    points: float
    max_points: float
    verdicts: Sequence[Mapping[str, Any]] = ()

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points


@dataclass(frozen=True, slots=True)
class Level:
    """One rating's row: rated answers, the students who gave them, their mean score (%)
    (None when no answer has this rating)."""

    level: int
    label: str
    answers: int
    students: int
    mean_percent: float | None


def _scored(answers: Iterable[RatedAnswer]) -> list[RatedAnswer]:
    return [answer for answer in answers
            if answer.confidence in LEVELS and answer.max_points > 0]


def by_level(answers: Iterable[RatedAnswer]) -> list[Level]:
    """Every rating from "Guessing" to "Certain", in order, with its answers' mean score."""
    rows = []
    scored = _scored(answers)
    for level, label in LEVELS.items():
        mine = [answer for answer in scored if answer.confidence == level]
        mean = sum(answer.percent for answer in mine) / len(mine) if mine else None
        rows.append(Level(level, label, len(mine), len({a.student_id for a in mine}), mean))
    return rows


@dataclass(slots=True)
class Slip:
    """A key item (or a wrong choice) students got wrong while saying they were sure."""

    question_id: str
    what: str
    text: str
    students: set[int] = field(default_factory=set)
    answers: int = 0


def item_names(content: Mapping[str, Any]) -> dict[str, str]:
    """Card id -> its title and fact ref (``card#fact``) -> its text, from a lesson
    version's cards: how verify and omission verdicts (which carry ids) are named."""
    names: dict[str, str] = {}
    for card_id, card in (content.get("cards") or {}).items():
        names[card_id] = str(card.get("title") or card_id)
        for fact in card.get("facts") or []:
            if fact.get("id"):
                names[f"{card_id}#{fact['id']}"] = str(fact.get("text") or fact["id"])
    return names


def _text(verdict: Mapping[str, Any], names: Mapping[str, str]) -> str:
    if verdict.get("ref"):
        return names.get(verdict["ref"], verdict["ref"])
    if verdict.get("card") and not verdict.get("text"):
        return names.get(verdict["card"], verdict["card"])
    return str(verdict.get("text") or "")


def slips_of(verdicts: Iterable[Mapping[str, Any]],
             names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(what, text) of each thing one answer got wrong: a key item missed (wholly or in
    part), a mark the key does not count, a wrong frame or verdict chosen. A choice left
    empty is not a wrong choice; debatable items and asides never count."""
    names = names or {}
    found: list[tuple[str, str]] = []
    for verdict in verdicts:
        kind = verdict.get("type")
        if kind in ("missed", "partial"):
            found.append((MISSED, _text(verdict, names)))
        elif kind == "wrong":
            found.append((WRONG_MARK, _text(verdict, names)))
        elif kind == "choice" and not verdict.get("right") and verdict.get("chosen"):
            found.append((WRONG_FRAME, str(verdict.get("chosen_text") or verdict["chosen"])))
        elif kind == "verdict" and not verdict.get("right") and verdict.get("chosen"):
            found.append((WRONG_VERDICT, VERDICT_LABELS.get(verdict["chosen"],
                                                            verdict["chosen"])))
    return found


def confident_but_wrong(answers: Iterable[RatedAnswer],
                        names: Mapping[str, str] | None = None,
                        order: Sequence[str] = ()) -> list[Slip]:
    """What answers rated "Fairly sure" or "Certain" got wrong, grouped by question, kind
    of slip and text: most students first, then most answers, then in question order
    (``order``: the lesson's question ids) and by text."""
    groups: dict[tuple[str, str, str], Slip] = {}
    for answer in answers:
        if answer.confidence not in CONFIDENT:
            continue
        for what, text in dict.fromkeys(slips_of(answer.verdicts, names)):
            slip = groups.setdefault((answer.question_id, what, text),
                                     Slip(answer.question_id, what, text))
            slip.students.add(answer.student_id)
            slip.answers += 1
    position = {qid: n for n, qid in enumerate(order)}
    return sorted(groups.values(), key=lambda slip: (
        -len(slip.students), -slip.answers, position.get(slip.question_id, len(position)),
        slip.what, slip.text))


def student_note(answers: Iterable[RatedAnswer]) -> str | None:
    """One sentence for a student comparing their sure and unsure answers, or None when
    they rated fewer than :data:`NOTE_MINIMUM` answers or used only one side."""
    scored = _scored(answers)
    if len(scored) < NOTE_MINIMUM:
        return None
    sure = [answer.percent for answer in scored if answer.confidence in CONFIDENT]
    unsure = [answer.percent for answer in scored if answer.confidence not in CONFIDENT]
    if not sure or not unsure:
        return None
    sure_mean, unsure_mean = sum(sure) / len(sure), sum(unsure) / len(unsure)
    said = (f"When you said “Fairly sure” or “Certain” you scored {percent(sure_mean)} on "
            f"average; when you said “Guessing” or “Unsure”, {percent(unsure_mean)}.")
    if sure_mean - unsure_mean >= CLEAR_GAP:
        return said + " Being sure went with doing better."
    return said + (" Being sure did not go with doing clearly better here: look again at "
                   "the questions you were sure of.")
