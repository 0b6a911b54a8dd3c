"""A cheap load generator: one thread per simulated browser, `http.client` with keep-alive.

Cheap matters: on a 2-core machine the generator shares the CPU with gunicorn, and
`http.client` in plain threads costs far less per request than a gevent-based tool.
"""

from __future__ import annotations

import html
import http.client
import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

_CSRF = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')


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

    def take_lesson(self, path: str, page: str, answers: dict[str, list[tuple[str, str]]],
                    question_ids: list[str]) -> None:
        """One question at a time, as the page does without JavaScript: each Next posts
        the question's marks to the save address (303 to the next step, which is read),
        then the review step's form submits, and the feedback is read."""
        for question_id in question_ids:
            hidden = dict(_STEP_FIELD.findall(page))
            if hidden.get("shown") != question_id:
                self._fail("save", f"expected question {question_id!r} on {path}, "
                                   f"found {hidden.get('shown')!r}")
            form = [(name, html.unescape(hidden[name]))
                    for name in ("csrf_token", "version", "step", "shown")]
            form += answers.get(question_id, []) + [("go", "next")]
            _, headers, _ = self.fetch("save", "POST", f"{path}/progress", form=form,
                                       expect=(303,))
            page = self.fetch("next step", "GET", _local(headers.get("Location", "")))[2]
        review = _REVIEW_FORM.search(page)
        if review is None:
            self._fail("submit", f"no review form after the last question of {path}")
        form = [(name, html.unescape(value)) for name, value in _HIDDEN.findall(review.group(0))]
        _, headers, _ = self.fetch("submit", "POST", path, form=form, expect=(303,))
        location = headers.get("Location", "")
        if "/attempts/" not in location:
            self._fail("feedback", f"submit redirected to {location!r}")
        self.fetch("feedback", "GET", location[location.index("/attempts/"):])


_STEP_FIELD = re.compile(r'<input type="hidden" name="(csrf_token|version|step|shown)" '
                         r'value="([^"]*)"')
_REVIEW_FORM = re.compile(r'<form method="post" action="[^"]*" class="review-form">.*?</form>',
                          re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _local(location: str) -> str:
    """The path (and query) of a redirect target, absolute or not."""
    if "://" in location:
        return "/" + location.split("://", 1)[1].split("/", 1)[1]
    return location


def class_answers(content: dict[str, Any],
                  rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """What one student of a real class marks, drawn from the compiled key of the version.

    Each student has a skill (Beta(2, 2): most find about half, some most, some few): the
    share of the key's phrases, signal words and unsourced sentences they find (now and
    then only part of a long phrase), and how likely they pick the right frame; and, the
    other way round, how often they mark a neutral control the lesson says is *not*
    loaded (a few wrong marks). About one question in twenty is left blank.
    """
    skill = rng.betavariate(2, 2)
    answers: dict[str, list[tuple[str, str]]] = {}
    for question in content["questions"]:
        qid, kind = question["id"], question["kind"]
        if rng.random() < 0.05:
            continue  # skipped: the review step lists it and the student submits anyway
        fields: list[tuple[str, str]] = []
        if kind in ("loaded_terms", "framing"):
            phrases = question.get("phrases") or question.get("signals") or []
            fields += [(f"{qid}.w", str(i)) for i in _found_words(phrases, skill, rng)]
            fields += [(f"{qid}.w", str(i)) for i in _wrong_words(question, skill, rng)]
            if kind == "framing":
                right = next(o["id"] for o in question["options"] if o.get("correct"))
                fields.append((f"{qid}.choice", _frame(question["options"], right, skill, rng)))
        elif kind == "sourcing":
            chosen = {gap["sentence"] for gap in question["gaps"] if rng.random() < skill}
            chosen |= {control["sentence"] for control in question.get("controls") or []
                       if rng.random() < (1 - skill) * 0.3}
            fields += [(f"{qid}.s", str(i)) for i in sorted(chosen)]
        elif kind == "verify":
            right = question["verdict"]
            if rng.random() < 0.5 + skill / 2:
                fields.append((f"{qid}.verdict", right))
            else:
                fields.append((f"{qid}.verdict", rng.choice(
                    [v for v in ("supported", "contradicted", "not_decided") if v != right])))
            fields += [(f"{qid}.card", card["id"]) for card in question["cards"]
                       if rng.random() < (skill if card["decides"] else (1 - skill) * 0.3)]
        elif kind == "omission":
            fields += [(f"{qid}.fact", fact["ref"]) for fact in question["facts"]
                       if rng.random() < (skill if fact["role"] == "omitted"
                                          else (1 - skill) * 0.3)]
        else:
            for number, side in enumerate(question["sides"]):
                fields.append((f"{qid}.{number}.choice",
                               _frame(question["options"], side["frame"], skill, rng)))
                fields += [(f"{qid}.{number}.w", str(i))
                           for i in _found_words(side["terms"], skill, rng)]
        answers[qid] = fields
    return answers


def _found_words(phrases: list[dict[str, Any]], skill: float, rng: random.Random) -> list[int]:
    found: set[int] = set()
    for phrase in phrases:
        if rng.random() < skill:
            words = list(phrase["words"])
            if len(words) > 2 and rng.random() < 0.25:  # half of a long phrase
                words = words[:len(words) // 2]
            found.update(words)
    return sorted(found)


def _wrong_words(question: dict[str, Any], skill: float, rng: random.Random) -> list[int]:
    wrong: set[int] = set()
    for control in question.get("controls") or []:
        if control.get("words") and rng.random() < (1 - skill) * 0.3:
            wrong.add(rng.choice(control["words"]))
    return sorted(wrong)


def _frame(options: list[dict[str, Any]], right: str, skill: float, rng: random.Random) -> str:
    if rng.random() < 0.35 + 0.6 * skill:
        return right
    return rng.choice([option["id"] for option in options if option["id"] != right] or [right])


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[rank]
