"""A lesson's problems as the editor shows them: in words, each in the part it concerns.

The compiler reports a problem with the line of the lesson file it is on, in the words of
the file format (``'neutral' in "gangs" is empty``). That suits the command line and the
import page, where the teacher has the file in front of them. The editor shows no file:
:func:`place` finds the field each problem sits in (the path from the top of the lesson,
such as ``("questions", 0, "phrases", 2, "neutral")``), and :func:`plain` says it in the
teacher's words, with no line number, no file name and no YAML.

Pure Python: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain import yamllines
from app.domain.checking import FACT_ROLES
from app.domain.filereader import LessonIssue

Path = tuple[str | int, ...]

# What a field of the file is called in the editor.
FIELD_NAMES = {
    "neutral": "its neutral wording", "why": "why it is keyed", "reason": "its reason",
    "feedback": "its feedback", "text": "its text", "frame": "its frame",
    "frame_why": "why it is that frame", "also_frame": "its second frame",
    "also_why": "why the second frame is defensible too", "prompt": "the prompt",
    "title": "a title",
    "summary": "a summary", "level": "a level", "excerpt": "an excerpt",
    "document": "a document", "quote": "the passage", "phrase": "the phrase",
    "id": "an id", "kind": "a kind", "claim": "the claim", "verdict": "the verdict",
    "card": "a card", "fact": "a fact", "role": "its role", "decides": "whether it decides",
}
LIST_NAMES = {
    "phrases": "Mark at least one loaded word or phrase.",
    "gaps": "Select at least one sentence with a sourcing gap.",
    "options": "Give 3 to 5 options.",
    "sides": "Choose the two excerpts to compare.",
    "terms": "Mark the term this excerpt uses.",
    "excerpts": "Add at least one excerpt.",
    "questions": "Add at least one question.",
    "cards": "Offer 3 to 6 cards from the shelf.",
    "facts": "Offer 4 to 10 facts from the shelf.",
}


@dataclass(frozen=True, slots=True)
class PlacedIssue:
    """One problem of a draft: where it is (``path``) and what to do, in words."""

    path: Path
    message: str


def locate_line(root: Any, line: int) -> Path:
    """The path of the field the file's ``line`` falls in (``()`` for the top)."""
    path: list[str | int] = []
    node = root
    while True:
        if isinstance(node, yamllines.LineMap):
            starts = [(key_line, key) for key, key_line in node.key_lines.items()
                      if key_line <= line and key in node]
        elif isinstance(node, yamllines.LineSeq):
            starts = [(item_line, index) for index, item_line in enumerate(node.item_lines)
                      if item_line <= line]
        else:
            return tuple(path)
        if not starts:
            return tuple(path)
        _, step = max(starts, key=lambda start: start[0])
        path.append(step)
        node = node[step]


def place(text: str, issues: Sequence[LessonIssue]) -> list[PlacedIssue]:
    """Each problem of the draft ``text`` with its path and in plain words; a problem that
    repeats one already placed at the same path is given once."""
    try:
        root = yamllines.load(text)
    except yamllines.YamlProblem:
        root = None
    placed: list[PlacedIssue] = []
    seen: set[tuple[Path, str]] = set()
    for issue in issues:
        path = _refine(locate_line(root, issue.line) if root is not None else (),
                       issue.message)
        claim = len(path) == 3 and path[0] == "questions" and path[2] in ("claim", "occurrence")
        message = plain(issue.message, _CLAIM_REWRITES if claim else ())
        if (path, message) not in seen:
            seen.add((path, message))
            placed.append(PlacedIssue(path, message))
    return placed


_NAMED_LIST = re.compile(r"'(phrases|controls|signals|gaps|options|sides|excerpts|questions)'")


def _refine(path: Path, message: str) -> Path:
    """A problem reported on a question's first line (its id) that names one of the
    question's lists belongs to that list; "marking everything" belongs to the controls."""
    if len(path) == 3 and path[0] == "questions" and path[2] in ("id", "kind"):
        named = _NAMED_LIST.search(message)
        if named and named.group(1) not in ("excerpts", "questions"):
            return (*path[:2], named.group(1))
        if message.startswith("marking everything"):
            return (*path[:2], "controls")
    if len(path) <= 1 and (named := _NAMED_LIST.search(message)):
        if named.group(1) in ("excerpts", "questions"):
            return (named.group(1),)
    return path


# --- plain words ---------------------------------------------------------------------------

def _quoted(name: str) -> str:
    return FIELD_NAMES.get(name, name.replace("_", " "))


def _missing(field: str, where: str) -> str:
    if where.startswith('"'):
        return f"“{where.strip(chr(34))}”: write {_quoted(field)}."
    if where.startswith("option '"):
        return f"Option {where.split(chr(39))[1]}: write {_quoted(field)}."
    if where.startswith("a side"):
        return f"Each excerpt compared needs {_quoted(field)}."
    if where == "the lesson":
        return f"The lesson needs {_quoted(field)}."
    return f"Write {_quoted(field)}."


def _field_word(name: str) -> str:
    return {"neutral": "neutral wording", "frame_why": "reason for the frame"}.get(
        name, name.replace("_", " "))


def _where(where: str) -> str:
    return where.replace("'", "").replace('"', "")


def _empty_list(match: re.Match[str]) -> str:
    return LIST_NAMES.get(match.group(1), f"The list “{match.group(1)}” is empty.")


def _everything(match: re.Match[str]) -> str:
    return (f"A student who marked every word would score {match.group(1)} of "
            f"{match.group(2)}. Mark some neutral words as controls (marking them costs), or "
            "key fewer items.")


_REWRITES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    # A verify or omission question's choices (app/domain/checking.py).
    (re.compile(r"^'verdict' in .+ is empty$"), lambda m: "Choose the verdict."),
    (re.compile(r"^'role' in .+ is empty$"), lambda m: "Choose its role."),
    (re.compile(r"^'why' in (card|fact) '.+' is empty$"),
     lambda m: f"Write why: what this {m.group(1)} has to do with it."),
    (re.compile(r"^'why' in question '.+' is empty$"),
     lambda m: "Write why: the explanation students read after answering."),
    (re.compile(r"^.+ offers (\d+) (cards|facts); offer (\d+) to (\d+)$"),
     lambda m: f"Offer {m.group(3)} to {m.group(4)} {m.group(2)} (now {m.group(1)})."),
    (re.compile(r"^.+ needs at least one card with 'decides: true'.*$"),
     lambda m: "Tick “It decides the claim” for at least one card."),
    (re.compile(r"^.+ needs at least one fact with 'role: omitted'$"),
     lambda m: f"Give at least one fact the role “{FACT_ROLES['omitted']}”."),
    (re.compile(r"^(?:.+) needs '(phrases|gaps|options|sides|terms|excerpts|questions|cards|"
                r"facts)'(?: \(a list\))?$"), _empty_list),
    (re.compile(r"^'(phrases|gaps|options|sides|terms|excerpts|questions|cards|facts)' in .+ "
                r"is empty$"), _empty_list),
    (re.compile(r"^'(\w+)' in (.+) is empty$"), lambda m: _missing(m.group(1), m.group(2))),
    (re.compile(r"^'(\w+)' in (.+) is ([\d,]+) characters long; it may be at most ([\d,]+)$"),
     lambda m: (f"The {_field_word(m.group(1))} of {_where(m.group(2))} is {m.group(3)} "
                f"characters long; keep it to {m.group(4)} or fewer.")),
    (re.compile(r"^(.+) needs '(\w+)'$"), lambda m: _missing(m.group(2), m.group(1))),
    (re.compile(r"^marking everything in question '[^']*' would score ([\d.]+) of ([\d.]+).*$"),
     _everything),
    (re.compile(r'^"(.+)" is ambiguous: it appears (\d+) times in the excerpt.*$'),
     lambda m: (f"“{m.group(1)}” appears {m.group(2)} times in the excerpt: mark it again so "
                "the editor knows which one you mean.")),
    (re.compile(r'^"(.+)" is not in the excerpt.*$'),
     lambda m: f"“{m.group(1)}” is no longer in the excerpt: mark it again, or remove it."),
    (re.compile(r"^'occurrence' must be a number from 1 to \d+: \"(.+)\" appears.*$"),
     lambda m: f"“{m.group(1)}”: mark it again on the excerpt."),
    (re.compile(r"^(.+) must have one option with 'correct: true', or two when both frames "
                r"are defensible \(it has (\d+)\)$"),
     lambda m: ("Mark the right answer among the options, or two when both frames are "
                f"defensible (now {m.group(2)}).")),
    (re.compile(r"^(?:.+) has (\d+) options; give 3 to 5$"),
     lambda m: f"Give 3 to 5 options (now {m.group(1)})."),
    (re.compile(r"^unknown field '(.+)' in .+$"),
     lambda m: (f"The lesson holds a field the editor does not know (“{m.group(1)}”): "
                "discard the draft, or import a corrected lesson file.")),
    (re.compile(r"^frame '(.+)' is not an option id \((.*)\)$"),
     lambda m: f"The frame “{m.group(1)}” is not one of the options: choose one of them."),
)
# Left-over file words, for any message the table does not know.
_FILE_WORDS = (
    (re.compile(r"add 'occurrence: N' \(1 = first\)"), "mark it again"),
    (re.compile(r"'correct: true'"), "marked as the right answer"),
    (re.compile(r"a mapping of 'field: value' lines"), "not in a form the editor can read"),
    (re.compile(r"\bYAML\b"), "the lesson"),
)


# A verify question's claim is typed, not marked: what to do about it says so.
_CLAIM_REWRITES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r'^"(.+)" is not in the excerpt\. Closest passage: "(.+)"; (.+)$', re.S),
     lambda m: (f"“{m.group(1)}” is not in the excerpt: the claim must be its words, exactly "
                f"as they stand. Closest passage: “{m.group(2)}”; {m.group(3)}.")),
    (re.compile(r'^"(.+)" is not in the excerpt, and nothing there is close$', re.S),
     lambda m: (f"“{m.group(1)}” is not in the excerpt, and nothing there is close: the "
                "claim must be words of the excerpt, exactly as they stand.")),
    (re.compile(r'^"(.+)" is ambiguous: it appears (\d+) times in the excerpt.*$', re.S),
     lambda m: (f"“{m.group(1)}” appears {m.group(2)} times in the excerpt: say which one "
                "under “Which time it appears”, or type more of its words.")),
    (re.compile(r"^'occurrence' must be a number from 1 to (\d+): .*$", re.S),
     lambda m: f"“Which time it appears” must be a number from 1 to {m.group(1)}."),
)


def plain(message: str, first: Sequence[tuple[re.Pattern[str],
                                              Callable[[re.Match[str]], str]]] = ()) -> str:
    """A compiler message in the editor's words: no YAML, no file fields, no line
    (``first``: rewrites tried before the general ones, for the field it is in)."""
    for pattern, rewrite in (*first, *_REWRITES):
        match = pattern.match(message)
        if match:
            return rewrite(match)
    text = message
    for pattern, replacement in _FILE_WORDS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"'([^'\n]{1,60})'", r"“\1”", text)
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


# --- which part of a page a problem belongs to --------------------------------------------

KEY_LIST_FIELDS = ("phrases", "controls", "signals", "gaps")
# The fields of a verify or omission question and the part of its page each is in (a
# question-level "why" belongs only to these two kinds).
CHECK_PARTS = {"claim": "claim", "occurrence": "claim", "verdict": "verdict",
               "why": "check-why", "cards": "cards", "facts": "facts"}


def question_part(path: Path) -> tuple[str, int | None]:
    """The part of the question page a problem at ``path`` (inside one question) concerns:
    ``(part, row)`` where part is ``settings``, ``options``, ``sides``, ``reading-key``,
    a key list's name (``phrases``, ``terms-1``...) or a part of a verify or omission
    question (:data:`CHECK_PARTS`), and row the entry in that list."""
    head = path[0] if path else None
    row = path[1] if len(path) > 1 and isinstance(path[1], int) else None
    if head in KEY_LIST_FIELDS:
        return str(head), row
    if head == "options":
        return "options", None
    if head == "sides":
        side = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        if side is not None and len(path) > 2 and path[2] == "terms":
            term = path[3] if len(path) > 3 and isinstance(path[3], int) else None
            return f"terms-{side}", term
        return "sides", None
    if head in ("about", "mark"):
        return "reading-key", None
    if head in CHECK_PARTS:
        return CHECK_PARTS[str(head)], row if head in ("cards", "facts") else None
    return "settings", None


def lesson_part(path: Path) -> tuple[str, int | None]:
    """The part of the lesson editor a problem at ``path`` concerns: ``("details", None)``,
    ``("excerpts", n)`` / ``("questions", n)`` (n None for the list as a whole)."""
    if path and path[0] in ("excerpts", "questions"):
        number = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        return str(path[0]), number
    return "details", None
