""""How sure are you?" through the real pages: the teacher asks it on an assignment, the
student answers it under each question (kept in saved progress like a mark), it is stored
beside each answer and shown in the feedback; a value no form sends is a 400 that keeps
the marks."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, AttemptAnswer
from tests.web import test_student
from tests.web.classes_builders import (
    browser,
    enrol,
    library_lesson_id,
    make_assignment,
    make_class,
    post,
    text,
    update,
)
from tests.web.test_lesson_flow import Q1, Q2, checked, step_form

library = test_student.library  # the seeds and the shipped lesson naming-the-january-events
FIELDSET = re.compile(r'<fieldset class="confidence"[^>]*>\s*<legend>How sure are you\?</legend>')


@pytest.fixture
def teacher(make_user, auth, library):
    user = make_user("teacher-a", role="teacher")
    auth.login(user.username)
    return user


@pytest.fixture
def klass(app, teacher):
    return make_class(app, teacher.id, "Media 10B")


def pupil_in(app, make_user, klass, layout="all"):
    student = make_user("pupil", quiz_layout=layout)
    enrol(app, klass, student.id)
    return student, browser(app, student.username)


def asking(app, klass, ask=True):
    assignment_id = make_assignment(app, klass, library_lesson_id(app), max_attempts=3)
    update(app, Assignment, assignment_id, ask_confidence=ask)
    return assignment_id


def stored_ratings(app):
    with app.app_context():
        return dict(db.session.execute(
            sa.select(AttemptAnswer.question_id, AttemptAnswer.confidence)
            .order_by(AttemptAnswer.position)).all())


def rules(**changes):
    return {"due_at": "", "max_attempts": "1", "grading": "highest",
            "feedback": "immediately", "late_policy": "accept", **changes}


# --- the teacher's setting --------------------------------------------------------------


def test_a_teacher_asks_it_when_assigning_and_switches_it_in_the_settings(app, client,
                                                                         teacher, klass):
    new = f"/teach/classes/{klass}/assignments/new"
    form = text(client.get(new))
    assert 'name="ask_confidence"' in form and "Ask “How sure are you?” under each" in form
    assert re.search(r'<input[^>]*name="ask_confidence"[^>]*>', form).group(0).find(
        "checked") == -1  # off unless the teacher ticks it
    response = post(client, new, {"lesson": str(library_lesson_id(app)),
                                  **rules(ask_confidence="y")}, token_from=new)
    assert response.status_code == 303
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
        assignment_id, asked = assignment.id, assignment.ask_confidence
    assert asked is True
    detail = text(client.get(f"/teach/classes/{klass}"))
    assert "<th scope=\"col\">“How sure are you?”</th>" in detail
    assert "<td>Asked</td>" in detail

    edit = f"/teach/assignments/{assignment_id}/edit"
    assert re.search(r'<input[^>]*checked[^>]*name="ask_confidence"|'
                     r'<input[^>]*name="ask_confidence"[^>]*checked', text(client.get(edit)))
    assert post(client, edit, rules(), token_from=edit).status_code == 303  # box unticked
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).ask_confidence is False
    assert "<td>Not asked</td>" in text(client.get(f"/teach/classes/{klass}"))


# --- the student's side -----------------------------------------------------------------


def test_the_quiz_asks_under_each_question_only_when_the_assignment_does(app, make_user,
                                                                        teacher, klass):
    _, client = pupil_in(app, make_user, klass)
    plain = make_assignment(app, klass, library_lesson_id(app))
    assert "How sure are you?" not in text(client.get(f"/assignments/{plain}"))
    asked = asking(app, klass)
    page = text(client.get(f"/assignments/{asked}"))
    assert len(FIELDSET.findall(page)) == 4  # one per question of the lesson
    for level, label in ((1, "Guessing"), (2, "Unsure"), (3, "Fairly sure"), (4, "Certain")):
        assert (f'<input type="radio" id="q-{Q1}-sure{level}" name="{Q1}.confidence" '
                f'value="{level}">') in page
        assert f'<label for="q-{Q1}-sure{level}">{label}</label>' in page
    assert not any(name.endswith(".confidence") for name, _ in checked(page))  # none chosen
    # The practice page of the same lesson never asks.
    assert "How sure are you?" not in text(client.get(test_student.URL))


def test_ratings_are_stored_with_the_answers_and_shown_in_the_feedback(app, make_user,
                                                                      teacher, klass):
    _, client = pupil_in(app, make_user, klass)
    assignment_id = asking(app, klass)
    form = test_student.quiz_fields(client, f"/assignments/{assignment_id}")
    form.update(test_student.perfect_answers(test_student.content_of(app)))
    form.update({f"{Q1}.confidence": "3", f"{Q2}.confidence": "1"})
    response = client.post(f"/assignments/{assignment_id}", data=form)
    assert response.status_code == 303
    assert stored_ratings(app) == {Q1: 3, Q2: 1, "referendum-sources": None,
                                   "naming-compare": None}
    feedback = text(client.get(response.headers["Location"]))
    assert "You said: <strong>Fairly sure</strong>" in feedback
    assert "You said: <strong>Guessing</strong>" in feedback
    assert feedback.count("You said:") == 2  # unrated questions say nothing


def test_a_rating_outside_one_to_four_is_a_400_with_the_marks_kept(app, make_user, teacher,
                                                                  klass):
    _, client = pupil_in(app, make_user, klass)
    assignment_id = asking(app, klass)
    form = test_student.quiz_fields(client, f"/assignments/{assignment_id}")
    form.update({f"{Q1}.w": ["19", "23"], f"{Q1}.confidence": "7",
                 f"{Q2}.confidence": "4"})
    response = client.post(f"/assignments/{assignment_id}", data=form)
    page = text(response)
    assert response.status_code == 400
    assert "“How sure are you?” takes one of: 1 (Guessing)" in page
    marked = checked(page)
    assert {(f"{Q1}.w", "19"), (f"{Q1}.w", "23"), (f"{Q2}.confidence", "4")} <= marked
    assert not any(name == f"{Q1}.confidence" for name, _ in marked)
    assert stored_ratings(app) == {}


def test_a_rating_for_an_assignment_that_does_not_ask_is_refused(app, make_user, teacher,
                                                                klass):
    _, client = pupil_in(app, make_user, klass)
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    form = test_student.quiz_fields(client, f"/assignments/{assignment_id}")
    form.update({f"{Q1}.w": ["19"], f"{Q1}.confidence": "3"})
    response = client.post(f"/assignments/{assignment_id}", data=form)
    assert response.status_code == 400
    assert ('value="19" checked' in text(response)) and stored_ratings(app) == {}


def test_saved_progress_keeps_the_ratings_to_the_review_and_the_submit(app, make_user,
                                                                       teacher, klass):
    _, client = pupil_in(app, make_user, klass, layout="one")
    assignment_id = asking(app, klass)
    url = f"/assignments/{assignment_id}"
    fields, page = step_form(client, url)
    assert len(FIELDSET.findall(page)) == 1  # the one question on this step
    response = client.post(f"{url}/progress", data={
        **fields, f"{Q1}.w": ["19"], f"{Q1}.confidence": "4", "go": "next"})
    assert response.status_code == 303
    back = text(client.get(url, query_string={"q": "1"}))
    assert {(f"{Q1}.w", "19"), (f"{Q1}.confidence", "4")} <= checked(back)
    fields, _ = step_form(client, url, q="2")
    client.post(f"{url}/progress", data={**fields, f"{Q2}.choice": "a",
                                         f"{Q2}.confidence": "2", "go": "review"})
    review = text(client.get(url))
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', review)
    assert (f"{Q1}.confidence", "4") in hidden and (f"{Q2}.confidence", "2") in hidden
    response = client.post(url, data=dict(hidden))
    assert response.status_code == 303
    assert stored_ratings(app)[Q1] == 4 and stored_ratings(app)[Q2] == 2


def test_a_bad_rating_on_a_step_is_a_400_with_the_marks_kept(app, make_user, teacher, klass):
    _, client = pupil_in(app, make_user, klass, layout="one")
    assignment_id = asking(app, klass)
    url = f"/assignments/{assignment_id}"
    fields, _ = step_form(client, url)
    response = client.post(f"{url}/progress", data={
        **fields, f"{Q1}.w": ["19"], f"{Q1}.confidence": "0", "go": "next"})
    assert response.status_code == 400
    assert (f"{Q1}.w", "19") in checked(text(response))
    assert "How sure are you?" in text(response)


def test_the_feedback_compares_sure_and_unsure_answers_in_one_sentence(app, make_user,
                                                                      teacher, klass):
    _, client = pupil_in(app, make_user, klass)
    assignment_id = asking(app, klass)
    perfect = test_student.perfect_answers(test_student.content_of(app))
    form = test_student.quiz_fields(client, f"/assignments/{assignment_id}")
    # Questions 1 and 2 answered perfectly and rated sure; 3 and 4 left blank, rated unsure.
    form.update({name: value for name, value in perfect.items()
                 if name.startswith((Q1 + ".", Q2 + "."))})
    form.update({f"{Q1}.confidence": "4", f"{Q2}.confidence": "3",
                 "referendum-sources.confidence": "1", "naming-compare.confidence": "2"})
    response = client.post(f"/assignments/{assignment_id}", data=form)
    assert response.status_code == 303
    feedback = text(client.get(response.headers["Location"]))
    assert ("When you said “Fairly sure” or “Certain” you scored 100% on average; when you "
            "said “Guessing” or “Unsure”, 0%. Being sure went with doing better.") in feedback
