"""F18: when two requests pass the name check together, the database's refusal is the
teacher's message (400, the name kept), never a 500 or "no free join code".

The service's early check is switched off here, as the second of two simultaneous
requests finds it (tests/concurrency/test_parallel_edits.py sends real ones).
"""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Classroom
from app.services import classes as class_service
from tests.web.classes_builders import browser, make_class, post, text
from tests.web.results_builders import gen_user

CLASH = "You already have an active class called “Media 10B”"


@pytest.fixture
def racing(app, monkeypatch):
    with app.app_context():
        teacher_id = gen_user("teacher-a", role="teacher").id
    monkeypatch.setattr(class_service, "_check_name_free", lambda *args, **kwargs: None)
    return teacher_id


def test_create(app, racing):
    make_class(app, racing, "media 10b", code="AAAA2222")
    client = browser(app, "teacher-a")
    response = post(client, "/teach/classes/new", {"name": "Media 10B"},
                    token_from="/teach/classes/new")
    assert response.status_code == 400
    assert CLASH in text(response) and 'value="Media 10B"' in text(response)


def test_rename(app, racing):
    make_class(app, racing, "Media 10B", code="AAAA2222")
    other = make_class(app, racing, "Media 11A", code="BBBB3333")
    client = browser(app, "teacher-a")
    url = f"/teach/classes/{other}"
    response = post(client, f"{url}/rename", {"name": "MEDIA 10B"}, token_from=url)
    assert response.status_code == 400
    assert "You already have an active class called “MEDIA 10B”" in text(response)
    with app.app_context():
        assert db.session.get(Classroom, other).name == "Media 11A"


def test_unarchive(app, racing):
    make_class(app, racing, "Media 10B", code="AAAA2222")
    archived = make_class(app, racing, "Media 10B", code="BBBB3333", archived=True)
    client = browser(app, "teacher-a")
    url = f"/teach/classes/{archived}"
    response = post(client, f"{url}/archive", {"archive": "0"}, token_from=url)
    assert response.status_code == 409
    assert CLASH in text(response)
    with app.app_context():
        assert db.session.get(Classroom, archived).archived is True
