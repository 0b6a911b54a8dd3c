"""Checking against the shelf: the ``verify`` and ``omission`` question kinds.

A ``verify`` question highlights a claim in its excerpt and offers 3 to 6 shelf cards: the
student says whether the cards support it, contradict it or leave it undecided, and picks
the card or cards that decide it. An ``omission`` question offers 4 to 10 facts from the
shelf (fact refs, ``"<card id>#<fact id>"``): the student picks those the excerpt leaves out
that a reader needs. Formats and rules: ``lessons/README.md`` and ``lessons/shelf/README.md``.

This module compiles both kinds (called from :mod:`app.domain.questions`, which reads the
question's id, prompt and excerpt) and scores them (registered in
:data:`app.domain.scoring.SCORERS`). As for every kind, picking everything must never pay:
a question where it would is refused, with what to add.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

from app.domain.filereader import FileReader, locate
from app.domain.question_result import QuestionResult, round_points
from app.domain.shelf import find_fact, missing_card, missing_fact, parse_fact_ref
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap

if TYPE_CHECKING:
    from app.domain.questions import Material

VERDICTS: dict[str, str] = {
    "supported": "Supported by these sources",
    "contradicted": "Contradicted by these sources",
    "not_decided": "Not decided by these sources",
}
FACT_ROLES: dict[str, str] = {
    "omitted": "Left out of the excerpt",
    "stated": "Stated in the excerpt",
    "unrelated": "Does not bear on these events",
}
CONTROL_CARD_PENALTY = 0.5
WRONG_FACT_PENALTY = 1.0
CARDS_OFFERED = (3, 6)
FACTS_OFFERED = (4, 10)

DEFAULT_PROMPTS = {
    "verify": "Check this claim against the cards. Do they support it, contradict it, or "
              "leave it undecided? Pick the card or cards that decide it.",
    "omission": "These facts about the same events come from the reference shelf. Pick each "
                "one the excerpt leaves out that a reader needs to judge what happened.",
}
RULES = {
    "verify": (
        "The verdict is worth 1 point. Finding the card or cards that decide the claim is "
        "worth 1 point, shared between them, whatever your verdict. Each card you pick that "
        "does not bear on the claim costs 0.5 points; this part never drops below 0."
    ),
    "omission": (
        "Each relevant fact the excerpt leaves out is worth 1 point. Each fact you pick that "
        "the excerpt does state, or that does not bear on it, costs 1 point. The score never "
        "drops below 0."
    ),
}
# The fields of each kind besides id, kind, prompt and excerpt.
FIELDS = {
    "verify": ("claim", "occurrence", "verdict", "why", "cards"),
    "omission": ("why", "facts"),
}

def _one_of(reader: FileReader, node: LineMap, key: str, value: str,
            allowed: Mapping[str, str]) -> None:
    if value and value not in allowed:
        hint = get_close_matches(value, list(allowed), n=1)
        suggestion = f" — did you mean '{hint[0]}'?" if hint else ""
        reader.error(reader.line_of(node, key),
                     f"unknown {key} '{shorten(value, 40)}'{suggestion} (expected one of: "
                     f"{', '.join(allowed)})")


def _count(reader: FileReader, node: LineMap, key: str, where: str, listed: list[Any],
           bounds: tuple[int, int], noun: str) -> None:
    low, high = bounds
    if listed and not low <= len(listed) <= high:
        reader.error(reader.line_of(node, key),
                     f"{where} offers {len(listed)} {noun}; offer {low} to {high}")


# --- verify ------------------------------------------------------------------------------------

def compile_verify(reader: FileReader, node: LineMap, material: Material,
                   question: dict[str, Any], where: str, ref: str | None
                   ) -> dict[str, Any] | None:
    """Compile a ``verify`` question whose head (id, prompt, excerpt) is already read."""
    before = len(reader.issues)
    claim = reader.text(node, "claim", where)
    verdict = reader.text(node, "verdict", where)
    _one_of(reader, node, "verdict", verdict, VERDICTS)
    why = reader.text(node, "why", where)
    cards = _offered_cards(reader, node, where, material.shelf)
    if ref is None or not claim:
        return None
    span = locate(reader, node, "claim", claim, material.texts[ref], "the excerpt")
    if span is None:
        return None
    question.update(claim={"text": span.text, "start": span.start, "end": span.end},
                    verdict=verdict, why=why, cards=cards)
    if len(reader.issues) > before or not _never_pays(reader, node, question, where):
        return None
    return question


def _offered_cards(reader: FileReader, node: LineMap, where: str,
                   shelf: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    listed = reader.items(node, "cards", where)
    _count(reader, node, "cards", where, listed, CARDS_OFFERED, "cards")
    cards: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for item_node, line in listed:
        item = reader.mapping(item_node, f"a card of {where}", line, ("card", "decides", "why"))
        if item is None:
            continue
        card_id = reader.text(item, "card", f"a card of {where}")
        decides = item.get("decides", False)
        if not isinstance(decides, bool):
            reader.error(reader.line_of(item, "decides"), "'decides' must be true or false")
        why = reader.text(item, "why", f"card '{card_id}'" if card_id else f"a card of {where}")
        card_line = reader.line_of(item, "card")
        if not card_id:
            continue
        if card_id not in shelf:
            reader.error(card_line, missing_card(card_id, shelf))
        elif card_id in first_line:
            reader.error(card_line, f"the card '{card_id}' is offered twice (first on line "
                                    f"{first_line[card_id]})")
        else:
            first_line[card_id] = card_line
            cards.append({"id": card_id, "decides": decides is True, "why": why})
    if listed and len(cards) == len(listed) and not any(card["decides"] for card in cards):
        reader.error(reader.line_of(node, "cards"),
                     f"{where} needs at least one card with 'decides: true': the card or "
                     "cards that decide the claim")
    return cards


def score_verify(question: Mapping[str, Any], response: Mapping[str, Any],
                 excerpts: Mapping[str, str]) -> QuestionResult:
    """The verdict 1 point; the deciding cards 1 point shared between them, found whatever
    the verdict; each control card picked costs 0.5 of that point (never below 0)."""
    chosen = response.get("verdict")
    picked = set(response.get("cards") or [])
    right = chosen == question["verdict"]
    verdicts: list[dict[str, Any]] = [{"type": "verdict", "chosen": chosen,
                                       "correct": question["verdict"], "right": right,
                                       "why": question["why"]}]
    deciding = [card for card in question["cards"] if card["decides"]]
    share = 1 / len(deciding) if deciding else 0.0
    evidence = 0.0
    for card in deciding:
        found = card["id"] in picked
        evidence += share if found else 0.0
        verdicts.append({"type": "found" if found else "missed", "card": card["id"],
                         "credit": round_points(share if found else 0.0), "why": card["why"]})
    for card in question["cards"]:
        if not card["decides"] and card["id"] in picked:
            evidence -= CONTROL_CARD_PENALTY
            verdicts.append({"type": "wrong", "card": card["id"],
                             "penalty": CONTROL_CARD_PENALTY, "why": card["why"]})
    points = (1.0 if right else 0.0) + max(0.0, evidence)
    return QuestionResult(round_points(points), 2.0, verdicts)


# --- omission ----------------------------------------------------------------------------------

def compile_omission(reader: FileReader, node: LineMap, material: Material,
                     question: dict[str, Any], where: str, ref: str | None
                     ) -> dict[str, Any] | None:
    """Compile an ``omission`` question whose head (id, prompt, excerpt) is already read."""
    before = len(reader.issues)
    why = reader.text(node, "why", where, required=False)
    listed = reader.items(node, "facts", where)
    _count(reader, node, "facts", where, listed, FACTS_OFFERED, "facts")
    facts: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for item_node, line in listed:
        item = reader.mapping(item_node, f"a fact of {where}", line, ("fact", "role", "why"))
        if item is None:
            continue
        fact = reader.text(item, "fact", f"a fact of {where}")
        role = reader.text(item, "role", f"fact '{fact}'" if fact else f"a fact of {where}")
        _one_of(reader, item, "role", role, FACT_ROLES)
        fact_why = reader.text(item, "why", f"fact '{fact}'" if fact else f"a fact of {where}")
        if not fact:
            continue
        entry = _fact_entry(reader, reader.line_of(item, "fact"), fact, material.shelf,
                            first_line)
        if entry is not None:
            entry.update(role=role, why=fact_why)
            facts.append(entry)
    roles = Counter(fact["role"] for fact in facts)
    if listed and len(facts) == len(listed) and not roles["omitted"]:
        reader.error(reader.line_of(node, "facts"),
                     f"{where} needs at least one fact with 'role: omitted'")
    if ref is None:
        return None
    question.update(why=why, facts=facts)
    if len(reader.issues) > before or not _never_pays(reader, node, question, where):
        return None
    return question


def _fact_entry(reader: FileReader, line: int, ref: str,
                shelf: Mapping[str, Mapping[str, Any]],
                first_line: dict[str, int]) -> dict[str, Any] | None:
    parts = parse_fact_ref(ref)
    if parts is None:
        reader.error(line, f"'{shorten(ref, 60)}' is not a fact ref: write "
                           "'<card id>#<fact id>', e.g. 'timeline-january-2022#csto-request'")
        return None
    card_id, fact_id = parts
    if card_id not in shelf:
        reader.error(line, missing_card(card_id, shelf))
        return None
    if find_fact(shelf[card_id], fact_id) is None:
        reader.error(line, missing_fact(shelf[card_id], fact_id))
        return None
    if ref in first_line:
        reader.error(line, f"the fact '{ref}' is offered twice (first on line "
                           f"{first_line[ref]})")
        return None
    first_line[ref] = line
    return {"ref": ref, "card": card_id, "fact": fact_id}


def score_omission(question: Mapping[str, Any], response: Mapping[str, Any],
                   excerpts: Mapping[str, str]) -> QuestionResult:
    """Each omitted fact picked 1 point; each stated or unrelated fact picked costs 1."""
    picked = set(response.get("facts") or [])
    verdicts: list[dict[str, Any]] = []
    found = wrong = 0
    omitted = [fact for fact in question["facts"] if fact["role"] == "omitted"]
    for fact in omitted:
        hit = fact["ref"] in picked
        found += hit
        verdicts.append({"type": "found" if hit else "missed", "ref": fact["ref"],
                         "card": fact["card"], "why": fact["why"]})
    for fact in question["facts"]:
        if fact["role"] != "omitted" and fact["ref"] in picked:
            wrong += 1
            verdicts.append({"type": "wrong", "ref": fact["ref"], "card": fact["card"],
                             "role": fact["role"], "penalty": WRONG_FACT_PENALTY,
                             "why": fact["why"]})
    points = max(0.0, found - WRONG_FACT_PENALTY * wrong)
    return QuestionResult(round_points(points), float(len(omitted)), verdicts)


# --- shared ------------------------------------------------------------------------------------

COMPILERS = {"verify": compile_verify, "omission": compile_omission}
SCORERS = {"verify": score_verify, "omission": score_omission}


def mark_everything(question: Mapping[str, Any]) -> dict[str, Any]:
    """The response of a student who picks every card or fact (and no verdict)."""
    if question["kind"] == "verify":
        return {"verdict": None, "cards": [card["id"] for card in question["cards"]]}
    return {"facts": [fact["ref"] for fact in question["facts"]]}


def _never_pays(reader: FileReader, node: LineMap, question: Mapping[str, Any],
                where: str) -> bool:
    """Report (and return False) when picking everything would earn anything."""
    result = SCORERS[question["kind"]](question, mark_everything(question), {})
    if result.points <= 0:
        return True
    if question["kind"] == "verify":
        advice = ("offer at least two cards that do not decide the claim (each costs 0.5 "
                  "when picked)")
        key = "cards"
    else:
        advice = ("offer at least as many facts the excerpt states, or that do not bear on "
                  "it, as facts it leaves out")
        key = "facts"
    reader.error(reader.line_of(node, key),
                 f"picking every {key[:-1]} in {where} would score {result.points} of "
                 f"{result.max_points}; {advice}")
    return False


def cards_used(questions: list[Mapping[str, Any]],
               shelf: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The compiled cards a lesson's questions cite, by id (what the lesson embeds)."""
    used: set[str] = set()
    for question in questions:
        if question["kind"] == "verify":
            used.update(card["id"] for card in question["cards"])
        elif question["kind"] == "omission":
            used.update(fact["card"] for fact in question["facts"])
    return {card_id: dict(shelf[card_id]) for card_id in sorted(used)}
