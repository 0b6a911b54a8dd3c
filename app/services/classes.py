"""Classes, join codes and rosters: every change here commits or rolls back as a unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain import joincodes
from app.extensions import db
from app.models import Classroom, Enrollment, User
from app.services import locking

# A clash of two random 8-character codes is about one in 10^12; a few retries make a
# failure practically impossible while still ending if something else is wrong.
CODE_ATTEMPTS = 5


class ClassProblem(Exception):
    """A change to a class that cannot be made; ``str()`` is the message for the teacher."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


ARCHIVED_READ_ONLY = "This class is archived, so it is read-only. Unarchive it to change it."


def ensure_active(classroom: Classroom) -> None:
    """Refuse changes to an archived class (409): it is kept for the record only."""
    if classroom.archived:
        raise ClassProblem(ARCHIVED_READ_ONLY, 409)


def classes_with_counts(teacher_id: int) -> list[tuple[Classroom, int]]:
    """The teacher's classes with their number of students, active ones first, by name."""
    rows = db.session.execute(
        sa.select(Classroom, sa.func.count(Enrollment.id))
        .outerjoin(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(Classroom.teacher_id == teacher_id)
        .group_by(Classroom.id)
        .order_by(Classroom.archived, Classroom.name, Classroom.id))
    return [(classroom, count) for classroom, count in rows]


def _name_clash(name: str) -> ClassProblem:
    return ClassProblem(f"You already have an active class called “{name}”. "
                        "Choose another name, or archive the other class first.")


def _name_is_taken(teacher_id: int, name: str, except_id: int | None = None) -> bool:
    return db.session.scalar(sa.select(Classroom.id).where(
        Classroom.teacher_id == teacher_id,
        Classroom.archived.is_(False),
        # lower() in SQL on both sides, as the index has it (SQLite folds only ASCII).
        sa.func.lower(Classroom.name) == sa.func.lower(name),
        Classroom.id != (except_id or 0))) is not None


def _check_name_free(teacher_id: int, name: str, *, except_id: int | None = None) -> None:
    """Tell the teacher early; the partial unique index on (teacher_id, lower(name)) of
    active classes is the real guard (two requests at once both pass this check)."""
    if _name_is_taken(teacher_id, name, except_id):
        raise _name_clash(name)


def _commit_name(name: str) -> None:
    """Commit a change that sets an active class's name; a clash is the teacher's message."""
    try:
        locking.commit("class")
    except IntegrityError as error:  # rolled back already
        raise _name_clash(name) from error


def _commit_with_fresh_code(apply: Callable[[str], Classroom],
                            check_name: Callable[[], None] = lambda: None) -> Classroom:
    """Run ``apply(code)`` and commit, retrying with a new code if the code was taken.

    The unique constraint on ``join_code`` is the real guard: two teachers drawing the same
    code at the same moment cannot both commit it. ``apply`` is called again after each
    rollback, because a rollback expires the objects it changed. The other unique rule a
    new class can break is its name: after a refused commit ``check_name`` raises
    :class:`ClassProblem` if that was it, and nothing is retried.
    """
    for _ in range(CODE_ATTEMPTS):
        classroom = apply(joincodes.new_code())
        try:
            locking.commit("class")
        except IntegrityError:  # rolled back already
            check_name()
            continue
        return classroom
    raise ClassProblem("Could not find a free join code. Please try again.", 503)


def create_class(teacher: User, name: str, timezone: str | None = None) -> Classroom:
    """A new class for ``teacher`` with a fresh join code, in ``timezone`` (an IANA name
    already checked; None: the site's default zone).

    Refuses (400) a name the teacher already uses for an active class (case-insensitive),
    also when another request creates it at the same moment (the database refuses it).
    """
    teacher_id = teacher.id
    _check_name_free(teacher_id, name)

    def apply(code: str) -> Classroom:
        classroom = Classroom(teacher_id=teacher_id, name=name, join_code=code,
                              timezone=timezone)
        db.session.add(classroom)
        return classroom

    def check_name() -> None:  # after a refused commit: was it the name?
        if _name_is_taken(teacher_id, name):
            raise _name_clash(name)

    return _commit_with_fresh_code(apply, check_name)


def rename_class(classroom: Classroom, name: str) -> None:
    """Rename an active class; the same name rules as :func:`create_class`."""
    ensure_active(classroom)
    _check_name_free(classroom.teacher_id, name, except_id=classroom.id)
    classroom.name = name
    _commit_name(name)


def set_archived(classroom: Classroom, archived: bool) -> None:
    """Archive (read-only, closed to students) or bring back a class.

    Bringing a class back is refused when another active class has its name, so the
    one-active-name rule holds.
    """
    if archived == classroom.archived:
        return
    name = classroom.name
    if not archived:
        _check_name_free(classroom.teacher_id, name, except_id=classroom.id)
    classroom.archived = archived
    _commit_name(name)


def regenerate_code(classroom: Classroom) -> Classroom:
    """Give an active class a new join code; the old one stops working at once."""
    ensure_active(classroom)
    class_id = classroom.id

    def apply(code: str) -> Classroom:
        fresh = db.session.get(Classroom, class_id)  # after a rollback: read it again
        assert fresh is not None
        fresh.join_code = code
        return fresh

    return _commit_with_fresh_code(apply)


@dataclass(frozen=True, slots=True)
class Member:
    """A student on a class roster."""

    student: User
    joined_at: datetime


def roster(classroom: Classroom) -> list[Member]:
    """The students of ``classroom`` by username, with the date each joined."""
    rows = db.session.execute(
        sa.select(User, Enrollment.joined_at)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(User.username))
    return [Member(student, joined_at) for student, joined_at in rows]


def remove_student(classroom: Classroom, student_id: int) -> User:
    """Take a student off the roster (404 if not on it); their attempts are kept.

    Without the enrollment they lose access to the class's assignments at once.
    """
    ensure_active(classroom)
    enrollment = db.session.scalar(sa.select(Enrollment).where(
        Enrollment.classroom_id == classroom.id, Enrollment.student_id == student_id))
    if enrollment is None:
        raise ClassProblem("That student is not in this class.", 404)
    student = enrollment.student
    db.session.delete(enrollment)
    db.session.commit()
    return student


NO_SUCH_CODE = "No class has that code. Check it with your teacher and type it again."
BAD_CODE = ("No class has that code: class codes have 8 letters and digits, "
            "like K7QX-M2PD. Check it with your teacher.")


def class_for_code(typed_code: str) -> Classroom:
    """The class that takes new students with the code a student typed (any case, spaces
    or hyphens). Raises :class:`ClassProblem` for a malformed code (400), an unknown one
    (404) or an archived class (409)."""
    code = joincodes.normalise(typed_code)
    if not joincodes.is_well_formed(code):
        raise ClassProblem(BAD_CODE, 400)
    classroom = db.session.scalar(sa.select(Classroom).where(Classroom.join_code == code))
    if classroom is None:
        raise ClassProblem(NO_SUCH_CODE, 404)
    if classroom.archived:
        raise ClassProblem(f"The class “{classroom.name}” is archived and no longer takes "
                           "new students. Ask your teacher for the code of a current class.",
                           409)
    return classroom


def join_class(student: User, typed_code: str) -> tuple[Classroom, bool]:
    """Enrol ``student`` in the class whose code they typed.

    Returns the class and whether they were newly added (False: already a member). Raises
    :class:`ClassProblem` for a malformed code (400), an unknown one (404) or an archived
    class (409). A double submit cannot add a second row: the unique constraint on
    (class, student) turns the race into "already a member".
    """
    classroom = class_for_code(typed_code)
    if _is_member(classroom.id, student.id):
        return classroom, False
    class_id, student_id = classroom.id, student.id
    db.session.add(Enrollment(classroom_id=class_id, student_id=student_id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return db.session.get_one(Classroom, class_id), False
    return classroom, True


def _is_member(class_id: int, student_id: int) -> bool:
    return db.session.scalar(sa.select(Enrollment.id).where(
        Enrollment.classroom_id == class_id, Enrollment.student_id == student_id)) is not None


def is_member(classroom: Classroom, student: User) -> bool:
    """True when ``student`` is on the roster of ``classroom``."""
    return _is_member(classroom.id, student.id)
