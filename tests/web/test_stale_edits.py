"""Optimistic locking: an edit sent from a page drawn before another change is refused.

Two tabs open the same form; the first saves; the second gets 409, a page that keeps
what was typed and links to the current state, and the first tab's change is kept.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.domain.lesson_files import parse_source
from app.extensions import db
from app.models import Assignment, Classroom, Lesson
from tests.web.classes_builders import browser, text
from tests.web.results_builders import (
    gen_assignment,
    gen_class,
    gen_lesson,
    gen_user,
    load_documents,
)


@pytest.fixture
def world(app):
    """teacher-a's own published lesson (two questions) and a class with it assigned."""
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        lesson = gen_lesson(owner=teacher)
        classroom = gen_class(teacher, name="Media 10B")
        assignment = gen_assignment(classroom, lesson)
        return {"lesson": lesson.id, "class": classroom.id, "assignment": assignment.id}


def tab(client, url: str, action: str) -> dict[str, str]:
    """Open ``url`` as a new tab would: the hidden fields of the form posting to ``action``."""
    page = text(client.get(url))
    start = page.index(f'action="{action}"')
    form = page[start:page.index("</form>", start)]
    fields = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                             form))
    fields.update(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"',
                             form))
    assert "edit_version" in fields, f"the form for {action} carries no edit_version"
    return fields


def draft(app, lesson_id: int) -> dict:
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        from app.services.authoring import working_text
        return parse_source(working_text(lesson))


def test_lesson_details_from_a_stale_tab_are_refused_and_the_first_save_kept(app, world):
    client = browser(app, "teacher-a")
    url = f"/teach/lessons/{world['lesson']}"
    action = f"{url}/details"
    first, second = tab(client, url, action), tab(client, url, action)
    details = {"lesson-summary": "Short.", "lesson-level": "core", "lesson-goals": ""}

    saved = client.post(action, data={**first, **details, "lesson-title": "Tab one's title"})
    assert saved.status_code == 303
    stale = client.post(action, data={**second, **details, "lesson-title": "Tab two's title"})

    assert stale.status_code == 409
    page = text(stale)
    assert "changed in another tab" in page
    assert "Tab two&#39;s title" in page or "Tab two's title" in page  # what was typed
    assert f'href="{url}"' in page  # the current state
    assert draft(app, world["lesson"])["title"] == "Tab one's title"


def test_a_second_tab_adding_a_question_does_not_undo_the_first(app, world):
    client = browser(app, "teacher-a")
    url = f"/teach/lessons/{world['lesson']}"
    action = f"{url}/questions/new"
    first, second = tab(client, url, action), tab(client, url, action)
    form = {"new-kind": "framing", "new-excerpt": "blog", "new-second_excerpt": ""}

    assert client.post(action, data={**first, **form}).status_code == 303
    stale = client.post(action, data={**second, **form})

    assert stale.status_code == 409
    assert "changed in another tab" in text(stale)
    assert len(draft(app, world["lesson"])["questions"]) == 3  # two, and tab one's


def test_a_stale_button_on_the_editor_is_refused(app, world):
    """Buttons (delete, move, publish...) carry the version too."""
    client = browser(app, "teacher-a")
    url = f"/teach/lessons/{world['lesson']}"
    delete = tab(client, url, f"{url}/questions/words/delete")
    assert client.post(f"{url}/questions/frame/move/up",
                       data=tab(client, url, f"{url}/questions/frame/move/up")).status_code == 303
    assert client.post(f"{url}/questions/words/delete", data=delete).status_code == 409
    assert [q["id"] for q in draft(app, world["lesson"])["questions"]] == ["frame", "words"]


def test_a_damaged_version_field_is_a_bad_request(app, world):
    client = browser(app, "teacher-a")
    url = f"/teach/lessons/{world['lesson']}"
    fields = tab(client, url, f"{url}/details")
    for damaged in ("x", "-1", "9" * 40):
        response = client.post(f"{url}/details", data={**fields, "edit_version": damaged})
        assert response.status_code == 400


def test_class_rename_from_a_stale_tab_is_refused(app, world):
    client = browser(app, "teacher-a")
    url = f"/teach/classes/{world['class']}"
    action = f"{url}/rename"
    first, second = tab(client, url, action), tab(client, url, action)

    assert client.post(action, data={**first, "name": "Media 10C"}).status_code == 303
    stale = client.post(action, data={**second, "name": "Media 10D"})

    assert stale.status_code == 409
    assert "This class changed" in text(stale) and "Media 10D" in text(stale)
    assert f'href="{url}"' in text(stale)
    with app.app_context():
        assert db.session.get(Classroom, world["class"]).name == "Media 10C"


def test_assignment_settings_from_a_stale_tab_are_refused(app, world):
    client = browser(app, "teacher-a")
    url = f"/teach/assignments/{world['assignment']}/edit"
    first, second = tab(client, url, url), tab(client, url, url)
    rules = {"due_at": "", "late_policy": "accept", "feedback": "immediately"}

    saved = client.post(url, data={**first, **rules, "max_attempts": "3", "grading": "last"})
    assert saved.status_code == 303
    stale = client.post(url, data={**second, **rules, "max_attempts": "1",
                                   "grading": "first"})

    assert stale.status_code == 409
    with app.app_context():
        assignment = db.session.get(Assignment, world["assignment"])
        assert (assignment.max_attempts, assignment.grading) == (3, "last")


def test_deleting_an_assignment_from_a_stale_page_is_refused(app, world):
    """The page warned about the rules it showed; they changed, so it is asked again."""
    client = browser(app, "teacher-a")
    url = f"/teach/assignments/{world['assignment']}/edit"
    delete = tab(client, url, f"/teach/assignments/{world['assignment']}/delete")
    rules = {"due_at": "", "late_policy": "accept", "feedback": "never", "max_attempts": "",
             "grading": "highest"}
    assert client.post(url, data={**tab(client, url, url), **rules}).status_code == 303

    stale = client.post(f"/teach/assignments/{world['assignment']}/delete",
                        data={**delete, "confirm": "y"})

    assert stale.status_code == 409
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 1


def test_the_same_edit_twice_in_one_tab_is_fine(app, world):
    """Each save's redirect draws the page again with the new version."""
    client = browser(app, "teacher-a")
    url = f"/teach/classes/{world['class']}"
    for name in ("Media 11A", "Media 11B"):
        fields = tab(client, url, f"{url}/rename")
        assert client.post(f"{url}/rename", data={**fields, "name": name}).status_code == 303
    with app.app_context():
        assert db.session.get(Classroom, world["class"]).name == "Media 11B"
