"""A cheap load generator: one thread per simulated browser, `http.client` with keep-alive.

Cheap matters: on a 2-core machine the generator shares the CPU with gunicorn, and
`http.client` in plain threads costs far less per request than a gevent-based tool.
"""

from __future__ import annotations

import html
import http.client
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

_CSRF = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="(submission|version)" value="([^"]*)"')
_CHOICE = re.compile(r'<input (?:class="mark" )?type="(checkbox|radio)" id="[^"]*" '
                     r'name="([^"]+)" value="([^"]+)"')


class LoadError(Exception):
    """A response that a real student would see as a failure."""


@dataclass
class Stats:
    """Latencies (seconds) per step, errors per step, and the run's wall-clock window."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    finished: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            if error:
                self.errors[step].append(error)
            else:
                self.latencies[step].append(seconds)
                self.finished[step].append(time.perf_counter())


class Browser:
    """One student's browser: a keep-alive connection and a cookie jar."""

    def __init__(self, host: str, port: int, stats: Stats, timeout: float = 60.0) -> None:
        self.host, self.port, self.stats, self.timeout = host, port, stats, timeout
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def close(self) -> None:
        self.conn.close()

    def fetch(self, step: str | None, method: str, path: str,
              form: dict[str, str] | list[tuple[str, str]] | None = None,
              expect: tuple[int, ...] = (200,)) -> tuple[int, dict[str, str], str]:
        """One request; its latency is recorded under ``step`` (if given)."""
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for retry in (True, False):
            reused = self.conn.sock is not None
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError) as problem:
                # The server closed an idle keep-alive connection as we reused it: a
                # browser silently retries on a new connection, and so do we, once.
                self.conn.close()
                if not (retry and reused):
                    self._fail(step, f"{type(problem).__name__}: {problem}")
            except (OSError, http.client.HTTPException) as problem:
                self.conn.close()  # reconnects on the next request
                self._fail(step, f"{type(problem).__name__}: {problem}")
        elapsed = time.perf_counter() - started
        if response.status not in expect:
            self._fail(step, f"HTTP {response.status} on {method} {path}")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        if step:
            self.stats.record(step, elapsed)
        return response.status, dict(response.getheaders()), text

    def _fail(self, step: str | None, message: str) -> None:
        if step:
            self.stats.record(step, 0.0, message)
        raise LoadError(message)

    # --- what a student does ---------------------------------------------------------------

    def log_in(self, username: str, password: str) -> None:
        _, _, page = self.fetch("login form", "GET", "/auth/login")
        token = _CSRF.search(page)
        if token is None:
            self._fail("login", "no CSRF token on the login form")
        self.fetch("login", "POST", "/auth/login", expect=(302, 303), form={
            "csrf_token": html.unescape(token.group(1)), "username": username,
            "password": password})

    def open_lesson(self, path: str) -> str:
        return self.fetch("open lesson", "GET", path)[2]

    def submit_and_read(self, path: str, page: str) -> None:
        _, headers, _ = self.fetch("submit", "POST", path, form=answers_from(page),
                                   expect=(303,))
        location = headers.get("Location", "")
        if "/attempts/" not in location:
            self._fail("feedback", f"submit redirected to {location!r}")
        self.fetch("feedback", "GET", location[location.index("/attempts/"):])


def answers_from(page: str) -> list[tuple[str, str]]:
    """A plausible, deterministic answer to every question on a quiz page.

    The first option of every frame choice, and every third word or sentence of every
    excerpt (some right, some wrong): the server scores real, varied answers.
    """
    token = _CSRF.search(page)
    if token is None:
        raise LoadError("no CSRF token on the quiz page")
    form = [("csrf_token", html.unescape(token.group(1)))]
    form += [(name, html.unescape(value)) for name, value in _HIDDEN.findall(page)]
    chosen: set[str] = set()
    for kind, name, value in _CHOICE.findall(page):
        if kind == "radio":
            if name not in chosen:
                chosen.add(name)
                form.append((name, value))
        elif int(value) % 3 == 1:
            form.append((name, value))
    return form


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[rank]
