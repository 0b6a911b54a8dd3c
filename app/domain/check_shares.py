"""What the class chose on the questions that leave the page: checking a claim against the
reference cards (``verify``) and finding what an excerpt leaves out (``omission``).

A marking question is analysed by the share who found each key phrase
(:mod:`app.domain.class_marks`); these two are analysed down to each thing a student could
pick: for a verify question, the share choosing each verdict and the share picking each
card offered (the cards that decide the claim and the controls that do not); for an
omission question, the share picking each fact offered (the omitted facts, and the ones
the excerpt states or that do not bear on it).

Read from the stored verdicts of each counted answer (which name the deciding cards and
omitted facts found or missed, and the controls picked) and the lesson content the answer
was scored against (which names every card or fact offered, so a control nobody picked
still shows, at 0). An answer that picked every card or fact offered is not a judgement:
it is left out of the pick shares, as an answer marking everything is left out of the
key-phrase shares (:func:`app.domain.class_marks.marked_everything`), but its verdict
still counts, since choosing a verdict is a judgement of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.checking import FACT_ROLES
from app.domain.checking import VERDICTS as VERDICT_LABELS
from app.domain.item_statistics import ScoredAnswer, Submission

CHECK_KINDS = ("verify", "omission")
VERDICTS = tuple(VERDICT_LABELS)
NO_VERDICT = "No verdict chosen"
# What each card or fact offered is, in the key: a verify question's cards decide the
# claim or not; an omission question's facts have their role.
ROLE_LABELS = {"decides": "Decides the claim", "control": "Does not decide it",
               **FACT_ROLES}


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


@dataclass(frozen=True, slots=True)
class VerdictShare:
    """How many of the students who answered a verify question chose one verdict."""

    verdict: str | None
    label: str
    correct: bool
    chosen: int
    students: int

    @property
    def percent(self) -> float:
        return _percent(self.chosen, self.students)


@dataclass(frozen=True, slots=True)
class PickShare:
    """How many of the students offered a card (verify) or fact (omission) picked it.

    ``item`` is the card id or the fact ref (``card#fact``); ``text`` the card's title or
    the fact's text; ``card`` the title of the fact's card (omission); ``role`` one of
    :data:`ROLE_LABELS`; ``keyed``: picking it earns (a deciding card, an omitted fact),
    else it costs.
    """

    item: str
    text: str
    card: str
    role: str
    keyed: bool
    picked: int
    students: int

    @property
    def percent(self) -> float:
        return _percent(self.picked, self.students)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(slots=True)
class CheckQuestion:
    """One verify or omission question: its verdict shares (verify) and pick shares.

    ``students`` answered it; ``left_out`` of them picked every card or fact and are not
    in the pick shares (they are named by :func:`app.domain.class_marks.marked_everything`).
    """

    question_id: str
    kind: str
    claim: str
    verdicts: list[VerdictShare] = field(default_factory=list)
    picks: list[PickShare] = field(default_factory=list)
    students: int = 0
    left_out: int = 0


def _question(content: Mapping[str, Any], question_id: str) -> Mapping[str, Any] | None:
    return next((q for q in content.get("questions", []) if q.get("id") == question_id), None)


def offered(question: Mapping[str, Any],
            cards: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str, str, str, bool]]:
    """Everything a student could pick in a verify or omission question, in its order:
    ``(item, text, card title, role, keyed)``."""
    if question["kind"] == "verify":
        return [(card["id"], str((cards.get(card["id"]) or {}).get("title") or card["id"]), "",
                 "decides" if card.get("decides") else "control", bool(card.get("decides")))
                for card in question.get("cards") or []]
    items = []
    for fact in question.get("facts") or []:
        card = cards.get(fact["card"]) or {}
        text = next((str(f.get("text") or "") for f in card.get("facts") or []
                     if f.get("id") == fact["fact"]), "") or fact["ref"]
        items.append((fact["ref"], text, str(card.get("title") or fact["card"]),
                      fact["role"], fact["role"] == "omitted"))
    return items


def picked(answer: ScoredAnswer) -> set[str]:
    """The cards or facts an answer picked, read from its stored verdicts."""
    chosen = set()
    for verdict in answer.verdicts:
        if verdict.get("type") in ("found", "wrong"):
            item = verdict.get("card") if answer.kind == "verify" else verdict.get("ref")
            if isinstance(item, str):
                chosen.add(item)
    return chosen


def chosen_verdict(answer: ScoredAnswer) -> str | None:
    """The verdict a verify answer chose (None: none), read from its stored verdicts."""
    for verdict in answer.verdicts:
        if verdict.get("type") == "verdict":
            chosen = verdict.get("chosen")
            return chosen if chosen in VERDICTS else None
    return None


def picked_everything(answer: ScoredAnswer, content: Mapping[str, Any]) -> bool:
    """True when a verify or omission answer picked every card or fact it was offered."""
    question = _question(content, answer.question_id)
    if question is None or answer.kind not in CHECK_KINDS:
        return False
    items = {item for item, *_ in offered(question, content.get("cards") or {})}
    return len(items) > 1 and items <= picked(answer)


def _answers(submissions: Sequence[Submission]
             ) -> Iterator[tuple[Submission, ScoredAnswer, Mapping[str, Any]]]:
    for submission in submissions:
        for answer in submission.answers:
            if answer.kind not in CHECK_KINDS:
                continue
            question = _question(submission.content, answer.question_id)
            if question is not None and question.get("kind") == answer.kind:
                yield submission, answer, question


def check_questions(submissions: Sequence[Submission]) -> list[CheckQuestion]:
    """Per verify and omission question (in the order first met), what the class chose.

    Verdicts in the order supported, contradicted, not decided, then no verdict (shown
    only when someone left it out); picks in the order the question offers them. A card
    or fact is counted over the students whose version of the lesson offered it.
    """
    found: dict[str, CheckQuestion] = {}
    verdicts: dict[str, dict[str | None, int]] = {}
    correct: dict[str, str] = {}
    tallies: dict[str, dict[str, dict[str, Any]]] = {}
    for submission, answer, question in _answers(submissions):
        qid = answer.question_id
        entry = found.setdefault(qid, CheckQuestion(
            qid, answer.kind, str((question.get("claim") or {}).get("text") or "")))
        entry.students += 1
        if answer.kind == "verify":
            correct.setdefault(qid, str(question.get("verdict") or ""))
            counts = verdicts.setdefault(qid, {})
            choice = chosen_verdict(answer)
            counts[choice] = counts.get(choice, 0) + 1
        if picked_everything(answer, submission.content):
            entry.left_out += 1
            continue
        chosen = picked(answer)
        tally = tallies.setdefault(qid, {})
        for item, text, card, role, keyed in offered(question,
                                                      submission.content.get("cards") or {}):
            row = tally.setdefault(item, {"item": item, "text": text, "card": card,
                                          "role": role, "keyed": keyed, "picked": 0,
                                          "students": 0})
            row["students"] += 1
            row["picked"] += item in chosen
    for qid, entry in found.items():
        if entry.kind == "verify":
            counts = verdicts.get(qid, {})
            entry.verdicts = [VerdictShare(choice, VERDICT_LABELS[choice] if choice else NO_VERDICT,
                                           choice == correct[qid], counts.get(choice, 0),
                                           entry.students)
                              for choice in (*VERDICTS, None)
                              if choice is not None or counts.get(None)]
        entry.picks = [PickShare(**row) for row in tallies.get(qid, {}).values()]
    return list(found.values())
