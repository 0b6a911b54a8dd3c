"""Where login failures (and other counted events) are kept: the database or Redis.

One `FailureStore` interface, two backends; every worker process must see the same counts.
An entry is a moment under a (scope, key); `add` returns a token per entry so that one
reservation can be taken back (`discard`) without touching the others.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol

import sqlalchemy as sa

from app.extensions import db
from app.models.security import LoginFailure

KEY_LENGTH = 64  # login_failures.key is String(64)


class Failures(NamedTuple):
    """The entries of one key inside a window: how many, the oldest and the newest."""

    count: int
    oldest: datetime | None
    newest: datetime | None


class Entry(NamedTuple):
    """Where to add one entry, and how long entries of that key are worth keeping."""

    scope: str
    key: str
    keep: timedelta


class Token(NamedTuple):
    """One added entry, to take back with `discard`."""

    scope: str
    key: str
    ref: str


class FailureStore(Protocol):
    """Counts shared by every worker."""

    def add(self, entries: Sequence[Entry], at: datetime) -> list[Token]:
        """Add one entry at `at` per item, durably (committed) before returning; entries
        older than their `keep` may be dropped."""

    def recent(self, scope: str, key: str, since: datetime) -> Failures:
        """The entries of `key` at or after `since`."""

    def reserve(self, entry: Entry, at: datetime, limit: int) -> Token | None:
        """Add one entry at `at` unless `limit` entries of its key are already inside
        `entry.keep`; None when full. Parallel callers never get more than `limit` in."""

    def discard(self, tokens: Sequence[Token]) -> None:
        """Take back entries added by `add`."""

    def clear(self, scope: str, key: str) -> None:
        """Forget every entry of `key`."""


class DatabaseStore:
    """Entries as rows of `login_failures`; each call commits its own change."""

    def add(self, entries: Sequence[Entry], at: datetime) -> list[Token]:
        rows = []
        for scope, key, keep in entries:
            db.session.execute(sa.delete(LoginFailure).where(
                LoginFailure.scope == scope, LoginFailure.key == key, LoginFailure.at < at - keep))
            row = LoginFailure(scope=scope, key=key, at=at)
            db.session.add(row)
            rows.append(row)
        db.session.flush()
        tokens = [Token(row.scope, row.key, str(row.id)) for row in rows]
        db.session.commit()
        return tokens

    def recent(self, scope: str, key: str, since: datetime) -> Failures:
        at = LoginFailure.at
        count, oldest, newest = db.session.execute(
            sa.select(sa.func.count(LoginFailure.id), sa.func.min(at), sa.func.max(at)).where(
                LoginFailure.scope == scope, LoginFailure.key == key, at >= since
            )
        ).one()
        # min()/max() lose the column type on SQLite: restore aware UTC datetimes.
        return Failures(count, _aware(oldest), _aware(newest))

    def reserve(self, entry: Entry, at: datetime, limit: int) -> Token | None:
        # A full budget is refused with one read and no write (a script hammering the
        # sign-up page costs no rows). Otherwise add first, then count every entry
        # committed so far: one beyond the limit gives its own back. A rush past the
        # limit may leave all of it out, never one too many.
        if self.recent(entry.scope, entry.key, at - entry.keep).count >= limit:
            return None
        [token] = self.add([entry], at)
        if self.recent(entry.scope, entry.key, at - entry.keep).count > limit:
            self.discard([token])
            return None
        return token

    def discard(self, tokens: Sequence[Token]) -> None:
        if tokens:
            ids = [int(token.ref) for token in tokens]
            db.session.execute(sa.delete(LoginFailure).where(LoginFailure.id.in_(ids)))
            db.session.commit()

    def clear(self, scope: str, key: str) -> None:
        db.session.execute(
            sa.delete(LoginFailure).where(LoginFailure.scope == scope, LoginFailure.key == key)
        )
        db.session.commit()


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# KEYS[1]: the sorted set; ARGV: oldest score kept, score, member, limit, seconds to keep.
_RESERVE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class RedisStore:
    """Entries as Redis sorted sets (score: UNIX time), one per scope and key."""

    def __init__(self, client: Any, prefix: str = "framinglab:login-failures") -> None:
        self.client = client
        self.prefix = prefix

    def _name(self, scope: str, key: str) -> str:
        return f"{self.prefix}:{scope}:{key}"

    def add(self, entries: Sequence[Entry], at: datetime) -> list[Token]:
        score = at.timestamp()
        tokens = []
        # One MULTI/EXEC: every entry is in place before any later count reads it.
        pipe = self.client.pipeline(transaction=True)
        for scope, key, keep in entries:
            name = self._name(scope, key)
            member = f"{score}:{secrets.token_hex(8)}"
            pipe.zremrangebyscore(name, "-inf", f"({score - keep.total_seconds()}")
            pipe.zadd(name, {member: score})
            pipe.expire(name, math.ceil(keep.total_seconds()))
            tokens.append(Token(scope, key, member))
        pipe.execute()
        return tokens

    def recent(self, scope: str, key: str, since: datetime) -> Failures:
        name = self._name(scope, key)
        low = since.timestamp()
        pipe = self.client.pipeline(transaction=True)
        pipe.zcount(name, low, "+inf")
        pipe.zrangebyscore(name, low, "+inf", start=0, num=1, withscores=True)
        pipe.zrevrangebyscore(name, "+inf", low, start=0, num=1, withscores=True)
        count, oldest, newest = pipe.execute()
        return Failures(int(count), _from_scores(oldest), _from_scores(newest))

    def reserve(self, entry: Entry, at: datetime, limit: int) -> Token | None:
        # One script, run by Redis as one step: the count and the add cannot interleave
        # with another caller's, so exactly `limit` of a rush get in.
        score = at.timestamp()
        member = f"{score}:{secrets.token_hex(8)}"
        added = self.client.eval(
            _RESERVE, 1, self._name(entry.scope, entry.key), score - entry.keep.total_seconds(),
            score, member, limit, math.ceil(entry.keep.total_seconds()))
        return Token(entry.scope, entry.key, member) if added else None

    def discard(self, tokens: Sequence[Token]) -> None:
        if tokens:
            pipe = self.client.pipeline(transaction=True)
            for scope, key, member in tokens:
                pipe.zrem(self._name(scope, key), member)
            pipe.execute()

    def clear(self, scope: str, key: str) -> None:
        self.client.delete(self._name(scope, key))


def _from_scores(members: list[tuple[Any, float]]) -> datetime | None:
    return datetime.fromtimestamp(members[0][1], UTC) if members else None


def make_store(redis_url: str | None) -> FailureStore:
    """Redis when a URL is given (several machines), else the database."""
    if redis_url:
        import redis  # only needed when configured

        return RedisStore(redis.Redis.from_url(redis_url))
    return DatabaseStore()
