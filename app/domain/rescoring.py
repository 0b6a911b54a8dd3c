"""Rescoring: an old attempt's responses scored again with a newer version of its lesson.

:func:`rescore` scores them, or says (:class:`NotRegradable`) why that would not be fair:
the responses point at words the student saw, so the text they marked must not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.discernment import Counts, stored_detection
from app.domain.scoring import score_question


class NotRegradable(ValueError):
    """Rescoring this attempt with the new key would not be fair; the message says why."""


@dataclass(frozen=True, slots=True)
class Rescored:
    """An attempt scored again: per question ``(points, max_points, verdicts)`` and totals,
    and per question its detection counts (see :mod:`app.domain.discernment`)."""

    answers: dict[str, tuple[float, float, list[dict[str, Any]]]]
    score: float
    max_score: float
    detection: dict[str, Counts | None] = field(default_factory=dict)


def _texts(content: Mapping[str, Any]) -> dict[str, str]:
    return {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}


def _excerpts_of(question: Mapping[str, Any]) -> list[str]:
    if question["kind"] == "compare":
        return [side["excerpt"] for side in question["sides"]]
    return [question["excerpt"]]


def _offered(question: Mapping[str, Any]) -> Any:
    """What a verify or omission question showed besides its excerpt: the claim and the
    cards, or the facts, in order (None for the marking kinds)."""
    if question["kind"] == "verify":
        claim = question["claim"]
        return (claim["start"], claim["end"], [card["id"] for card in question["cards"]])
    if question["kind"] == "omission":
        return [fact["ref"] for fact in question["facts"]]
    return None


def rescore(old_content: Mapping[str, Any], new_content: Mapping[str, Any],
            answers: Mapping[str, Mapping[str, Any]]) -> Rescored:
    """Score stored responses (question id -> response) against a newer compiled lesson.

    Responses are word and sentence indices into the excerpts the student saw (or the
    cards and facts they were offered), so they can be rescored only where every question
    they answer still exists with the same kind, the same excerpt text and, for verify and
    omission questions, the same claim and cards or facts offered, and the new version
    asks nothing they never saw. A changed verdict, decision, role or why is a new key.
    Otherwise raises :class:`NotRegradable` with the reason.
    """
    old_questions = {question["id"]: question for question in old_content["questions"]}
    new_questions = {question["id"]: question for question in new_content["questions"]}
    old_texts, new_texts = _texts(old_content), _texts(new_content)
    for question_id in answers:
        if question_id not in new_questions:
            raise NotRegradable(f"Question '{question_id}' was removed")
    results: dict[str, tuple[float, float, list[dict[str, Any]]]] = {}
    detection: dict[str, Counts | None] = {}
    for question_id, question in new_questions.items():
        old = old_questions.get(question_id)
        if old is None or question_id not in answers:
            raise NotRegradable(f"Question '{question_id}' was added after this attempt")
        if old["kind"] != question["kind"]:
            raise NotRegradable(f"Question '{question_id}' changed from {old['kind']} to "
                                f"{question['kind']}")
        before = [old_texts[ref] for ref in _excerpts_of(old)]
        after = [new_texts[ref] for ref in _excerpts_of(question)]
        if before != after:
            raise NotRegradable(f"The excerpt text of question '{question_id}' changed, so "
                                "the marks no longer point at the same words")
        if _offered(old) != _offered(question):
            raise NotRegradable(f"The claim or the cards or facts offered in question "
                                f"'{question_id}' changed, so the student never saw what "
                                "the new key asks about")
        result = score_question(question, answers[question_id], new_texts)
        results[question_id] = (result.points, result.max_points, result.verdicts)
        detection[question_id] = stored_detection(question, answers[question_id], new_texts)
    score = round(sum(points for points, _, _ in results.values()), 2)
    maximum = round(sum(most for _, most, _ in results.values()), 2)
    return Rescored(results, score, maximum, detection)
