"""A lesson's answer key as a teacher reads it: question by question, everything the key holds.

Pure Python (no Flask, no database). :func:`answer_key` takes a compiled lesson (what a
version stores and the scorers read) and arranges, for each question, its excerpt(s) with
every keyed passage drawn on the text and numbered, and beside the numbers: the loaded
words with what they name, their neutral wording and why; the sourcing gaps with their
reasons; the neutral controls and why marking them costs; the debatable items with the
case for and against; the asides; the frame signals; the right frame (or the two
defensible frames) with the evidence for each; every option's feedback; the points each
item earns or costs; and the public sources each explanation cites. A verify or omission
question's key (the claim, its verdict and the cards that decide it; the facts left out)
is arranged by :mod:`app.domain.check_keys`. It reads the same fields the feedback page
shows a student (app/student/present.py), so the key and the feedback never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.check_keys import check_key, claim_runs
from app.domain.questions import SOURCING_REASONS
from app.domain.readings import CATEGORIES
from app.domain.scoring import (
    RULES,
    WRONG_SENTENCE_PENALTY,
    WRONG_WORD_PENALTY,
    accepted_frames,
    score_question,
)
from app.domain.text import runs_by_state

# The groups of a key, in the order the page lists them, and what each is worth.
GROUPS = ("keyed", "signals", "controls", "debatable", "asides")


@dataclass(frozen=True, slots=True)
class KeyItem:
    """One numbered passage of the key: its group, text and everything said about it."""

    number: int
    group: str
    text: str
    category: str = ""
    neutral: str = ""
    why: str = ""
    case_for: str = ""
    case_against: str = ""
    sources: tuple[str, ...] = ()
    worth: str = ""


@dataclass(slots=True)
class KeyedExcerpt:
    """An excerpt of a question with its key: the text cut into runs (``(group, number,
    text)``; group "" for text outside the key) and the numbered items by group."""

    excerpt_id: str
    letter: str
    source: Mapping[str, str]
    runs: list[tuple[str, int | None, str]]
    items: dict[str, list[KeyItem]] = field(default_factory=dict)
    # the frames the key accepts (one, or two defensible ones), each with its evidence
    frames: list[Mapping[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class KeyedQuestion:
    """One question of the key."""

    number: int
    id: str
    kind: str
    prompt: str
    max_points: float
    rule: str
    unit: str
    excerpts: list[KeyedExcerpt]
    options: list[Mapping[str, Any]]
    # A verify or omission question's key (app.domain.check_keys); None for the others.
    check: dict[str, Any] | None = None


def _category(item: Mapping[str, Any]) -> str:
    if item.get("reason"):
        return SOURCING_REASONS.get(str(item["reason"]), str(item["reason"]))
    about = item.get("about")
    return f"about {CATEGORIES[about]}" if isinstance(about, str) and about in CATEGORIES else ""


def _worth(group: str, kind: str) -> str:
    wrong = WRONG_SENTENCE_PENALTY if kind == "sourcing" else WRONG_WORD_PENALTY
    unit = "sentence" if kind == "sourcing" else "word"
    return {
        "keyed": "1 point" + ("" if kind == "sourcing" else ", shared across its words"),
        "signals": "1 point, shared across its words",
        "controls": f"marking it costs {wrong:g} point{'s' if wrong != 1 else ''} a {unit}",
        "debatable": "no points either way",
        "asides": "neither earns nor costs here",
    }[group]


def _lists(kind: str, holder: Mapping[str, Any]) -> dict[str, Sequence[Mapping[str, Any]]]:
    keyed = {"loaded_terms": "phrases", "sourcing": "gaps", "compare": "terms"}.get(kind)
    return {"keyed": holder.get(keyed) or [] if keyed else [],
            "signals": holder.get("signals") or [],
            "controls": holder.get("controls") or [],
            "debatable": holder.get("debatable") or [],
            "asides": holder.get("asides") or []}


def _keyed_excerpt(kind: str, holder: Mapping[str, Any], excerpt_id: str, text: str,
                   letter: str, source: Mapping[str, str], start: int) -> KeyedExcerpt:
    """An excerpt's items numbered from ``start``, drawn on its text."""
    unit = "sentence" if kind == "sourcing" else "word"
    states: dict[int, str] = {}
    items: dict[str, list[KeyItem]] = {}
    number = start
    for group, entries in _lists(kind, holder).items():
        for entry in entries:
            number += 1
            units = [entry["sentence"]] if unit == "sentence" else list(entry.get("words") or [])
            for index in units:
                states.setdefault(index, f"{group}:{number}")
            items.setdefault(group, []).append(KeyItem(
                number, group, str(entry.get("text", "")), _category(entry),
                str(entry.get("neutral") or ""), str(entry.get("why") or ""),
                str(entry.get("for") or ""), str(entry.get("against") or ""),
                tuple(entry.get("sources") or ()), _worth(group, kind)))
    runs = []
    for state, piece in runs_by_state(text, states, unit):
        group, _, shown = state.partition(":")
        runs.append((group, int(shown) if shown else None, piece))
    return KeyedExcerpt(excerpt_id, letter, source, runs, items)


def answer_key(content: Mapping[str, Any],
               sources: Mapping[str, Mapping[str, str]]) -> list[KeyedQuestion]:
    """Every question of a compiled lesson with its full key (see the module docstring).

    ``sources`` maps an excerpt id to where it comes from (title, credit), as the
    feedback page shows it.
    """
    texts = {excerpt["id"]: excerpt["text"] for excerpt in content["excerpts"]}
    keyed = []
    for number, question in enumerate(content["questions"], start=1):
        kind = question["kind"]
        options = question.get("options") or []
        excerpts = []
        if kind == "compare":
            count = 0
            for side_number, side in enumerate(question["sides"]):
                ref = side["excerpt"]
                excerpt = _keyed_excerpt(kind, side, ref, texts[ref], chr(ord("A") + side_number),
                                         sources.get(ref, {}), count)
                excerpt.frames = accepted_frames(question, side)
                count += sum(len(found) for found in excerpt.items.values())
                excerpts.append(excerpt)
        else:
            ref = question["excerpt"]
            excerpts.append(_keyed_excerpt(kind, question, ref, texts[ref], "",
                                           sources.get(ref, {}), 0))
            if kind == "verify":
                excerpts[0].runs = claim_runs(texts[ref], question.get("claim") or {})
            if kind == "framing":
                excerpts[0].frames = accepted_frames(question)
        keyed.append(KeyedQuestion(
            number, question["id"], kind, question["prompt"],
            score_question(question, {}, texts).max_points, RULES[kind],
            "sentence" if kind == "sourcing" else "word", excerpts,
            [{"id": option["id"], "text": option["text"],
              "feedback": option.get("feedback", ""),
              "frame": option.get("frame", ""),
              "correct": bool(option.get("correct")) or any(
                  option["id"] in (frame["id"] for frame in excerpt.frames)
                  for excerpt in excerpts),
              # the excerpts of a compare question that accept it as their frame
              "right_for": [excerpt.letter for excerpt in excerpts if kind == "compare"
                            and option["id"] in (frame["id"] for frame in excerpt.frames)]}
             for option in options],
            check_key(question, content.get("cards") or {})))
    return keyed


def total_points(questions: Sequence[KeyedQuestion]) -> float:
    """The most a student can score on the lesson."""
    return sum(question.max_points for question in questions)
