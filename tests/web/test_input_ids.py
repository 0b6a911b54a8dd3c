"""F14: ids taken from forms and query strings are bounded like ids in paths.

``lesson=2147483648`` overflowed PostgreSQL's INTEGER and ``9223372036854775808`` SQLite's:
a server error. Now every id a route reads from a form or a query string goes through
:func:`app.domain.textinput.database_id`, the bound ``<int:...>`` in paths already had:
an id no row could have is a field error (400) or reads as absent, as a malformed one
always did. (The quiz form's version number was already bounded; it now uses the same
helper.)
"""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token
from tests.web.classes_builders import browser, text
from tests.web.test_authorization_matrix import build_world
from tests.web.test_text_input import snapshot

# Past PostgreSQL's INTEGER, past SQLite's INTEGER, far past both, and forms int() takes.
HUGE = [str(2**31), str(2**63), str(10**30), "9" * 400]
NOT_IDS = [*HUGE, "-1", "0", "1_0", "\u0661", " 1", "1e3"]


@pytest.mark.parametrize("raw", NOT_IDS)
def test_a_document_form_linked_from_no_lesson_that_could_exist_is_the_plain_form(app, raw):
    world = build_world(app)
    client = browser(app, world.users["teacher_a"])
    response = client.get(f"/teach/documents/new?lesson={raw}")
    assert response.status_code == 200
    # Cancel goes to the lesson list, as for a link without a lesson.
    assert f"/teach/lessons/{world.ids['lesson_id']}/excerpts/new" not in text(response)


@pytest.mark.parametrize("raw", HUGE)
def test_a_document_posted_for_no_lesson_that_could_exist_is_stored_without_one(app, raw):
    world = build_world(app)
    client = browser(app, world.users["teacher_a"])
    response = client.post(f"/teach/documents/new?lesson={raw}", data={
        "csrf_token": csrf_token(client, "/"), "title": "Found", "text": "Body."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/teach/lessons")


@pytest.mark.parametrize("raw", NOT_IDS)
def test_assigning_an_impossible_lesson_id_is_a_field_error_and_assigns_nothing(app, raw):
    world = build_world(app)
    before = snapshot(app)
    client = browser(app, world.users["teacher_a"])
    response = client.post(f"/teach/classes/{world.ids['class_id']}/assignments/new", data={
        "csrf_token": csrf_token(client, "/"), "lesson": raw, "grading": "highest",
        "feedback": "immediately", "late_policy": "accept"})
    assert response.status_code == 400
    assert "Choose a lesson from the list." in text(response)
    assert snapshot(app) == before
