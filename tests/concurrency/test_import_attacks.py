"""The review's worst import payloads against the production server (issue 11, F1, F2).

``"[" * 60000`` in a lesson file segfaulted a gunicorn worker (``Worker … was sent
SIGSEGV``) and nested aliases took 6-8 s and 424 MiB. Under gunicorn with the production
configuration each is now a 400 in under 100 ms (the median of a few tries, so a busy
machine does not decide), and the same workers keep serving afterwards. The form is
sent as the import page's form sends it: ``multipart/form-data``.
"""

from __future__ import annotations

import http.client
import secrets
import statistics
import time
from pathlib import Path

from tests.concurrency.conftest import Browser
from tests.concurrency.test_production_server import _gunicorn, _stop
from tests.helpers import free_port, wait_until_serving
from tests.web.test_import_guard import BILLION_LAUGHS, ORIGINAL

F1 = ORIGINAL.replace("level: intro", "level: " + "[" * 60000 + "]" * 60000)
TRIES = 5


def _worker_pids(master: int) -> set[int]:
    """The processes gunicorn's master has started (its workers), from /proc."""
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1] \
                    .split()[1] == str(master):
                pids.add(int(entry.name))
        except OSError:
            continue
    return pids


def _post_form(browser: Browser, path: str, fields: dict[str, str]) -> tuple[int, str]:
    """POST ``fields`` as multipart/form-data with the browser's cookies."""
    boundary = secrets.token_hex(16)
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        f"{value}\r\n".encode() for name, value in fields.items()) + f"--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection(*browser.server, timeout=30)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_the_f1_and_f2_payloads_are_quick_400s_and_the_workers_survive(app, make_user):
    teacher = make_user("server-teacher", role="teacher")
    port = free_port()
    process = _gunicorn(app, port, SECRET_KEY=secrets.token_hex(32))
    log = ""
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process, lambda: _stop(process))
        deadline = time.monotonic() + 10
        while len(_worker_pids(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = _worker_pids(process.pid)
        assert len(workers) == 2
        browser = Browser(("127.0.0.1", port))
        browser.log_in(teacher.username)
        token = browser.csrf_token("/teach/lessons/import")
        for payload, message in ((F1, "nested too deep"),
                                 (BILLION_LAUGHS, "marks a part of the file to repeat")):
            took = []
            for _ in range(TRIES):
                started = time.perf_counter()
                status, page = _post_form(browser, "/teach/lessons/import",
                                          {"csrf_token": token, "text": payload})
                took.append(time.perf_counter() - started)
                assert status == 400, page[:500]
                assert message in page
            assert statistics.median(took) < 0.1, took
        status, _, _ = browser.request("GET", "/healthz")
        assert status == 200
        assert _worker_pids(process.pid) == workers  # no worker died and was replaced
    finally:
        log = _stop(process)
    assert "SIGSEGV" not in log and "was sent" not in log, log
