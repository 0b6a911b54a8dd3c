"""Changing a reading as plain data: judge one span anew, and write the reading back as YAML.

A teacher who accepts a student's contest changes the judgement of one span of a document
in their reading (format in ``lessons/readings/README.md``). These functions take the
reading as the plain dict its YAML reads as and return a changed copy; nothing here knows
about the database or who may change what. The result is compiled again by
:func:`app.domain.readings.compile_reading` before anything is saved.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from app.domain import lesson_files
from app.domain.filereader import LessonInvalid, LessonIssue, read_yaml
from app.domain.readings import SENTENCE_TIERS, TIERS, WORD_TIERS
from app.domain.text import find_all
from app.domain.yamllines import plain

REMOVE = "remove"
# The judgements a teacher may give a contested span ("remove": no judgement at all).
JUDGEMENTS: dict[str, str] = {
    "loaded": "Loaded (in the key)",
    "debatable": "Debatable (no points either way)",
    "neutral": "Neutral (marking it costs, with this explanation)",
    "gaps": "A sourcing gap (in the key)",
    "debatable_gaps": "A debatable sourcing gap (no points either way)",
    "sourced": "Sourced (selecting it costs, with this explanation)",
    REMOVE: "No judgement (take it out of the reading)",
}
_FIELDS = {tier: spec for tier, spec in (WORD_TIERS | SENTENCE_TIERS).items()}
# How a written entry's fields are ordered, as the shipped readings write them.
_ENTRY_ORDER = ("phrase", "in", "occurrence", "about", "neutral", "reason", "why", "for",
                "against", "sources")
_TOP_ORDER = ("document", "notes", *TIERS)


class JudgementProblem(ValueError):
    """A judgement that cannot be written (unknown tier, a required field missing)."""


def parse_reading(text: str, path: str) -> dict[str, Any]:
    """Read reading YAML into a plain dict (the inverse of :func:`emit_reading`).

    Raises :class:`LessonInvalid` when the text is not YAML or not a mapping of fields.
    """
    data = read_yaml(text, path)
    if not isinstance(data, dict):
        raise LessonInvalid([LessonIssue(path, 1, "a reading must be a mapping of "
                                                  "'field: value' lines")])
    return plain(data)


def tiers_of(unit: str) -> tuple[str, ...]:
    """The tiers that judge a ``word`` span or a ``sentence``."""
    return tuple(WORD_TIERS) if unit == "word" else tuple(SENTENCE_TIERS)


def judgements_for(unit: str) -> dict[str, str]:
    """The judgements a teacher may choose for a span of ``unit`` (word or sentence)."""
    tiers = tiers_of(unit)
    return {tier: label for tier, label in JUDGEMENTS.items() if tier in tiers or tier == REMOVE}


def tier_fields(tier: str) -> tuple[str, ...]:
    """The fields an entry of ``tier`` may have besides its phrase (none for "remove")."""
    return _FIELDS[tier][0] if tier in _FIELDS else ()


def phrase_for_span(document: str, start: int, end: int) -> dict[str, Any]:
    """How a reading names the span ``[start, end)`` of ``document``: its words, and
    ``occurrence`` when those words appear more than once (1 = first)."""
    phrase = " ".join(document[start:end].split())
    target: dict[str, Any] = {"phrase": phrase}
    matches = find_all(document, phrase)
    if not any(match.start == start for match in matches):
        matches = find_all(document, phrase, whole_words=False)
    if len(matches) > 1:
        number = next((n for n, match in enumerate(matches, start=1) if match.start == start),
                      None)
        if number is not None:
            target["occurrence"] = number
    return target


def entries_at(compiled: Mapping[str, Any], start: int, end: int,
               tiers: Sequence[str]) -> list[tuple[str, int]]:
    """The entries of ``tiers`` that judge part of ``[start, end)``, as (tier, position in
    that tier's list). A sentence entry judges its whole sentence.

    ``compiled`` is the reading as :func:`compile_reading` returns it; an entry's position
    is its rank in its tier by the line it was written on (the file's order).
    """
    found: list[tuple[str, int]] = []
    for tier in tiers:
        entries = sorted((e for e in compiled["entries"] if e["tier"] == tier),
                         key=lambda e: e["line"])
        for position, entry in enumerate(entries):
            first = entry.get("sentence_start", entry["start"])
            last = entry.get("sentence_end", entry["end"])
            if first < end and start < last:
                found.append((tier, position))
    return found


def set_judgement(reading: Mapping[str, Any], target: Mapping[str, Any], tier: str,
                  fields: Mapping[str, Any],
                  replacing: Sequence[tuple[str, int]] = ()) -> dict[str, Any]:
    """A copy of ``reading`` in which ``target`` (``{"phrase", "occurrence"?}``, see
    :func:`phrase_for_span`) is judged ``tier`` with ``fields``.

    The entries at ``replacing`` (from :func:`entries_at`: whatever judged the span
    before) are taken out first. With ``tier`` ``"remove"`` nothing is added. Empty
    fields are left out; a missing required field or a field the tier does not have
    raises :class:`JudgementProblem`. ``reading`` itself is not changed.
    """
    if tier != REMOVE and tier not in _FIELDS:
        raise JudgementProblem(f"unknown judgement '{tier}'")
    changed = copy.deepcopy(dict(reading))
    dropped: dict[str, set[int]] = {}
    for old_tier, position in replacing:
        dropped.setdefault(old_tier, set()).add(position)
    for old_tier, positions in dropped.items():
        kept = [entry for position, entry in enumerate(changed.get(old_tier) or [])
                if position not in positions]
        if kept:
            changed[old_tier] = kept
        else:
            changed.pop(old_tier, None)
    if tier == REMOVE:
        return changed
    allowed, required = _FIELDS[tier]
    values = {name: str(value).strip() for name, value in fields.items()
              if value is not None and str(value).strip()}
    extra = sorted(set(values) - set(allowed) - {"sources"})
    if extra:
        raise JudgementProblem(f"a '{tier}' entry has no field {', '.join(extra)}")
    missing = [name for name in required if name not in values]
    if missing:
        raise JudgementProblem(f"a '{tier}' entry needs {', '.join(missing)}")
    entry: dict[str, Any] = {"phrase": target["phrase"]}
    for name in ("in", "occurrence"):
        if target.get(name) is not None:
            entry[name] = target[name]
    entry.update(values)
    changed[tier] = [*(changed.get(tier) or []), entry]
    return changed


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the shipped reading files write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    # The lesson files' styles: folded for long text, literal for short lines with breaks.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style=lesson_files._scalar_style(value))


def _ordered(value: Mapping[str, Any], order: Sequence[str]) -> list[tuple[str, Any]]:
    rank = {name: number for number, name in enumerate(order)}
    return sorted(value.items(), key=lambda item: rank.get(item[0], len(rank)))


def _represent_dict(dumper: _Dumper, value: Mapping[str, Any]) -> yaml.MappingNode:
    order = _TOP_ORDER if "document" in value else _ENTRY_ORDER
    return dumper.represent_mapping("tag:yaml.org,2002:map", _ordered(value, order))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)


def emit_reading(reading: Mapping[str, Any]) -> str:
    """Write a reading dict as reading-file YAML: the document, the notes, then each tier
    in the documented order, each entry's phrase first; a blank line between tiers.

    Stable (emitting what it reads back gives the same text) and read by
    :func:`compile_reading` as the same judgements.
    """
    text = yaml.dump(dict(reading), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=88, default_flow_style=False)
    lines = text.split("\n")
    tier_starts = tuple(f"{tier}:" for tier in TIERS)
    return "\n".join(("\n" if number and line.startswith(tier_starts) else "") + line
                     for number, line in enumerate(lines))
