"""No lost or doubled answers, against a real threaded server in another process.

Fifty copies of one submission sent at the same instant (a double click times fifty, or
a flaky network resending) store one attempt; a burst of distinct submissions stores
exactly the ones the server acknowledged. Runs on SQLite and, with TEST_DATABASE_URL,
on PostgreSQL.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from app.extensions import db
from app.models import Attempt
from tests.web.results_builders import gen_lesson, gen_user, load_documents

LESSON_PATH = "/lessons/two-questions"
# Full marks on the small lesson: both loaded words and the right frame.
ANSWERS = [("words.w", "1"), ("words.w", "5"), ("frame.choice", "people")]


def build(app, *usernames: str) -> None:
    with app.app_context():
        load_documents()
        gen_lesson()
        for name in usernames:
            gen_user(name)


def stored_attempts(app) -> list[Attempt]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Attempt).order_by(Attempt.id)))


def fire_together(jobs, count: int):
    """Run ``jobs[i]()`` for every i in ``count`` threads released by one barrier."""
    barrier = threading.Barrier(count)

    def run(index: int):
        barrier.wait()
        return jobs(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_fifty_identical_submissions_store_one_attempt(app, live_server):
    from tests.concurrency.conftest import Browser

    build(app, "ann")
    browser = Browser(live_server)
    browser.log_in("ann")
    fields = browser.open_quiz(LESSON_PATH)
    form = [(name, fields[name]) for name in ("csrf_token", "submission", "version")] + ANSWERS

    results = fire_together(lambda _: browser.request("POST", LESSON_PATH, form), 50)

    [attempt] = stored_attempts(app)
    assert (attempt.score, attempt.max_score) == (3.0, 3.0)
    statuses = sorted(status for status, _, _ in results)
    assert set(statuses) <= {303, 409}, statuses
    for status, headers, page in results:
        if status == 303:
            assert headers["Location"].endswith(f"/attempts/{attempt.id}")
        else:
            assert "Already submitted" in page
            assert f'href="/attempts/{attempt.id}"' in page
    assert statuses.count(303) >= 1


def test_stored_attempts_equal_acknowledged_submissions(app, live_server):
    from tests.concurrency.conftest import Browser

    students = [f"student-{n}" for n in range(5)]
    build(app, *students)
    forms = []
    for name in students:
        browser = Browser(live_server)
        browser.log_in(name)
        for _ in range(8):  # eight tabs: eight distinct submission tokens
            fields = browser.open_quiz(LESSON_PATH)
            forms.append((browser, [(key, fields[key])
                                    for key in ("csrf_token", "submission", "version")]
                          + ANSWERS))

    results = fire_together(
        lambda i: forms[i][0].request("POST", LESSON_PATH, forms[i][1]), len(forms))

    statuses = [status for status, _, _ in results]
    assert all(status < 500 for status in statuses), statuses
    acknowledged = {int(re.search(r"/attempts/(\d+)$", headers["Location"]).group(1))
                    for status, headers, _ in results if status == 303}
    stored = stored_attempts(app)
    assert {attempt.id for attempt in stored} == acknowledged
    assert len(stored) == statuses.count(303) == len(forms)
