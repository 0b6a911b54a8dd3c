"""Optimistic locking for the edits a teacher makes: read a row, change it, write it back.

Lessons, classes and assignments carry ``edit_version`` (SQLAlchemy's ``version_id_col``):
every UPDATE or DELETE of the row says ``WHERE edit_version = <the number read>`` and adds
one, so of two requests that read the same row only the first to commit wins; the other
gets :class:`StaleEdit` instead of silently overwriting it (PostgreSQL re-checks the
condition after waiting for the first one's row lock; SQLite lets one writer in at a time).

The forms carry the number the teacher's page was drawn with as well, so an edit sent
from a page opened before another change (a second tab) is refused the same way: see
:func:`refuse_if_stale`.
"""

from __future__ import annotations

from typing import Final, Protocol

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import User

MESSAGES: Final = {
    "lesson": "This lesson changed in another tab (or window) since you opened this page, "
              "so your change was not saved: saving it would have undone the other change.",
    "class": "This class changed in another tab (or window) since you opened this page, "
             "so your change was not saved.",
    "assignment": "This assignment changed in another tab (or window) since you opened this "
                  "page, so your change was not saved.",
    "reading": "This reading (or one of the lessons keyed from it) changed while your change "
               "was being saved, so it was not saved. Look at it again and try once more.",
    "card": "This card changed in another tab (or window) since you opened this page, so "
            "your change was not saved: saving it would have undone the other change.",
    "study": "This growth study changed in another tab (or window) since you opened this "
             "page, so your change was not saved.",
}


class StaleEdit(Exception):
    """The row changed after the teacher's page (or this request) read it: nothing saved.

    ``what`` is "lesson", "class", "assignment", "reading", "card" (a shelf card) or
    "study" (a growth study);
    ``message`` is for the teacher.
    """

    status = 409

    def __init__(self, what: str) -> None:
        self.what = what
        self.message = MESSAGES[what]
        super().__init__(self.message)


class Versioned(Protocol):
    edit_version: int


def refuse_if_stale(row: Versioned, seen: int | None, what: str) -> None:
    """Raise :class:`StaleEdit` when the form was drawn for another ``edit_version``.

    ``seen`` is None for a form that does not carry the number (a script, a page from
    before the field existed): then only the commit-time check applies.
    """
    if seen is not None and seen != row.edit_version:
        raise StaleEdit(what)


def commit(what: str) -> None:
    """Commit the session; a lost race on an ``edit_version`` becomes :class:`StaleEdit`."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise StaleEdit(what) from error
    except Exception:
        db.session.rollback()
        raise


def lock_user(user_id: int, *, share: bool = False) -> bool:
    """Lock the user row until this transaction ends; False if there is no such user.

    PostgreSQL: ``FOR UPDATE`` (deleting) or ``FOR SHARE`` (submitting). A deletion and a
    student's submission then run one after the other, and the later one sees what the
    first did: the submission finds the student gone, or the deletion finds (and
    deletes) the new attempt, instead of failing on a foreign key. SQLite ignores the
    clause; it lets one writer in at a time, and each side handles the other's commit.
    """
    statement = sa.select(User.id).where(User.id == user_id).with_for_update(read=share)
    return db.session.scalar(statement) is not None
