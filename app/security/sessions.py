"""Server-side login sessions (ASVS 5, V7): a new id at login, revoked at logout, time-outs.

The signed Flask cookie holds only Flask-Login's user id and `sid`, the random id of a
`user_sessions` row. `load_user` (Flask-Login's user_loader) accepts the cookie only while
that row exists, belongs to the same user, is not revoked and has not timed out, so a
cookie copied before logout is refused afterwards.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import Final

import sqlalchemy as sa
from flask import current_app, session
from flask_login import login_user, logout_user

from app.extensions import db
from app.models.security import UserSession
from app.models.users import User
from app.security import clock

SESSION_KEY: Final = "sid"
# Writing last_seen_at on every request would make every page view a write.
TOUCH_INTERVAL: Final = timedelta(minutes=1)


def start_session(user: User, keep_after_browser_closes: bool = False) -> None:
    """Log `user` in under a brand-new session id; the caller commits.

    Clearing the cookie session first drops anything an attacker may have planted before
    login (session fixation).
    """
    session.clear()
    moment = clock.now()
    row = UserSession(
        id=secrets.token_hex(32), user_id=user.id, created_at=moment, last_seen_at=moment
    )
    db.session.add(row)
    login_user(user)
    session[SESSION_KEY] = row.id
    # Even a "remembered" session ends at the absolute time-out (PERMANENT_SESSION_LIFETIME).
    session.permanent = keep_after_browser_closes


def end_session() -> None:
    """Revoke the current session on the server, then forget it in the cookie; commits."""
    sid = session.get(SESSION_KEY)
    if isinstance(sid, str):
        db.session.execute(
            sa.update(UserSession).where(UserSession.id == sid).values(revoked=True)
        )
        db.session.commit()
    logout_user()
    session.clear()


def end_sessions_of(user_id: int, *, keep_current: bool = False) -> None:
    """Revoke every session of ``user_id`` (but the current request's one when
    ``keep_current``): after a password change or reset, or when an account is disabled.
    Part of the caller's transaction: the caller commits."""
    statement = sa.update(UserSession).where(UserSession.user_id == user_id,
                                             UserSession.revoked.is_(False))
    sid = session.get(SESSION_KEY) if keep_current else None
    if isinstance(sid, str):
        statement = statement.where(UserSession.id != sid)
    db.session.execute(statement.values(revoked=True))


def session_expired(
    created_at: datetime, last_seen_at: datetime, moment: datetime, idle: int, absolute: int
) -> bool:
    """True when the session was idle `idle` seconds or began `absolute` seconds ago."""
    return (moment - last_seen_at).total_seconds() >= idle or (
        moment - created_at
    ).total_seconds() >= absolute


@cache
def _session_statement() -> sa.Select[tuple[UserSession, User]]:
    # Built once: it runs on every request, and building it costs more than running it.
    return (
        sa.select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.id == sa.bindparam("sid"))
    )


def load_user(user_id: str) -> User | None:
    """Flask-Login's user_loader: the user of a live session, else None (anonymous)."""
    sid = session.get(SESSION_KEY)
    if not isinstance(sid, str):
        return None
    try:
        expected_id = int(user_id)
    except ValueError:
        return None
    found = db.session.execute(_session_statement(), {"sid": sid}).first()
    if found is None:
        return None
    user_session, user = found
    # A disabled account is logged out on its next request, whatever its sessions say.
    if user_session.revoked or user.id != expected_id or user.disabled:
        return None
    config = current_app.config
    moment = clock.now()
    if session_expired(
        user_session.created_at,
        user_session.last_seen_at,
        moment,
        config["IDLE_TIMEOUT"],
        config["ABSOLUTE_TIMEOUT"],
    ):
        return None
    if moment - user_session.last_seen_at >= TOUCH_INTERVAL:
        _touch(sid, moment)
    return user


def _touch(sid: str, moment: datetime) -> None:
    # Its own short transaction: the loader may run in the middle of a route's unit of
    # work, whose pending changes must not be committed (or rolled back) from here.
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(UserSession).where(UserSession.id == sid).values(last_seen_at=moment)
        )
