"""What the lesson editor refuses, and the commit that turns a lost race into a refusal."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.services import locking


class AuthoringError(Exception):
    """A change the editor refuses; ``message`` is for the teacher, ``status`` for HTTP."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EditConflict(AuthoringError):
    """The change clashes with the lesson as it is now (edited elsewhere, still in use)."""

    status = 409


class PartNotFound(AuthoringError):
    """The excerpt, question or key list named in the address is not in this lesson."""

    status = 404


def commit_or_conflict(message: str) -> None:
    """Commit; a lost race on the lesson's ``edit_version`` raises ``locking.StaleEdit``,
    any other broken constraint :class:`EditConflict` with ``message`` (rolled back)."""
    try:
        locking.commit("lesson")
    except IntegrityError as error:  # rolled back already
        raise EditConflict(message) from error
