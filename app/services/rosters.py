"""Importing a class roster: create the missing student accounts, enrol everyone.

One transaction: either every account and enrolment of the import is stored, or (a
name taken by a sign-up at the same moment, say) none is. New accounts get a temporary
password they must change at their first login; the passwords are returned to be shown
once and are never stored in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain.rosters import Roster
from app.domain.temporary_passwords import new_temporary_password
from app.extensions import db
from app.models import Classroom, Enrollment, User
from app.services import audit
from app.services.classes import ClassProblem, ensure_active

CREATED: Final = "created"
ENROLLED: Final = "enrolled"
ALREADY: Final = "already"
REFUSED: Final = "refused"


@dataclass(frozen=True, slots=True)
class ImportedLine:
    """What the import did with one line of the roster."""

    line: int
    typed: str
    username: str | None
    outcome: str  # CREATED, ENROLLED, ALREADY or REFUSED
    message: str
    password: str | None = None  # for a new account only: shown once


@dataclass(frozen=True, slots=True)
class RosterReport:
    lines: list[ImportedLine]
    notes: list[str]

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def passwords(self) -> list[ImportedLine]:
        return [line for line in self.lines if line.password is not None]


def _line(outcome: str, line: int, typed: str, username: str | None, message: str,
          password: str | None = None) -> ImportedLine:
    return ImportedLine(line, typed, username, outcome, message, password)


def import_roster(teacher: User, classroom: Classroom, roster: Roster) -> RosterReport:
    """Create and enrol the roster's students in ``classroom``; commits as one unit.

    Existing student accounts are enrolled (or reported as already in the class); names
    of teacher and admin accounts are refused (class lists hold students). Raises
    :class:`ClassProblem`: 409 for an archived class, or when another request took one of
    the names meanwhile (nothing is stored; importing again works).
    """
    ensure_active(classroom)
    wanted = roster.usernames
    existing = {user.username: user for user in db.session.scalars(
        sa.select(User).where(User.username.in_(wanted)))} if wanted else {}
    members = set(db.session.scalars(sa.select(Enrollment.student_id).where(
        Enrollment.classroom_id == classroom.id,
        Enrollment.student_id.in_([user.id for user in existing.values()]))))
    try:
        report = _apply(teacher, classroom, roster, existing, members)
        db.session.commit()
    except IntegrityError as error:  # a name taken, or the class joined, meanwhile
        db.session.rollback()
        raise ClassProblem("Someone created one of these accounts or joined the class "
                           "while the list was being imported, so nothing was imported. "
                           "Import the list again.", 409) from error
    return report


def _apply(teacher: User, classroom: Classroom, roster: Roster, existing: dict[str, User],
           members: set[int]) -> RosterReport:
    """Add the accounts and enrolments of the import to the session (flushed, not
    committed), and the log entries; returns what each line became."""
    lines: list[ImportedLine] = []
    for entry in roster.lines:
        name = entry.username
        if name is None:
            lines.append(_line(REFUSED, entry.line, entry.typed, None, entry.problem or ""))
            continue
        user = existing.get(name)
        if user is None:
            password = new_temporary_password(name)
            user = User(username=name, role="student", must_change_password=True)
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
            db.session.add(Enrollment(classroom_id=classroom.id, student_id=user.id))
            audit.record(teacher, "account_created", target=user, classroom=classroom,
                         detail="by a roster import")
            lines.append(_line(CREATED, entry.line, entry.typed, name,
                               "New account, added to the class.", password))
        elif not user.has_role("student"):
            lines.append(_line(REFUSED, entry.line, entry.typed, name,
                               f"{name} is a {user.role}'s account: class lists hold "
                               "students only. Nothing was changed."))
        elif user.id in members:
            lines.append(_line(ALREADY, entry.line, entry.typed, name,
                               "Already in this class: nothing to do."))
        else:
            db.session.add(Enrollment(classroom_id=classroom.id, student_id=user.id))
            note = " The account is disabled: ask an admin to re-enable it." \
                if user.disabled else ""
            lines.append(_line(ENROLLED, entry.line, entry.typed, name,
                               "Existing account, added to the class. Their password "
                               "is unchanged." + note))
    report = RosterReport(lines, roster.notes)
    audit.record(teacher, "roster_imported", classroom=classroom,
                 detail=f"{report.count(CREATED)} created, {report.count(ENROLLED)} added, "
                        f"{report.count(ALREADY)} already in the class, "
                        f"{report.count(REFUSED)} refused")
    return report
