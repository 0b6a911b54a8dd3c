"""Marks posted after the student's login ended, kept until they log in again.

A quiz form posted once the session has timed out cannot be stored for anyone: we do not
know, for sure, who sent it. Its marks are kept in a signed cookie that names the account
the browser was logged in as, and saved as that account's draft when it next opens the
same quiz (:func:`take`). Only a form posted from our own pages (its ``Origin`` or
``Referer`` is this site) is kept, so another site cannot plant marks in a student's draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, after_this_request, current_app, request, session
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "framinglab_unsaved"
_SALT = "framinglab.unsaved-marks"
# As long as a login may last (ABSOLUTE_TIMEOUT's default): after that, the draft saved by
# the last "next" is what the student gets back.
MAX_AGE = 12 * 60 * 60
# A browser keeps cookies of about 4 KB; beyond that we say the marks could not be kept.
MAX_BYTES = 3_800


@dataclass(frozen=True, slots=True)
class KeptMarks:
    """Marks kept for one quiz (draft scope) on one version, and the step to return to."""

    scope: str
    version: int
    step: int
    marks: dict[str, Any]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=_SALT)


def from_this_site() -> bool:
    """Whether the post came from one of our pages (``Origin``, else ``Referer``)."""
    here = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin:
        return origin.rstrip("/") == here
    referer = request.headers.get("Referer", "")
    return referer == here or referer.startswith(here + "/")


def keep(scope: str, version: int, step: int, marks: dict[str, Any]) -> bool:
    """Keep ``marks`` in the browser for the account its session named; False when they
    cannot be kept (no account named, a post from elsewhere, too many marks)."""
    account = session.get("_user_id")
    if account is None or not from_this_site():
        return False
    value = _serializer().dumps({"u": str(account), "s": scope, "v": version, "q": step,
                                 "m": marks})
    if len(value) > MAX_BYTES:
        return False

    @after_this_request
    def _set(response: Response) -> Response:
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
        return response

    return True


def _forget() -> None:
    @after_this_request
    def _delete(response: Response) -> Response:
        response.delete_cookie(COOKIE, httponly=True, samesite="Lax",
                               secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
        return response


def take(scope: str) -> KeptMarks | None:
    """The marks kept for ``scope`` if they are the logged-in student's; the cookie is then
    deleted (also when it belongs to someone else: another student's marks do not linger
    on a shared computer)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw, max_age=MAX_AGE)
    except BadData:
        _forget()
        return None
    if not isinstance(data, dict) or data.get("u") != str(current_user.id):
        _forget()
        return None
    if data.get("s") != scope:
        return None  # for another quiz of this student: it waits there
    _forget()
    marks, version, step = data.get("m"), data.get("v"), data.get("q")
    if not isinstance(marks, dict) or not isinstance(version, int) or not isinstance(step, int):
        return None
    return KeptMarks(scope, version, step, marks)
