"""Stored responses in words, for the responses CSV: marked words as the phrases they form,
selected sentences quoted whole, the frame chosen by its text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from app.domain.text import sentences, words

# An export puts thousands of responses on the same few excerpts into words.
_words = lru_cache(maxsize=128)(words)
_sentences = lru_cache(maxsize=128)(sentences)


def _marked_phrases(text: str, indices: Iterable[int]) -> str:
    """Marked words as the phrases they form: consecutive words joined, runs split by "; "."""
    spans = _words(text)
    chosen = sorted({i for i in indices if 0 <= i < len(spans)})
    runs: list[list[int]] = []
    for index in chosen:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return "; ".join(text[spans[run[0]].start:spans[run[-1]].end] for run in runs)


def _option_text(question: Mapping[str, Any], choice: str | None) -> str:
    options = {option["id"]: option["text"] for option in question.get("options", [])}
    return options.get(choice, "") if choice else ""


def response_text(question: Mapping[str, Any], response: Mapping[str, Any],
                  excerpts: Mapping[str, str]) -> tuple[str, str]:
    """A stored response in words: ``(what was marked, the frame chosen)``.

    Marked words become the phrases they form ("gangs; dangerous mob attacks"); selected
    sentences are quoted whole, separated by " | ". A compare question prefixes each
    excerpt's part with its letter ("A: mob / B: protesters").
    """
    kind = question["kind"]
    if kind == "sourcing":
        spans = _sentences(excerpts.get(question["excerpt"], ""))
        return " | ".join(spans[i].text for i in response.get("sentences", [])
                          if 0 <= i < len(spans)), ""
    if kind == "compare":
        sides = list(response.get("sides", []))
        marked, chosen = [], []
        for number, side in enumerate(question["sides"]):
            answer = sides[number] if number < len(sides) else {}
            letter = chr(ord("A") + number)
            marked.append(f"{letter}: "
                          + _marked_phrases(excerpts.get(side["excerpt"], ""),
                                            answer.get("words", [])))
            chosen.append(f"{letter}: " + _option_text(question, answer.get("choice")))
        return " / ".join(marked), " / ".join(chosen)
    text = excerpts.get(question["excerpt"], "")
    return (_marked_phrases(text, response.get("words", [])),
            _option_text(question, response.get("choice")))
