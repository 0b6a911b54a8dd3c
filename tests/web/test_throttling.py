"""Login throttling: guessing one account's password is slowed, a whole class can log in.

The same behaviour is checked on both backends (database, and Redis when TEST_REDIS_URL
or REDIS_URL names a server), then end to end through the login form.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from app.security import clock
from app.security.throttle import (
    ACCOUNT,
    NETWORK,
    DatabaseStore,
    Failures,
    RedisStore,
    Throttle,
    ThrottlePolicy,
    account_wait,
    network_wait,
)
from tests.helpers import csrf_token

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy()
SCHOOL = "203.0.113.7"
REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")


# --- the policy, as pure functions -------------------------------------------------------


def test_five_account_failures_are_free_then_the_wait_doubles() -> None:
    def wait(count: int) -> float:
        return account_wait(Failures(count, START, START), START, POLICY)

    assert [wait(n) for n in (0, 4)] == [0, 0]
    assert [wait(n) for n in (5, 6, 7)] == [30, 60, 120]
    assert wait(40) == POLICY.account_max_delay.total_seconds()


def test_the_account_wait_counts_from_the_latest_failure() -> None:
    failures = Failures(5, START - timedelta(minutes=3), START)
    assert account_wait(failures, START + timedelta(seconds=20), POLICY) == 10
    assert account_wait(failures, START + timedelta(seconds=30), POLICY) == 0


def test_the_network_limit_holds_until_the_oldest_failure_leaves_the_window() -> None:
    oldest = START - timedelta(minutes=4)
    assert network_wait(Failures(99, oldest, START), START, POLICY) == 0
    assert network_wait(Failures(100, oldest, START), START, POLICY) == 60


# --- both backends -----------------------------------------------------------------------


@pytest.fixture(params=["database", "redis"])
def throttle(request, app):
    if request.param == "database":
        with app.app_context():
            yield Throttle(DatabaseStore())
        return
    if not REDIS_URL:
        pytest.skip("set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to test Redis")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    prefix = f"framinglab-test:{secrets.token_hex(6)}"
    yield Throttle(RedisStore(client, prefix=prefix))
    for name in client.scan_iter(f"{prefix}:*"):
        client.delete(name)
    client.close()


def test_a_guessed_account_is_paused_and_a_success_clears_it(throttle) -> None:
    for _ in range(5):
        assert throttle.check("alice", SCHOOL, START) is None
        throttle.failed("alice", SCHOOL, START)
    assert throttle.check("alice", SCHOOL, START + timedelta(seconds=10)) == (ACCOUNT, 20)
    assert throttle.check("bob", SCHOOL, START) is None  # other accounts are untouched
    assert throttle.check("alice", SCHOOL, START + timedelta(seconds=30)) is None
    throttle.succeeded("alice")
    throttle.failed("alice", SCHOOL, START + timedelta(seconds=31))
    assert throttle.check("alice", SCHOOL, START + timedelta(seconds=31)) is None


def test_old_failures_leave_the_account_window(throttle) -> None:
    for _ in range(6):
        throttle.failed("alice", SCHOOL, START)
    later = START + POLICY.account_window + timedelta(seconds=1)
    assert throttle.check("alice", SCHOOL, later) is None


def test_a_hundred_failures_from_one_address_pause_that_address_only(throttle) -> None:
    for number in range(100):
        moment = START + timedelta(seconds=number)
        throttle.failed(f"student{number}", SCHOOL, moment)
    now = START + timedelta(seconds=100)
    limit = throttle.check("newcomer", SCHOOL, now)
    assert limit is not None and limit[0] == NETWORK
    assert limit[1] == pytest.approx(200)  # the first failure leaves the 5-minute window
    assert throttle.check("newcomer", "198.51.100.9", now) is None


# --- through the login form --------------------------------------------------------------


@pytest.fixture
def fake_clock(monkeypatch):
    state = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: state["now"])
    return state


def post_login(client, username: str, password: str, address: str = SCHOOL):
    token = csrf_token(client, "/auth/login")
    return client.post(
        "/auth/login",
        data={"csrf_token": token, "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_guessing_one_password_gets_a_429_with_a_clear_message(client, make_user, fake_clock):
    student = make_user()
    for _ in range(5):
        assert post_login(client, student.username, "wrong guess!").status_code == 200
    response = post_login(client, student.username, "correct-horse-battery")
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many failed logins for this account" in page and "30 seconds" in page
    assert f'value="{student.username}"' in page

    fake_clock["now"] = START + timedelta(seconds=31)
    assert post_login(client, student.username, "correct-horse-battery").status_code == 302


def test_thirty_students_behind_one_address_all_log_in_within_a_minute(app, make_user,
                                                                        fake_clock):
    students = [make_user() for _ in range(30)]
    for number, student in enumerate(students):
        fake_clock["now"] = START + timedelta(seconds=2 * number)
        browser = app.test_client()
        # Every third student mistypes once first: 10 failures, far below the address limit.
        if number % 3 == 0:
            assert post_login(browser, student.username, "typo typo").status_code == 200
        assert post_login(browser, student.username, "correct-horse-battery").status_code == 302


def test_the_redis_backend_is_used_when_redis_url_is_set(database_settings) -> None:
    if not REDIS_URL:
        pytest.skip("set TEST_REDIS_URL to test Redis")
    from app import create_app

    app = create_app({**database_settings, "REDIS_URL": REDIS_URL})
    assert isinstance(app.extensions["login_throttle"].store, RedisStore)
    app.extensions["login_throttle"].store.client.close()
