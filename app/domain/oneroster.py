"""What a OneRoster CSV bundle says: its manifest, users, roles, classes and enrolments.

Pure. :func:`parse_bundle` takes the files :mod:`app.domain.oneroster_files` read and
returns a :class:`Bundle` of typed records, each with its line and its own problems, or
raises :class:`~app.domain.oneroster_files.BundleInvalid` when a file cannot be used at all
(a missing manifest, a header without a needed column).

Based on 1EdTech, *OneRoster: CSV Binding 1.2*
(https://www.imsglobal.org/spec/oneroster/v1p2/bind/csv), in our own words:

* ``manifest.csv`` has two columns, ``propertyName`` and ``value``. ``manifest.version`` is
  "1.0", ``oneroster.version`` "1.2", and each ``file.<name>`` property says how that file
  is given: "bulk" (the whole truth for that kind of record), "delta" (only changes since
  the last exchange) or "absent" (not in the bundle).
* Every data file starts with a header; records are keyed by ``sourcedId``. ``status`` and
  ``dateLastModified`` are left blank in bulk files; in delta files ``status`` is "active"
  or "tobedeleted".
* In 1.2 a person's role is no longer a column of ``users.csv``: ``roles.csv`` gives each
  user one or more roles (``roleType`` "primary" or "secondary") in an organisation. Files
  made for 1.1 still carry a ``role`` column in ``users.csv``; it is read when there is no
  ``roles.csv``.
* ``enrollments.csv`` links a user to a class with a ``role`` (student, teacher…) and a
  ``primary`` flag, which marks a class's main teacher.

Only the columns Framing Lab uses are required; other columns (``orgSourcedIds``,
``grades``, ``metadata.*`` extensions…) may be there and are not read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from app.domain.oneroster_files import (
    CLASSES,
    ENROLLMENTS,
    MANIFEST,
    ROLES,
    USERS,
    BundleInvalid,
    Files,
    Issue,
    Row,
    decode,
    read_rows,
)

BULK: Final = "bulk"
DELTA: Final = "delta"
ABSENT: Final = "absent"
MODES: Final = (BULK, DELTA, ABSENT)
MANIFEST_VERSION: Final = "1.0"
# 1.1 bundles differ only in where a user's role is given (see the module's doc).
VERSIONS: Final = ("1.2", "1.1")
DATA_FILES: Final = (USERS, ROLES, CLASSES, ENROLLMENTS)
# sourcedId columns are stored in users.sourced_id and classes.sourced_id.
MAX_SOURCED_ID: Final = 255

REQUIRED: Final = {
    USERS: ("sourcedId", "username", "givenName", "familyName"),
    ROLES: ("sourcedId", "userSourcedId", "roleType", "role"),
    CLASSES: ("sourcedId", "title"),
    ENROLLMENTS: ("sourcedId", "classSourcedId", "userSourcedId", "role"),
}


@dataclass(frozen=True, slots=True)
class Manifest:
    oneroster_version: str
    modes: dict[str, str]  # data file name → bulk, delta or absent

    def mode(self, file: str) -> str:
        return self.modes.get(file, ABSENT)


@dataclass(frozen=True, slots=True)
class Record:
    """What every data row has: where it is, its key, whether it is to be deleted."""

    line: int
    sourced_id: str
    deleted: bool
    problems: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class UserRecord(Record):
    username: str
    given_name: str
    family_name: str
    preferred_given_name: str
    preferred_family_name: str
    enabled: bool
    role: str  # the 1.1 column, lower-case; "" when the file has none


@dataclass(frozen=True, slots=True)
class RoleRecord(Record):
    user_sourced_id: str
    primary: bool  # roleType "primary" (else "secondary")
    role: str  # lower-case


@dataclass(frozen=True, slots=True)
class ClassRecord(Record):
    title: str
    class_code: str


@dataclass(frozen=True, slots=True)
class EnrollmentRecord(Record):
    class_sourced_id: str
    user_sourced_id: str
    role: str  # lower-case
    primary: bool


@dataclass(frozen=True, slots=True)
class Bundle:
    manifest: Manifest
    users: list[UserRecord] = field(default_factory=list)
    roles: list[RoleRecord] = field(default_factory=list)
    classes: list[ClassRecord] = field(default_factory=list)
    enrollments: list[EnrollmentRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def has_users_role_column(self) -> bool:
        return any(user.role for user in self.users)


# --- the manifest ------------------------------------------------------------------------


def _manifest(files: Files) -> tuple[Manifest, list[str]]:
    if MANIFEST not in files.data:
        raise BundleInvalid([Issue(MANIFEST, None, None, "The bundle has no manifest.csv. "
                                   "A OneRoster export always includes it: upload the whole "
                                   "zip (or add manifest.csv to the files).")])
    rows = read_rows(MANIFEST, decode(MANIFEST, files.data[MANIFEST]),
                     ("propertyName", "value"))
    properties: dict[str, tuple[str, int]] = {}
    issues: list[Issue] = []
    for row in rows:
        issues.extend(row.problems)
        name = row.get("propertyName")
        if name in properties:
            issues.append(Issue(MANIFEST, row.line, "propertyName", f"“{name}” is given "
                                f"twice (also on line {properties[name][1]})."))
        properties[name] = (row.get("value"), row.line)

    def value(name: str) -> tuple[str, int | None]:
        found = properties.get(name)
        return (found[0], found[1]) if found else ("", None)

    version, line = value("manifest.version")
    if version != MANIFEST_VERSION:
        issues.append(Issue(MANIFEST, line, "value", f"manifest.version must be "
                            f"“{MANIFEST_VERSION}”; it is “{version}”." if line else
                            "manifest.version is missing."))
    oneroster, line = value("oneroster.version")
    if oneroster not in VERSIONS:
        issues.append(Issue(MANIFEST, line, "value", f"oneroster.version is “{oneroster}”: "
                            "Framing Lab reads OneRoster 1.2 (and 1.1) bundles." if line else
                            "oneroster.version is missing."))
    modes: dict[str, str] = {}
    notes: list[str] = []
    for file in DATA_FILES:
        prop = "file." + file.removesuffix(".csv")
        mode, line = value(prop)
        mode = mode.lower()
        present = file in files.data
        if line is None:
            if present:
                issues.append(Issue(MANIFEST, None, None, f"The manifest does not say how "
                                    f"{file} is given: add a line “{prop}” with bulk or "
                                    "delta."))
            mode = ABSENT
        elif mode not in MODES:
            issues.append(Issue(MANIFEST, line, "value", f"{prop} must be bulk, delta or "
                                f"absent; it is “{mode}”."))
        elif mode != ABSENT and not present:
            issues.append(Issue(MANIFEST, line, "value", f"{prop} says {mode}, but the "
                                f"bundle has no {file}."))
        elif mode == ABSENT and present:
            notes.append(f"{file} was not read: manifest.csv marks it absent.")
        modes[file] = mode
    if not issues and all(modes[file] == ABSENT for file in (USERS, CLASSES, ENROLLMENTS)):
        issues.append(Issue(MANIFEST, None, None, "The manifest marks users.csv, classes.csv "
                            "and enrollments.csv all absent: there is nothing to import."))
    if issues:
        raise BundleInvalid(issues)
    return Manifest(oneroster, modes), notes


# --- the data files ----------------------------------------------------------------------


def _flag(row: Row, column: str, problems: list[Issue], file: str,
          default: bool) -> bool:
    value = row.get(column).lower()
    if not value:
        return default
    if value in ("true", "false"):
        return value == "true"
    problems.append(Issue(file, row.line, column, f"Write true or false, not “{row.get(column)}”."))
    return default


def _common(file: str, row: Row, seen: dict[str, int],
            problems: list[Issue]) -> tuple[str, bool]:
    """The row's sourcedId and whether it is to be deleted, checking both."""
    sourced_id = row.get("sourcedId")
    if not sourced_id:
        problems.append(Issue(file, row.line, "sourcedId", "The sourcedId is empty."))
    elif len(sourced_id) > MAX_SOURCED_ID:
        problems.append(Issue(file, row.line, "sourcedId", f"The sourcedId is longer than "
                                                          f"{MAX_SOURCED_ID} characters."))
    elif sourced_id in seen:
        problems.append(Issue(file, row.line, "sourcedId", f"“{sourced_id}” is already the "
                              f"sourcedId of line {seen[sourced_id]}: each must be unique."))
    else:
        seen[sourced_id] = row.line
    status = row.get("status").lower()
    if status not in ("", "active", "tobedeleted"):
        problems.append(Issue(file, row.line, "status", f"The status must be active or "
                                                       f"tobedeleted, not “{row.get('status')}”."))
    return sourced_id, status == "tobedeleted"


def _needed(file: str, row: Row, column: str, deleted: bool, problems: list[Issue]) -> str:
    value = row.get(column)
    reported = any(problem.column == column for problem in row.problems)
    if not value and not deleted and not reported:
        problems.append(Issue(file, row.line, column, f"The {column} is empty."))
    return value


def _user(row: Row, seen: dict[str, int]) -> UserRecord:
    problems = list(row.problems)
    sourced_id, deleted = _common(USERS, row, seen, problems)
    username = _needed(USERS, row, "username", deleted, problems)
    enabled = _flag(row, "enabledUser", problems, USERS, True)
    return UserRecord(
        line=row.line, sourced_id=sourced_id, deleted=deleted, problems=tuple(problems),
        username=username, given_name=row.get("givenName"),
        family_name=row.get("familyName"),
        preferred_given_name=row.get("preferredGivenName"),
        preferred_family_name=row.get("preferredFamilyName"),
        enabled=enabled, role=row.get("role").lower())


def _role(row: Row, seen: dict[str, int]) -> RoleRecord:
    problems = list(row.problems)
    sourced_id, deleted = _common(ROLES, row, seen, problems)
    role_type = row.get("roleType").lower()
    if role_type not in ("primary", "secondary"):
        problems.append(Issue(ROLES, row.line, "roleType", "The roleType must be primary or "
                              f"secondary, not “{row.get('roleType')}”."))
    user = _needed(ROLES, row, "userSourcedId", False, problems)
    role = _needed(ROLES, row, "role", False, problems).lower()
    return RoleRecord(line=row.line, sourced_id=sourced_id, deleted=deleted,
                      problems=tuple(problems), user_sourced_id=user,
                      primary=role_type == "primary", role=role)


def _class(row: Row, seen: dict[str, int]) -> ClassRecord:
    problems = list(row.problems)
    sourced_id, deleted = _common(CLASSES, row, seen, problems)
    title = _needed(CLASSES, row, "title", deleted, problems)
    return ClassRecord(line=row.line, sourced_id=sourced_id, deleted=deleted,
                       problems=tuple(problems), title=title,
                       class_code=row.get("classCode"))


def _enrollment(row: Row, seen: dict[str, int]) -> EnrollmentRecord:
    problems = list(row.problems)
    sourced_id, deleted = _common(ENROLLMENTS, row, seen, problems)
    class_id = _needed(ENROLLMENTS, row, "classSourcedId", False, problems)
    user_id = _needed(ENROLLMENTS, row, "userSourcedId", False, problems)
    role = _needed(ENROLLMENTS, row, "role", False, problems).lower()
    primary = _flag(row, "primary", problems, ENROLLMENTS, False)
    return EnrollmentRecord(line=row.line, sourced_id=sourced_id, deleted=deleted,
                            problems=tuple(problems), class_sourced_id=class_id,
                            user_sourced_id=user_id, role=role, primary=primary)


_READERS: Final[dict[str, Callable[[Row, dict[str, int]], Record]]] = {
    USERS: _user, ROLES: _role, CLASSES: _class, ENROLLMENTS: _enrollment}


def _records(files: Files, file: str) -> list:
    rows = read_rows(file, decode(file, files.data[file]), REQUIRED[file])
    seen: dict[str, int] = {}
    return [_READERS[file](row, seen) for row in rows]


def parse_bundle(files: Files) -> Bundle:
    """The bundle's records, file by file (see the module's doc)."""
    manifest, notes = _manifest(files)
    if files.ignored:
        notes.append("Not used by Framing Lab: " + ", ".join(sorted(files.ignored)) + ".")
    read = {file: _records(files, file) for file in DATA_FILES
            if manifest.mode(file) != ABSENT}
    return Bundle(manifest, users=read.get(USERS, []), roles=read.get(ROLES, []),
                  classes=read.get(CLASSES, []), enrollments=read.get(ENROLLMENTS, []),
                  notes=notes)
