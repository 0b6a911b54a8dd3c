"""A lesson a student can finish on a phone: one question at a time, saved as they go.

Through the real pages and forms, without JavaScript (every Back, Next and jump is a post
that saves), and as the page's script saves (``X-Requested-With: fetch``): progress kept
across logins and devices, a new version of the lesson, the warning before submitting with
unanswered questions, "try again" from one's own marks, who may read or write a draft, and
input no page of ours sends.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Attempt, Draft, Lesson, User
from app.services.lessons import sync_lessons
from tests.helpers import START, csrf_token
from tests.web import test_student
from tests.web.classes_builders import (
    browser,
    enrol,
    library_lesson_id,
    make_assignment,
    make_class,
    text,
)
from tests.web.test_student import SLUG, URL, content_of

library = test_student.library  # the seeds and the shipped lesson naming-the-january-events

SAVE = f"{URL}/progress"
ORIGIN = {"Origin": "http://localhost"}
# Question ids of naming-the-january-events, in order.
Q1, Q2, Q3, Q4 = "astana-loaded", "blog-frame", "referendum-sources", "naming-compare"


@pytest.fixture
def student(make_user, auth, library):
    user = make_user("flow-student")
    auth.login(user.username)
    return user


def step_form(client, url=URL, **query):
    """The csrf token and hidden fields of a step page, as a browser would post them."""
    page = text(client.get(url, query_string=query))
    fields = dict(re.findall(r'<input type="hidden" name="(csrf_token|version|step)" '
                             r'value="([^"]*)"', page))
    fields["shown"] = re.findall(r'<input type="hidden" name="shown" value="([^"]+)"', page)
    return fields, page


def drafts_of(app, username):
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        return [(d.scope, d.position, d.marks) for d in db.session.scalars(
            sa.select(Draft).where(Draft.user_id == user_id))]


def attempts_in_db(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Attempt.id)))


def checked(page):
    return set(re.findall(r'name="([^"]+)" value="([^"]+)" checked', page))


# --- one question at a time, without JavaScript -----------------------------------------


def test_the_lesson_opens_one_question_at_a_time_with_its_place_in_the_lesson(client, student):
    fields, page = step_form(client)
    assert "Question 1 of 4" in page and "0 of 4 answered" in page
    assert fields["shown"] == [Q1] and fields["step"] == "1"
    assert 'name="astana-loaded.w"' in page
    assert 'name="blog-frame.choice"' not in page and 'name="naming-compare.0.w"' not in page
    # Every question is reachable from here, each saying whether it is answered.
    steps = re.findall(r'<button type="submit" name="go" value="(\d+|review)"', page)
    assert steps == ["1", "2", "3", "4", "review"]
    assert "Question </span>2<span class=\"visually-hidden\">, not answered" in page
    assert 'aria-current="step"' in page
    assert "Back" not in re.sub(r"<nav.*?</nav>", "", page, flags=re.S).split("quiz-nav")[1]
    assert "once per visit" not in page


def test_next_back_and_jumps_save_the_marks_and_the_place(app, client, student):
    fields, _ = step_form(client)
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["19", "23"], "go": "next"})
    assert response.status_code == 303 and response.headers["Location"].endswith("?q=2")
    assert drafts_of(app, "flow-student")[0][1:] == (1, {Q1: {"words": [19, 23]}})

    fields, page = step_form(client, q=2)
    assert "Question 2 of 4" in page and "1 of 4 answered" in page
    assert "Question </span>1<span class=\"visually-hidden\">, answered" in page
    response = client.post(SAVE, data={**fields, "blog-frame.choice": "a", "go": "4"})
    assert response.headers["Location"].endswith("?q=4")
    fields, page = step_form(client, q=4)
    response = client.post(SAVE, data={**fields, "go": "back"})
    assert response.headers["Location"].endswith("?q=3")
    scope, position, marks = drafts_of(app, "flow-student")[0]
    assert position == 2
    assert marks[Q1] == {"words": [19, 23]}  # untouched by the later steps
    assert marks[Q2] == {"words": [], "choice": "a"}

    # Back on question 1, its boxes are ticked; unticking them all clears it.
    fields, page = step_form(client, q=1)
    assert {("astana-loaded.w", "19"), ("astana-loaded.w", "23")} <= checked(page)
    client.post(SAVE, data={**fields, "go": "next"})
    assert drafts_of(app, "flow-student")[0][2][Q1] == {"words": []}


def test_a_new_login_on_another_device_reopens_the_saved_step_and_marks(app, client, student,
                                                                        auth):
    fields, _ = step_form(client)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next"})
    fields, _ = step_form(client, q=2)
    client.post(SAVE, data={**fields, "blog-frame.choice": "b", "go": "next"})
    auth.logout()
    other_device = browser(app, "flow-student")
    page = text(other_device.get(URL))
    assert "Question 3 of 4" in page and "2 of 4 answered" in page
    page = text(other_device.get(URL, query_string={"q": 2}))
    assert ("blog-frame.choice", "b") in checked(page)
    listing = text(other_device.get("/lessons"))
    assert "Saved: 2 of 4 questions answered" in listing
    assert f'href="{URL}">Continue' in listing


def test_a_draft_on_an_older_version_starts_fresh_and_says_why(app, client, student, library):
    fields, _ = step_form(client)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next"})
    lesson_file = library / f"{SLUG}.yaml"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8").replace(
        "Mob, mutineers or protesters?", "Mob, mutineers or protesters? (revised)"),
        encoding="utf-8")
    with app.app_context():
        assert sync_lessons(library).new_versions == [SLUG]
    page = text(client.get(URL))
    assert "changed by its teacher after you saved your answers" in page
    assert "Question 1 of 4" in page and not checked(page)
    # The next save starts the draft again on the new version.
    fields, _ = step_form(client)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["23"], "go": "next"})
    assert drafts_of(app, "flow-student")[0][2] == {Q1: {"words": [23]}}
    assert "changed by its teacher" not in text(client.get(URL))


def test_the_review_step_lists_what_is_unanswered_and_submits_the_saved_marks(app, client,
                                                                               student):
    fields, _ = step_form(client)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "review"})
    page = text(client.get(URL))  # the saved step is the review
    assert "3 questions are not answered yet" in page
    assert "Question 2</a>" in page and "(no frame chosen)" in page
    assert "(no sentences selected)" in page and "(no frames chosen)" in page
    assert 'href="/lessons/naming-the-january-events?q=2">Question 2</a>' in page
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert form["astana-loaded.w"] == "19" and form["confirm"] == "unanswered"
    assert "Submit anyway" in page
    response = client.post(URL, data=form)
    assert response.status_code == 303
    assert attempts_in_db(app) == 1
    assert drafts_of(app, "flow-student") == []  # deleted with the attempt's insert
    assert "questions answered" not in text(client.get("/lessons"))


def test_a_whole_page_submit_with_blanks_asks_first_and_stores_nothing(app, client, student):
    with app.app_context():
        db.session.execute(sa.update(User).values(quiz_layout="all"))
        db.session.commit()
    fields = test_student.quiz_fields(client)
    del fields["confirm"]
    response = client.post(URL, data={**fields, "astana-loaded.w": ["19"],
                                      "blog-frame.choice": "a"})
    page = text(response)
    assert response.status_code == 200 and attempts_in_db(app) == 0
    assert "2 questions are not answered yet" in page
    assert "Question 3</a>" in page and "Question 4</a>" in page and "Question 1</a>" not in page
    assert 'href="/lessons/naming-the-january-events#q-referendum-sources"' in page
    # Going back finds the marks: they were saved as the draft.
    assert {("astana-loaded.w", "19"), ("blog-frame.choice", "a")} <= checked(text(
        client.get(URL)))
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert client.post(URL, data=form).status_code == 303  # "submit anyway"
    assert attempts_in_db(app) == 1 and drafts_of(app, "flow-student") == []


def test_a_fully_answered_lesson_needs_no_confirmation(app, client, student):
    fields = test_student.quiz_fields(client)
    del fields["confirm"]
    fields.update(test_student.perfect_answers(content_of(app)))
    assert client.post(URL, data=fields).status_code == 303


def test_switching_layout_keeps_the_marks_and_prints_each_excerpt_once(app, client, student):
    fields, _ = step_form(client)
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "layout": "all"})
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert all(f'id="q-{qid}"' in page for qid in (Q1, Q2, Q3, Q4))
    assert ("astana-loaded.w", "19") in checked(page)
    # The compare question marks both excerpts again: each sits in a closed disclosure
    # that names where the text was first printed, still a real form control.
    again = re.findall(r'<details class="excerpt-again"( open)?>\s*<summary>([^<]+)', page)
    assert [summary for _, summary in again] == [
        "Excerpt A: the same text as question 1. Open it to mark it for this question.",
        "Excerpt B: the same text as question 2. Open it to mark it for this question."]
    assert 'name="naming-compare.0.w"' in page
    assert page.count('id="q1-w19"') == 1 and page.count("<details class=\"excerpt-again\"") == 2
    with app.app_context():
        assert db.session.scalar(sa.select(User.quiz_layout)) == "all"
    fields, _ = step_form(client)  # the whole page: its ticked box is posted too
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "layout": "one"})
    assert response.headers["Location"].endswith("?q=2")  # the first unanswered question
    assert drafts_of(app, "flow-student")[0][2][Q1] == {"words": [19]}


def test_the_frame_question_says_what_its_parts_are_worth(app, client, student):
    frame = next(q for q in content_of(app)["questions"] if q["id"] == Q2)
    signals = len(frame["signals"])
    page = text(client.get(URL, query_string={"q": 2}))
    assert ("Choose the frame, and mark the words that signal it. The frame is worth 1 of "
            f"this question's {signals + 1} points; the signal words are worth the other "
            f"{signals}.") in page
    assert "You may also mark" not in page


def test_start_over_clears_the_draft(app, client, student):
    fields, _ = step_form(client)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next"})
    page = text(client.get(URL))
    assert "Start over" in page
    response = client.post(f"{URL}/progress/discard",
                           data={"csrf_token": csrf_token(client, URL)})
    assert response.status_code == 303 and response.headers["Location"].endswith("?q=1")
    assert drafts_of(app, "flow-student") == []


# --- try again ---------------------------------------------------------------------------


def _submitted(app, client):
    fields = test_student.quiz_fields(client)
    fields.update({"astana-loaded.w": ["19", "23"], "blog-frame.choice": "b"})
    response = client.post(URL, data=fields)
    assert response.status_code == 303
    return response.headers["Location"]


def test_try_again_can_start_from_the_last_attempts_marks_or_blank(app, client, student):
    feedback_url = _submitted(app, client)
    feedback = text(client.get(feedback_url))
    assert "Try again from my answers" in feedback and "Try again, blank" in feedback
    again = f"{feedback_url}/again"
    token = csrf_token(client, feedback_url)
    response = client.post(again, data={"csrf_token": token, "start": "mine"})
    assert response.status_code == 303
    page = text(client.get(URL))
    assert {("astana-loaded.w", "19"), ("astana-loaded.w", "23")} <= checked(page)
    assert "Your answers from that attempt are filled in" in page
    client.post(again, data={"csrf_token": token, "start": "blank"})
    assert drafts_of(app, "flow-student") == [] and not checked(text(client.get(URL)))
    assert client.post(again, data={"csrf_token": token, "start": "x"}).status_code == 400


def test_try_again_from_marks_is_refused_on_a_changed_lesson(app, client, student, library):
    feedback_url = _submitted(app, client)
    lesson_file = library / f"{SLUG}.yaml"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8").replace(
        "Mob, mutineers or protesters?", "Mob, mutineers or protesters? (2)"), encoding="utf-8")
    with app.app_context():
        sync_lessons(library)
    feedback = text(client.get(feedback_url))
    assert "Try again from my answers" not in feedback and "Try again" in feedback
    response = client.post(f"{feedback_url}/again", data={
        "csrf_token": csrf_token(client, feedback_url), "start": "mine"})
    assert response.status_code == 409 and "changed since that attempt" in text(response)


def test_try_again_on_an_assignment_follows_its_attempt_limit(app, make_user, library):
    teacher = make_user("flow-teacher", role="teacher")
    klass = make_class(app, teacher.id)
    pupil = make_user("flow-pupil")
    enrol(app, klass, pupil.id)
    assignment_id = make_assignment(app, klass, library_lesson_id(app), max_attempts=1)
    client = browser(app, "flow-pupil")
    url = f"/assignments/{assignment_id}"
    fields, page = step_form(client, url)
    assert "Question 1 of 4" in page
    client.post(f"{url}/progress", data={**fields, "astana-loaded.w": ["19"], "go": "review"})
    assert drafts_of(app, "flow-pupil")[0][0] == f"assignment:{assignment_id}"
    review = text(client.get(url))
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', review))
    response = client.post(url, data=form)
    assert response.status_code == 303 and drafts_of(app, "flow-pupil") == []
    feedback_url = response.headers["Location"]
    assert "Try again" not in text(client.get(feedback_url))  # its one attempt is used
    refused = client.post(f"{feedback_url}/again", data={
        "csrf_token": csrf_token(client, feedback_url), "start": "mine"})
    assert refused.status_code == 409


# --- who may read and write a draft ------------------------------------------------------


def test_a_student_never_sees_or_changes_another_students_draft(app, client, student,
                                                              make_user):
    fields, _ = step_form(client)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next"})
    make_user("someone-else")
    other = browser(app, "someone-else")
    page = text(other.get(URL))
    assert "Question 1 of 4" in page and not checked(page) and "Start over" not in page
    other_fields, _ = step_form(other)
    other.post(SAVE, data={**other_fields, "astana-loaded.w": ["0"], "go": "next"})
    other.post(f"{URL}/progress/discard", data={"csrf_token": other_fields["csrf_token"]})
    assert drafts_of(app, "flow-student")[0][2] == {Q1: {"words": [19]}}
    assert drafts_of(app, "someone-else") == []


def test_drafts_of_assignments_are_for_their_class_only(app, client, student, make_user):
    teacher = make_user("flow-teacher", role="teacher")
    klass = make_class(app, teacher.id)
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    fields, _ = step_form(client)  # a valid form of the same lesson
    url = f"/assignments/{assignment_id}"
    assert client.get(url).status_code == 403
    assert client.post(f"{url}/progress", data={**fields, "go": "next"}).status_code == 403
    assert client.post(f"{url}/progress/discard",
                       data={"csrf_token": fields["csrf_token"]}).status_code == 403
    assert client.post("/assignments/999999/progress", data=fields).status_code == 404
    assert drafts_of(app, "flow-student") == []
    with app.app_context():
        db.session.execute(sa.update(Lesson).values(status="draft"))
        db.session.commit()
    assert client.post(SAVE, data={**fields, "go": "next"}).status_code == 404


# --- input no page of ours sends ---------------------------------------------------------


@pytest.mark.parametrize("query", ["abc", "0", "5", "99999999", "-1", "1.5", "review2"])
def test_garbage_step_numbers_are_a_400(client, student, query):
    response = client.get(URL, query_string={"q": query})
    assert response.status_code == 400
    assert "question" in text(response)


@pytest.mark.parametrize("change", [
    {"go": "sideways"}, {"go": "7"}, {"step": "x"}, {"step": "9"}, {"shown": ["nope"]},
    {"layout": "sideways"}, {"blog-frame.choice": "a"},  # a question this page did not show
    {"astana-loaded.w": ["99999"]}, {"astana-loaded.w": ["abc"]}, {"version": "77"},
])
def test_a_tampered_save_is_a_400_and_stores_nothing(app, client, student, change):
    fields, _ = step_form(client)
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next",
                                       **change})
    assert response.status_code == 400, text(response)[:500]
    assert drafts_of(app, "flow-student") == []


def test_a_tampered_save_keeps_the_valid_marks_on_the_page(client, student):
    fields, _ = step_form(client)
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["19", "99999"],
                                       "go": "next"})
    page = text(response)
    assert response.status_code == 400 and "not in this excerpt" in page
    assert ("astana-loaded.w", "19") in checked(page)


def test_an_oversized_save_is_a_413(app, client, student):
    fields, _ = step_form(client)
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["1" * 1_100_000]})
    assert response.status_code == 413
    assert drafts_of(app, "flow-student") == []


# --- as the page's script saves ---------------------------------------------------------


def test_the_script_saves_in_json_with_a_fresh_token(app, client, student):
    fields, _ = step_form(client)
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "stay"},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["saved"] is True and (answer["answered"], answer["count"]) == (1, 4)
    assert answer["csrf"]
    refused = client.post(SAVE, data={**fields, "astana-loaded.w": ["x"]},
                          headers={"X-Requested-With": "fetch"})
    assert refused.status_code == 400 and refused.get_json()["saved"] is False


@pytest.mark.options(WTF_CSRF_TIME_LIMIT=1)
def test_an_expired_page_gets_a_fresh_token_to_retry_with(app, client, student):
    import time

    fields, _ = step_form(client)
    time.sleep(2.1)
    response = client.post(SAVE, data={**fields, "astana-loaded.w": ["19"]},
                           headers={"X-Requested-With": "fetch", **ORIGIN})
    answer = response.get_json()
    assert response.status_code == 400 and answer["retry"] is True
    retried = client.post(SAVE, data={**fields, "csrf_token": answer["csrf"],
                                      "astana-loaded.w": ["19"]},
                          headers={"X-Requested-With": "fetch"})
    assert retried.get_json()["saved"] is True


@pytest.mark.options(WTF_CSRF_TIME_LIMIT=1)
def test_an_expired_submit_keeps_the_marks_and_saves_them(app, client, student):
    import time

    fields = test_student.quiz_fields(client)
    time.sleep(2.1)
    response = client.post(URL, data={**fields, "astana-loaded.w": ["19", "23"]},
                           headers=ORIGIN)
    assert response.status_code == 400 and "This form expired" in text(response)
    assert drafts_of(app, "flow-student")[0][2][Q1] == {"words": [19, 23]}
    assert attempts_in_db(app) == 0


# --- a login that ended before the marks were saved -----------------------------------------


def test_marks_posted_after_the_session_ended_come_back_after_logging_in(app, client, auth,
                                                                         make_user, library,
                                                                         fake_clock):
    make_user("flow-student")
    auth.login("flow-student")
    fields, _ = step_form(client)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next"})
    fields, _ = step_form(client, q=2)
    fake_clock["now"] = START + timedelta(hours=2)  # idle past the time-out
    response = client.post(SAVE, data={**fields, "blog-frame.choice": "b", "go": "next"},
                           headers=ORIGIN)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert drafts_of(app, "flow-student")[0][2].get(Q2) is None  # not stored for anyone yet
    login = auth.login("flow-student", next=f"{URL}?q=3")
    page = text(client.get(login.headers["Location"]))
    assert "They are back, and saved now" in page and "Question 3 of 4" in page
    assert drafts_of(app, "flow-student")[0][2] == {Q1: {"words": [19]},
                                                    Q2: {"words": [], "choice": "b"}}


def test_kept_marks_never_go_to_another_student_on_the_same_computer(app, client, auth,
                                                                     make_user, library,
                                                                     fake_clock):
    make_user("flow-student")
    make_user("next-student")
    auth.login("flow-student")
    fields, _ = step_form(client)
    fake_clock["now"] = START + timedelta(hours=2)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next"}, headers=ORIGIN)
    auth.login("next-student")
    page = text(client.get(URL))
    assert not checked(page) and "They are back" not in page
    assert drafts_of(app, "next-student") == [] and drafts_of(app, "flow-student") == []


def test_marks_posted_from_another_site_are_not_kept(app, client, auth, make_user, library,
                                                     fake_clock):
    make_user("flow-student")
    auth.login("flow-student")
    fields, _ = step_form(client)
    fake_clock["now"] = START + timedelta(hours=2)
    client.post(SAVE, data={**fields, "astana-loaded.w": ["19"], "go": "next"},
                headers={"Origin": "https://elsewhere.example"})
    auth.login("flow-student")
    assert not checked(text(client.get(URL))) and drafts_of(app, "flow-student") == []


def test_the_blank_step_page_stays_cheap(app, make_user, library):
    """A blank step of an assignment is kept per process: the session, and the assignment
    with the student's draft (one statement), nothing else."""
    from tests.web.test_query_counts import counting_queries

    teacher = make_user("flow-teacher", role="teacher")
    klass = make_class(app, teacher.id)
    pupil = make_user("flow-pupil")
    enrol(app, klass, pupil.id)
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    client = browser(app, "flow-pupil")
    url = f"/assignments/{assignment_id}?q=2"
    assert client.get(url).status_code == 200
    with counting_queries(app) as statements:
        page = text(client.get(url))
    assert "Question 2 of 4" in page
    assert len(statements) == 2, statements


def test_a_question_that_only_reads_an_excerpt_printed_above_points_back_to_it(app, make_user):
    from tests.web.results_builders import SMALL_LESSON, gen_lesson, load_documents

    with app.app_context():
        load_documents()
        gen_lesson(SMALL_LESSON.replace("excerpt: blog\n    prompt: Which frame?",
                                        "excerpt: astana\n    prompt: Which frame?"))
    make_user("reader", quiz_layout="all")
    page = text(browser(app, "reader").get("/lessons/two-questions"))
    assert 'Read the excerpt printed in <a href="#q-words">question 1</a> above.' in page
    assert page.count("presumably") == 1  # the excerpt's words, printed once
    one_step = browser(app, "reader")
    with app.app_context():
        db.session.execute(sa.update(User).values(quiz_layout="one"))
        db.session.commit()
    step = text(one_step.get("/lessons/two-questions", query_string={"q": 2}))
    assert "presumably foreign-trained" in step  # its own step prints it in full


def test_a_step_with_marks_is_exactly_what_the_template_renders(app, client, student):
    """A step with marks is its kept blank markup with the boxes ticked: byte for byte
    what the template renders with those marks."""
    from flask import render_template

    from app.student.present import quiz_questions

    content = content_of(app)
    marks = test_student.perfect_answers(content)
    marks["astana-loaded.w"] += ["0", "1"]  # and wrong marks too
    for step, question in enumerate(content["questions"], start=1):
        fields, _ = step_form(client, q=step)
        form = {**fields, "go": "stay"}
        form.update({name: values for name, values in marks.items()
                     if name.startswith(question["id"] + ".")})
        assert client.post(SAVE, data=form).status_code == 303
        page = text(client.get(URL, query_string={"q": step}))
        shown = page[page.index("<section class=\"card question"):page.index("</section>")]
        with app.test_request_context():
            saved = drafts_of(app, "flow-student")[0][2]
            rendered = render_template("student/_questions.html", count=len(
                content["questions"]), questions=quiz_questions(
                    content, saved, only=step - 1, whole_page=False))
        expected = rendered[rendered.index("<section"):rendered.index("</section>")]
        assert shown == expected, f"step {step}"
        assert " checked>" in shown
