"""Answer keys taken from a document's reading.

A question on an excerpt of a document that has a reading (:mod:`app.domain.readings`)
does not carry its own key: its key is what the reading says about the words and sentences
inside the excerpt, optionally narrowed by category (``about``). This module turns the
reading's entries, placed in the document, into the word and sentence indices of one
excerpt, and checks any key a question still writes out against the reading, so a
question can narrow the reading but never contradict it.

The resolved key is plain data stored in the lesson version: a later change of the reading
makes a new version at the next sync or publish, never a silent change of past scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.domain.filereader import FileReader
from app.domain.readings import CATEGORIES, TIER_NAMES, entries_within
from app.domain.scoring import cited
from app.domain.text import sentences, words, words_in
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap, LineSeq

Excerpt = Mapping[str, Any]  # {"id", "document", "start", "end", "text"}
Reading = Mapping[str, Any]

MARKS = ("loaded", "stand_ins")


class KeyProblem(ValueError):
    """A reading and an excerpt that cannot make a key; the message names both places."""


def place(reading: Reading, entry: Mapping[str, Any]) -> str:
    """Where an entry of a reading was written, as ``path:line``."""
    return f"{reading.get('path', 'the reading')}:{entry['line']}"


def category_labels(about: Iterable[str]) -> str:
    """The teacher's words for some categories: "the people in the streets or the events"."""
    labels = [CATEGORIES[name] for name in about if name in CATEGORIES]
    return " or ".join(labels)


def _word_indices(excerpt: Excerpt, entry: Mapping[str, Any]) -> list[int]:
    return words_in(words(excerpt["text"]), entry["start"] - excerpt["start"],
                    entry["end"] - excerpt["start"])


def _sentence_index(excerpt: Excerpt, entry: Mapping[str, Any]) -> int:
    hits = words_in(sentences(excerpt["text"]), entry["start"] - excerpt["start"],
                    entry["end"] - excerpt["start"])
    if len(hits) != 1:
        raise KeyProblem(f'"{shorten(entry["text"], 40)}" ({entry["tier"]}) runs across '
                         f"{len(hits)} sentences of excerpt '{excerpt['id']}'")
    return hits[0]


def _refuse_cut(reading: Reading, excerpt: Excerpt, cut: list[dict[str, Any]]) -> None:
    if cut:
        entry = cut[0]
        raise KeyProblem(
            f"excerpt '{excerpt['id']}' starts or ends inside \"{shorten(entry['text'], 40)}\", "
            f"which the reading judges {TIER_NAMES[entry['tier']]} ({place(reading, entry)}); "
            "quote the whole phrase or leave it out")


def word_key(reading: Reading, excerpt: Excerpt, about: list[str] | None) -> dict[str, Any]:
    """The key of a word-marking question (``loaded_terms``, or a side of ``compare``).

    ``phrases``: the loaded phrases inside the excerpt, within ``about`` when given (each
    worth a point); ``controls``: the reading's neutral words there, with its why;
    ``debatable``: never earn or cost, and the feedback gives both cases; ``asides``: loaded
    phrases outside ``about`` and frame signals, which never earn or cost either.
    """
    inside, cut = entries_within(reading, excerpt["start"], excerpt["end"],
                                 ("loaded", "debatable", "neutral", "signals"))
    _refuse_cut(reading, excerpt, [entry for entry in cut
                                   if entry["tier"] in ("loaded", "debatable")])
    key: dict[str, Any] = {"phrases": [], "controls": [], "debatable": [], "asides": []}
    asked = category_labels(about or [])
    for entry in inside:
        indices = _word_indices(excerpt, entry)
        if not indices:
            continue
        common = {"text": entry["text"], "words": indices, **cited(entry)}
        if entry["tier"] == "loaded" and (not about or entry["about"] in about):
            key["phrases"].append({**common, "neutral": entry["neutral"], "why": entry["why"],
                                   "about": entry["about"]})
        elif entry["tier"] == "loaded":
            key["asides"].append({**common, "why": (
                f"Loaded: {entry['why']} This question asks only about {asked}, so marking "
                "it neither earns nor costs.")})
        elif entry["tier"] == "signals":
            key["asides"].append({**common, "why": (
                f"This phrase carries the piece's frame: {entry['why']} It is not counted as a "
                "loaded word, so marking it neither earns nor costs.")})
        elif entry["tier"] == "debatable":
            key["debatable"].append({**common, "for": entry["for"], "against": entry["against"],
                                     "neutral": entry.get("neutral", ""),
                                     "about": entry["about"]})
        else:
            key["controls"].append({**common, "why": entry["why"]})
    return key


def stand_in_key(reading: Reading, excerpt: Excerpt) -> dict[str, Any]:
    """The key of a compare side that asks for the words standing in for a source.

    The terms are the phrases of the reading's sourcing gaps inside the excerpt ("some
    observers say"); the phrases of debatable gaps neither earn nor cost.
    """
    inside, _ = entries_within(reading, excerpt["start"], excerpt["end"],
                               ("gaps", "debatable_gaps"))
    key: dict[str, Any] = {"phrases": [], "controls": [], "debatable": [], "asides": []}
    for entry in inside:
        indices = _word_indices(excerpt, entry)
        common = {"text": entry["text"], "words": indices, **cited(entry)}
        if entry["tier"] == "gaps":
            key["phrases"].append({**common, "neutral": "(name the source)",
                                   "why": entry["why"], "reason": entry["reason"]})
        else:
            key["debatable"].append({**common, "for": entry["for"],
                                     "against": entry["against"], "neutral": ""})
    return key


def sentence_key(reading: Reading, excerpt: Excerpt) -> dict[str, Any]:
    """The key of a ``sourcing`` question: gaps, sourced controls and debatable sentences."""
    inside, _ = entries_within(reading, excerpt["start"], excerpt["end"],
                               ("gaps", "debatable_gaps", "sourced"))
    key: dict[str, Any] = {"gaps": [], "controls": [], "debatable": []}
    taken: dict[int, Mapping[str, Any]] = {}
    for entry in inside:
        sentence = _sentence_index(excerpt, entry)
        if sentence in taken:
            raise KeyProblem(
                f"\"{shorten(entry['text'], 40)}\" ({place(reading, entry)}) and "
                f"\"{shorten(taken[sentence]['text'], 40)}\" ({place(reading, taken[sentence])})"
                f" fall in one sentence of excerpt '{excerpt['id']}'")
        taken[sentence] = entry
        common = {"text": entry["text"], "sentence": sentence, **cited(entry)}
        if entry["tier"] == "gaps":
            key["gaps"].append({**common, "reason": entry["reason"], "why": entry["why"]})
        elif entry["tier"] == "sourced":
            key["controls"].append({**common, "why": entry["why"]})
        else:
            key["debatable"].append({**common, "for": entry["for"], "against": entry["against"]})
    return key


# --- a key a question writes out must agree with the reading --------------------------------

def disagreements(reading: Reading, excerpt: Excerpt, written: Mapping[str, list[Any]],
                  ) -> list[tuple[Mapping[str, Any], str]]:
    """Entries a question writes out that its reading does not hold, each with why.

    ``written`` maps a tier the question claims (``loaded``, ``neutral``, ``gaps``,
    ``sourced``) to its compiled entries (with ``words`` or ``sentence``). An entry agrees
    when the reading judges its words (or its sentence) the same way; one the reading
    judges otherwise is a contradiction, and one the reading says nothing about is refused
    too, because every judgement is made once, in the reading.
    """
    found: list[tuple[Mapping[str, Any], str]] = []
    word_tiers: dict[int, Mapping[str, Any]] = {}
    inside, _ = entries_within(reading, excerpt["start"], excerpt["end"],
                               ("loaded", "debatable", "neutral", "signals"))
    for entry in inside:
        for index in _word_indices(excerpt, entry):
            word_tiers[index] = entry
    sentence_tiers: dict[int, Mapping[str, Any]] = {}
    inside, _ = entries_within(reading, excerpt["start"], excerpt["end"],
                               ("gaps", "debatable_gaps", "sourced"))
    for entry in inside:
        try:
            sentence_tiers[_sentence_index(excerpt, entry)] = entry
        except KeyProblem:
            continue
    document = reading["document"]
    for tier, items in written.items():
        for item in items:
            if "sentence" in item:
                judged = [sentence_tiers[item["sentence"]]] if item["sentence"] in \
                    sentence_tiers else []
            else:
                judged = [word_tiers[i] for i in item["words"] if i in word_tiers]
            other = next((entry for entry in judged if entry["tier"] != tier), None)
            if other is not None:
                found.append((item, (
                    f'"{shorten(item["text"], 40)}" is keyed {TIER_NAMES[tier]} here, but the '
                    f"reading of '{document}' judges \"{shorten(other['text'], 40)}\" "
                    f"{TIER_NAMES[other['tier']]} ({place(reading, other)}); a question takes "
                    "its key from the reading: remove it here, or change the reading")))
            elif not judged or (tier == "loaded" and len(judged) < len(item["words"])):
                found.append((item, (
                    f'"{shorten(item["text"], 40)}" is keyed {TIER_NAMES[tier]} here, but the '
                    f"reading of '{document}' ({reading.get('path', 'its reading')}) does not "
                    "judge it so; every judgement is made once, in the reading: add it there")))
    return found


# --- what the lesson compiler asks of a reading --------------------------------------------

def read_about(reader: FileReader, node: LineMap, where: str, from_reading: bool) -> list[str]:
    """The categories a question narrows its reading's key to (``about:``), checked;
    ``from_reading`` says whether the question's key comes from a reading at all."""
    value = node.get("about")
    if value is None:
        return []
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, LineSeq) \
        else None
    line = reader.line_of(node, "about")
    if not names or not all(isinstance(name, str) for name in names):
        reader.error(line, f"'about' in {where} must be a category or a list of them "
                           f"({', '.join(CATEGORIES)})")
        return []
    unknown = [name for name in names if name not in CATEGORIES]
    if unknown:
        reader.error(line, f"unknown category '{shorten(unknown[0], 40)}' in {where} (expected "
                           f"one of: {', '.join(CATEGORIES)})")
        return []
    if not from_reading:
        reader.error(line, f"'about' in {where} narrows a key taken from a reading, and this "
                           "excerpt's document has none")
        return []
    return list(dict.fromkeys(names))


def resolve(reader: FileReader, node: LineMap, reading: Mapping[str, Any],
            excerpt: Mapping[str, Any], written: Mapping[str, list[Any]],
            make_key: Callable[[Mapping[str, Any]], dict[str, Any]]) -> dict[str, Any] | None:
    """Make a question's key with ``make_key``, reporting on ``reader`` (at the question's
    ``excerpt`` line) whatever the question writes out against its reading."""
    for _, message in disagreements(reading, excerpt, written):
        reader.error(reader.line_of(node, "excerpt"), message)
    try:
        return make_key(excerpt)
    except KeyProblem as problem:
        reader.error(reader.line_of(node, "excerpt"), str(problem))
        return None


def nothing_keyed(reading: Mapping[str, Any], excerpt_id: str, about: list[str]) -> str:
    """The problem of a question whose excerpt holds nothing its reading keys."""
    narrowed = f" about {category_labels(about)}" if about else ""
    return (f"the reading of '{reading['document']}' ({reading.get('path', 'its reading')}) "
            f"keys nothing{narrowed} inside excerpt '{excerpt_id}', so this question would "
            "have no answer; choose another excerpt or add the judgement to the reading")


def non_empty(key: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """A resolved key without its empty lists, so lessons that have no debatable or
    aside items compile to exactly what they did before those existed."""
    return {name: items for name, items in key.items() if items or name == "controls"}
