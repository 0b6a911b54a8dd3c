"""`make serve`'s server: gunicorn with gunicorn.conf.py, in production mode, for real.

The load benchmark starts gunicorn with the same file; these tests check that it boots
several worker processes that all serve the app from the shared database, and that
production mode refuses to start without a real SECRET_KEY.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

from tests.concurrency.conftest import ROOT, Browser
from tests.helpers import free_port, wait_until_serving
from tests.web import test_student
from tests.web.classes_builders import enrol, library_lesson_id, make_assignment, make_class

CONFIG = ROOT / "gunicorn.conf.py"
library = test_student.library  # the fixture that loads the seeds and the shipped lessons


def _gunicorn(app: Flask, port: int, **settings: str) -> subprocess.Popen[str]:
    env = os.environ.copy()
    env.update({"FRAMINGLAB_ENV": "production",
                "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "SESSION_COOKIE_SECURE": "0", "BIND": f"127.0.0.1:{port}",
                "WORKERS": "2", "THREADS": "2", "ACCESS_LOG": ""})
    env.update(settings)
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(CONFIG),
                             "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.terminate()
    out, _ = process.communicate(timeout=30)
    return out


def _workers_of(pid: int) -> int:
    """How many processes ``pid`` has started (gunicorn's workers), from /proc."""
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1] \
                    .split()[1] == str(pid):
                count += 1
        except OSError:
            continue
    return count


def test_the_production_server_runs_several_workers_that_share_logins(app, make_user,
                                                                      library):
    teacher = make_user("server-teacher", role="teacher")
    student = make_user("server-student")
    klass = make_class(app, teacher.id)
    enrol(app, klass, student.id)
    assignment = make_assignment(app, klass, library_lesson_id(app))
    port = free_port()
    process = _gunicorn(app, port, SECRET_KEY=secrets.token_hex(32))
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process, lambda: _stop(process))
        deadline = time.monotonic() + 10
        while _workers_of(process.pid) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _workers_of(process.pid) == 2  # WORKERS=2, read from gunicorn.conf.py
        browser = Browser(("127.0.0.1", port))
        browser.log_in(student.username)
        # Ten pages over new connections land on both workers: the login (a server-side
        # session in the database) holds on every one of them.
        for _ in range(10):
            status, _, page = browser.request("GET", f"/assignments/{assignment}")
            assert status == 200 and 'name="version"' in page
    finally:
        _stop(process)


def test_production_mode_refuses_to_start_without_a_secret_key(app):
    process = _gunicorn(app, free_port(), SECRET_KEY="")
    try:
        process.wait(timeout=60)
    finally:
        out = _stop(process)
    assert process.returncode != 0
    assert "SECRET_KEY is not set" in out
