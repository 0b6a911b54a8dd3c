"""A lesson file as text: canonical YAML out, a plain dict in, and back from a compiled lesson.

A lesson written in the browser is the same thing as a lesson file: a dict with the
structure documented in ``lessons/README.md``, stored as YAML text and checked by
:func:`app.domain.lessons.compile_lesson` like every file.

* :func:`emit_lesson` writes a source dict as canonical YAML (fields in the documented
  order, long text as block scalars) that parses back to the same dict, and
  :func:`parse_source` reads it back;
* :func:`issues_by_section` places a draft's problems in the part of the file they are in;
* :func:`source_from_content` rebuilds the file of a version stored without one;
* :func:`slugify` makes a slug from a title, and :func:`replace_slug` changes a file's
  ``slug:`` line and nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from app.domain import yamllines
from app.domain.key_phrases import one_line
from app.domain.lessons import LessonInvalid, LessonIssue, read_yaml
from app.domain.quotes import stored_quote
from app.domain.text import Span, find_all, sentences, words, words_in

# The documented order of every field, whatever mapping it appears in (lesson, excerpt,
# question, option, phrase entry, compare side). Unknown fields follow in their own order.
# A verify question reads excerpt, claim, occurrence, verdict, why, cards (each: card,
# decides, why); an omission question excerpt, why, facts (each: fact, role, why).
FIELD_ORDER = (
    "slug", "title", "summary", "level", "minutes", "goals", "status", "excerpts", "examples",
    "questions",
    "id", "kind", "prompt", "document", "quote", "excerpt", "options", "claim", "card",
    "fact", "phrase", "occurrence", "verdict", "role", "decides", "text", "correct",
    "neutral", "reason", "why", "feedback", "frame", "frame_why", "also_frame", "also_why",
    "phrases", "signals", "gaps", "controls", "sides", "terms", "cards", "facts",
)
_RANK = {name: rank for rank, name in enumerate(FIELD_ORDER)}
# Text longer than this is written as a folded block (wrapped, easy to read and diff).
_FOLD_AFTER = 72
_WIDTH = 88
# Line breaks YAML reads but Python's "\n"-based line handling does not: always escaped.
_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")


# --- canonical YAML --------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key, as the shipped lesson files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _scalar_style(value: str) -> str | None:
    """Folded block for long lines, literal block for short lines with breaks, else PyYAML's
    choice (plain when safe, quoted when not). PyYAML falls back to quotes by itself when a
    block cannot hold the text exactly (trailing spaces, control characters)."""
    if any(ch in _OTHER_BREAKS for ch in value):
        return '"'
    if value.endswith("\n"):
        # A block would need "keep" chomping, which the blank lines between sections
        # would then join; quoted text is exact.
        return '"'
    # Folding cannot be trusted next to "more indented" lines (a line starting with a
    # space): their line breaks are kept, not folded, and PyYAML may break there.
    foldable = not re.search(r"(^|\n)[ \t]", value)
    if foldable and any(len(line) > _FOLD_AFTER for line in value.split("\n")):
        return ">"
    return "|" if "\n" in value else None


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=_scalar_style(value))


def _field_rank(item: tuple[Any, Any]) -> tuple[int, int]:
    key = item[0]
    return (_RANK.get(key, len(_RANK)), 0) if isinstance(key, str) else (len(_RANK), 0)


def _represent_dict(dumper: _Dumper, value: Mapping[Any, Any]) -> yaml.MappingNode:
    # sorted() is stable: unknown fields keep the order they were given in.
    return dumper.represent_mapping("tag:yaml.org,2002:map", sorted(value.items(), key=_field_rank))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)


def emit_lesson(source: Mapping[str, Any]) -> str:
    """Write a lesson source dict as canonical lesson-file YAML.

    Fields come in the documented order (see :data:`FIELD_ORDER`), lists are indented
    under their key, text with line breaks is a literal block and long text a folded
    block, and a blank line separates the excerpts, the questions and each question.
    The output always parses back to ``source`` (``parse_source(emit_lesson(x)) == x``),
    so emitting is idempotent.
    """
    text = yaml.dump(dict(source), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=_WIDTH, default_flow_style=False)
    return _space_sections(text)


def _space_sections(text: str) -> str:
    """Put a blank line before ``excerpts:``, ``questions:`` and every question but the first.

    Safe because no emitted block keeps trailing line breaks (see :func:`_scalar_style`):
    a blank line before a new node is never part of the previous value.
    """
    try:
        root = yamllines.load(text)
    except yamllines.YamlProblem:
        return text  # cannot happen for emitted text within the reader's limits
    if not isinstance(root, yamllines.LineMap):
        return text
    breaks: set[int] = set()
    for key, value in root.items():
        line = root.key_lines[key]
        if key in ("excerpts", "examples", "questions") and line > 1:
            breaks.add(line - 1)
        if key == "questions" and isinstance(value, yamllines.LineSeq):
            breaks.update(item_line - 1 for item_line in value.item_lines[1:])
    lines = text.split("\n")
    return "\n".join(("\n" if number in breaks else "") + line
                     for number, line in enumerate(lines))


def parse_source(text: str, path: str = "lesson.yaml") -> dict[str, Any]:
    """Read lesson-file YAML into a plain dict (the inverse of :func:`emit_lesson`).

    Read by the guarded reader the compiler uses (:mod:`app.domain.yamllines`), so the
    editor sees the same values the compiler checks ("no" stays a word). Raises
    :class:`~app.domain.lessons.LessonInvalid` (with the line) when the text is not
    YAML, repeats a key, breaks a guard, or is not a mapping of fields.
    """
    data = read_yaml(text, path)
    if not isinstance(data, dict):
        raise LessonInvalid([LessonIssue(path, 1, "a lesson must be a mapping of "
                                                  "'field: value' lines")])
    return yamllines.plain(data)


# --- problems, by where they are ---------------------------------------------------------

def issues_by_section(text: str, issues: Sequence[LessonIssue]) -> dict[str, list[LessonIssue]]:
    """Group a draft's problems by the part of the file their line falls in.

    Keys are ``"lesson"`` (the top fields, or a line we cannot place),
    ``"excerpts/<n>"`` and ``"questions/<n>"`` (0-based positions in the lists).
    """
    starts: list[tuple[int, str]] = [(1, "lesson")]
    try:
        root = yamllines.load(text)
    except yamllines.YamlProblem:
        root = None
    if isinstance(root, yamllines.LineMap):
        for key, value in root.items():
            starts.append((root.key_lines[key], "lesson"))
            if key in ("excerpts", "questions") and isinstance(value, yamllines.LineSeq):
                starts.extend((line, f"{key}/{number}")
                              for number, line in enumerate(value.item_lines))
    starts.sort(key=lambda start: start[0])
    grouped: dict[str, list[LessonIssue]] = {}
    for issue in issues:
        section = "lesson"
        for line, name in starts:
            if line > issue.line:
                break
            section = name
        grouped.setdefault(section, []).append(issue)
    return grouped


# --- a source from a compiled lesson ------------------------------------------------------

def _occurrence(matches: list[Span], chosen: Span | None) -> int | None:
    if len(matches) < 2 or chosen is None:
        return None
    return matches.index(chosen) + 1


def _keyed(text: str, item: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """A compiled key entry back as ``phrase`` (+ ``occurrence``) and its ``fields``."""
    matches = find_all(text, item["text"])
    if "sentence" in item:
        spans = sentences(text)
        chosen = next((m for m in matches if words_in(spans, m.start, m.end)
                       == [item["sentence"]]), None)
    else:
        tokens = words(text)
        chosen = next((m for m in matches if words_in(tokens, m.start, m.end)
                       == list(item["words"])), None)
    entry: dict[str, Any] = {"phrase": one_line(item["text"])}
    occurrence = _occurrence(matches, chosen)
    if occurrence is not None:
        entry["occurrence"] = occurrence
    entry.update({name: item.get(name, "") for name in fields})
    return entry


def _entries(text: str, items: Sequence[Mapping[str, Any]] | None,
             fields: Sequence[str]) -> list[dict[str, Any]]:
    return [_keyed(text, item, fields) for item in items or []]


def source_from_content(content: Mapping[str, Any],
                        documents: Mapping[str, str]) -> dict[str, Any]:
    """Rebuild a lesson source from a compiled lesson that was stored without its file.

    The result compiles (against the same ``documents``) back to the same lesson, so
    such a version can still be exported, copied and edited.
    """
    source: dict[str, Any] = {name: content[name] for name in ("slug", "title", "summary",
                                                                "level")}
    if content.get("minutes") is not None:
        source["minutes"] = content["minutes"]
    if content.get("goals"):
        source["goals"] = list(content["goals"])
    if content.get("status", "published") != "published":
        source["status"] = content["status"]
    texts, excerpts = {}, []
    for excerpt in content["excerpts"]:
        texts[excerpt["id"]] = excerpt["text"]
        entry: dict[str, Any] = {"id": excerpt["id"], "document": excerpt["document"],
                                 "quote": stored_quote(excerpt["text"])}
        document = documents.get(excerpt["document"], "")
        matches = find_all(document, excerpt["text"], whole_words=False)
        occurrence = _occurrence(matches, next(
            (m for m in matches if m.start == excerpt["start"]), None))
        if occurrence is not None:
            entry["occurrence"] = occurrence
        excerpts.append(entry)
    source["excerpts"] = excerpts
    if content.get("examples"):  # worked examples: compiled as questions are
        source["examples"] = [_question_source(example, texts)
                              for example in content["examples"]]
    source["questions"] = [_question_source(question, texts)
                           for question in content["questions"]]
    return source


def _question_source(question: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, Any]:
    kind = question["kind"]
    entry: dict[str, Any] = {"id": question["id"], "kind": kind, "prompt": question["prompt"]}
    if kind == "compare":
        entry["options"] = [{"id": o["id"], "text": o["text"], "feedback": o["feedback"]}
                            for o in question["options"]]
        entry["sides"] = [{"excerpt": side["excerpt"], "frame": side["frame"],
                           "frame_why": side["frame_why"],
                           **{name: side[name] for name in ("also_frame", "also_why")
                              if side.get(name)},
                           "terms": _entries(texts[side["excerpt"]], side["terms"],
                                             ("neutral", "why"))}
                          for side in question["sides"]]
        entry.update({name: question[name] for name in ("about", "mark") if name in question})
        return entry
    text = texts[question["excerpt"]]
    entry["excerpt"] = question["excerpt"]
    if kind in ("verify", "omission"):
        entry.update(_check_source(question, text))
        return entry
    if "about" in question:
        entry["about"] = list(question["about"])
    if kind == "framing":
        entry["options"] = [{"id": o["id"], "text": o["text"], "correct": o["correct"],
                             "feedback": o["feedback"]} for o in question["options"]]
    lists = {"loaded_terms": (("phrases", ("neutral", "why")), ("controls", ("why",))),
             "framing": (("signals", ("why",)),),
             "sourcing": (("gaps", ("reason", "why")), ("controls", ("why",)))}[kind]
    for name, fields in lists:
        entries = _entries(text, question.get(name), fields)
        if entries or name in ("phrases", "gaps"):
            entry[name] = entries
    return entry


def _check_source(question: Mapping[str, Any], text: str) -> dict[str, Any]:
    """A compiled verify or omission question's fields back as the file writes them."""
    if question["kind"] == "omission":
        fields: dict[str, Any] = {"why": question["why"]} if question.get("why") else {}
        fields["facts"] = [{"fact": fact["ref"], "role": fact["role"], "why": fact["why"]}
                           for fact in question["facts"]]
        return fields
    claim = question["claim"]
    fields = {"claim": one_line(claim["text"])}
    matches = find_all(text, claim["text"])
    occurrence = _occurrence(matches, next((m for m in matches if m.start == claim["start"]),
                                           None))
    if occurrence is not None:
        fields["occurrence"] = occurrence
    fields.update({"verdict": question["verdict"], "why": question["why"]})
    fields["cards"] = [{"card": card["id"], **({"decides": True} if card["decides"] else {}),
                        "why": card["why"]} for card in question["cards"]]
    return fields


# --- slugs --------------------------------------------------------------------------------

def slugify(title: str, limit: int = 40) -> str:
    """Lower-case ASCII words of ``title`` joined by hyphens ("" when none are left)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:limit].rstrip("-")


def replace_slug(text: str, slug: str) -> str | None:
    """``text`` with its ``slug:`` line changed to ``slug``, everything else byte for byte.

    None when there is not exactly one simple top-level ``slug:`` line to change.
    """
    pattern = re.compile(r"^slug:[ \t]*(['\"]?)[A-Za-z0-9_-]*\1[ \t]*(#.*)?$", re.MULTILINE)
    found = list(pattern.finditer(text))
    if len(found) != 1:
        return None
    match = found[0]
    comment = f"  {match.group(2)}" if match.group(2) else ""
    return text[:match.start()] + f"slug: {slug}{comment}" + text[match.end():]
