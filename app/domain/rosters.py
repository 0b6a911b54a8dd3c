"""Reading a class roster: the usernames a teacher pasted or uploaded as a CSV file.

Pure: :func:`decode_roster` turns the file's bytes into text (UTF-8 with or without a
byte-order mark, else Windows-1252 as older spreadsheets save it), and
:func:`parse_roster` reads the text: one username per line, or a table with a
`username` column, separated by commas, semicolons (spreadsheets in much of Europe) or
tabs, with or without quotes. Every line with something on it gets a :class:`RosterLine`
saying which username it names or why it names none, so the teacher sees a verdict for
each line of their file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Final

from app.domain.usernames import normalise_username, username_problem

# A class list, or a few classes: argon2 makes each new account cost tens of milliseconds.
MAX_ROSTER_LINES: Final = 200
# Two hundred usernames with a few columns each fit easily.
MAX_ROSTER_BYTES: Final = 64 * 1024
SEPARATORS: Final = (",", ";", "\t")
USERNAME_HEADINGS: Final = frozenset({"username", "user name", "user", "login", "user id",
                                      "userid", "login name"})
# Headings a spreadsheet of students has: a first line made of these is not a student.
OTHER_HEADINGS: Final = frozenset({"name", "display name", "first name", "last name",
                                   "full name", "surname", "given name", "email", "e-mail",
                                   "student", "class", "group", "password", "id"})


class RosterProblem(ValueError):
    """The roster as a whole cannot be read (too long, no username column); ``str()`` says
    why, for the teacher."""


@dataclass(frozen=True, slots=True)
class RosterLine:
    """One non-blank line of the roster: the username it names, or why it names none."""

    line: int  # 1-based, as an editor or spreadsheet numbers it
    typed: str  # the cell as it was written (trimmed)
    username: str | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Roster:
    """What a roster file says: a verdict per line, and notes about the file as a whole."""

    lines: list[RosterLine]
    notes: list[str] = field(default_factory=list)

    @property
    def usernames(self) -> list[str]:
        """The usernames to act on, in file order, each once."""
        return [line.username for line in self.lines if line.username is not None]

    @property
    def refused(self) -> list[RosterLine]:
        return [line for line in self.lines if line.username is None]


def decode_roster(data: bytes) -> str:
    """The text of an uploaded roster: UTF-8 (a byte-order mark is dropped), or, for a file
    that is not UTF-8, Windows-1252, which older spreadsheets use and which decodes any
    byte (a wrongly decoded name is then reported as not a valid username)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_separator(first_line: str) -> str:
    """The separator of a table whose first line is ``first_line``: the most frequent of
    comma, semicolon and tab outside quotes (a comma when there is none)."""
    outside = first_line.split('"')[::2]  # the parts between pairs of quotes
    counts = {sep: sum(part.count(sep) for part in outside) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _heading(cell: str) -> str:
    return " ".join(cell.strip().lower().replace("_", " ").split())


def _username_column(cells: list[str]) -> int | None:
    """The username column if ``cells`` is a heading line; raises for a heading line
    without one; None if the line is not headings (it is a student's row)."""
    headings = [_heading(cell) for cell in cells]
    for index, heading in enumerate(headings):
        if heading in USERNAME_HEADINGS:
            return index
    if any(heading in OTHER_HEADINGS for heading in headings if heading):
        raise RosterProblem(
            "The first line looks like column headings, but none of them is “username”. "
            "Name the column of usernames “username”, or paste one username per line.")
    return None


def _verdict(number: int, typed: str, seen: dict[str, int]) -> RosterLine:
    username = normalise_username(typed)
    problem = username_problem(username)
    if problem is not None:
        return RosterLine(number, typed, None, f"Not a valid username. {problem}")
    if username in seen:
        return RosterLine(number, typed, None,
                          f"Listed again: {username} is already on line {seen[username]}.")
    seen[username] = number
    return RosterLine(number, typed, username)


def parse_roster(text: str, max_lines: int = MAX_ROSTER_LINES) -> Roster:
    """Read a roster: a verdict for every non-blank line, and notes about ignored columns.

    Usernames are compared and returned lower-case (as accounts store them); a name
    listed twice is reported on its second line. Raises :class:`RosterProblem` for more
    than ``max_lines`` lines with something on them, or a heading line without a
    username column.
    """
    text = text.lstrip("\ufeff")
    numbered = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                if line.strip(" \t,;\"")]
    if len(numbered) > max_lines:
        raise RosterProblem(f"That roster has {len(numbered)} lines: at most {max_lines} "
                            "can be imported at once. Split it into smaller lists.")
    if not numbered:
        return Roster([])
    separator = detect_separator(numbered[0][1])
    # Line by line: a quote left open ends with its line instead of swallowing the rest.
    rows = [(number, [cell.strip() for cell in next(csv.reader([line], delimiter=separator))])
            for number, line in numbered]
    notes: list[str] = []
    column = _username_column(rows[0][1])
    if column is not None:
        header = rows.pop(0)[1]
        if len([cell for cell in header if cell]) > 1:
            notes.append(f"Only the “{header[column]}” column was read; the other columns "
                         "(display names, e-mail addresses…) are not stored by Framing Lab "
                         "and were ignored.")
    else:
        column = 0
        if any(len([cell for cell in cells if cell]) > 1 for _, cells in rows):
            notes.append("Only the first column was read, as usernames; the other columns "
                         "(display names, e-mail addresses…) are not stored by Framing Lab "
                         "and were ignored.")
    seen: dict[str, int] = {}
    lines = []
    for number, cells in rows:
        typed = cells[column] if column < len(cells) else ""
        if not typed:
            lines.append(RosterLine(number, "", None, "No username in this line."))
        else:
            lines.append(_verdict(number, typed, seen))
    return Roster(lines, notes)
