"""Parallel requests against a real threaded server: the login throttle's budget holds
(F13) and a username taken twice at once is a clear message, not a 500 (F19)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.security.throttle import ThrottlePolicy
from tests.concurrency.conftest import Browser
from tests.helpers import DEFAULT_PASSWORD
from tests.web.classes_builders import count

INVALID = "Invalid username or password."


def all_at_once(work: list[Callable[[], tuple[int, str]]]) -> list[tuple[int, str]]:
    """Run every callable in its own thread, released together; (status, page) each."""
    barrier = threading.Barrier(len(work))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def run(job: Callable[[], tuple[int, str]]) -> None:
        barrier.wait()
        result = job()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _post(browser: Browser, path: str, form: list[tuple[str, str]]) -> Callable[[], tuple]:
    def job() -> tuple[int, str]:
        status, _, page = browser.request("POST", path, form)
        return status, page
    return job


def test_thirty_parallel_wrong_guesses_check_at_most_five_passwords(app, make_user,
                                                                    live_server):
    student = make_user()
    jobs = []
    for _ in range(30):  # thirty browsers, each with its own form and CSRF token
        browser = Browser(live_server)
        token = browser.csrf_token("/auth/login")
        jobs.append(_post(browser, "/auth/login", [
            ("csrf_token", token), ("username", student.username), ("password", "guess!")]))
    results = all_at_once(jobs)
    statuses = sorted(status for status, _ in results)
    checked = sum(1 for status, page in results if status == 200 and INVALID in page)
    assert set(statuses) <= {200, 429}, statuses
    assert 1 <= checked <= ThrottlePolicy().pair_free_failures, statuses
    # The owner, from another browser at the same address, is paused like the guesser
    # (no device cookie yet) and told how long: never a 500.
    owner = Browser(live_server)
    status, _, page = owner.request("POST", "/auth/login", [
        ("csrf_token", owner.csrf_token("/auth/login")), ("username", student.username),
        ("password", DEFAULT_PASSWORD)])
    assert status in (302, 429), status


def test_five_admins_creating_one_username_at_once_get_one_account(app, make_user,
                                                                   live_server):
    from app.models import User

    admin = make_user(role="admin")
    jobs = []
    for _ in range(5):
        browser = Browser(live_server)
        browser.log_in(admin.username)
        token = browser.csrf_token("/admin/users")
        jobs.append(_post(browser, "/admin/users", [
            ("csrf_token", token), ("username", "ms.lee"), ("role", "teacher"),
            ("password", DEFAULT_PASSWORD), ("password2", DEFAULT_PASSWORD)]))
    results = all_at_once(jobs)
    statuses = sorted(status for status, _ in results)
    assert statuses == [303, 400, 400, 400, 400], statuses
    for status, page in results:
        if status == 400:
            assert "That username is taken" in page
    assert count(app, User, User.username == "ms.lee") == 1


def test_ten_parallel_sign_ups_with_one_name_get_one_account(app, live_server):
    from app.models import User

    jobs = []
    for _ in range(10):
        browser = Browser(live_server)
        token = browser.csrf_token("/auth/register")
        jobs.append(_post(browser, "/auth/register", [
            ("csrf_token", token), ("username", "popular"), ("password", DEFAULT_PASSWORD),
            ("password2", DEFAULT_PASSWORD), ("class_code", "")]))
    results = all_at_once(jobs)
    statuses = sorted(status for status, _ in results)
    assert statuses == [302] + [400] * 9, statuses
    assert all("That username is taken" in page for status, page in results if status == 400)
    assert count(app, User, User.username == "popular") == 1
