"""How deeply a YAML text nests, estimated before any YAML parser sees it.

libyaml's scanner keeps one "possible simple key" per open flow collection and looks at
all of them for every token, so ``"[" * 60000`` costs it quadratic time (15 s), and a
recursive composer overflows the C stack on it (a segfault) or raises RecursionError.
:func:`too_deep` is a cheap, linear scan that finds such nesting first: it counts flow
brackets (``[`` and ``{`` outside quotes and comments) and block levels (indentation,
``- `` items and ``key:`` entries), and stops as soon as the count passes the limit.

The estimate never counts more levels than YAML would build from a well-formed text
(quoted text, comments and block scalars are skipped; a bracket inside a plain scalar
outside a flow collection is text), so a lesson file is never refused for nesting it
does not have. It may count fewer (indentless lists, unusual layouts): the loader in
:mod:`app.domain.yamllines` counts levels exactly again, event by event, and stops there.
"""

from __future__ import annotations

import re

# A block sequence entry or complex key: "- " / "? " (or the indicator at the line's end).
_ENTRY = re.compile(r"[-?](?:[ \t]+|$)")
# A key and its ":" on one line: quoted, or plain up to the first ": " (no backtracking:
# the lazy run stops at the first ':' followed by a space or the end of the line).
_KEY = re.compile(r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s#'"\[\]{},&*!|>%@`?-][^\n#]*?"""
                  r"""|-[^\s\n#][^\n#]*?)[ \t]*:(?:[ \t]+|$)""")
# Anchors and tags written before a value: "&name ", "!tag ", "!!str ".
_PROPERTIES = re.compile(r"(?:[&!][^ \t\n]*[ \t]+)*")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
_DOUBLE = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SINGLE = re.compile(r"'(?:[^']|'')*'", re.S)
# What matters inside a flow collection: brackets, quotes, comments, separators.
_FLOW_MARK = re.compile(r"""[\[\]{}"'#]""")


def too_deep(text: str, limit: int) -> int | None:
    """The line (1-based) where ``text`` first nests deeper than ``limit``, or None.

    Linear in the length of the text, and stops at the first line that is too deep.
    """
    scan = _Scan(text, limit)
    return scan.run()


class _Scan:
    """One pass over the text, line by line, with flow collections followed character by
    character (they may span lines)."""

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.indents: list[int] = []

    def line_at(self, position: int) -> int:
        return self.text.count("\n", 0, position) + 1

    def run(self) -> int | None:
        text, length, position = self.text, len(self.text), 0
        while position < length:
            end = text.find("\n", position)
            end = length if end == -1 else end
            line = text[position:end]
            content = line.lstrip(" ")
            if not content.strip() or content.startswith("#"):
                position = end + 1
                continue
            indent = len(line) - len(content)
            if indent == 0 and content.startswith(("---", "...")):
                self.indents.clear()
                content, indent = content[3:].lstrip(" "), 4
                if not content.strip():
                    position = end + 1
                    continue
            while self.indents and self.indents[-1] >= indent:
                self.indents.pop()
            level = len(self.indents)
            self.indents.append(indent)
            start = end - len(content)
            at, level = self._prefixes(start, end, level)
            if level > self.limit:
                return self.line_at(start)
            resume = self._value(at, end, indent, level)
            if isinstance(resume, tuple):
                return resume[0]
            position = resume
        return None

    def _prefixes(self, at: int, end: int, level: int) -> tuple[int, int]:
        """Count "- ", "? " and "key: " levels opened on one line; return where the value starts."""
        text = self.text
        while at < end:
            entry = _ENTRY.match(text, at, end)
            if entry:
                level, at = level + 1, entry.end()
                if level > self.limit:
                    break
                continue
            key = _KEY.match(text, at, end)
            if key:
                return key.end(), level + 1
            break
        return at, level

    def _value(self, at: int, end: int, indent: int, level: int) -> int | tuple[int]:
        """Skip the value starting at ``at``; return where the next line starts, or
        ``(line,)`` when a flow collection in it is too deep."""
        text = self.text
        at = _PROPERTIES.match(text, at, end).end()  # type: ignore[union-attr]
        first = text[at] if at < end else "\n"
        if first in "[{":
            return self._flow(at, level)
        if first in "\"'":
            quoted = (_DOUBLE if first == '"' else _SINGLE).match(text, at)
            if quoted is None:
                return len(text)  # unclosed: the parser reports it
            after = text.find("\n", quoted.end())
            return len(text) if after == -1 else after + 1
        if _BLOCK_SCALAR.match(text, at, end):
            return self._skip_block(end + 1, indent)
        return end + 1

    def _skip_block(self, position: int, indent: int) -> int:
        """Skip a block scalar's lines (blank, or indented more than its key)."""
        text, length = self.text, len(self.text)
        while position < length:
            end = text.find("\n", position)
            end = length if end == -1 else end
            line = text[position:end]
            if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
                return position
            position = end + 1
        return length

    def _flow(self, at: int, level: int) -> int | tuple[int]:
        """Follow a flow collection from its opening bracket to its close (it may span
        lines); return where the next line starts, or ``(line,)`` when it is too deep."""
        text, length, depth, position = self.text, len(self.text), 0, at
        while True:
            mark = _FLOW_MARK.search(text, position)
            if mark is None:
                return length
            char, where, position = mark.group(), mark.start(), mark.end()
            if char in "[{":
                depth += 1
                if level + depth > self.limit:
                    return (self.line_at(where),)
            elif char in "]}":
                depth -= 1
                if depth <= 0:
                    after = text.find("\n", position)
                    return length if after == -1 else after + 1
            elif char == "#":
                if text[where - 1] in " \t\n":  # a comment, to the end of the line
                    newline = text.find("\n", where)
                    if newline == -1:
                        return length
                    position = newline
            elif self._starts_scalar(where, at):  # a quote that opens a quoted scalar
                quoted = (_DOUBLE if char == '"' else _SINGLE).match(text, where)
                if quoted is None:
                    return length  # unclosed: the parser reports it
                position = quoted.end()

    def _starts_scalar(self, position: int, floor: int) -> bool:
        """True when the quote at ``position`` begins a scalar (after ``[``, ``{``, ``,``
        or ``:``), not an apostrophe inside a plain word like "it's"."""
        position -= 1
        while position > floor and self.text[position] in " \t\n":
            position -= 1
        return self.text[position] in "[{,:"
