"""What the quiz and feedback pages show of a claim to check (``verify``) and of what an
excerpt leaves out (``omission``): the excerpt (the claim cut out of it to be highlighted),
the offered cards and facts with the shelf cards they come from, and the stored verdicts
joined to those cards.

The cards come from the lesson version itself (``content["cards"]``, SPEC section 4), so
an attempt's feedback shows the cards as the student read them. Nothing here scores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from app.domain.checking import FACT_ROLES
from app.domain.checking import VERDICTS as VERDICT_LABELS
from app.domain.responses import VERDICTS

# How the feedback names a fact picked that the excerpt does not leave out ("Stated in the
# excerpt", "Does not bear on these events"). Never "neutral": a control is a fact the
# excerpt states, or one about other events.
ROLE_LABELS = {role: label for role, label in FACT_ROLES.items() if role != "omitted"}
_SOURCE_ASPECTS = (("who", "Who is it?"), ("pays", "Who pays?"),
                   ("wants", "What do they want?"), ("record", "What record can be checked?"))


def _shuffled(question_id: str, items: Sequence[Mapping[str, Any]],
              key: str) -> list[Mapping[str, Any]]:
    """``items`` in a fixed order that does not follow the author's (who tends to list
    the deciding card or the omitted facts first): the same on every render."""
    return sorted(items, key=lambda item: hashlib.sha256(
        f"{question_id}:{item[key]}".encode()).hexdigest())


def card_view(cards: Mapping[str, Mapping[str, Any]], card_id: str) -> dict[str, Any]:
    """A compiled shelf card as the page reads it: paragraphs, dated facts, sources (only
    web addresses become links) and, for a source card, who it is, who pays and so on."""
    card = cards.get(card_id) or {}
    return {
        "id": card_id,
        "title": card.get("title") or card_id,
        "summary": card.get("summary", ""),
        "paragraphs": [part.strip() for part in str(card.get("body", "")).split("\n\n")
                       if part.strip()],
        "facts": list(card.get("facts") or []),
        "sources": [{**source, "link": str(source.get("url", "")).startswith(
            ("https://", "http://"))} for source in card.get("sources") or []],
        "aspects": [(label, card[key]) for key, label in _SOURCE_ASPECTS if card.get(key)],
    }


def _fact_of(card: Mapping[str, Any], fact_id: str) -> Mapping[str, Any]:
    return next((fact for fact in card["facts"] if fact.get("id") == fact_id),
                {"id": fact_id, "date": "", "text": fact_id})


def fact_view(cards: Mapping[str, Mapping[str, Any]], ref: str) -> dict[str, Any]:
    """An offered fact (``card#fact``): its text, date and the card it comes from."""
    card_id, _, fact_id = ref.partition("#")
    card = card_view(cards, card_id)
    fact = _fact_of(card, fact_id)
    return {"ref": ref, "text": fact.get("text", ""), "date": fact.get("date", ""),
            "card": card}


def claim_parts(text: str, question: Mapping[str, Any]) -> dict[str, str]:
    """The excerpt cut around the claim: the text before, the claim, the text after."""
    claim = question["claim"]
    start, end = int(claim["start"]), int(claim["end"])
    return {"before": text[:start], "claim": text[start:end], "after": text[end:]}


def _distinct_cards(facts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for fact in facts:
        seen.setdefault(fact["card"]["id"], fact["card"])
    return list(seen.values())


def quiz_view(view: dict[str, Any], question: Mapping[str, Any], mark: Mapping[str, Any],
              content: Mapping[str, Any], text: str, number: int) -> dict[str, Any]:
    """Add to ``view`` (number, prompt, rule, source) what a verify or omission question
    shows on the quiz page, the student's picks ticked."""
    cards = content.get("cards") or {}
    qid = question["id"]
    view["text"] = text
    view["dom"] = f"q{number}"
    if question["kind"] == "verify":
        view["claim"] = claim_parts(text, question)
        view["verdict_field"] = f"{qid}.verdict"
        view["verdicts"] = [(value, VERDICT_LABELS[value]) for value in VERDICTS]
        view["chosen"] = mark.get("verdict")
        view["card_field"] = f"{qid}.card"
        picked = set(mark.get("cards") or [])
        view["cards"] = [{**card_view(cards, offered["id"]), "checked": offered["id"] in picked}
                         for offered in _shuffled(qid, question["cards"], "id")]
        return view
    picked = set(mark.get("facts") or [])
    view["fact_field"] = f"{qid}.fact"
    view["facts"] = [{**fact_view(cards, offered["ref"]), "checked": offered["ref"] in picked}
                     for offered in _shuffled(qid, question["facts"], "ref")]
    view["fact_cards"] = _distinct_cards(view["facts"])
    return view


def feedback_view(view: dict[str, Any], question: Mapping[str, Any],
                  verdicts: Sequence[Mapping[str, Any]], content: Mapping[str, Any],
                  text: str) -> dict[str, Any]:
    """Add to ``view`` what the feedback on a verify or omission answer shows: the verdict
    (verify), each deciding card or omitted fact found or missed, each control picked,
    every one with its why and the card to read."""
    cards = content.get("cards") or {}
    view["text"] = text
    groups: dict[str, list[dict[str, Any]]] = {"found": [], "missed": [], "wrong": []}
    if question["kind"] == "verify":
        view["claim"] = claim_parts(text, question)
        verdict = next((v for v in verdicts if v["type"] == "verdict"), None)
        view["verdict"] = None if verdict is None else {
            **verdict, "chosen_label": VERDICT_LABELS.get(verdict.get("chosen") or "", ""),
            "correct_label": VERDICT_LABELS.get(verdict["correct"], verdict["correct"])}
        deciding = sum(1 for card in question["cards"] if card["decides"])
        for item in verdicts:
            if item["type"] in groups:
                # What a deciding card is worth (a missed one's credit is 0).
                groups[item["type"]].append({**item, "card": card_view(cards, item["card"]),
                                             "worth": 1 / deciding if deciding else 0.0})
    else:
        view["why"] = question.get("why") or ""
        for item in verdicts:
            if item["type"] in groups:
                groups[item["type"]].append({
                    **item, "fact": fact_view(cards, item["ref"]),
                    "role_label": ROLE_LABELS.get(item.get("role", ""), "")})
    view["checked"] = groups
    return view
