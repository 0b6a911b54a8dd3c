"""Changes to an existing account: passwords (reset, changed), disabling, roles.

Who may do what:

* a teacher resets the password of a student in one of their classes; an admin resets
  any account's but their own (they change it on their account page);
* an admin disables, re-enables and changes the role of any account but their own, and
  never leaves the site without an active admin;
* everyone changes their own password.

Each change is written to the admin's log (app/services/audit.py) in the same
transaction, and ends the sessions it must: a reset or a disabled account logs the
person out everywhere; a password change logs out every other device.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

from app.domain.temporary_passwords import new_temporary_password
from app.extensions import db
from app.models import Classroom, Enrollment, User
from app.models.users import ROLES
from app.security.sessions import end_sessions_of
from app.security.throttle import login_throttle
from app.services import audit

LAST_ADMIN: Final = ("{name} is the last active admin: the site needs one to manage "
                     "accounts. Make another account an admin first.")


class AccountProblem(Exception):
    """A change that is not allowed; ``str()`` is the message, ``status`` the HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def teaches(teacher_id: int, student_id: int) -> bool:
    """True when ``student_id`` is in one of the classes of ``teacher_id``."""
    return db.session.scalar(
        sa.select(Enrollment.id)
        .join(Classroom, Classroom.id == Enrollment.classroom_id)
        .where(Enrollment.student_id == student_id, Classroom.teacher_id == teacher_id)
        .limit(1)) is not None


def may_reset_password(actor: User, target: User) -> bool:
    """An admin resets anyone else's password; a teacher, a student of theirs."""
    if actor.id == target.id:
        return False
    if actor.has_role("admin"):
        return True
    return actor.has_role("teacher") and target.has_role("student") and teaches(
        actor.id, target.id)


def reset_password(actor: User, target: User) -> str:
    """Give ``target`` a temporary password that must be changed at the next login, end
    their sessions, and commit. Returns the password: shown once, never stored in clear.

    Raises :class:`AccountProblem` (403) when ``actor`` may not reset it.
    """
    if not may_reset_password(actor, target):
        if actor.id == target.id:
            raise AccountProblem("Change your own password on your account page.", 403)
        raise AccountProblem("You can reset the passwords of students in your classes "
                             "only.", 403)
    password = new_temporary_password(target.username)
    target.set_password(password)
    target.must_change_password = True
    end_sessions_of(target.id)
    audit.record(actor, "password_reset", target=target)
    db.session.commit()
    # A student locked out by failed logins can use the new password at once.
    login_throttle().forget(target.username)
    return password


def change_own_password(user: User, password: str) -> None:
    """``user`` chose a new password (the form checked it): store it, clear a forced
    change, log out every other device, and commit."""
    user.set_password(password)
    forced = user.must_change_password
    user.must_change_password = False
    end_sessions_of(user.id, keep_current=True)
    audit.record(user, "password_changed", target=user,
                 detail="after a reset" if forced else "")
    db.session.commit()


def _lock_active_admins() -> list[int]:
    """The ids of the active admins, their rows locked until the transaction ends, so two
    admins demoting each other at once cannot both pass the last-admin check."""
    return list(db.session.scalars(
        sa.select(User.id).where(User.role == "admin", User.disabled.is_(False))
        .order_by(User.id).with_for_update()))


def _refuse_last_admin(target: User) -> None:
    if target.has_role("admin") and not target.disabled:
        others = [user_id for user_id in _lock_active_admins() if user_id != target.id]
        if not others:
            db.session.rollback()
            raise AccountProblem(LAST_ADMIN.format(name=target.username), 409)


def _refuse_own(actor: User, target: User, what: str) -> None:
    if actor.id == target.id:
        raise AccountProblem(f"You cannot {what} your own account: another admin can.", 403)


def set_disabled(actor: User, target: User, disabled: bool) -> bool:
    """Disable (no login; every session ends at once) or re-enable ``target``; commits.

    Returns False when the account already was that way (nothing to do). Raises
    :class:`AccountProblem`: 403 for the admin's own account, 409 for the last active admin.
    """
    if target.disabled == disabled:
        return False
    _refuse_own(actor, target, "disable" if disabled else "re-enable")
    if disabled:
        _refuse_last_admin(target)
        end_sessions_of(target.id)
    target.disabled = disabled
    audit.record(actor, "account_disabled" if disabled else "account_enabled", target=target)
    db.session.commit()
    return True


def _class_names(where: sa.ColumnElement[bool]) -> list[str]:
    return list(db.session.scalars(sa.select(Classroom.name).where(where)
                                   .order_by(Classroom.name)))


def change_role(actor: User, target: User, role: str) -> bool:
    """Make ``target`` a student, teacher or admin; commits. False if it already is one.

    Raises :class:`AccountProblem`: 400 for an unknown role, 403 for the admin's own
    account, 409 for the last active admin, for a teacher who still has classes becoming
    a student, and for a student still in classes becoming staff (take them off the
    rosters first: a class list holds students only).
    """
    if role not in ROLES:
        raise AccountProblem(f"There is no role “{role}”: choose student, teacher or admin.",
                             400)
    if target.role == role:
        return False
    _refuse_own(actor, target, "change the role of")
    if role != "admin":
        _refuse_last_admin(target)
    if role == "student":
        taught = _class_names(Classroom.teacher_id == target.id)
        if taught:
            db.session.rollback()
            raise AccountProblem(
                f"{target.username} teaches {len(taught)} class"
                f"{'es' if len(taught) != 1 else ''} ({', '.join(taught)}), so the account "
                "cannot become a student's. Their classes would have no teacher.", 409)
    if target.has_role("student"):
        joined = _class_names(Classroom.id.in_(
            sa.select(Enrollment.classroom_id).where(Enrollment.student_id == target.id)))
        if joined:
            db.session.rollback()
            raise AccountProblem(
                f"{target.username} is a student in {', '.join(joined)}. Take them off "
                "those class lists first (their past attempts are kept): class lists hold "
                "students only.", 409)
    before = target.role
    target.role = role
    audit.record(actor, "role_changed", target=target, detail=f"{before} → {role}")
    db.session.commit()
    return True
