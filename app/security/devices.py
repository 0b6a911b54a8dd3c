"""Device cookies: a browser that logged in to an account before is let past the throttle.

OWASP's "Slow down online guessing attacks with device cookies": a successful login sets a
long-lived, signed, HttpOnly cookie naming the account (its id, when the cookie was issued
and a random nonce). A later login for that account from a browser holding it is exempt
from the pair and account limits (app.security.throttle), so a guesser at the same school
address cannot keep the owner out; the nonce keys the cookie's own failure count, after
which it stops exempting (a stolen cookie does not buy unlimited guesses).

A school computer is shared: the cookie holds the last `MAX_ACCOUNTS` accounts that logged
in on it. It is only sent to /auth/ (the login page), never to the rest of the site.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, Final

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE_NAME: Final = "framinglab_device"
COOKIE_PATH: Final = "/auth/"
LIFETIME: Final = timedelta(days=365)
MAX_ACCOUNTS: Final = 8


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="framinglab-device-cookie")


def _entries(moment: datetime) -> list[list[Any]]:
    """The cookie's unexpired, well-formed [user id, issued at (UNIX), nonce] entries."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return []
    try:
        payload = _serializer().loads(raw)
    except BadSignature:
        return []
    if not isinstance(payload, list):
        return []
    oldest = (moment - LIFETIME).timestamp()
    return [entry for entry in payload
            if isinstance(entry, list) and len(entry) == 3
            and isinstance(entry[0], int) and isinstance(entry[1], int | float)
            and isinstance(entry[2], str) and entry[1] >= oldest]


def device_key(user_id: int, moment: datetime) -> str | None:
    """The throttle key of this browser's valid device cookie for `user_id`, else None."""
    for uid, _issued, nonce in _entries(moment):
        if uid == user_id:
            return f"{uid}:{nonce}"[:64]
    return None


def remember_device(response: Response, user_id: int, moment: datetime) -> None:
    """After a correct password: a fresh entry for `user_id` (new nonce, new issue time)."""
    kept = [entry for entry in _entries(moment) if entry[0] != user_id]
    entries = [*kept[-(MAX_ACCOUNTS - 1):], [user_id, int(moment.timestamp()),
                                             secrets.token_hex(12)]]
    response.set_cookie(
        COOKIE_NAME, _serializer().dumps(entries), max_age=int(LIFETIME.total_seconds()),
        path=COOKIE_PATH, secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True, samesite="Lax",
    )
