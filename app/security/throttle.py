"""Login throttling that slows the guessing source, never a whole school (ASVS 5, V6.3).

Students share a school's address (NAT) and their usernames are no secret, so a limit on
an account alone lets anyone keep a classmate out, and a limit on an address alone lets one
pupil lock out the school. The limits, checked before a password is looked at:

- per (account, address) pair, the main limit: the first `pair_free_failures` (5) failures
  in 15 minutes cost nothing; each one after that doubles a wait (30 s, 1 min, 2 min ... at
  most 15 min) before that pair's next try. Someone guessing at one address slows only
  their own tries for that account: the owner at another address is not affected.
- per account, across all addresses: a high ceiling (50 failures in 15 minutes, then the
  same doubling waits) against guessing spread over many addresses.
- per address, failures over all accounts (100 in 5 minutes) never refuse anyone: a
  spraying address only loses the free failures of its pairs (every account still gets
  its first try from there, then the waits).
- a device cookie (app.security.devices), set by a successful login and naming that
  account, exempts its browser from the pair and account limits; a wrong password still
  counts, and after `device_max_failures` (10) in 15 minutes the cookie no longer exempts.

Under concurrency the policy still holds: `begin` reserves the attempt (records it as a
failure, committed) *before* the password is checked, then counts again including every
reservation made meanwhile, and takes its own back if that count is over the budget. A
correct password takes the reservation back (`succeeded`).

Account creation is limited by `reserve_quota`: the store reserves a place in a budget
(reserve-then-count in the database, one atomic script in Redis).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from flask import Flask, current_app

from app.security.failstore import (
    DatabaseStore,
    Entry,
    Failures,
    FailureStore,
    RedisStore,
    Token,
    make_store,
)

__all__ = ["DatabaseStore", "Failures", "RedisStore"]  # the stores, re-exported

PAIR: Final = "pair"
ACCOUNT: Final = "account"
NETWORK: Final = "network"
DEVICE: Final = "device"


@dataclass(frozen=True)
class ThrottlePolicy:
    """The limits. Every number here is what docs/deploy.md promises."""

    pair_window: timedelta = timedelta(minutes=15)
    pair_free_failures: int = 5
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)
    account_window: timedelta = timedelta(minutes=15)
    account_free_failures: int = 50
    network_window: timedelta = timedelta(minutes=5)
    network_max_failures: int = 100
    # A spraying address's pairs: the first try, then the waits.
    hot_network_free_failures: int = 1
    device_window: timedelta = timedelta(minutes=15)
    device_max_failures: int = 10


def backoff_wait(failures: Failures, free: int, moment: datetime,
                 policy: ThrottlePolicy) -> float:
    """Seconds to wait before the next try after `failures`, the first `free` costing
    nothing and each further one doubling the wait (0: may try now)."""
    extra = failures.count - free
    if extra < 0 or failures.newest is None:
        return 0.0
    # 2**20 base delays is far past the ceiling; capping the exponent avoids an overflow.
    delay = min(policy.base_delay * (2 ** min(extra, 20)), policy.max_delay)
    return max(0.0, (failures.newest + delay - moment).total_seconds())


def pair_free_failures(network: Failures, policy: ThrottlePolicy) -> int:
    """Free failures of each pair at an address: fewer while the address sprays guesses."""
    if network.count >= policy.network_max_failures:
        return policy.hot_network_free_failures
    return policy.pair_free_failures


def tries_allowed(count: int, free: int) -> int:
    """How many password checks may start now for a key with `count` recent failures and
    no wait pending: the free failures left, or the one try a finished wait allows."""
    return free - count if count < free else 1


def quota_wait(entries: Failures, limit: int, window: timedelta, moment: datetime) -> float:
    """Seconds until the oldest of `limit` entries leaves the window (0: under the limit)."""
    if entries.count < limit or entries.oldest is None:
        return 0.0
    return max(0.0, (entries.oldest + window - moment).total_seconds())


def describe_wait(seconds: float) -> str:
    """`seconds` as people say it: "40 seconds", "3 minutes"."""
    if seconds >= 90:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{max(1, math.ceil(seconds))} seconds"


def wait_message(scope: str, seconds: float) -> str:
    """What the login page says while a limit holds."""
    who = {PAIR: "this account from your network", ACCOUNT: "this account",
           DEVICE: "this account on this device"}.get(scope, "this account")
    text = (f"Too many failed logins for {who}. To protect it, logging in is paused: "
            f"please wait {describe_wait(seconds)} and try again.")
    if scope == PAIR:
        text += " On a device you have logged in from before, you can log in now."
    return text


@dataclass(frozen=True)
class Refusal:
    """A limit holds: which one, and how many seconds remain."""

    scope: str
    wait: float


@dataclass(frozen=True)
class Attempt:
    """A reserved login attempt: counted as a failure until `Throttle.succeeded`."""

    pair_key: str
    trusted_device: bool
    tokens: list[Token] = field(default_factory=list)


class Throttle:
    """The login throttle: the policy applied to one store."""

    def __init__(self, store: FailureStore, policy: ThrottlePolicy | None = None,
                 secret: str = "") -> None:
        self.store = store
        self.policy = policy or ThrottlePolicy()
        self._salt = hashlib.sha256(secret.encode()).digest()

    def pair_key(self, username: str, address: str) -> str:
        """A keyed hash of (account, address): 64 characters whatever their lengths, and
        no list of who logged in from where in the table."""
        digest = hashlib.blake2b(f"{username}\0{address}".encode(), key=self._salt,
                                 digest_size=32)
        return digest.hexdigest()

    def begin(self, username: str, address: str, device: str | None,
              moment: datetime) -> Attempt | Refusal:
        """Reserve a login attempt, or say which limit holds.

        `device` is the key of a valid device cookie naming this account (None: none).
        """
        policy, store = self.policy, self.store
        pair, account, network = (self.pair_key(username, address), _key(username),
                                  _key(address))
        limits: list[tuple[str, str, timedelta, int, int]] = []  # scope, key, window, free, n
        trusted = False
        if device is not None:
            used = store.recent(DEVICE, device, moment - policy.device_window)
            trusted = used.count < policy.device_max_failures
            if trusted:
                limits.append((DEVICE, device, policy.device_window,
                               policy.device_max_failures, used.count))
        if not trusted:
            hot = store.recent(NETWORK, network, moment - policy.network_window)
            for scope, key, window, free in (
                    (PAIR, pair, policy.pair_window, pair_free_failures(hot, policy)),
                    (ACCOUNT, account, policy.account_window, policy.account_free_failures)):
                failures = store.recent(scope, key, moment - window)
                wait = backoff_wait(failures, free, moment, policy)
                if wait > 0:
                    return Refusal(scope, wait)
                limits.append((scope, key, window, free, failures.count))
        entries = [Entry(PAIR, pair, policy.pair_window),
                   Entry(ACCOUNT, account, policy.account_window),
                   Entry(NETWORK, network, policy.network_window)]
        if device is not None:
            entries.append(Entry(DEVICE, device, policy.device_window))
        tokens = store.add(entries, moment)
        # Count again, with every reservation made since the first count: those beyond
        # the budget give theirs back, so parallel tries check no more than serial ones.
        for scope, key, window, free, count in limits:
            now = store.recent(scope, key, moment - window).count
            if now > count + tries_allowed(count, free):
                store.discard(tokens)
                return Refusal(scope, policy.base_delay.total_seconds())
        return Attempt(pair, trusted, tokens)

    def succeeded(self, attempt: Attempt) -> None:
        """A correct password: take the reservation back and, unless a device cookie let
        it in, clear the pair's failures (the owner's typos). After a login by device
        cookie the pair keeps its count: a guesser at the same address gains nothing."""
        self.store.discard(attempt.tokens)
        if not attempt.trusted_device:
            self.store.clear(PAIR, attempt.pair_key)

    def forget(self, username: str) -> None:
        """Drop the account's failed logins across addresses (the user is deleted; pair
        counts are keyed hashes and leave their 15-minute window by themselves)."""
        self.store.clear(ACCOUNT, _key(username))

    def reserve_quota(self, scope: str, key: str, limit: int, window: timedelta,
                      moment: datetime) -> list[Token] | Refusal:
        """Count one event (an account created) against `limit` per `window`, before the
        costly work; a Refusal, with nothing counted, once the limit is reached."""
        key = _key(key)
        token = self.store.reserve(Entry(scope, key, window), moment, limit)
        if token is None:
            entries = self.store.recent(scope, key, moment - window)
            return Refusal(scope, max(1.0, quota_wait(entries, limit, window, moment)))
        return [token]

    def release(self, tokens: list[Token]) -> None:
        """Take back entries that turned out not to count (no account was created)."""
        self.store.discard(tokens)


def _key(value: str) -> str:
    return (value or "-")[:64]


def init_app(app: Flask) -> None:
    """Build the app's throttle from REDIS_URL (unset: the database)."""
    app.extensions["login_throttle"] = Throttle(
        make_store(app.config.get("REDIS_URL")), secret=str(app.secret_key or ""))


def login_throttle() -> Throttle:
    """The current app's throttle."""
    throttle: Throttle = current_app.extensions["login_throttle"]
    return throttle
