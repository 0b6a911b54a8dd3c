"""The assignment's quiz page, rendered once per process and filled in per student
(app/student/quizpage.py): what each student gets must be exactly what the templates
render for them."""

from __future__ import annotations

import re

import pytest
from flask_login import login_user

from app.extensions import db
from app.models import User
from app.services import assignments as assignment_service
from app.services import attempts as attempt_service
from app.student import quiz, quizpage
from app.student.access import banner as quiz_banner
from tests.web import test_student
from tests.web.classes_builders import (
    browser,
    enrol,
    library_lesson_id,
    make_assignment,
    make_class,
    text,
)
from tests.web.test_assignments import take

library = test_student.library  # the fixture that loads the seeds and the shipped lessons

# Usernames made directly (registration would refuse these characters): whatever a
# username holds, the page must escape it as the template does.
ODD_NAME = "o'brien<b>&\"x\""


@pytest.fixture
def assigned(app, make_user, library):
    teacher = make_user("quiz-teacher", role="teacher")
    klass = make_class(app, teacher.id)
    # ann takes lessons on one page, odd one question at a time: both pages are kept.
    ann, odd = make_user("ann", quiz_layout="all"), make_user(ODD_NAME)
    enrol(app, klass, ann.id, odd.id)
    assignment_id = make_assignment(app, klass, library_lesson_id(app), max_attempts=3)
    return assignment_id, ann, odd


def _rendered_both_ways(app, assignment_id: int, user_id: int, monkeypatch) -> tuple[str, str]:
    """(the page from the per-process copy, the page the templates render) for one
    request: same CSRF token (one per request), same submission token."""
    with app.test_request_context(f"/assignments/{assignment_id}"):
        login_user(db.session.get(User, user_id))
        view = assignment_service.quiz_view(assignment_id, user_id)
        version = attempt_service.version_snapshot(view.version_id, view.content_hash)
        banner = quiz_banner(view.assignment, view.used)
        taking = quiz.Taking(view.assignment.lesson, view.assignment)

        def page() -> str:
            body, status = quiz.render_quiz(taking, version, quiz.Progress({}),
                                            page_banner=banner, token="0123456789abcdef" * 2)
            assert status == 200
            return body

        page()  # the first request of a process cuts the page
        from_copy = page()
        with monkeypatch.context() as patched:
            patched.setattr(quizpage, "page", lambda key, render, **_: render())
            from_templates = page()
    return from_copy, from_templates


@pytest.mark.parametrize("who", ["ann", "odd"])
def test_the_kept_page_is_byte_for_byte_what_the_templates_render(app, assigned, who,
                                                                   monkeypatch):
    assignment_id, ann, odd = assigned
    user = {"ann": ann, "odd": odd}[who]
    from_copy, from_templates = _rendered_both_ways(app, assignment_id, user.id, monkeypatch)
    assert from_copy == from_templates
    assert "\ue000" not in from_copy and "\ue001" not in from_copy


def test_each_student_gets_their_own_name_tokens_and_attempt_count(app, assigned):
    assignment_id, ann, odd = assigned
    ann_browser, odd_browser = browser(app, "ann"), browser(app, ODD_NAME)
    url = f"/assignments/{assignment_id}"
    first, second = text(ann_browser.get(url)), text(odd_browser.get(url))
    assert "Logged in as <strong>ann</strong>" in first
    assert "Logged in as <strong>o&#39;brien&lt;b&gt;&amp;&#34;x&#34;</strong>" in second
    assert "ann</strong>" not in second and "brien" not in first
    tokens = [re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)
              for page in (first, text(ann_browser.get(url)),
                           text(odd_browser.get(url + "?q=review")))]
    assert len(set(tokens)) == 3  # a fresh one-time token on every page view
    csrf = [re.findall(r'name="csrf_token" value="([^"]+)"', page) for page in (first, second)]
    assert len(csrf[0]) == 2 and len(set(csrf[0])) == 1  # log-out form and quiz form
    assert csrf[0][0] != csrf[1][0]  # each student's session has its own

    assert take(ann_browser, assignment_id, {"astana-loaded.w": ["19"]}).status_code == 303
    assert "1 of 3 used · 2 left" in text(ann_browser.get(url))
    assert "0 of 3 used · 3 left" in text(odd_browser.get(url))


def test_a_flashed_message_is_shown_once_on_the_full_page(app, assigned):
    """Joining a class flashes a message; the next page shows it (rendered in full)."""
    assignment_id, ann, _ = assigned
    client = browser(app, "ann")
    url = f"/assignments/{assignment_id}"
    client.get(url)  # the page is kept by now
    with client.session_transaction() as cookie_session:
        cookie_session["_flashes"] = [("info", "A message for ann only.")]
    assert "A message for ann only." in text(client.get(url))
    assert "A message for ann only." not in text(client.get(url))
