"""Teachers' edits and a student's deletion at the same instant, against a real server.

- F10: twenty "add question" posts at once: every confirmed question is kept (the others
  are refused with 409), with or without the version field in the form.
- F18: twenty "create class" posts with one name: one class, the others a clear message.
- F17: a student's account deleted during their submissions: no 500 on either side, and
  nothing of the student is left.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.domain.lesson_files import parse_source
from app.extensions import db
from app.models import Attempt, Classroom, Lesson, User
from app.services.authoring import working_text
from tests.concurrency.test_no_lost_answers import ANSWERS, fire_together
from tests.web.results_builders import (
    gen_assignment,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_user,
    load_documents,
)

COUNT = 20


def hidden_fields(page: str, action: str) -> list[tuple[str, str]]:
    """The hidden inputs of the form on ``page`` that posts to ``action``."""
    start = page.index(f'action="{action}"')
    form = page[start:page.index("</form>", start)]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form) + \
        re.findall(r'<input id="[^"]*" name="([^"]+)" type="hidden" value="([^"]*)"', form)


def _no_server_errors(results) -> list[int]:
    statuses = [status for status, _, _ in results]
    assert all(status < 500 for status in statuses), statuses
    return statuses


@pytest.mark.parametrize("with_version", [True, False], ids=["form-version", "no-version"])
def test_every_confirmed_question_is_kept(app, live_server, with_version):
    from tests.concurrency.conftest import Browser

    with app.app_context():
        load_documents()
        lesson = gen_lesson(owner=gen_user("teacher-a", role="teacher"))
        lesson_id = lesson.id
    browser = Browser(live_server)
    browser.log_in("teacher-a")
    url = f"/teach/lessons/{lesson_id}"
    action = f"{url}/questions/new"
    status, _, page = browser.request("GET", url)
    assert status == 200
    fields = [(name, value) for name, value in hidden_fields(page, action)
              if with_version or name != "edit_version"]
    assert any(name == "edit_version" for name, _ in fields) == with_version
    form = fields + [("new-kind", "framing"), ("new-excerpt", "blog"),
                     ("new-second_excerpt", "")]

    results = fire_together(lambda _: browser.request("POST", action, form), COUNT)

    statuses = _no_server_errors(results)
    assert set(statuses) <= {303, 409}, statuses
    with app.app_context():
        questions = parse_source(working_text(db.session.get(Lesson, lesson_id)))["questions"]
    assert len(questions) - 2 == statuses.count(303) >= 1
    for status, _, page in results:
        if status == 409:
            assert "changed in another tab" in page


def test_twenty_classes_with_one_name_at_once_make_one(app, live_server):
    from tests.concurrency.conftest import Browser

    with app.app_context():
        gen_user("teacher-a", role="teacher")
    browser = Browser(live_server)
    browser.log_in("teacher-a")
    token = browser.csrf_token("/teach/classes/new")
    form = [("csrf_token", token), ("name", "Media 10B")]

    results = fire_together(
        lambda i: browser.request("POST", "/teach/classes/new",
                                  form if i % 2 else [form[0], ("name", "media 10b")]), COUNT)

    statuses = _no_server_errors(results)
    assert statuses.count(303) == 1, statuses
    for status, _, page in results:
        if status != 303:
            assert status == 400
            assert "You already have an active class called" in page
            assert 'value="Media 10B"' in page or 'value="media 10b"' in page  # text kept
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Classroom)) == 1


def test_deleting_a_student_during_their_submissions(app, live_server):
    from tests.concurrency.conftest import Browser

    with app.app_context():
        load_documents()
        teacher, ann = gen_user("teacher-a", role="teacher"), gen_user("ann")
        classroom = gen_class(teacher, name="Media 10B")
        gen_enrollment(classroom, ann)
        assignment_id = gen_assignment(classroom, gen_lesson()).id
        ann_id = ann.id
    path = f"/assignments/{assignment_id}"
    student = Browser(live_server)
    student.log_in("ann")
    forms = []
    for _ in range(COUNT - 1):
        fields = student.open_quiz(path)
        forms.append([(key, fields[key]) for key in ("csrf_token", "submission", "version")]
                     + ANSWERS)
    teacher_browser = Browser(live_server)
    teacher_browser.log_in("teacher-a")
    delete = f"/students/{ann_id}/delete"
    delete_form = [("csrf_token", teacher_browser.csrf_token(delete)), ("confirm", "ann")]

    def job(index: int):
        if index == COUNT // 2:
            return teacher_browser.request("POST", delete, delete_form)
        return student.request("POST", path, forms[index - (index > COUNT // 2)])

    results = fire_together(job, COUNT)

    statuses = _no_server_errors(results)
    assert statuses[COUNT // 2] == 303, statuses
    # Saved (then deleted with the account), or sent to log in: the account is gone.
    assert set(statuses) <= {302, 303}, statuses
    with app.app_context():
        assert db.session.get(User, ann_id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0
