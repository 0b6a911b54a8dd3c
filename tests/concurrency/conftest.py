"""A real server in its own process, and a small cookie-keeping HTTP browser for it.

The server (``serve.py``) runs on the test's database, so rows the test builds are the
rows it serves; the ``app`` fixture deletes them afterwards, as for every test.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask

from tests.helpers import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
_CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
_FIELD = re.compile(r'name="(submission|version)" value="([^"]+)"')


@pytest.fixture
def live_server(app: Flask) -> Iterator[tuple[str, int]]:
    """(host, port) of the app served by a threaded werkzeug server in a subprocess."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    process = subprocess.Popen([sys.executable, "-m", "tests.concurrency.serve", uri],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=os.environ.copy())
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip().isdigit(), f"the test server did not start: {line!r}"
        yield "127.0.0.1", int(line)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


class Browser:
    """Keeps cookies like a browser (one session), never follows redirects."""

    def __init__(self, server: tuple[str, int]) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str,
                form: list[tuple[str, str]] | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(*self.server, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            connection.close()

    def csrf_token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        match = _CSRF.search(page)
        assert match, f"no CSRF token on {path} ({status})"
        return match.group(1)

    def log_in(self, username: str) -> None:
        token = self.csrf_token("/auth/login")
        status, _, _ = self.request("POST", "/auth/login", [
            ("csrf_token", token), ("username", username), ("password", DEFAULT_PASSWORD)])
        assert status == 302, f"{username} could not log in ({status})"

    def open_quiz(self, path: str) -> dict[str, str]:
        """The hidden fields of the quiz form at ``path`` (CSRF, submission token, version):
        the whole lesson's form or, one question at a time, the review step's."""
        status, _, page = self.request("GET", path + "?q=review")
        assert status == 200, status
        fields = dict(_FIELD.findall(page))
        fields["csrf_token"] = _CSRF.search(page).group(1)
        return fields
