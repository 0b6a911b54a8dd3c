"""Fuzzing every text field through its page: control characters, over-long and odd text.

Each form of ``tests/web/test_text_input.py``'s CASES (one per field a page sends, on
every form that stores or checks text) gets values with a control character somewhere in
them, values over each field's limit (and over the columns': 32, 64, 80, 120, 200, 300),
and odd unicode. Whatever the value:

* the answer is never a server error (on PostgreSQL a NUL or an over-long value used to
  reach the database);
* a refused form (its 400, or the 200 login and registration show) stored nothing;
* a text with a control character is refused, saying so, with the text kept in the field;
* nothing stored holds a control character.

Bounded for CI: ``FUZZ_TEXT_EXAMPLES`` derandomized examples per field (default 12).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from app.domain.textinput import first_forbidden
from app.models.users import normalise_username
from tests.helpers import csrf_token
from tests.web.classes_builders import browser
from tests.web.test_authorization_matrix import build_world
from tests.web.test_text_input import CASES, Case, snapshot

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_TEXT_EXAMPLES", "12")), deadline=None,
                derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

# Control characters no filter removes (trimming and folding spaces remove the others,
# which Python counts as whitespace, before the rule sees the text).
CONTROL = [chr(n) for n in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if not chr(n).isspace()]
PLAIN = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
WITH_CONTROL = st.builds(lambda before, char, after: before + char + after,
                         PLAIN, st.sampled_from(CONTROL), PLAIN)
OVER_LONG = st.builds(lambda length, char: char * length,
                      st.sampled_from([33, 65, 81, 121, 201, 301, 1_001, 4_001, 10_001,
                                       200_001]),
                      st.sampled_from(["x", "é", "😀", "ab "]))
ODD = st.sampled_from(["\u202eevil\u202c", "\u200f\u200e", "\ufeff", "e\u0301" * 20,
                       "ﬃ" * 300, "\u00a0", " ", "", "\U0001f600" * 50, "%00", "\\x00",
                       "<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --"])
VALUES = st.one_of(WITH_CONTROL, WITH_CONTROL, OVER_LONG, ODD, PLAIN)

# How a field shows what was typed when its form comes back (its filters).
SHOWN: dict[str, Callable[[str], str]] = {
    "username": normalise_username,
    "name": lambda value: " ".join(value.split()),
}


def stored_text(rows: dict[str, list[Any]]) -> list[str]:
    return [value for table in rows.values() for row in table for value in row
            if isinstance(value, str)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.url} {c.field}" for c in CASES])
def test_a_text_field_never_fails_and_never_half_stores(app, case: Case):
    world = build_world(app)
    logged_in = browser(app, world.users.get(case.role)) if case.role != "anonymous" else None
    token = csrf_token(logged_in, "/") if logged_in else None
    url = case.url.format(**world.ids)

    @FUZZ
    @given(value=VALUES)
    def fuzz(value: str) -> None:
        client = logged_in or browser(app)  # a fresh visitor: a success logs them in
        before = snapshot(app)
        response = client.post(url, data={
            "csrf_token": token or csrf_token(client, "/auth/login"),
            **case.others, case.field: value})
        after = snapshot(app)
        status = response.status_code
        assert status < 500, f"POST {url} {case.field}={value[:80]!r}: {status}"
        if status >= 400 or status == case.status == 200:
            assert after == before, f"{status} but rows changed for {value[:80]!r}"
        if first_forbidden(value, multiline=case.multiline):
            page = response.get_data(as_text=True)
            assert status == case.status, f"{value[:80]!r} was not refused: {status}"
            assert "This contains a control character" in page
            assert str(escape(SHOWN.get(case.field, str)(value))) in page
        assert not [text for text in stored_text(after)
                    if first_forbidden(text, multiline=True)], "a control character was stored"

    fuzz()
