"""Reading a YAML file of the library (a lesson or a reading) and reporting its problems.

Every problem is collected with the file and the line, so an author sees them all at once;
a file with any problem is not loaded at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from app.domain import limits, yamllines
from app.domain.text import Span, closest_passage, find_all
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap, LineSeq


@dataclass(frozen=True, slots=True)
class LessonIssue:
    """One problem in a lesson file, located for the author."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LessonInvalid(ValueError):
    """A lesson file with one or more problems; nothing of it may be loaded."""

    def __init__(self, issues: list[LessonIssue]):
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


def read_yaml(text: str, path: str) -> Any:
    """Parse YAML keeping line numbers; a syntax error becomes :class:`LessonInvalid`."""
    try:
        return yamllines.load(text)
    except yamllines.YamlProblem as problem:
        raise LessonInvalid([LessonIssue(path, line, message)
                             for line, message in problem.problems]) from problem


@dataclass(slots=True)
class FileReader:
    """Collects issues while reading one file, so the author sees them all at once."""

    path: str
    issues: list[LessonIssue] = field(default_factory=list)
    failed_excerpts: set[str] = field(default_factory=set)
    # The length limit of each field, by name: a lesson's or a reading's by default, a
    # shelf card's for cards (:data:`app.domain.limits.CARD_FIELDS`).
    limits: Mapping[str, int] = field(default_factory=lambda: limits.FIELDS)

    def error(self, line: int, message: str) -> None:
        self.issues.append(LessonIssue(self.path, line, message))

    def line_of(self, node: Any, key: str | None = None) -> int:
        if isinstance(node, LineMap):
            return node.key_lines.get(key, node.line) if key else node.line
        return getattr(node, "line", 1)

    def mapping(self, node: Any, where: str, line: int, allowed: Iterable[str]) -> LineMap | None:
        if not isinstance(node, LineMap):
            self.error(line, f"{where} must be a mapping of 'field: value' lines")
            return None
        allowed = tuple(allowed)
        for key in node:
            if key not in allowed:
                hint = get_close_matches(str(key)[:40], allowed, n=1)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.error(node.key_lines.get(str(key), node.line),
                           f"unknown field '{shorten(str(key), 40)}' in {where}{suggestion}")
        return node

    def text(self, node: LineMap, key: str, where: str, *, required: bool = True,
             default: str = "", limit: int | None = None) -> str:
        if key not in node or node[key] is None:
            if required:
                self.error(node.line, f"{where} needs '{key}'")
            return default
        value = node[key]
        if isinstance(value, bool):
            self.error(self.line_of(node, key),
                       f"'{key}' in {where} must be text; YAML read it as {str(value).lower()} "
                       f"— put it in quotes")
            return default
        if isinstance(value, int | float):
            value = str(value)
        if not isinstance(value, str):
            self.error(self.line_of(node, key), f"'{key}' in {where} must be text")
            return default
        value = value.strip()
        if required and not value:
            self.error(self.line_of(node, key), f"'{key}' in {where} is empty")
        return value if self.fits(value, key, where, self.line_of(node, key),
                                  limit) else default

    def fits(self, value: str, key: str, where: str, line: int,
             limit: int | None = None) -> bool:
        """Report a text longer than its field may be (see :mod:`app.domain.limits`), so
        nothing too long for its column or the editor is ever stored. ``limit`` overrides
        the field's usual limit (a card's source title is not a card's title)."""
        limit = limit if limit is not None else self.limits.get(key)
        if limit is None or len(value) <= limit:
            return True
        self.error(line, f"'{key}' in {where} is {len(value):,} characters long; it may be "
                         f"at most {limit:,}")
        return False

    def items(self, node: LineMap, key: str, where: str, *, required: bool = True) -> list[Any]:
        value = node.get(key)
        if value is None:
            if required:
                self.error(node.line, f"{where} needs '{key}' (a list)")
            return []
        if not isinstance(value, LineSeq):
            self.error(self.line_of(node, key), f"'{key}' in {where} must be a list")
            return []
        if required and not value:
            self.error(self.line_of(node, key), f"'{key}' in {where} is empty")
        return list(zip(value, value.item_lines, strict=True))



def locate(reader: FileReader, item: LineMap, key: str, phrase: str, haystack: str, where: str,
            *, whole_words: bool = True) -> Span | None:
    """Find the one occurrence of ``phrase`` meant by ``item``, or report why not.

    ``item['occurrence']`` (1 = first) picks one of several matches; ``None`` is returned
    (and the problem reported on ``reader``) when the phrase is missing or ambiguous.
    """
    matches = find_all(haystack, phrase, whole_words=whole_words)
    line = reader.line_of(item, key)
    occurrence = item.get("occurrence")
    if not matches:
        closest = closest_passage(haystack, phrase)
        if len(phrase) >= 12 and closest.passage and closest.similarity >= 0.6:
            reader.error(line, f'"{shorten(phrase)}" is not in {where}. Closest passage: '
                               f'"{shorten(closest.passage, 160)}"; {closest.differs_at}')
        else:
            reader.error(line, f'"{shorten(phrase)}" is not in {where}, and nothing there is close')
        return None
    if occurrence is not None:
        if isinstance(occurrence, bool) or not isinstance(occurrence, int) or not (
            1 <= occurrence <= len(matches)
        ):
            reader.error(reader.line_of(item, "occurrence"),
                         f"'occurrence' must be a number from 1 to {len(matches)}: "
                         f'"{shorten(phrase)}" appears {len(matches)} time(s) in {where}')
            return None
        return matches[occurrence - 1]
    if len(matches) > 1:
        reader.error(line, f'"{shorten(phrase)}" is ambiguous: it appears {len(matches)} times in '
                           f"{where}; add 'occurrence: N' (1 = first) or quote more words")
        return None
    return matches[0]
