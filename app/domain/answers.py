"""The answer a careful student gives: every key item found, nothing else marked.

Worked examples show this answer with its feedback before anything is scored, and the
library's tests score it for every question (a perfect answer must earn full marks with
nothing missed). Built from the compiled question alone, so it always follows the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _words(items: list[Mapping[str, Any]] | None) -> list[int]:
    return sorted({index for item in items or [] for index in item["words"]})


def _first_correct(options: list[Mapping[str, Any]]) -> str:
    return next(option["id"] for option in options if option.get("correct"))


def perfect_response(question: Mapping[str, Any]) -> dict[str, Any]:
    """The response that finds every key item of ``question`` and marks nothing else."""
    kind = question["kind"]
    if kind == "loaded_terms":
        return {"words": _words(question["phrases"])}
    if kind == "framing":
        return {"choice": _first_correct(question["options"]),
                "words": _words(question.get("signals"))}
    if kind == "sourcing":
        return {"sentences": sorted(gap["sentence"] for gap in question["gaps"])}
    if kind == "compare":
        return {"sides": [{"choice": side["frame"], "words": _words(side["terms"])}
                          for side in question["sides"]]}
    if kind == "verify":
        return {"verdict": question["verdict"],
                "cards": [card["id"] for card in question["cards"] if card["decides"]]}
    if kind == "omission":
        return {"facts": [fact["ref"] for fact in question["facts"]
                          if fact["role"] == "omitted"]}
    raise ValueError(f"no perfect response for kind {kind!r}")


def perfect_responses(lesson: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A perfect response to every question of a compiled lesson, by question id."""
    return {question["id"]: perfect_response(question) for question in lesson["questions"]}
