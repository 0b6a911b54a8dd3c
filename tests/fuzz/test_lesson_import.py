"""Fuzzing the lesson import (issue 11): whatever YAML a teacher pastes, no 500, and a
refused file stores nothing.

Texts are a real lesson file with hostile pieces spliced in (deep nesting, aliases,
tags, dates, huge numbers, over-long values, NUL and other control characters) or such
pieces alone. Runs on PostgreSQL as well when TEST_DATABASE_URL is set, where a NUL
reaching a text column would be an error. Bounded for CI: derandomized, ``FUZZ``
examples, no deadline.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Lesson, LessonVersion
from tests.helpers import csrf_token
from tests.web import test_authoring

seeds = test_authoring.seeds
teacher = test_authoring.teacher
ORIGINAL = (Path(__file__).resolve().parents[2] / "lessons"
            / "naming-the-january-events.yaml").read_text(encoding="utf-8")
LINES = ORIGINAL.split("\n")
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
                derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

HOSTILE = st.sampled_from([
    "[" * 5000 + "]" * 5000, "{a: " * 300 + "}" * 300, "- " * 400 + "x",
    'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]', "&me [*me]", "*nothing",
    "!foo bar", "!!python/name:os.system", "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=", "!!int abc", "!!float x", "!!timestamp 2024-01-01", "2024-02-30",
    "9" * 5000, "0x" + "f" * 3000, "1" * 101, "\x00", "a\x00b", '"\\0"', '"\\x1b[0m"',
    "\x07", "\x1b", "\x7f", "\u0085", "\u2028", "\ufeff", "q" * 65, "t" * 201,
    "x" * 10_001, "yes", "~", "<<: {a: 1}", "? [a, b]\n: c", "---\nslug: again", "...",
    "'unclosed", '"unclosed', "|\n" + "  " + "z" * 5000, ">-", "#", ": :", "- - -",
])
FRAGMENT = st.one_of(HOSTILE, st.text(max_size=30),
                     st.lists(HOSTILE, min_size=1, max_size=3).map(" ".join))


@st.composite
def lesson_texts(draw: st.DrawFn) -> str:
    """A lesson file with a hostile fragment put in place of, after or inside a line."""
    how = draw(st.sampled_from(["value", "line", "inside", "alone", "valid"]))
    if how == "valid":
        return ORIGINAL
    fragment = draw(FRAGMENT)
    if how == "alone":
        return fragment
    lines = list(LINES)
    number = draw(st.integers(0, len(lines) - 1))
    line = lines[number]
    if how == "value" and ": " in line:
        lines[number] = line.split(": ", 1)[0] + ": " + fragment
    elif how == "inside":
        cut = draw(st.integers(0, len(line)))
        lines[number] = line[:cut] + fragment + line[cut:]
    else:
        lines.insert(number, fragment)
    return "\n".join(lines)


def _counts() -> tuple[int, int]:
    return (db.session.scalar(sa.select(sa.func.count(Lesson.id))) or 0,
            db.session.scalar(sa.select(sa.func.count(LessonVersion.id))) or 0)


@FUZZ
@given(text=lesson_texts())
def test_no_pasted_lesson_file_makes_a_server_error_or_stores_half(app, client, teacher,
                                                                     text):
    token = csrf_token(client, "/teach/lessons/import")
    response = client.post("/teach/lessons/import", data={"csrf_token": token, "text": text})
    assert response.status_code in (303, 400, 409), (response.status_code, text[:200])
    with app.app_context():
        lessons, versions = _counts()
        if response.status_code == 303:
            assert (lessons, versions) == (1, 1)
            # Start the next example from an empty library again.
            db.session.execute(sa.delete(LessonVersion))
            db.session.execute(sa.delete(Lesson))
            db.session.commit()
        else:
            assert (lessons, versions) == (0, 0)
            page = response.get_data(as_text=True)
            assert 'name="text"' in page  # the form is shown again, with the problems
