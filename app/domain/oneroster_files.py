"""Reading the files of a OneRoster CSV bundle, within fixed bounds.

Pure (no Flask, no database): bytes in, text and CSV rows out. A OneRoster 1.2 roster is
a zip of CSV files with a ``manifest.csv`` at its top level (1EdTech, *OneRoster: CSV
Binding 1.2*, https://www.imsglobal.org/spec/oneroster/v1p2/bind/csv, sections 2 and 3).
Such a file comes from another system, so nothing in it is trusted:

* the zip: at most :data:`MAX_MEMBERS` entries, no folders and no paths that climb out
  (``../``), no encrypted entries; only the files Framing Lab reads are decompressed, each
  read in chunks that stop at :data:`MAX_FILE_BYTES` whatever size its header claims, and
  all of them together at :data:`MAX_TOTAL_BYTES` (a "zip bomb" stops there);
* the CSV files: UTF-8, with or without a byte-order mark, as the binding requires; read by
  the ``csv`` module in strict mode (its default field limit of 128 KiB bounds a single
  cell while it is read), then every cell is held to :data:`MAX_CELL` characters, every
  file to :data:`MAX_ROWS` rows, and no cell may hold a control character.

A problem with a file as a whole raises :class:`BundleInvalid` (or :class:`BundleTooLarge`
for the size limits, answered with 413), carrying :class:`Issue` objects that name the
file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Final

from app.domain.textinput import first_forbidden

# The files Framing Lab reads; every other file of a bundle (orgs.csv, courses.csv,
# academicSessions.csv…) is listed as not used and never decompressed.
MANIFEST: Final = "manifest.csv"
USERS: Final = "users.csv"
ROLES: Final = "roles.csv"
CLASSES: Final = "classes.csv"
ENROLLMENTS: Final = "enrollments.csv"
READ: Final = (MANIFEST, USERS, ROLES, CLASSES, ENROLLMENTS)

# A school's roster: a few thousand people, a few hundred classes, some ten enrolments each.
MAX_BUNDLE_BYTES: Final = 16 * 1024 * 1024  # the zip (or the CSV files) as sent
MAX_MEMBERS: Final = 64  # the binding defines about twenty files
MAX_FILE_BYTES: Final = 16 * 1024 * 1024  # one CSV file, uncompressed
MAX_TOTAL_BYTES: Final = 32 * 1024 * 1024  # every file read, uncompressed
MAX_ROWS: Final = 20_000  # data rows per file
MAX_CELL: Final = 1_000  # characters per cell
_CHUNK: Final = 64 * 1024
# What a damaged or hostile zip raises while it is opened or unpacked.
_BROKEN: Final = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
                  EOFError, OSError, ValueError, OverflowError)
# Files a Mac adds to a zip it makes ("__MACOSX/._users.csv"): skipped, not refused.
_MAC_FOLDER: Final = "__MACOSX/"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, placed for the person who will fix the file."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


class BundleInvalid(ValueError):
    """The bundle cannot be read at all; nothing of it may be imported."""

    status = 400

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


class BundleTooLarge(BundleInvalid):
    """Over one of the size limits (413)."""

    status = 413


def _fail(file: str, message: str, line: int | None = None, column: str | None = None,
          *, too_large: bool = False) -> BundleInvalid:
    issue = [Issue(file, line, column, message)]
    return BundleTooLarge(issue) if too_large else BundleInvalid(issue)


def _mib(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size / (1024 * 1024):.0f} MiB"


@dataclass(slots=True)
class Files:
    """The raw bytes of the files Framing Lab reads, by their binding name, and the names
    of the other files found (not read)."""

    data: dict[str, bytes] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def _known_name(name: str) -> str | None:
    """The binding's name for ``name`` if Framing Lab reads that file (case ignored: a
    file saved as ``Users.csv`` is still the users file)."""
    lowered = name.lower()
    return next((known for known in READ if known == lowered), None)


def _check_member_name(name: str) -> None:
    if name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/"):
        raise _fail(name, "This path is not allowed in a roster zip (it points outside "
                          "the zip or uses backslashes).")
    if "/" in name.rstrip("/"):
        raise _fail(name, "The CSV files must be at the top level of the zip, not in a "
                          "folder. Zip the files themselves, not the folder that holds "
                          "them.")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, read in chunks and stopped at the limits (a header may lie
    about the size)."""
    limit = min(MAX_FILE_BYTES, budget)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_big(info.filename, size > MAX_FILE_BYTES)
                chunks.append(chunk)
    except BundleInvalid:
        raise
    except _BROKEN as error:
        raise _fail(info.filename, f"This file in the zip cannot be unpacked ({error}). "
                                   "Make the zip again.") from error
    return b"".join(chunks)


def _too_big(name: str, one_file: bool) -> BundleTooLarge:
    if one_file:
        return BundleTooLarge([Issue(name, None, None, f"Unpacked, this file is larger "
                                     f"than {_mib(MAX_FILE_BYTES)}, the most one roster "
                                     "file may be.")])
    return BundleTooLarge([Issue(name, None, None, "Unpacked, the roster files are larger "
                                 f"than {_mib(MAX_TOTAL_BYTES)} together, the most one "
                                 "import may be. Import one school at a time.")])


def files_from_zip(data: bytes, zip_name: str = "the zip") -> Files:
    """The roster files inside a zip (see the module's bounds)."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise _fail(zip_name, f"The zip is larger than {_mib(MAX_BUNDLE_BYTES)}.",
                    too_large=True)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN as error:
        raise _fail(zip_name, "This is not a zip file that can be opened. Upload the "
                              "roster zip as your school's system made it, or the CSV "
                              "files themselves.") from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _fail(zip_name, f"The zip holds {len(members)} entries; a OneRoster "
                                  f"bundle has at most {MAX_MEMBERS}.", too_large=True)
        files = Files()
        seen: set[str] = set()
        budget = MAX_TOTAL_BYTES
        for info in members:
            name = info.filename
            if name.startswith(_MAC_FOLDER):
                continue
            _check_member_name(name)
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise _fail(name, "This file in the zip is encrypted; upload a zip without "
                                  "a password.")
            known = _known_name(name)
            if known is None:
                files.ignored.append(name)
                continue
            if known in seen:
                raise _fail(name, f"The zip holds {known} twice.")
            seen.add(known)
            if info.file_size > MAX_FILE_BYTES:
                raise _too_big(name, True)
            content = _read_member(archive, info, budget)
            budget -= len(content)
            files.data[known] = content
    return files


def files_from_mapping(named: Mapping[str, bytes]) -> Files:
    """The roster files given one by one (uploaded separately, or read from a folder)."""
    files = Files()
    total = 0
    for name, content in named.items():
        known = _known_name(name.rsplit("/", 1)[-1])
        if known is None:
            files.ignored.append(name)
            continue
        if known in files.data:
            raise _fail(name, f"{known} was given twice.")
        if len(content) > MAX_FILE_BYTES:
            raise _too_big(name, True)
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise _too_big(name, False)
        files.data[known] = content
    return files


def decode(file: str, data: bytes) -> str:
    """A CSV file's text: UTF-8, a leading byte-order mark dropped (the binding asks for
    UTF-8; spreadsheets often add the mark)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise _fail(file, "This file is not UTF-8 text, as OneRoster files must be. Save "
                          "it again as “CSV UTF-8”.", line) from error


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of a CSV file: its first line in the file, and its cells by column
    (a column the file lacks reads as empty). ``problems`` are the row's own."""

    line: int
    cells: dict[str, str]
    problems: tuple[Issue, ...] = ()

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def _check_header(file: str, header: list[str], required: Iterable[str]) -> list[str]:
    names = [cell.strip() for cell in header]
    issues: list[Issue] = []
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            issues.append(Issue(file, 1, name, "This column appears twice in the header."))
        seen.add(name)
    for column in required:
        if column in seen:
            continue
        near = get_close_matches(column, [name for name in names if name], n=1, cutoff=0.75)
        hint = (f" The header has “{near[0]}”: column names are case-sensitive, write it "
                f"“{column}”." if near else "")
        issues.append(Issue(file, 1, column, f"The header has no “{column}” column, which "
                                             f"Framing Lab needs.{hint}"))
    if issues:
        raise BundleInvalid(issues)
    return names


def _cell_problem(file: str, line: int, column: str, value: str) -> Issue | None:
    if len(value) > MAX_CELL:
        return Issue(file, line, column, f"This value is {len(value):,} characters long; "
                                         f"at most {MAX_CELL:,} are read.")
    found = first_forbidden(value, multiline=False)
    if found is not None:
        return Issue(file, line, column, f"This value contains {found.describe()} at "
                                         f"position {found.position}.")
    return None


def read_rows(file: str, text: str, required: Iterable[str]) -> list[Row]:
    """The data rows of a CSV file whose header must name every ``required`` column.

    Blank lines are skipped. A row with more or fewer cells than the header, or a cell
    that is too long or holds a control character, comes back with its problems (the
    rest of the file is still read); a broken quote or too many rows raises.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise _fail(file, "The file is empty: it needs at least its header line.", 1)
        names = _check_header(file, header, required)
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _fail(file, f"The file has more than {MAX_ROWS:,} rows, the most "
                                  "one import reads. Import one school at a time.", line,
                            too_large=True)
            rows.append(_row(file, line, names, cells))
    except csv.Error as error:
        raise _fail(file, f"This line cannot be read as CSV ({error}). Check its quotes.",
                    reader.line_num or 1) from error
    return rows


def _row(file: str, line: int, names: list[str], cells: list[str]) -> Row:
    problems: list[Issue] = []
    if len(cells) != len(names):
        problems.append(Issue(file, line, None, f"This row has {len(cells)} values; the "
                                                f"header has {len(names)} columns."))
    values: dict[str, str] = {}
    for name, value in zip(names, cells, strict=False):
        value = value.strip()
        problem = _cell_problem(file, line, name, value)
        if problem is not None:
            problems.append(problem)
            value = ""
        values[name] = value
    return Row(line, values, tuple(problems))
