"""Importing a OneRoster roster: read the app's state, plan, and apply the plan as one unit.

The reading and the planning are pure (:mod:`app.domain.oneroster`,
:mod:`app.domain.oneroster_plan`); this module reads what the plan needs from the database
and writes the plan in ONE transaction with its entry in the admin's log: every account,
class and enrolment of the import is stored, or (an error, a clash) none is. A dry run
plans the same way and writes nothing, so its report is what the import would do.

Two imports of the same bundle at once cannot store anything twice: the unique
constraints on ``users.sourced_id``, ``users.username``, ``classes.sourced_id`` and each
(class, student) enrolment refuse the second, which is rolled back whole and reported as
:class:`ImportConflict` (409); running it again then finds everything done.

Imported accounts get no usable password (:data:`NO_PASSWORD`): the person signs in
through the school's LMS, or an admin or their teacher gives them a temporary password
with the usual reset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, NoResultFound
from sqlalchemy.orm.exc import StaleDataError

from app.domain import joincodes
from app.domain.oneroster import Bundle, parse_bundle
from app.domain.oneroster_files import Files
from app.domain.oneroster_names import username_from
from app.domain.oneroster_plan import plan_import
from app.domain.oneroster_report import (
    LocalClass,
    LocalEnrollment,
    LocalUser,
    Options,
    Plan,
    Ref,
    State,
)
from app.extensions import db
from app.models import Classroom, Enrollment, User
from app.security.sessions import end_sessions_of
from app.services import audit

# Not an argon2 hash, so User.check_password refuses every password against it (argon2
# raises InvalidHashError, which it answers with False): no one can log in with it.
NO_PASSWORD: Final = "!oneroster-import: no password; sign in through the LMS or reset it"
# Values per IN (...) list: well under SQLite's and PostgreSQL's limits.
_CHUNK: Final = 500

CONFLICT: Final = ("Another import, or someone making accounts or classes, changed the same "
                   "records while this import was running, so nothing was imported. Run the "
                   "import again: it picks up what the other one did.")


class ImportConflict(Exception):
    """The import clashed with a change made at the same moment; nothing was stored."""

    status = 409

    def __init__(self) -> None:
        super().__init__(CONFLICT)


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: Plan
    dry_run: bool
    written: bool  # False for a dry run, and for an import refused for its errors


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(set(values), key=str)
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _users_where(column: Any, values: Iterable[Any]) -> list[User]:
    return [user for chunk in _chunks(values)
            for user in db.session.scalars(sa.select(User).where(column.in_(chunk)))]


def read_state(bundle: Bundle) -> State:
    """What the plan needs to know of the app about this bundle (see
    :class:`~app.domain.oneroster_report.State`)."""
    user_ids = ({user.sourced_id for user in bundle.users}
                | {row.user_sourced_id for row in bundle.enrollments}) - {""}
    names = {username_from(user.username)[0] for user in bundle.users} - {None}
    users = {user.id: user for user in
             _users_where(User.sourced_id, user_ids) + _users_where(User.username, names)}
    class_ids = ({klass.sourced_id for klass in bundle.classes}
                 | {row.class_sourced_id for row in bundle.enrollments}) - {""}
    named = [klass for chunk in _chunks(class_ids) for klass in db.session.scalars(
        sa.select(Classroom).where(Classroom.sourced_id.in_(chunk)))]
    teachers = ({user.id for user in users.values() if user.role in ("teacher", "admin")}
                | {klass.teacher_id for klass in named})
    classes = {klass.id: klass for klass in named}
    for chunk in _chunks(teachers):
        classes.update((klass.id, klass) for klass in db.session.scalars(
            sa.select(Classroom).where(Classroom.teacher_id.in_(chunk),
                                       Classroom.archived.is_(False))))
    enrollments = [LocalEnrollment(class_id, student_id, sourced_id, username)
                   for chunk in _chunks(klass.id for klass in named)
                   for class_id, student_id, sourced_id, username in db.session.execute(
                       sa.select(Enrollment.classroom_id, Enrollment.student_id,
                                 User.sourced_id, User.username)
                       .join(User, User.id == Enrollment.student_id)
                       .where(Enrollment.classroom_id.in_(chunk))
                       .order_by(Enrollment.classroom_id, User.username))]
    return State(
        users=[LocalUser(user.id, user.username, user.role, user.sourced_id, user.disabled,
                         user.display_name) for user in users.values()],
        classes=[LocalClass(klass.id, klass.sourced_id, klass.name, klass.teacher_id,
                            klass.archived) for klass in classes.values()],
        enrollments=enrollments)


def _fresh_codes(count: int) -> list[str]:
    """``count`` join codes no class has (the unique constraint still guards a race)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {joincodes.new_code() for _ in range(count - len(codes))} - codes
        taken = set(db.session.scalars(sa.select(Classroom.join_code)
                                       .where(Classroom.join_code.in_(wanted))))
        codes |= wanted - taken
    return sorted(codes)


def _apply(plan: Plan, actor: User | None) -> None:
    """Add every change of ``plan`` to the session, with its log entry (not committed)."""
    created: dict[str, User] = {}
    for new in plan.new_users:
        user = User(username=new.username, role=new.role, password_hash=NO_PASSWORD,
                    display_name=new.display_name, sourced_id=new.sourced_id,
                    disabled=new.disabled)
        db.session.add(user)
        created[new.sourced_id] = user
    for change in plan.user_changes:
        user = db.session.get_one(User, change.id)
        if change.disabled and not user.disabled:
            end_sessions_of(user.id)
        user.sourced_id = change.sourced_id
        user.display_name = change.display_name
        user.disabled = change.disabled
    db.session.flush()

    def user_id(ref: Ref) -> int:
        return ref.id if ref.id is not None else created[ref.sourced_id].id

    # Changed classes first, renamed through a name no other class can have, so names
    # that move between classes (or to new classes) are free when they are taken.
    changed = [(change, db.session.get_one(Classroom, change.id))
               for change in plan.class_changes]
    for change, classroom in changed:
        if classroom.name != change.name:
            classroom.name = f"(import {classroom.id})"
    db.session.flush()
    for change, classroom in changed:
        classroom.name = change.name
        classroom.teacher_id = user_id(change.teacher)
        classroom.archived = change.archived
    db.session.flush()
    classes: dict[str, Classroom] = {}
    for new_class, code in zip(plan.new_classes, _fresh_codes(len(plan.new_classes)),
                               strict=True):
        classroom = Classroom(teacher_id=user_id(new_class.teacher), name=new_class.name,
                              join_code=code, sourced_id=new_class.sourced_id)
        db.session.add(classroom)
        classes[new_class.sourced_id] = classroom
    db.session.flush()
    for class_id, student_id in plan.removed_enrollments:
        db.session.execute(sa.delete(Enrollment).where(Enrollment.classroom_id == class_id,
                                                       Enrollment.student_id == student_id))
    for new_enrollment in plan.new_enrollments:
        ref = new_enrollment.classroom
        class_id = ref.id if ref.id is not None else classes[ref.sourced_id].id
        db.session.add(Enrollment(classroom_id=class_id,
                                  student_id=user_id(new_enrollment.student)))
    audit.record(actor, "oneroster_imported", detail=plan.summary())
    db.session.flush()


def import_bundle(actor: User | None, files: Files, *, dry_run: bool,
                  options: Options | None = None) -> ImportResult:
    """Plan ``files`` (a OneRoster bundle) against the app and, unless ``dry_run`` or the
    plan is blocked by errors (all or nothing), store it as one unit.

    ``actor`` None is the command line. Raises
    :class:`~app.domain.oneroster_files.BundleInvalid` for a bundle that cannot be read
    (nothing is read from the database then) and :class:`ImportConflict` (409) when a
    change made at the same moment clashed (nothing is stored).
    """
    bundle = parse_bundle(files)
    plan = plan_import(bundle, read_state(bundle), options)
    if dry_run or plan.blocked:
        db.session.rollback()  # only reads happened: end the transaction
        return ImportResult(plan, dry_run, written=False)
    try:
        _apply(plan, actor)
        db.session.commit()
    except (IntegrityError, StaleDataError, NoResultFound) as error:
        db.session.rollback()
        raise ImportConflict from error
    return ImportResult(plan, dry_run, written=True)
