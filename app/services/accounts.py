"""Creating accounts: by an admin, by `flask users create`, and by students signing up.

The unique constraint on `users.username` is the real guard against two people taking one
name: the forms' "is it free?" check cannot see a request that inserts the same name a
moment later (F19), so the commit's IntegrityError becomes :class:`UsernameTaken`.

Signing up hashes a password (argon2id: about 19 MiB and tens of milliseconds), so it is
counted before the hash is made (F7): per network address without a class code, per class
with one (a whole class behind a school's one address signs up at once with its code).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Classroom, Enrollment, User
from app.security.throttle import Refusal, describe_wait, login_throttle
from app.services import audit

SIGNUP_WINDOW: Final = timedelta(hours=1)
# Without a class code: a handful of newcomers an hour from one school address, while one
# machine can create at most 480 throwaway accounts (and argon2 hashes) a day.
ADDRESS_SIGNUPS: Final = 20
# With a class code: two classes of 30 in the hour; a leaked code adds at most this many
# accounts an hour to one class, visible on its roster, until the teacher renews the code.
CLASS_SIGNUPS: Final = 60
ADDRESS_SCOPE: Final = "signup"
CLASS_SCOPE: Final = "signup-class"


class UsernameTaken(Exception):
    """Someone else has this username (perhaps since the form checked)."""


def create_account(username: str, password: str, role: str,
                   classroom_id: int | None = None, *, actor: User | None = None) -> User:
    """Create and commit an account (enrolled in `classroom_id` if given); raises
    UsernameTaken, with nothing stored, if the name is taken. An account made by someone
    else (``actor``, an admin) is written to the admin's log."""
    user = User(username=username, role=role)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
        if classroom_id is not None:
            db.session.add(Enrollment(classroom_id=classroom_id, student_id=user.id))
        if actor is not None:
            audit.record(actor, "account_created", target=user, detail=f"as {role}")
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise UsernameTaken(username) from error
    return user


def register_student(username: str, password: str, classroom: Classroom | None,
                     address: str, moment: datetime) -> User | Refusal:
    """A student's own sign-up, counted against the class's budget (with a code) or the
    address's (without), before the password is hashed. A Refusal once the budget for
    the hour is spent; raises UsernameTaken (the try still counts: its hash was made)."""
    throttle = login_throttle()
    if classroom is not None:
        quota = throttle.reserve_quota(CLASS_SCOPE, str(classroom.id), CLASS_SIGNUPS,
                                       SIGNUP_WINDOW, moment)
    else:
        quota = throttle.reserve_quota(ADDRESS_SCOPE, address, ADDRESS_SIGNUPS,
                                       SIGNUP_WINDOW, moment)
    if isinstance(quota, Refusal):
        return quota
    user = create_account(username, password, "student",
                          classroom.id if classroom is not None else None)
    if classroom is not None:
        audit.log(user, "class_joined", target=user, classroom=classroom,
                  detail="with the class code, at sign-up")
    return user


def signup_refusal_message(refusal: Refusal) -> str:
    """What the sign-up page says when a budget is spent."""
    wait = describe_wait(refusal.wait)
    if refusal.scope == CLASS_SCOPE:
        return (f"Many accounts were created with this class code in the last hour. Please "
                f"try again in {wait}, or ask your teacher.")
    return (f"Many accounts were created from your network in the last hour. Please try "
            f"again in {wait}, or ask your teacher for your class code: with it, a whole "
            f"class can sign up at once.")
