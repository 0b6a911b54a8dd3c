"""The key of a verify or omission question as a teacher reads it (the answer key page).

Pure Python. A verify question's key is its claim (drawn on the excerpt), its verdict and
why, and every card offered, in two groups: the cards that decide the claim and the
controls, each with its why, what picking it is worth, and the public sources the card
cites. An omission question's key is every fact offered, grouped by its role (left out,
stated in the excerpt, or not bearing on it), each with its card, its why and its worth.
It reads the same compiled fields the scorer and the feedback page read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.check_shares import ROLE_LABELS, VERDICT_LABELS
from app.domain.checking import CONTROL_CARD_PENALTY, WRONG_FACT_PENALTY

# The groups of a check key, in the order the page lists them, with their headings.
CARD_GROUPS = {
    "decides": "Cards that decide the claim (in the key)",
    "control": "Controls: cards that do not decide it (picking one costs)",
}
FACT_GROUPS = {
    "omitted": "Facts the excerpt leaves out (in the key)",
    "stated": "Controls: facts the excerpt states (picking one costs)",
    "unrelated": "Controls: facts that do not bear on it (picking one costs)",
}


def _points(value: float) -> str:
    shown = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{shown} point{'' if value == 1 else 's'}"


def claim_runs(text: str, claim: Mapping[str, Any]) -> list[tuple[str, int | None, str]]:
    """The excerpt cut into runs with the claim drawn (group "claim"), as the key's
    excerpts are (``(group, number, text)``; the claim has no number)."""
    start, end = int(claim.get("start", 0)), int(claim.get("end", 0))
    if not 0 <= start < end <= len(text):
        return [("", None, text)]
    return [run for run in (("", None, text[:start]), ("claim", None, text[start:end]),
                            ("", None, text[end:])) if run[2]]


def _card_view(card: Mapping[str, Any] | None, card_id: str) -> dict[str, Any]:
    card = card or {}
    return {"id": card_id, "title": str(card.get("title") or card_id),
            "summary": str(card.get("summary") or ""), "card_kind": str(card.get("kind") or ""),
            "sources": [dict(source) for source in card.get("sources") or []]}


def verify_key(question: Mapping[str, Any],
               cards: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A verify question's key: claim, verdict (id and label), why, and the cards offered
    by group (:data:`CARD_GROUPS`), each with its why and worth."""
    offered = list(question.get("cards") or [])
    deciding = sum(1 for card in offered if card.get("decides"))
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name in CARD_GROUPS}
    for card in offered:
        group = "decides" if card.get("decides") else "control"
        worth = (f"finding it earns {_points(1 / deciding)}" if group == "decides" and deciding
                 else f"picking it costs {_points(CONTROL_CARD_PENALTY)}")
        groups[group].append({**_card_view(cards.get(card["id"]), card["id"]),
                              "why": str(card.get("why") or ""), "worth": worth})
    verdict = str(question.get("verdict") or "")
    return {"claim": str((question.get("claim") or {}).get("text") or ""),
            "verdict": verdict, "verdict_label": VERDICT_LABELS.get(verdict, verdict),
            "why": str(question.get("why") or ""),
            "groups": [(name, CARD_GROUPS[name], items) for name, items in groups.items()
                       if items]}


def omission_key(question: Mapping[str, Any],
                 cards: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """An omission question's key: its why, the facts offered by role
    (:data:`FACT_GROUPS`), each with its card, text, date, why and worth, and the cards
    they come from (with their sources), each once."""
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name in FACT_GROUPS}
    for fact in question.get("facts") or []:
        card = cards.get(fact["card"]) or {}
        found = next((f for f in card.get("facts") or [] if f.get("id") == fact["fact"]), {})
        role = str(fact.get("role") or "")
        worth = ("finding it earns 1 point" if role == "omitted"
                 else f"picking it costs {_points(WRONG_FACT_PENALTY)}")
        groups.setdefault(role, []).append({
            **_card_view(card, fact["card"]), "ref": fact["ref"],
            "text": str(found.get("text") or fact["ref"]), "date": str(found.get("date") or ""),
            "role": role, "role_label": ROLE_LABELS.get(role, role),
            "why": str(fact.get("why") or ""), "worth": worth})
    used = dict.fromkeys(fact["card"] for fact in question.get("facts") or [])
    return {"why": str(question.get("why") or ""),
            "groups": [(name, FACT_GROUPS.get(name, name), items)
                       for name, items in groups.items() if items],
            "cards": [_card_view(cards.get(card_id), card_id) for card_id in used]}


def check_key(question: Mapping[str, Any],
              cards: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """The key of a verify or omission question (None for the other kinds)."""
    if question.get("kind") == "verify":
        return verify_key(question, cards)
    if question.get("kind") == "omission":
        return omission_key(question, cards)
    return None
