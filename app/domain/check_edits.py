"""The lesson editor's part for the questions that leave the page: a verify question's claim,
verdict and cards, an omission question's facts. Pure functions over plain data.

The question page sends one row per card (verify) or fact (omission) it shows, offered or
not: a checkbox to offer it, its why, and whether it decides the claim (verify) or its role
(omission). :func:`read_check` turns the fields sent into what was typed (every row, so a
page shown again loses nothing), :func:`check_fields` into the question's fields as the
lesson file writes them, and :func:`set_check` writes those into a copy of the lesson
source. Nothing here judges the fields: the lesson compiler does, so the editor refuses
exactly what a lesson file would.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.domain.check_shares import CHECK_KINDS
from app.domain.checking import FACT_ROLES, FIELDS
from app.domain.lesson_edits import EditRefused, QuestionMissing

ROLES = tuple(FACT_ROLES)
# The names of the page's per-row fields (the prefixes end with the card id or fact ref).
CARD_WHY, DECIDES, OFFER_CARD = "check-card-why-", "check-decides", "check-card"
FACT_WHY, ROLE, OFFER_FACT = "check-fact-why-", "check-role-", "check-fact"


def _first(pairs: Sequence[tuple[str, str]], name: str) -> str:
    return next((value for key, value in pairs if key == name), "")


def read_check(kind: str, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """What the page's check part sent, as typed: for verify ``claim``, ``occurrence``,
    ``verdict``, ``why`` and ``rows`` (``{"card", "offered", "decides", "why"}`` for every
    card row sent, in page order); for omission ``why`` and ``rows`` (``{"fact",
    "offered", "role", "why"}``)."""
    pairs = list(pairs)
    if kind == "verify":
        offered = {value for key, value in pairs if key == OFFER_CARD}
        deciding = {value for key, value in pairs if key == DECIDES}
        rows = [{"card": key[len(CARD_WHY):], "offered": key[len(CARD_WHY):] in offered,
                 "decides": key[len(CARD_WHY):] in deciding, "why": value}
                for key, value in pairs if key.startswith(CARD_WHY)]
        return {"claim": _first(pairs, "check-claim"),
                "occurrence": _first(pairs, "check-occurrence"),
                "verdict": _first(pairs, "check-verdict"), "why": _first(pairs, "check-why"),
                "rows": rows}
    offered = {value for key, value in pairs if key == OFFER_FACT}
    rows = [{"fact": key[len(FACT_WHY):], "offered": key[len(FACT_WHY):] in offered,
             "role": _first(pairs, ROLE + key[len(FACT_WHY):]), "why": value}
            for key, value in pairs if key.startswith(FACT_WHY)]
    return {"why": _first(pairs, "check-why"), "rows": rows}


def typed_from_question(question: Mapping[str, Any]) -> dict[str, Any]:
    """A stored verify or omission question as :func:`read_check` reads the page (its
    offered rows only; the page adds the rest of the shelf)."""
    def text(name: str) -> str:
        return text_of(question.get(name))
    if question.get("kind") == "verify":
        rows = [{"card": text_of(card.get("card")), "offered": True,
                 "decides": card.get("decides") is True, "why": text_of(card.get("why"))}
                for card in question.get("cards") or [] if isinstance(card, dict)]
        return {"claim": text("claim"), "occurrence": text("occurrence"),
                "verdict": text("verdict"), "why": text("why"), "rows": rows}
    rows = [{"fact": text_of(fact.get("fact")), "offered": True,
             "role": text_of(fact.get("role")), "why": text_of(fact.get("why"))}
            for fact in question.get("facts") or [] if isinstance(fact, dict)]
    return {"why": text("why"), "rows": rows}


def text_of(value: Any) -> str:
    """A field's value as the page shows it ("" for none)."""
    return "" if value is None else str(value)


def check_fields(kind: str, typed: Mapping[str, Any]) -> dict[str, Any]:
    """The question fields the typed check part stands for, as a lesson file writes them:
    blank optional fields left out, an occurrence that is a whole number as a number."""
    fields: dict[str, Any] = {}
    why = str(typed.get("why") or "").strip()
    if kind == "verify":
        claim = str(typed.get("claim") or "").strip()
        if claim:
            fields["claim"] = claim
        occurrence = str(typed.get("occurrence") or "").strip()
        if occurrence:
            fields["occurrence"] = (int(occurrence) if occurrence.isascii()
                                    and occurrence.isdigit() and len(occurrence) < 7
                                    else occurrence)
        verdict = str(typed.get("verdict") or "").strip()
        if verdict:
            fields["verdict"] = verdict
        fields["why"] = why
        fields["cards"] = [{"card": row["card"], **({"decides": True} if row["decides"] else {}),
                            "why": str(row["why"]).strip()}
                           for row in typed.get("rows") or [] if row["offered"]]
        return fields
    if why:
        fields["why"] = why
    fields["facts"] = [{"fact": row["fact"], "role": str(row["role"]).strip(),
                        "why": str(row["why"]).strip()}
                       for row in typed.get("rows") or [] if row["offered"]]
    return fields


def set_check(source: Mapping[str, Any], question_id: str,
              fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``source`` in which verify or omission question ``question_id`` holds
    ``fields`` (:func:`check_fields`) in place of its claim, verdict, cards or facts."""
    changed = copy.deepcopy(dict(source))
    question = next((q for q in changed.get("questions") or []
                     if isinstance(q, dict) and str(q.get("id")) == question_id), None)
    if question is None:
        raise QuestionMissing("There is no such question in this lesson (it may have been "
                              "deleted in another tab).")
    kind = question.get("kind")
    if kind not in CHECK_KINDS:
        raise EditRefused("Only a question that checks a claim or finds what is left out "
                          "has cards or facts to choose.")
    for name in FIELDS[str(kind)]:
        question.pop(name, None)
    question.update(copy.deepcopy(dict(fields)))
    return changed


def same_check(question: Mapping[str, Any], fields: Mapping[str, Any]) -> bool:
    """True when ``fields`` say what ``question`` already holds (nothing to save)."""
    kind = str(question.get("kind"))
    stored = check_fields(kind, typed_from_question(question))
    return stored == dict(fields)


# --- what the page shows ------------------------------------------------------------------

def _shelf_order(card: Mapping[str, Any]) -> tuple[bool, str]:
    return card.get("kind") != "fact", str(card.get("title") or card.get("id")).casefold()


def card_rows(typed: Mapping[str, Any], shelf: Mapping[str, Mapping[str, Any]]
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A verify question's card rows as the page shows them: ``(offered, others)``.

    The offered cards in the question's order (a card no longer on the shelf included,
    with ``card`` None), then every other card of the shelf, fact cards first, by title.
    Each row is what was typed for it (:func:`read_check`) plus ``card``, the shelf card.
    """
    typed_rows = {row["card"]: row for row in typed.get("rows") or []}
    offered = [{**row, "card_id": row["card"], "card": shelf.get(row["card"])}
               for row in typed.get("rows") or [] if row["offered"]]
    taken = {row["card_id"] for row in offered}
    others = [{**typed_rows.get(card_id, {"offered": False, "decides": False, "why": ""}),
               "card_id": card_id, "card": card}
              for card_id, card in sorted(shelf.items(), key=lambda item: _shelf_order(item[1]))
              if card_id not in taken]
    return offered, others


def fact_rows(typed: Mapping[str, Any], shelf: Mapping[str, Mapping[str, Any]]
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """An omission question's fact rows as the page shows them: ``(offered, groups)``.

    The offered facts in the question's order, each with its ``card`` and ``fact`` from
    the shelf (None when no longer there); then, per other card of the shelf with facts
    (fact cards first, by title), ``{"card", "rows"}`` with a row for each fact not offered.
    """
    typed_rows = {row["fact"]: row for row in typed.get("rows") or []}

    def located(ref: str) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
        card_id, _, fact_id = ref.partition("#")
        card = shelf.get(card_id)
        fact = next((f for f in (card or {}).get("facts") or [] if f.get("id") == fact_id),
                    None)
        return card, fact

    offered = []
    for row in typed.get("rows") or []:
        if row["offered"]:
            card, fact = located(row["fact"])
            offered.append({**row, "ref": row["fact"], "card": card, "fact": fact})
    taken = {row["ref"] for row in offered}
    groups = []
    for card_id, card in sorted(shelf.items(), key=lambda item: _shelf_order(item[1])):
        rows = [{**typed_rows.get(ref, {"offered": False, "role": "", "why": ""}),
                 "ref": ref, "card": card, "fact": fact}
                for fact in card.get("facts") or []
                if (ref := f"{card_id}#{fact.get('id')}") not in taken]
        if rows:
            groups.append({"card": card, "rows": rows})
    return offered, groups
