"""Login throttling keyed by account and by network, shared by every worker (ASVS 5, V6.3).

Two limits, checked before a password is even looked at:

- per account: the first `account_free_failures` failures in `account_window` cost
  nothing; each one after that doubles a waiting time (30 s, 1 min, 2 min ... at most
  15 min) before the next try. A successful login clears the account's failures.
- per network address: only FAILURES count, and generously (100 in 5 minutes), so a
  class of 30 behind one school address logs in freely while one machine spraying
  guesses across many accounts is stopped.

Failures are kept in the database (`login_failures`) or, when REDIS_URL is set, in Redis:
one `FailureStore` interface, two backends.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, NamedTuple, Protocol

import sqlalchemy as sa
from flask import Flask, current_app

from app.extensions import db
from app.models.security import LoginFailure

ACCOUNT: Final = "account"
NETWORK: Final = "network"
KEY_LENGTH: Final = 64


@dataclass(frozen=True)
class ThrottlePolicy:
    """The limits; the defaults follow the issue (5 per account in 15 min, 100 per address)."""

    account_window: timedelta = timedelta(minutes=15)
    account_free_failures: int = 5
    account_base_delay: timedelta = timedelta(seconds=30)
    account_max_delay: timedelta = timedelta(minutes=15)
    network_window: timedelta = timedelta(minutes=5)
    network_max_failures: int = 100


class Failures(NamedTuple):
    """The failures of one key inside a window: how many, the oldest and the newest."""

    count: int
    oldest: datetime | None
    newest: datetime | None


class FailureStore(Protocol):
    """Where failures are counted; every worker must see the same counts."""

    def record(self, scope: str, key: str, at: datetime, keep: timedelta) -> None:
        """Add a failure at `at`; failures older than `at - keep` may be dropped."""

    def recent(self, scope: str, key: str, since: datetime) -> Failures:
        """The failures of `key` at or after `since`."""

    def clear(self, scope: str, key: str) -> None:
        """Forget every failure of `key`."""


def account_wait(failures: Failures, moment: datetime, policy: ThrottlePolicy) -> float:
    """Seconds the account must still wait before its next try (0: may try now)."""
    extra = failures.count - policy.account_free_failures
    if extra < 0 or failures.newest is None:
        return 0.0
    delay = min(policy.account_base_delay * (2**extra), policy.account_max_delay)
    return max(0.0, (failures.newest + delay - moment).total_seconds())


def network_wait(failures: Failures, moment: datetime, policy: ThrottlePolicy) -> float:
    """Seconds until the address's oldest counted failure leaves the window (0: may try)."""
    if failures.count < policy.network_max_failures or failures.oldest is None:
        return 0.0
    return max(0.0, (failures.oldest + policy.network_window - moment).total_seconds())


def wait_message(scope: str, seconds: float) -> str:
    """What the login page says while a limit holds."""
    if seconds >= 90:
        amount = f"{math.ceil(seconds / 60)} minutes"
    else:
        amount = f"{max(1, math.ceil(seconds))} seconds"
    who = "this account" if scope == ACCOUNT else "your network"
    return (
        f"Too many failed logins for {who}. To protect it, logging in is paused: "
        f"please wait {amount} and try again."
    )


class Throttle:
    """The login throttle: the policy applied to one store."""

    def __init__(self, store: FailureStore, policy: ThrottlePolicy | None = None) -> None:
        self.store = store
        self.policy = policy or ThrottlePolicy()

    def check(self, username: str, address: str, moment: datetime) -> tuple[str, float] | None:
        """`(scope, seconds to wait)` if a limit holds for this login, else None."""
        policy = self.policy
        account = self.store.recent(ACCOUNT, _key(username), moment - policy.account_window)
        wait = account_wait(account, moment, policy)
        if wait > 0:
            return ACCOUNT, wait
        network = self.store.recent(NETWORK, _key(address), moment - policy.network_window)
        wait = network_wait(network, moment, policy)
        if wait > 0:
            return NETWORK, wait
        return None

    def failed(self, username: str, address: str, moment: datetime) -> None:
        """Count a failed login against the account and the address."""
        self.store.record(ACCOUNT, _key(username), moment, self.policy.account_window)
        self.store.record(NETWORK, _key(address), moment, self.policy.network_window)

    def forget(self, username: str) -> None:
        """Drop the account's failed logins (the address keeps its own): after a correct
        password (:meth:`succeeded`), or when the user is deleted (privacy)."""
        self.store.clear(ACCOUNT, _key(username))

    succeeded = forget


def _key(value: str) -> str:
    return (value or "-")[:KEY_LENGTH]


class DatabaseStore:
    """Failures as rows of `login_failures`; each call commits its own change."""

    def record(self, scope: str, key: str, at: datetime, keep: timedelta) -> None:
        db.session.execute(
            sa.delete(LoginFailure).where(
                LoginFailure.scope == scope, LoginFailure.key == key, LoginFailure.at < at - keep
            )
        )
        db.session.add(LoginFailure(scope=scope, key=key, at=at))
        db.session.commit()

    def recent(self, scope: str, key: str, since: datetime) -> Failures:
        at = LoginFailure.at
        count, oldest, newest = db.session.execute(
            sa.select(sa.func.count(LoginFailure.id), sa.func.min(at), sa.func.max(at)).where(
                LoginFailure.scope == scope, LoginFailure.key == key, at >= since
            )
        ).one()
        # min()/max() lose the column type on SQLite: restore aware UTC datetimes.
        return Failures(count, _aware(oldest), _aware(newest))

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


class RedisStore:
    """Failures as Redis sorted sets (score: UNIX time), one per scope and key."""

    def __init__(self, client: Any, prefix: str = "framinglab:login-failures") -> None:
        self.client = client
        self.prefix = prefix

    def _name(self, scope: str, key: str) -> str:
        return f"{self.prefix}:{scope}:{key}"

    def record(self, scope: str, key: str, at: datetime, keep: timedelta) -> None:
        name = self._name(scope, key)
        score = at.timestamp()
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(name, "-inf", f"({score - keep.total_seconds()}")
        pipe.zadd(name, {f"{score}:{secrets.token_hex(4)}": score})
        pipe.expire(name, math.ceil(keep.total_seconds()))
        pipe.execute()

    def recent(self, scope: str, key: str, since: datetime) -> Failures:
        name = self._name(scope, key)
        low = since.timestamp()
        pipe = self.client.pipeline()
        pipe.zcount(name, low, "+inf")
        pipe.zrangebyscore(name, low, "+inf", start=0, num=1, withscores=True)
        pipe.zrevrangebyscore(name, "+inf", low, start=0, num=1, withscores=True)
        count, oldest, newest = pipe.execute()
        return Failures(int(count), _from_scores(oldest), _from_scores(newest))

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


def init_app(app: Flask) -> None:
    """Build the app's throttle from REDIS_URL (unset: the database)."""
    app.extensions["login_throttle"] = Throttle(make_store(app.config.get("REDIS_URL")))


def login_throttle() -> Throttle:
    """The current app's throttle."""
    throttle: Throttle = current_app.extensions["login_throttle"]
    return throttle
