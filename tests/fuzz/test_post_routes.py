"""Fuzzing: malformed data at every POST route must never cause a server error.

The test walks ``app.url_map``, so a new POST route is fuzzed the moment it exists. Each
route is visited by the visitor who owns its objects (the class's teacher, the enrolled
student, the admin), with a valid CSRF token in most examples, so the data reaches the
handler instead of stopping at the login or CSRF check. Field names come from the forms
on that visitor's pages; values are huge, negative, out of range, of the wrong type, odd
unicode (NUL, right-to-left marks, escaped surrogates, 10,000-character strings), and
fields go missing or repeat. In the test configuration an unhandled exception propagates,
so a crash fails the test as surely as a 5xx status.

Bounded for CI: ``FUZZ`` below (25 derandomized examples per route, no deadline).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app import create_app
from tests.helpers import csrf_token
from tests.web.classes_builders import browser
from tests.web.test_authorization_matrix import CARD_SLUG, EDITOR_ARGUMENTS, World, build_world

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None,
                derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Pages whose forms name the fields each visitor can send.
PAGES = {
    "anonymous": ["/auth/login", "/auth/register"],
    "student": ["/lessons/{lesson_slug}", "/join", "/assignments/{assignment_id}"],
    "teacher_a": ["/teach/classes/new", "/teach/classes/{class_id}",
                  "/teach/assignments/{assignment_id}/edit",
                  "/teach/classes/{class_id}/assignments/new", "/teach/lessons/new",
                  "/teach/lessons/import", "/teach/documents/new",
                  "/teach/lessons/{lesson_id}", "/teach/lessons/{lesson_id}/questions/words",
                  "/teach/lessons/{lesson_id}/questions/frame",
                  "/teach/lessons/{lesson_id}/excerpts/astana",
                  "/teach/lessons/{lesson_id}/regrade", "/students/{student_id}/delete",
                  "/teach/readings/{document_slug}", "/shelf/new",
                  f"/shelf/{CARD_SLUG}/edit"],
    "admin": ["/admin/users"],
}
_NAME = re.compile(r'name="([^"]+)"')
# Never sent as a fuzzed field: the token is handled on its own below.
_SKIP = {"csrf_token"}


def owner_of(endpoint: str) -> str:
    """The visitor whose objects the endpoint acts on, so the handler is reached."""
    area = endpoint.split(".")[0]
    if endpoint in ("auth.login", "auth.register"):
        return "anonymous"
    if area in ("teacher", "privacy", "shelf"):  # the shelf's posts write a teacher's cards
        return "teacher_a"
    if area == "admin":
        return "admin"
    return "student"


def post_routes() -> list[tuple[str, str, frozenset[str]]]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted((rule.endpoint, rule.rule, frozenset(rule.arguments))
                  for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ()))


ROUTES = post_routes()

# --- values --------------------------------------------------------------------------

ODD_STRINGS = [
    "", " ", "0", "-1", "-0", "1.5", "1e309", "NaN", "inf", "-inf", "null", "None", "true",
    "[]", "{}", '{"a": 1}', "0x10", "\u0661\u0662", "９", "00000000000000000001",
    str(2**31), str(2**63), str(-(2**63) - 1), str(10**30), "9" * 400,
    "\x00", "a\x00b", "\x01", "a\x1b[31mb", "\x7f", "\x85", "a\tb", "\u202eevil\u202c",
    "\u200f\u200e", "\ufeff", "\\ud800", "\\udfff",
    "\U0001f600" * 50, "e\u0301" * 20, "\r\n", "../../etc/passwd", "%00", "' OR 1=1 --",
    "<script>alert(1)</script>", "{{7*7}}", "x" * 10_000, "ﬃ" * 300,
    "0123456789abcdef0123456789abcdef", "ZZZZ-ZZZZ", "2026-02-30T25:61", "1999-12-31",
]
# Text without lone surrogates (they cannot be sent as UTF-8 at all).
UNICODE = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70).map(str)
VALUES = st.one_of(st.sampled_from(ODD_STRINGS), NUMBERS, UNICODE,
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))


def form_strategy(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Pairs of (field, value): any subset of the real fields, repeats, unknown names."""
    name = st.one_of(st.sampled_from(names), UNICODE.filter(bool)) if names else UNICODE
    return st.fixed_dictionaries({
        "pairs": st.lists(st.tuples(name, VALUES), max_size=12),
        "csrf": st.sampled_from(["valid", "valid", "valid", "valid", "missing", "garbage"]),
        "encoding": st.sampled_from(["form", "form", "multipart", "json"]),
        "url_id": st.sampled_from([None, None, None, 0, 2**31, 2**63, 10**30]),
    })


# --- the test ------------------------------------------------------------------------


# Field names per visitor, gathered once: they do not change from one route to the next.
_names_seen: dict[str, list[str]] = {}


def field_names(client: FlaskClient, role: str, world: World) -> list[str]:
    if role not in _names_seen:
        values = {"lesson_slug": world.lesson_slug, "document_slug": world.document_slug,
                  **world.ids}
        names: set[str] = set()
        for page in PAGES.get(role, []):
            html = client.get(page.format(**values)).get_data(as_text=True)
            names.update(_NAME.findall(html))
        _names_seen[role] = sorted(names - _SKIP)
    return _names_seen[role]


def url_values(arguments: frozenset[str], world: World, url_id: int | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in arguments:
        if name in world.ids:
            values[name] = world.ids[name] if url_id is None else url_id
        elif name in EDITOR_ARGUMENTS:
            values[name] = EDITOR_ARGUMENTS[name]
        elif name == "document_slug":
            values[name] = world.document_slug
        elif name == "slug":
            values[name] = world.lesson_slug
        elif name == "code":  # a class's join link
            values[name] = world.join_code
        elif name == "card_slug":  # teacher A's own shelf card
            values[name] = CARD_SLUG
        else:
            pytest.fail(f"teach the fuzz test a value for the URL argument {name!r}")
    return values


def send(client: FlaskClient, app: Flask, endpoint: str, values: dict[str, Any],
         token: str, example: dict[str, Any]):
    with app.test_request_context():
        url = url_for(endpoint, **values)
    pairs = list(example["pairs"])
    headers = {}
    if example["csrf"] == "valid":
        pairs.insert(0, ("csrf_token", token))
        headers["X-CSRFToken"] = token
    elif example["csrf"] == "garbage":
        pairs.insert(0, ("csrf_token", token[::-1]))
    if example["encoding"] == "json":
        return client.post(url, json=dict(pairs), headers=headers)
    return client.post(url, data=MultiDict(pairs),
                       content_type="multipart/form-data"
                       if example["encoding"] == "multipart" else None)


@pytest.mark.parametrize(("endpoint", "rule", "arguments"), ROUTES,
                         ids=[rule for _, rule, _ in ROUTES])
def test_malformed_posts_never_cause_a_server_error(app, endpoint, rule, arguments):
    world = build_world(app)
    role = owner_of(endpoint)
    client = browser(app, world.users.get(role))
    names = field_names(client, role, world)
    token = csrf_token(client, "/auth/login" if role == "anonymous" else "/")

    @FUZZ
    @given(example=form_strategy(names))
    def fuzz(example: dict[str, Any]) -> None:
        values = url_values(arguments, world, example["url_id"])
        response = send(client, app, endpoint, values, token, example)
        assert response.status_code < 500, (
            f"POST {rule} as {role} with {example!r}: {response.status_code}")

    fuzz()
