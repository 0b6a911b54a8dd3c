"""Turn submitted form fields into validated responses, one per question.

The quiz page is a plain HTML form: each word is a checkbox named ``<question>.w`` whose
value is the word's index in the excerpt, each sentence a checkbox ``<question>.s``, each
frame a radio ``<question>.choice``; a ``compare`` question prefixes its fields with the
side number (``<question>.0.w``). A ``verify`` question sends its verdict as a radio
``<question>.verdict`` and each card picked as a checkbox ``<question>.card`` (the card's
id); an ``omission`` question each fact picked as ``<question>.fact`` (its ``card#fact``
ref). Everything here is checked against the lesson: a value that is not a whole number,
an index past the end of the excerpt, an unknown option, card or fact, or a field for a
question the lesson does not have is a :class:`BadResponse`, which the web layer turns
into a 400 with the student's marks kept. An assignment that asks "How sure are you?"
adds one optional radio ``<question>.confidence`` (1-4) per question
(:mod:`app.domain.confidence`): only then is that field known, and its rating is kept in
the question's response under ``"confidence"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.domain import confidence
from app.domain.checking import VERDICTS as _VERDICT_LABELS
from app.domain.text import sentences, words

# Longest value we bother to parse as an index; anything longer is tampering.
_MAX_DIGITS = 7
# What a verify question can conclude, in the order the page offers them.
VERDICTS = tuple(_VERDICT_LABELS)


class BadResponse(ValueError):
    """A submitted value that no honest form could send; the message is for the student."""


GetList = Callable[[str], Sequence[str]]


def field_names(question: Mapping[str, Any], asks_confidence: bool = False) -> set[str]:
    """All form field names that belong to ``question`` (with its rating's, if asked)."""
    names = _answer_fields(question)
    return names | {confidence.field_name(question["id"])} if asks_confidence else names


def _answer_fields(question: Mapping[str, Any]) -> set[str]:
    qid = question["id"]
    kind = question["kind"]
    if kind == "loaded_terms":
        return {f"{qid}.w"}
    if kind == "framing":
        return {f"{qid}.choice", f"{qid}.w"}
    if kind == "sourcing":
        return {f"{qid}.s"}
    if kind == "verify":
        return {f"{qid}.verdict", f"{qid}.card"}
    if kind == "omission":
        return {f"{qid}.fact"}
    return {f"{qid}.{n}.{part}" for n in range(len(question["sides"]))
            for part in ("choice", "w")}


def _indices(values: Sequence[str], limit: int, what: str) -> list[int]:
    chosen: set[int] = set()
    for value in values:
        text = value.strip()
        if not text.isdigit() or len(text) > _MAX_DIGITS or not text.isascii():
            raise BadResponse(f"A marked {what} was not recognised. Please mark again.")
        index = int(text)
        if index >= limit:
            raise BadResponse(f"A marked {what} is not in this excerpt. Please mark again.")
        chosen.add(index)
    return sorted(chosen)


def _choice(values: Sequence[str], options: Sequence[Mapping[str, Any]]) -> str | None:
    distinct = {value for value in values if value != ""}
    if not distinct:
        return None
    if len(distinct) > 1:
        raise BadResponse("Choose only one frame for each question.")
    (value,) = distinct
    if value not in {option["id"] for option in options}:
        raise BadResponse("That frame is not one of the options. Please choose again.")
    return value


def offered_cards(question: Mapping[str, Any]) -> list[str]:
    """The card ids a verify question offers, in the lesson's order."""
    return [card["id"] for card in question["cards"]]


def offered_facts(question: Mapping[str, Any]) -> list[str]:
    """The fact refs (``card#fact``) an omission question offers, in the lesson's order."""
    return [fact["ref"] for fact in question["facts"]]


def _picked(values: Sequence[str], offered: Sequence[str], what: str) -> list[str]:
    """The offered items named by ``values``, once each, in the offered order."""
    chosen = set(values)
    if not chosen <= set(offered):
        raise BadResponse(f"A {what} you picked is not one this question offers. "
                          "Please pick again.")
    return [item for item in offered if item in chosen]


def _verdict(values: Sequence[str]) -> str | None:
    distinct = {value for value in values if value != ""}
    if not distinct:
        return None
    if len(distinct) > 1:
        raise BadResponse("Choose only one verdict for each claim.")
    (value,) = distinct
    if value not in VERDICTS:
        raise BadResponse("That verdict is not one of the choices. Please choose again.")
    return value


def parse_response(question: Mapping[str, Any], excerpts: Mapping[str, str],
                   getlist: GetList, asks_confidence: bool = False) -> dict[str, Any]:
    """Read one question's answer (and its rating, if asked) from the form, or raise
    :class:`BadResponse`."""
    response = _parse_answer(question, excerpts, getlist)
    if asks_confidence:
        try:
            level = confidence.parse(getlist(confidence.field_name(question["id"])))
        except confidence.BadRating as problem:
            raise BadResponse(str(problem)) from problem
        if level is not None:
            response[confidence.KEY] = level
    return response


def _parse_answer(question: Mapping[str, Any], excerpts: Mapping[str, str],
                  getlist: GetList) -> dict[str, Any]:
    qid = question["id"]
    kind = question["kind"]
    if kind == "verify":
        return {"verdict": _verdict(getlist(f"{qid}.verdict")),
                "cards": _picked(getlist(f"{qid}.card"), offered_cards(question), "card")}
    if kind == "omission":
        return {"facts": _picked(getlist(f"{qid}.fact"), offered_facts(question), "fact")}
    if kind == "sourcing":
        limit = len(sentences(excerpts[question["excerpt"]]))
        return {"sentences": _indices(getlist(f"{qid}.s"), limit, "sentence")}
    if kind == "compare":
        sides = []
        for number, side in enumerate(question["sides"]):
            limit = len(words(excerpts[side["excerpt"]]))
            sides.append({
                "choice": _choice(getlist(f"{qid}.{number}.choice"), question["options"]),
                "words": _indices(getlist(f"{qid}.{number}.w"), limit, "word"),
            })
        return {"sides": sides}
    limit = len(words(excerpts[question["excerpt"]]))
    response: dict[str, Any] = {"words": _indices(getlist(f"{qid}.w"), limit, "word")}
    if kind == "framing":
        response["choice"] = _choice(getlist(f"{qid}.choice"), question["options"])
    return response


def is_blank(response: Mapping[str, Any]) -> bool:
    """True when a response marks and chooses nothing at all."""
    if "sides" in response:
        return all(is_blank(side) for side in response["sides"])
    return not any(response.get(part) for part in ("words", "sentences", "choice", "verdict",
                                                    "cards", "facts"))


def parse_submission(questions: Sequence[Mapping[str, Any]], excerpts: Mapping[str, str],
                     form_keys: Sequence[str], getlist: GetList,
                     ignored: frozenset[str] = frozenset(),
                     asks_confidence: bool = False) -> dict[str, dict[str, Any]]:
    """Read the whole quiz form: one response per question id (with its rating, if the
    assignment asks for one).

    Raises :class:`BadResponse` for a field that belongs to no question (a tampered or
    stale form) or any invalid value, and when nothing at all was answered (a rating is
    not an answer).
    """
    known = set().union(*(field_names(q, asks_confidence) for q in questions)) \
        if questions else set()
    unknown = [key for key in form_keys if key not in known and key not in ignored]
    if unknown:
        raise BadResponse(
            "This form has answers for a question that is not in this lesson. "
            "Reload the lesson and try again."
        )
    responses = {q["id"]: parse_response(q, excerpts, getlist, asks_confidence)
                 for q in questions}
    if all(is_blank(response) for response in responses.values()):
        raise BadResponse(
            "You have not marked or chosen anything yet. Answer at least one question, "
            "then submit."
        )
    return responses


def salvage(questions: Sequence[Mapping[str, Any]], excerpts: Mapping[str, str],
            getlist: GetList, asks_confidence: bool = False) -> dict[str, dict[str, Any]]:
    """Keep every valid mark (and rating, if asked) of a rejected form, dropping only the
    invalid values.

    Used to re-render the quiz after an error (expired form, tampered value) so the
    student does not lose the marks they made.
    """
    def valid(values: Sequence[str], limit: int) -> list[int]:
        kept = set()
        for value in values:
            text = value.strip()
            if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS \
                    and int(text) < limit:
                kept.add(int(text))
        return sorted(kept)

    def choice(values: Sequence[str], options: Sequence[Mapping[str, Any]]) -> str | None:
        ids = [option["id"] for option in options]
        return next((value for value in values if value in ids), None)

    def picked(values: Sequence[str], offered: Sequence[str]) -> list[str]:
        return [item for item in offered if item in set(values)]

    kept: dict[str, dict[str, Any]] = {}
    for question in questions:
        qid = question["id"]
        kind = question["kind"]
        if kind == "verify":
            kept[qid] = {"verdict": next((value for value in getlist(f"{qid}.verdict")
                                          if value in VERDICTS), None),
                         "cards": picked(getlist(f"{qid}.card"), offered_cards(question))}
        elif kind == "omission":
            kept[qid] = {"facts": picked(getlist(f"{qid}.fact"), offered_facts(question))}
        elif kind == "sourcing":
            limit = len(sentences(excerpts[question["excerpt"]]))
            kept[qid] = {"sentences": valid(getlist(f"{qid}.s"), limit)}
        elif kind == "compare":
            kept[qid] = {"sides": [
                {"choice": choice(getlist(f"{qid}.{n}.choice"), question["options"]),
                 "words": valid(getlist(f"{qid}.{n}.w"), len(words(excerpts[side["excerpt"]])))}
                for n, side in enumerate(question["sides"])]}
        else:
            limit = len(words(excerpts[question["excerpt"]]))
            kept[qid] = {"words": valid(getlist(f"{qid}.w"), limit)}
            if kind == "framing":
                kept[qid]["choice"] = choice(getlist(f"{qid}.choice"), question["options"])
        level = confidence.salvage(getlist(confidence.field_name(qid))) \
            if asks_confidence else None
        if level is not None:
            kept[qid][confidence.KEY] = level
    return kept
