"""A lesson taken one question at a time: steps, what is still unanswered, saved marks.

Marks have the shape the quiz form is read into (:mod:`app.domain.responses`): per question
id ``{"words": [...]}``, ``{"words": [...], "choice": ...}``, ``{"sentences": [...]}``,
``{"sides": [{"choice": ..., "words": [...]}, ...]}``, ``{"verdict": ..., "cards": [...]}``
(verify) or ``{"facts": [...]}`` (omission). A step is a question's number,
1-based as the student reads it; the step after the last question is the review before
submitting. Nothing here touches the web or the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.domain import confidence

REVIEW = "review"
# "one": one question per page (the default); "all": the whole lesson on one page.
LAYOUTS = ("one", "all")
DEFAULT_LAYOUT = "one"
# Longest step value worth reading: a lesson has at most a few dozen questions.
_MAX_STEP_DIGITS = 4

State = Literal["answered", "partial", "blank"]


class BadStep(ValueError):
    """A step or navigation value no page of ours sends; the message is for the student."""


def layout_of(preference: str | None) -> str:
    """The layout a student sees: their stored choice, else one question at a time."""
    return preference if preference in LAYOUTS else DEFAULT_LAYOUT


def parse_step(raw: str | None, count: int) -> int | None:
    """The step named by ``raw`` (``"3"``, ``"review"``), or None when ``raw`` is empty.

    The review is step ``count + 1``. Raises :class:`BadStep` for anything else, including
    a question number the lesson does not have.
    """
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if text == REVIEW:
        return count + 1
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_STEP_DIGITS:
        raise BadStep("That is not a question of this lesson.")
    step = int(text)
    if not 1 <= step <= count:
        raise BadStep(f"This lesson has questions 1 to {count}; there is no question {step}.")
    return step


def step_name(step: int, count: int) -> str:
    """The ``q=`` value of ``step`` in a URL: its number, or ``review``."""
    return REVIEW if step > count else str(step)


def target_step(go: str, current: int, count: int) -> int:
    """Where a navigation button leads from step ``current``.

    ``go`` is ``next``, ``back``, ``review``, ``stay`` or a question number. Next from the
    last question is the review; back from the first stays on it.
    """
    if not 1 <= current <= count + 1:
        raise BadStep("That is not a question of this lesson.")
    if go == "next":
        return min(current + 1, count + 1)
    if go == "back":
        return max(current - 1, 1)
    if go == "stay":
        return current
    step = parse_step(go, count)
    if step is None:
        raise BadStep("That button is not one of this page's.")
    return step


def clamp_position(position: int, count: int) -> int:
    """A stored 0-based position as a step, within the lesson (it may have shrunk)."""
    return min(max(position, 0), count) + 1


@dataclass(frozen=True, slots=True)
class Status:
    """How far one question is answered, and what is missing, in the student's words."""

    number: int
    question_id: str
    prompt: str
    state: State
    missing: str

    @property
    def answered(self) -> bool:
        return self.state == "answered"


def _letter(side: int) -> str:
    return chr(ord("A") + side)


def question_state(question: Mapping[str, Any], marks: Mapping[str, Any] | None) -> tuple[
        State, str]:
    """(state, what is missing) of one question's marks.

    Marking questions are answered by any mark; a frame question needs its frame chosen
    (signal words alone leave it partly answered); a compare question needs a frame for
    every excerpt. A claim to check needs its verdict (cards picked without one leave it
    partly answered: the verdict is half its points); a question about what an excerpt
    leaves out is answered by any fact picked (it has no other part, and picking none can
    never be right: at least one offered fact is left out).
    """
    marks = marks or {}
    kind = question["kind"]
    if kind == "verify":
        if marks.get("verdict"):
            return "answered", ""
        return ("partial" if marks.get("cards") else "blank"), "no verdict chosen"
    if kind == "omission":
        return ("answered", "") if marks.get("facts") else ("blank", "no facts picked")
    if kind == "loaded_terms":
        return ("answered", "") if marks.get("words") else ("blank", "no words marked")
    if kind == "sourcing":
        return ("answered", "") if marks.get("sentences") else ("blank", "no sentences selected")
    if kind == "framing":
        if marks.get("choice"):
            return "answered", ""
        return ("partial" if marks.get("words") else "blank"), "no frame chosen"
    sides = list(marks.get("sides") or [])
    without = [_letter(number) for number in range(len(question["sides"]))
               if number >= len(sides) or not sides[number].get("choice")]
    if not without:
        return "answered", ""
    started = any(side.get("choice") or side.get("words") for side in sides)
    missing = ("no frame chosen for excerpt " + _and(without) if len(without) < len(
        question["sides"]) or started else "no frames chosen")
    return ("partial" if started else "blank"), missing


def _and(letters: Sequence[str]) -> str:
    return letters[0] if len(letters) == 1 else ", ".join(letters[:-1]) + " and " + letters[-1]


def statuses(questions: Sequence[Mapping[str, Any]],
             marks: Mapping[str, Mapping[str, Any]]) -> list[Status]:
    """Every question's :class:`Status`, in lesson order."""
    result = []
    for number, question in enumerate(questions, start=1):
        state, missing = question_state(question, marks.get(question["id"]))
        result.append(Status(number, question["id"], question["prompt"], state, missing))
    return result


def unanswered(questions: Sequence[Mapping[str, Any]],
               marks: Mapping[str, Mapping[str, Any]]) -> list[Status]:
    """The questions not (fully) answered: what a student is warned about before submitting."""
    return [status for status in statuses(questions, marks) if not status.answered]


def answered_count(questions: Sequence[Mapping[str, Any]],
                   marks: Mapping[str, Mapping[str, Any]]) -> int:
    """How many questions are fully answered."""
    return sum(status.answered for status in statuses(questions, marks))


def merge(saved: Mapping[str, Any], new: Mapping[str, Any],
          shown: Sequence[str]) -> dict[str, Any]:
    """``saved`` marks with those of the ``shown`` questions replaced by ``new``'s.

    A page sends marks only for the questions it showed, and an unticked box sends
    nothing: a shown question missing from ``new`` was cleared, one not shown is kept.
    """
    merged = {qid: value for qid, value in saved.items() if qid not in shown}
    merged.update({qid: new[qid] for qid in shown if qid in new})
    return merged


def known_marks(questions: Sequence[Mapping[str, Any]],
                marks: Mapping[str, Any]) -> dict[str, Any]:
    """``marks`` without entries for questions the lesson does not have."""
    ids = {question["id"] for question in questions}
    return {qid: value for qid, value in marks.items() if qid in ids}


def shown_questions(questions: Sequence[Mapping[str, Any]], values: Sequence[str]) -> list[str]:
    """The question ids a page says it showed (its ``shown`` fields), in lesson order.

    Raises :class:`BadStep` for an id the lesson does not have (a stale or forged page).
    """
    ids = [question["id"] for question in questions]
    unknown = set(values) - set(ids)
    if unknown:
        raise BadStep("This page shows a question that is not in this lesson. Reload it.")
    return [qid for qid in ids if qid in set(values)]


# --- whole-lesson pages: each excerpt printed once --------------------------------------


@dataclass(frozen=True, slots=True)
class EarlierUse:
    """Where the page already printed an excerpt: the question (number and id) and, for a
    compare question, the side's letter."""

    number: int
    question_id: str
    letter: str | None

    def describe(self) -> str:
        where = f"question {self.number}"
        return f"excerpt {self.letter} of {where}" if self.letter else where


def excerpt_uses(questions: Sequence[Mapping[str, Any]]) -> dict[tuple[str, int | None],
                                                                 EarlierUse]:
    """For each (question id, side or None) whose excerpt an earlier question on the same
    page already printed: where it was first printed.

    The first use of an excerpt is absent from the result: it prints the text.
    """
    first: dict[str, EarlierUse] = {}
    repeats: dict[tuple[str, int | None], EarlierUse] = {}
    for number, question in enumerate(questions, start=1):
        if question["kind"] == "compare":
            uses = [(side["excerpt"], side_number, _letter(side_number))
                    for side_number, side in enumerate(question["sides"])]
        else:
            uses = [(question["excerpt"], None, None)]
        for excerpt, side, letter in uses:
            if excerpt in first:
                repeats[(question["id"], side)] = first[excerpt]
            else:
                first[excerpt] = EarlierUse(number, question["id"], letter)
    return repeats


def as_fields(questions: Sequence[Mapping[str, Any]],
              marks: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """``marks`` as the quiz form's (field name, value) pairs (see app.domain.responses),
    in lesson order: what a review page posts in hidden fields to submit them (with each
    question's "How sure are you?" rating, when its marks hold one)."""
    fields: list[tuple[str, str]] = []
    for question in questions:
        qid = question["id"]
        mark = marks.get(qid) or {}
        fields += confidence.as_fields([qid], marks)
        if question["kind"] == "compare":
            for number, side in enumerate(mark.get("sides") or []):
                if side.get("choice"):
                    fields.append((f"{qid}.{number}.choice", side["choice"]))
                fields += [(f"{qid}.{number}.w", str(index)) for index in side.get("words", [])]
            continue
        if question["kind"] == "verify":
            if mark.get("verdict"):
                fields.append((f"{qid}.verdict", mark["verdict"]))
            fields += [(f"{qid}.card", card) for card in mark.get("cards", [])]
            continue
        if question["kind"] == "omission":
            fields += [(f"{qid}.fact", ref) for ref in mark.get("facts", [])]
            continue
        if mark.get("choice"):
            fields.append((f"{qid}.choice", mark["choice"]))
        fields += [(f"{qid}.w", str(index)) for index in mark.get("words", [])]
        fields += [(f"{qid}.s", str(index)) for index in mark.get("sentences", [])]
    return fields
