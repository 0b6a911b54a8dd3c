"""Stored responses in words, for the responses CSV: marked words as the phrases they form,
selected sentences quoted whole, the frame chosen by its text, the verdict chosen by its
label, the cards and facts picked by their titles and texts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from app.domain.check_shares import VERDICT_LABELS, offered
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


def picks(question: Mapping[str, Any], response: Mapping[str, Any]) -> list[str]:
    """The cards (verify) or facts (omission) a response picked, in the order offered."""
    chosen = set(response.get("cards" if question["kind"] == "verify" else "facts") or [])
    return [item for item, *_ in offered(question, {}) if item in chosen]


def response_text(question: Mapping[str, Any], response: Mapping[str, Any],
                  excerpts: Mapping[str, str],
                  cards: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[str, str]:
    """A stored response in words: ``(what was marked or picked, the frame or verdict chosen)``.

    Marked words become the phrases they form ("gangs; dangerous mob attacks"); selected
    sentences are quoted whole, separated by " | ". A compare question prefixes each
    excerpt's part with its letter ("A: mob / B: protesters"). A verify question gives the
    titles of the cards picked and the verdict's label; an omission question the text of
    each fact picked, separated by " | " (``cards``: the lesson's cards, by id).
    """
    kind = question["kind"]
    if kind in ("verify", "omission"):
        chosen = set(picks(question, response))
        shown = [text for item, text, *_ in offered(question, cards or {}) if item in chosen]
        verdict = response.get("verdict") if kind == "verify" else None
        return " | ".join(shown), VERDICT_LABELS.get(verdict, "") if verdict else ""
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
