"""What text a visitor may send: the one rule every form field, path and query value follows.

PostgreSQL cannot store NUL in a text column (a NUL reached it as a server error, and the
teacher's text was lost), and no other control character belongs in a title, a name or an
article either: they are invisible, break exports and terminals, and come only from
tampering or a bad paste. So every text input is checked here, before anything is stored,
and a refusal names the character and where it is, so the person can fix their text.

Multi-line text (a pasted article, a summary) may hold tabs and line breaks; single-line
text (a title, a username) may not. Lone surrogates cannot be encoded as UTF-8 at all
(neither stored nor sent back in a page): they are refused too, and :func:`displayable`
makes a refused text safe to show again.

Also here: :func:`parse_id`, the bound on ids read from forms and query strings, the same
bound the URL converter puts on ids in paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# Tab, line feed, carriage return: what a textarea legitimately sends.
MULTILINE_WHITESPACE: Final = "\t\n\r"
# C0 controls, DEL, C1 controls and lone surrogates.
_FORBIDDEN: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_FORBIDDEN_MULTILINE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATES: Final = re.compile(r"[\ud800-\udfff]")
# Names people may recognise; the code point is always given as well.
_NAMES: Final = {0x00: "NUL", 0x09: "tab", 0x0A: "line break", 0x0D: "carriage return",
                 0x1B: "escape", 0x7F: "delete"}

# The largest id an INTEGER primary key holds (PostgreSQL's is 32-bit; SQLite's is wider,
# but an id that PostgreSQL could not hold exists on neither).
MAX_DATABASE_ID: Final = 2**31 - 1
_ID: Final = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True, slots=True)
class Forbidden:
    """The first character a text may not hold, and where it is (1-based)."""

    char: str
    position: int
    line: int
    column: int

    @property
    def code_point(self) -> str:
        """``U+0000`` style."""
        return f"U+{ord(self.char):04X}"

    def describe(self) -> str:
        """What the character is, in words: "a control character (U+0000, NUL)"."""
        if _SURROGATES.fullmatch(self.char):
            return f"an unpaired surrogate ({self.code_point}), which is not text"
        name = _NAMES.get(ord(self.char))
        return f"a control character ({self.code_point}{', ' + name if name else ''})"


def first_forbidden(text: str, *, multiline: bool) -> Forbidden | None:
    """The first character of ``text`` the rule refuses, or None when it is all allowed.

    Refused everywhere: C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls
    (U+0080–U+009F) and lone surrogates (U+D800–U+DFFF). ``multiline`` text may also hold
    tab, line feed and carriage return.
    """
    found = (_FORBIDDEN_MULTILINE if multiline else _FORBIDDEN).search(text)
    if found is None:
        return None
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Forbidden(found.group(), start + 1, line, column)


def control_character_problem(text: str, *, multiline: bool) -> str | None:
    """The message for a refused ``text``, or None when the rule accepts it.

    For example "This contains a control character (U+0000, NUL) at position 4. Remove
    it and try again." A multi-line text also gets the line and column.
    """
    found = first_forbidden(text, multiline=multiline)
    if found is None:
        return None
    where = f"at position {found.position}"
    if multiline and "\n" in text:
        where += f" (line {found.line}, column {found.column})"
    return f"This contains {found.describe()} {where}. Remove it and try again."


def shorten(text: str, limit: int = 80) -> str:
    """``text`` on one line (runs of white space folded) and cut to ``limit`` characters
    with an ellipsis, for quoting what someone wrote inside a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def displayable(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, so a refused text can be shown again
    (a page cannot be encoded as UTF-8 with them); everything else is kept as it is."""
    return _SURROGATES.sub("\ufffd", text)


def parse_id(raw: object) -> int | None:
    """The id ``raw`` names, or None when it cannot be the id of any row.

    An id is written with 1 to 10 ASCII digits (no sign, space, underscore or other
    script's digits, all of which ``int()`` would accept) and lies from 1 to
    :data:`MAX_DATABASE_ID`. An ``int`` is accepted within the same range.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _ID.fullmatch(raw):
        value = int(raw)
    else:
        return None
    return value if 1 <= value <= MAX_DATABASE_ID else None


def database_id(raw: object) -> int:
    """:func:`parse_id` for converters: raises :class:`ValueError` instead of returning None.

    Fits WTForms' ``coerce=database_id`` (a refused value is a field error); query strings
    use ``app.urlinput.query_id`` (a refused value is a 404, as in a path).
    """
    value = parse_id(raw)
    if value is None:
        raise ValueError(f"not a database id: {str(raw)[:20]!r}")
    return value
