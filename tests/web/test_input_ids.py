"""F14: ids taken from forms and query strings are bounded like ids in paths.

``lesson=2147483648`` overflowed PostgreSQL's INTEGER and ``9223372036854775808`` SQLite's:
a server error. Now every id a route reads from a form or a query string has the bound
``<int:...>`` in paths already had (:func:`app.domain.textinput.parse_id`): in a form, an
id no row could have is a field error (400); in a query string it is a 404
(:func:`app.urlinput.query_id`), as the same text in a path would be. (The quiz form's
version number was already bounded; it now uses the same helper.)
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
def test_a_link_naming_a_lesson_that_cannot_exist_is_a_404_page(app, raw):
    world = build_world(app)
    client = browser(app, world.users["teacher_a"])
    for url in (f"/teach/documents/new?lesson={raw}",
                f"/teach/classes/{world.ids['class_id']}/assignments/new?lesson={raw}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "names a lesson that cannot exist" in text(response)


def test_a_link_without_a_lesson_or_naming_an_unknown_one_is_the_plain_form(app):
    world = build_world(app)
    client = browser(app, world.users["teacher_a"])
    new_assignment = f"/teach/classes/{world.ids['class_id']}/assignments/new"
    assert client.get(f"{new_assignment}?lesson=").status_code == 200
    assert client.get(f"{new_assignment}?lesson=999999").status_code == 200  # a hint only
    assert client.get("/teach/documents/new?lesson=").status_code == 200


@pytest.mark.parametrize("raw", HUGE)
def test_a_document_posted_for_a_lesson_that_cannot_exist_is_refused_and_not_stored(app, raw):
    world = build_world(app)
    client = browser(app, world.users["teacher_a"])
    before = snapshot(app)
    response = client.post(f"/teach/documents/new?lesson={raw}", data={
        "csrf_token": csrf_token(client, "/"), "title": "Found", "text": "Body."})
    assert response.status_code == 404
    assert snapshot(app) == before


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
