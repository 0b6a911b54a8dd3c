"""The shapes a roster import works with: the app's state going in, the plan and the report
coming out. Pure data; the planning is in :mod:`app.domain.oneroster_plan`.

The state is plain data the service reads from the database, so the plan can be computed
(and tested) without one. Every planned change is keyed by ``sourcedId``: an account or a
class the plan creates is named by its ``sourcedId`` until the service has stored it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

# What happened to each record (or, in a dry run, what would).
CREATED: Final = "created"
UPDATED: Final = "updated"
UNCHANGED: Final = "unchanged"
REMOVED: Final = "removed"  # an enrolment taken off; an account disabled; a class archived
TEACHER: Final = "teacher"  # an enrolment that names its class's teacher
SKIPPED: Final = "skipped"  # valid, but not something Framing Lab imports (says why)
ERROR: Final = "error"  # a problem in the file, or a clash with an account here
OUTCOMES: Final = (CREATED, UPDATED, UNCHANGED, REMOVED, TEACHER, SKIPPED, ERROR)

ACCOUNT: Final = "account"
CLASS: Final = "class"
ENROLMENT: Final = "enrolment"
KINDS: Final = (ACCOUNT, CLASS, ENROLMENT)


# --- the state of the app, as plain data ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class LocalUser:
    id: int
    username: str
    role: str
    sourced_id: str | None
    disabled: bool
    display_name: str | None


@dataclass(frozen=True, slots=True)
class LocalClass:
    id: int
    sourced_id: str | None
    name: str
    teacher_id: int
    archived: bool


@dataclass(frozen=True, slots=True)
class LocalEnrollment:
    class_id: int
    student_id: int
    student_sourced_id: str | None
    username: str


@dataclass(frozen=True, slots=True)
class State:
    """What the plan needs to know of the app: the accounts the bundle names (by
    ``sourcedId`` or username), the classes it names and every active class of the
    teachers among those accounts, and the enrolments of the classes it names."""

    users: list[LocalUser] = field(default_factory=list)
    classes: list[LocalClass] = field(default_factory=list)
    enrollments: list[LocalEnrollment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Options:
    # Import nothing at all when any record has an error (else skip those records).
    all_or_nothing: bool = True
    # Take over an account here that has the username the roster gives and no roster id
    # yet (an account made by hand before the first import), instead of refusing.
    link_by_username: bool = False


# --- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """An account or a class: ``id`` when it is stored already, else the ``sourced_id`` of
    the one this plan creates."""

    id: int | None
    sourced_id: str


@dataclass(frozen=True, slots=True)
class NewUser:
    sourced_id: str
    username: str
    role: str
    display_name: str | None
    disabled: bool


@dataclass(frozen=True, slots=True)
class UserChange:
    id: int
    sourced_id: str  # set on the account (it already has it, unless the plan links it)
    display_name: str | None
    disabled: bool


@dataclass(frozen=True, slots=True)
class NewClass:
    sourced_id: str
    name: str
    teacher: Ref


@dataclass(frozen=True, slots=True)
class ClassChange:
    id: int
    name: str
    teacher: Ref
    archived: bool


@dataclass(frozen=True, slots=True)
class NewEnrollment:
    classroom: Ref
    student: Ref


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the report: a record of the bundle (or, for an enrolment a bulk file no
    longer lists, a record of the app) and what became of it."""

    kind: str  # ACCOUNT, CLASS or ENROLMENT
    outcome: str  # one of OUTCOMES
    file: str
    line: int | None  # None: not a line of the file (an enrolment it no longer lists)
    sourced_id: str
    label: str  # a username, a class name, "username in class"
    message: str


@dataclass(slots=True)
class Plan:
    """Every change the bundle asks for, and a report line for every record."""

    new_users: list[NewUser] = field(default_factory=list)
    user_changes: list[UserChange] = field(default_factory=list)
    new_classes: list[NewClass] = field(default_factory=list)
    class_changes: list[ClassChange] = field(default_factory=list)
    new_enrollments: list[NewEnrollment] = field(default_factory=list)
    removed_enrollments: list[tuple[int, int]] = field(default_factory=list)  # (class, student)
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    modes: dict[str, str] = field(default_factory=dict)
    options: Options = field(default_factory=Options)

    def add(self, kind: str, outcome: str, file: str, line: int | None, sourced_id: str,
            label: str, message: str) -> None:
        self.lines.append(Line(kind, outcome, file, line, sourced_id, label, message))

    def counts(self) -> Counter[tuple[str, str]]:
        """How many lines of each (kind, outcome)."""
        return Counter((line.kind, line.outcome) for line in self.lines)

    def count(self, kind: str, outcome: str) -> int:
        return sum(1 for line in self.lines if line.kind == kind and line.outcome == outcome)

    @property
    def errors(self) -> list[Line]:
        return [line for line in self.lines if line.outcome == ERROR]

    @property
    def blocked(self) -> bool:
        """Nothing may be written: the admin asked for all or nothing and there are errors."""
        return self.options.all_or_nothing and bool(self.errors)

    @property
    def changes(self) -> int:
        """How many records the import changes (created, updated or removed)."""
        return sum(1 for line in self.lines if line.outcome in (CREATED, UPDATED, REMOVED))

    def summary(self) -> str:
        """The counts in words, for the log and the command line."""
        counts = self.counts()
        parts = []
        for kind, plural, always in (
                (ACCOUNT, "accounts", (CREATED, UPDATED, UNCHANGED)),
                (CLASS, "classes", (CREATED, UPDATED, UNCHANGED)),
                (ENROLMENT, "enrolments", (CREATED, UNCHANGED))):
            numbers = ", ".join(f"{counts[kind, outcome]} {outcome}" for outcome in OUTCOMES
                                if counts[kind, outcome] or outcome in always)
            parts.append(f"{plural}: {numbers}")
        return "; ".join(parts)
