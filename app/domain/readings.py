"""Readings: the library's one set of judgements about a document's text.

A reading (format in ``lessons/readings/README.md``) records every judgement made about a
document once: loaded phrases, debatable ones, explicitly neutral ones, frame signals,
sourcing gaps, debatable gaps and sourced sentences. Questions on an excerpt of the document
take their keys from it (:mod:`app.domain.keys`), so the same words can never be keyed two
ways. This module parses and validates a reading file and places every entry at character
offsets in the document, with the line it was written on so problems can name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.filereader import FileReader, LessonInvalid, locate, read_yaml
from app.domain.text import Span, find_all, sentences, words_in
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap

# What a loaded or debatable phrase names; a question may narrow its key to some of them.
CATEGORIES: dict[str, str] = {
    "people": "the people in the streets",
    "events": "the events",
    "government": "the President, the government and officials",
    "forces": "troops and police",
    "critics": "critics, the opposition and rights groups",
    "country": "the country and its image",
    "world": "other states and the great powers",
}

# tier -> (fields besides the phrase, required ones)
WORD_TIERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "loaded": (("about", "neutral", "why"), ("about", "neutral", "why")),
    "debatable": (("about", "neutral", "for", "against"), ("about", "for", "against")),
    "neutral": (("why",), ("why",)),
    "signals": (("why",), ("why",)),
}
SENTENCE_TIERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "gaps": (("reason", "why"), ("reason", "why")),
    "debatable_gaps": (("for", "against"), ("for", "against")),
    "sourced": (("why",), ("why",)),
}
TIERS = (*WORD_TIERS, *SENTENCE_TIERS)
TIER_NAMES = {
    "loaded": "loaded", "debatable": "debatable", "neutral": "neutral (not loaded)",
    "signals": "a frame signal", "gaps": "a sourcing gap",
    "debatable_gaps": "a debatable sourcing gap", "sourced": "sourced (not a gap)",
}
_TOP_FIELDS = ("document", "notes", *TIERS)
_MAX_SOURCES = 12


def reading_path(document: str) -> str:
    """Where the library keeps the reading of ``document``, relative to the project."""
    return f"lessons/readings/{document}.yaml"


def compile_reading(text: str, path: str, documents: Mapping[str, str],
                    sourcing_reasons: Mapping[str, str]) -> dict[str, Any]:
    """Validate one reading file and return it compiled.

    The result is ``{"document", "path", "notes", "entries"}``; each entry is a dict with its
    ``tier``, the document offsets ``start``/``end`` of its phrase, the phrase as the
    document spells it (``text``), its fields, ``sources`` and the ``line`` it was written
    on. Sentence entries also carry ``sentence_start``/``sentence_end``, the document
    sentence they key. Raises :class:`LessonInvalid` with every problem, each located.
    """
    reader = FileReader(path)
    root = read_yaml(text, path)
    top = reader.mapping(root, "the reading", 1, _TOP_FIELDS)
    if top is None:
        raise LessonInvalid(reader.issues)
    document = reader.text(top, "document", "the reading")
    notes = reader.text(top, "notes", "the reading", required=False)
    if document and document not in documents:
        reader.error(reader.line_of(top, "document"), f"unknown document '{document}'")
    if not document or document not in documents:
        raise LessonInvalid(reader.issues)
    source = documents[document]
    entries: list[dict[str, Any]] = []
    for tier, (fields, required) in (WORD_TIERS | SENTENCE_TIERS).items():
        for item_node, line in reader.items(top, tier, "the reading", required=False):
            entry = _entry(reader, item_node, line, tier, fields, required, source,
                           sourcing_reasons)
            if entry is not None:
                entries.append(entry)
    _check_overlaps(reader, entries, source)
    if reader.issues:
        raise LessonInvalid(reader.issues)
    entries.sort(key=lambda entry: (entry["start"], entry["tier"]))
    return {"document": document, "path": path, "notes": notes, "entries": entries}


def _entry(reader: FileReader, node: Any, line: int, tier: str, fields: tuple[str, ...],
           required: tuple[str, ...], source: str,
           sourcing_reasons: Mapping[str, str]) -> dict[str, Any] | None:
    item = reader.mapping(node, f"an entry of '{tier}'", line,
                          ("phrase", "in", "occurrence", "sources", *fields))
    if item is None:
        return None
    phrase = reader.text(item, "phrase", f"an entry of '{tier}'")
    where = f'"{shorten(phrase, 40)}"' if phrase else f"an entry of '{tier}'"
    entry: dict[str, Any] = {"tier": tier, "line": item.line}
    for name in fields:
        value = reader.text(item, name, where, required=name in required)
        if value or name in required:
            entry[name] = value
    entry["sources"] = _sources(reader, item, where)
    if tier in ("loaded", "debatable") and entry.get("about") and \
            entry["about"] not in CATEGORIES:
        reader.error(reader.line_of(item, "about"),
                     f"unknown category '{shorten(entry['about'], 40)}' (expected one of: "
                     f"{', '.join(CATEGORIES)})")
    if tier == "gaps" and entry.get("reason") and entry["reason"] not in sourcing_reasons:
        reader.error(reader.line_of(item, "reason"),
                     f"unknown reason '{shorten(entry['reason'], 40)}' (expected one of: "
                     f"{', '.join(sourcing_reasons)})")
    if not phrase:
        return None
    span = _place(reader, item, phrase, source)
    if span is None:
        return None
    entry.update(text=span.text, start=span.start, end=span.end)
    if tier in SENTENCE_TIERS:
        spans = sentences(source)
        hits = words_in(spans, span.start, span.end)
        if len(hits) != 1:
            reader.error(reader.line_of(item, "phrase"),
                         f"{where} runs across {len(hits)} sentences; key the words of one")
            return None
        sentence = spans[hits[0]]
        entry.update(sentence_start=sentence.start, sentence_end=sentence.end)
    return entry


def _sources(reader: FileReader, item: LineMap, where: str) -> list[str]:
    found: list[str] = []
    listed = reader.items(item, "sources", where, required=False)
    if len(listed) > _MAX_SOURCES:
        reader.error(reader.line_of(item, "sources"),
                     f"{where} lists {len(listed)} sources; give at most {_MAX_SOURCES}")
        return found
    for value, line in listed:
        if not isinstance(value, str) or not value.strip():
            reader.error(line, f"each source of {where} must be a line of text")
        elif reader.fits(value.strip(), "source", where, line):
            found.append(value.strip())
    return found


def _place(reader: FileReader, item: LineMap, phrase: str, source: str) -> Span | None:
    """The span of ``phrase`` in the document, narrowed by ``in:`` when given."""
    if item.get("in") is None:
        return locate(reader, item, "phrase", phrase, source, "the document")
    context = reader.text(item, "in", f'"{shorten(phrase, 40)}"')
    if not context:
        return None
    matches = find_all(source, context, whole_words=False)
    if len(matches) != 1:
        reader.error(reader.line_of(item, "in"),
                     f'"{shorten(context, 60)}" appears {len(matches)} times in the '
                     "document; 'in' must quote a passage that appears exactly once")
        return None
    passage = matches[0]
    found = locate(reader, item, "phrase", phrase, source[passage.start:passage.end],
                   f'the passage "{shorten(context, 40)}"')
    if found is None:
        return None
    return Span(found.start + passage.start, found.end + passage.start, found.text)


def _check_overlaps(reader: FileReader, entries: list[dict[str, Any]], source: str) -> None:
    """Word judgements may not overlap; each sentence is judged once."""
    word_entries = sorted((e for e in entries if e["tier"] in WORD_TIERS),
                          key=lambda e: e["start"])
    widest: dict[str, Any] | None = None  # the entry reaching furthest so far
    for after in word_entries:
        if widest is not None and after["start"] < widest["end"]:
            reader.error(after["line"], f'"{shorten(after["text"], 40)}" ({after["tier"]}) '
                                        f'overlaps "{shorten(widest["text"], 40)}" '
                                        f'({widest["tier"]}, line {widest["line"]}); judge '
                                        "each word once")
        if widest is None or after["end"] > widest["end"]:
            widest = after
    seen: dict[int, dict[str, Any]] = {}
    for entry in entries:
        if entry["tier"] not in SENTENCE_TIERS:
            continue
        first = seen.get(entry["sentence_start"])
        if first is not None:
            sentence = source[entry["sentence_start"]:entry["sentence_end"]]
            reader.error(entry["line"], f'the sentence "{shorten(sentence, 60)}" is already '
                                        f'judged {TIER_NAMES[first["tier"]]} on line '
                                        f'{first["line"]}; judge each sentence once')
        else:
            seen[entry["sentence_start"]] = entry


def entries_within(reading: Mapping[str, Any], start: int, end: int,
                   tiers: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The reading's entries of ``tiers`` inside ``[start, end)`` of the document.

    Returns ``(inside, cut)``: the entries wholly inside, and those the range cuts in two
    (an excerpt that starts or ends inside a judged phrase), which callers report.
    """
    inside: list[dict[str, Any]] = []
    cut: list[dict[str, Any]] = []
    for entry in reading["entries"]:
        if entry["tier"] not in tiers or entry["end"] <= start or entry["start"] >= end:
            continue
        (inside if start <= entry["start"] and entry["end"] <= end else cut).append(entry)
    return inside, cut


def keyed_per_thousand_words(reading: Mapping[str, Any], word_count: int) -> dict[str, float]:
    """Loaded phrases and sourcing gaps per 1,000 words of the document (the balance report)."""
    counts = {"loaded": 0, "gaps": 0, "debatable": 0}
    for entry in reading["entries"]:
        if entry["tier"] in ("loaded", "gaps"):
            counts[entry["tier"]] += 1
        elif entry["tier"] in ("debatable", "debatable_gaps"):
            counts["debatable"] += 1
    scale = 1000 / word_count if word_count else 0.0
    return {tier: round(count * scale, 1) for tier, count in counts.items()}
