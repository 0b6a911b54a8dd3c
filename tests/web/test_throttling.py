"""Login throttling slows the guessing source, never a whole class (F5, F6, F13).

The policy as pure functions; then the same behaviour on both backends (database, and
Redis when TEST_REDIS_URL or REDIS_URL names a server), in parallel too; the login form's
behaviour (what a student sees) is in test_throttling_pages.py.
"""

from __future__ import annotations

import os
import secrets
import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.security.throttle import (
    ACCOUNT,
    DEVICE,
    PAIR,
    Attempt,
    DatabaseStore,
    Failures,
    RedisStore,
    Refusal,
    Throttle,
    ThrottlePolicy,
    backoff_wait,
    pair_free_failures,
    quota_wait,
    tries_allowed,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy()
SCHOOL = "203.0.113.7"
HOME = "198.51.100.9"
REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")


# --- the policy, as pure functions -------------------------------------------------------


def test_five_failures_are_free_then_the_wait_doubles() -> None:
    def wait(count: int) -> float:
        return backoff_wait(Failures(count, START, START), 5, START, POLICY)

    assert [wait(n) for n in (0, 4)] == [0, 0]
    assert [wait(n) for n in (5, 6, 7)] == [30, 60, 120]
    assert wait(40) == wait(4000) == POLICY.max_delay.total_seconds()


def test_the_wait_counts_from_the_latest_failure() -> None:
    failures = Failures(5, START - timedelta(minutes=3), START)
    assert backoff_wait(failures, 5, START + timedelta(seconds=20), POLICY) == 10
    assert backoff_wait(failures, 5, START + timedelta(seconds=30), POLICY) == 0


def test_a_spraying_address_leaves_each_pair_one_free_try() -> None:
    assert pair_free_failures(Failures(99, START, START), POLICY) == 5
    assert pair_free_failures(Failures(100, START, START), POLICY) == 1


def test_tries_allowed_are_the_free_ones_left_or_one_after_a_wait() -> None:
    assert [tries_allowed(n, 5) for n in (0, 3, 5, 9)] == [5, 2, 1, 1]


def test_a_quota_holds_until_its_oldest_entry_leaves_the_window() -> None:
    window = timedelta(hours=1)
    oldest = START - timedelta(minutes=50)
    assert quota_wait(Failures(19, oldest, START), 20, window, START) == 0
    assert quota_wait(Failures(20, oldest, START), 20, window, START) == 600


# --- both backends -----------------------------------------------------------------------


@pytest.fixture(params=["database", "redis"])
def throttle(request, app):
    if request.param == "database":
        with app.app_context():
            yield Throttle(DatabaseStore(), secret="test")
        return
    if not REDIS_URL:
        pytest.skip("set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to test Redis")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    prefix = f"framinglab-test:{secrets.token_hex(6)}"
    yield Throttle(RedisStore(client, prefix=prefix), secret="test")
    for name in client.scan_iter(f"{prefix}:*"):
        client.delete(name)
    client.close()


def fail(throttle: Throttle, username: str, address: str, moment: datetime,
         device: str | None = None) -> None:
    """One wrong password: begin() reserves the attempt, which then stays as the failure."""
    assert isinstance(throttle.begin(username, address, device, moment), Attempt)


def test_a_guessed_pair_is_paused_and_a_success_clears_it(throttle) -> None:
    for _ in range(5):
        fail(throttle, "alice", SCHOOL, START)
    assert throttle.begin("alice", SCHOOL, None, START + timedelta(seconds=10)) == Refusal(
        PAIR, 20)
    assert isinstance(throttle.begin("bob", SCHOOL, None, START), Attempt)  # others untouched
    later = START + timedelta(seconds=30)
    attempt = throttle.begin("alice", SCHOOL, None, later)
    assert isinstance(attempt, Attempt)
    throttle.succeeded(attempt)
    for _ in range(5):
        fail(throttle, "alice", SCHOOL, later)


def test_the_owner_at_another_address_is_not_slowed(throttle) -> None:
    for _ in range(8):
        throttle.begin("alice", SCHOOL, None, START)
    assert isinstance(throttle.begin("alice", SCHOOL, None, START), Refusal)
    assert isinstance(throttle.begin("alice", HOME, None, START), Attempt)


def test_old_failures_leave_the_window(throttle) -> None:
    for _ in range(6):
        throttle.begin("alice", SCHOOL, None, START)
    later = START + POLICY.pair_window + timedelta(seconds=1)
    assert isinstance(throttle.begin("alice", SCHOOL, None, later), Attempt)


def test_guesses_spread_over_many_addresses_meet_the_account_ceiling(throttle) -> None:
    for number in range(POLICY.account_free_failures):
        fail(throttle, "alice", f"10.0.{number // 250}.{number % 250}", START)
    refusal = throttle.begin("alice", HOME, None, START)
    assert refusal == Refusal(ACCOUNT, 30)
    # ...but not the owner's browser, which holds a device cookie.
    assert isinstance(throttle.begin("alice", HOME, "7:nonce", START), Attempt)


def test_a_spraying_address_never_refuses_a_first_try(throttle) -> None:
    for number in range(150):
        throttle.begin(f"nobody{number}", SCHOOL, None, START + timedelta(seconds=number))
    moment = START + timedelta(seconds=150)
    assert isinstance(throttle.begin("alice", SCHOOL, None, moment), Attempt)  # a typo
    refusal = throttle.begin("alice", SCHOOL, None, moment)
    assert isinstance(refusal, Refusal) and refusal.scope == PAIR
    assert isinstance(throttle.begin("alice", HOME, None, moment), Attempt)


def test_a_device_cookie_exempts_until_it_fails_too_often(throttle) -> None:
    for _ in range(6):
        throttle.begin("alice", SCHOOL, None, START)
    assert isinstance(throttle.begin("alice", SCHOOL, None, START), Refusal)
    for _ in range(POLICY.device_max_failures):
        attempt = throttle.begin("alice", SCHOOL, "7:nonce", START)
        assert isinstance(attempt, Attempt) and attempt.trusted_device
    # A stolen cookie is good for 10 guesses, then the pair's wait applies to it as well.
    assert isinstance(throttle.begin("alice", SCHOOL, "7:nonce", START), Refusal)
    assert isinstance(throttle.begin("alice", SCHOOL, "7:other", START), Attempt)


def test_a_login_by_device_cookie_leaves_the_guessers_count(throttle) -> None:
    for _ in range(5):
        fail(throttle, "alice", SCHOOL, START)
    owner = throttle.begin("alice", SCHOOL, "7:nonce", START)
    assert isinstance(owner, Attempt)
    throttle.succeeded(owner)
    assert isinstance(throttle.begin("alice", SCHOOL, None, START), Refusal)


def test_a_quota_refuses_once_full_and_frees_up_with_the_window(throttle) -> None:
    hour = timedelta(hours=1)
    for number in range(3):
        assert isinstance(throttle.reserve_quota("signup", SCHOOL, 3, hour,
                                                 START + timedelta(minutes=number)), list)
    refusal = throttle.reserve_quota("signup", SCHOOL, 3, hour, START + timedelta(minutes=10))
    assert refusal == Refusal("signup", 50 * 60)
    assert isinstance(throttle.reserve_quota("signup", HOME, 3, hour, START), list)
    assert isinstance(throttle.reserve_quota("signup", SCHOOL, 3, hour,
                                             START + hour + timedelta(seconds=1)), list)


# --- in parallel (F13): reserve first, then count ----------------------------------------


def _in_parallel(app, throttle: Throttle, work, threads: int = 30) -> list:
    """Run ``work()`` in `threads` threads released at once (each with its own database
    session, as each request of a threaded server has); return their results."""
    barrier = threading.Barrier(threads)
    results: list = []
    lock = threading.Lock()

    def run() -> None:
        with app.app_context():
            barrier.wait()
            result = work()
        with lock:
            results.append(result)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


def test_thirty_parallel_guesses_get_no_more_tries_than_five_serial_ones(app, throttle):
    results = _in_parallel(app, throttle, lambda: throttle.begin("alice", SCHOOL, None, START))
    assert len(results) == 30
    tried = sum(isinstance(result, Attempt) for result in results)
    # Never more than five serial guesses would get. A rush past the budget may be refused
    # whole (each sees the others' reservations and gives its own back): only a guesser
    # sends thirty at once, and every refusal says to wait.
    assert tried <= POLICY.pair_free_failures
    assert all(isinstance(result, Attempt) or result.wait > 0 for result in results)


def test_a_parallel_rush_on_a_quota_stays_within_it(app, throttle):
    hour = timedelta(hours=1)
    results = _in_parallel(
        app, throttle, lambda: throttle.reserve_quota("signup", SCHOOL, 5, hour, START))
    assert 1 <= sum(isinstance(result, list) for result in results) <= 5


def test_the_redis_backend_is_used_when_redis_url_is_set(database_settings) -> None:
    if not REDIS_URL:
        pytest.skip("set TEST_REDIS_URL to test Redis")
    from app import create_app

    app = create_app({**database_settings, "REDIS_URL": REDIS_URL})
    assert isinstance(app.extensions["login_throttle"].store, RedisStore)
    app.extensions["login_throttle"].store.client.close()


def test_device_scope_fits_the_table() -> None:
    assert len(DEVICE) <= 16 and len(PAIR) <= 16  # login_failures.scope is String(16)
