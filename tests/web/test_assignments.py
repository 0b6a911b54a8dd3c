"""Assignments through the real pages: a teacher sets a lesson for a class with rules, and
students see it, take it and get feedback under those rules."""

from __future__ import annotations

import copy
import re
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from app.extensions import db
from app.models import Assignment, Attempt, Enrollment, Lesson, LessonVersion, utcnow
from tests.web import test_student
from tests.web.classes_builders import (
    attempts,
    browser,
    count,
    enrol,
    library_lesson_id,
    make_assignment,
    make_class,
    make_owned_lesson,
    post,
    text,
    update,
)
from tests.web.test_query_counts import counting_queries

library = test_student.library  # the fixture that loads the seeds and the shipped lessons
FUTURE = "2031-05-01T14:30"
FUTURE_UTC = datetime(2031, 5, 1, 14, 30, tzinfo=UTC)


@pytest.fixture
def teacher(make_user, auth, library):
    user = make_user("teacher-a", role="teacher")
    auth.login(user.username)
    return user


@pytest.fixture
def klass(app, teacher):
    return make_class(app, teacher.id, "Media 10B")


@pytest.fixture
def pupil(app, make_user, klass):
    """A student of Media 10B in their own browser: (user, client)."""
    student = make_user("pupil", quiz_layout="all")  # these tests post the whole-lesson form
    enrol(app, klass, student.id)
    return student, browser(app, student.username)


def rules(**changes):
    form = {"due_at": "", "max_attempts": "", "grading": "highest", "feedback": "immediately",
            "late_policy": "accept"}
    form.update(changes)
    return form


def assign(client, class_id, **form):
    url = f"/teach/classes/{class_id}/assignments/new"
    return post(client, url, form, token_from=url)


def all_assignments(app):
    with app.app_context():
        return [(a.lesson_id, a.due_at, a.max_attempts, a.grading, a.feedback, a.late_policy)
                for a in db.session.scalars(sa.select(Assignment).order_by(Assignment.id))]


# --- the teacher's side ----------------------------------------------------------------


def test_the_form_offers_the_library_and_my_published_lessons_only(app, client, teacher,
                                                                   make_user, klass):
    make_owned_lesson(app, teacher.id, "mine", title="My published lesson")
    make_owned_lesson(app, teacher.id, "mine-draft", title="My draft lesson", status="draft")
    other = make_user("teacher-b", role="teacher")
    make_owned_lesson(app, other.id, "theirs", title="Their lesson")
    page = text(client.get(f"/teach/classes/{klass}/assignments/new"))
    assert '<optgroup label="Starter library">' in page
    assert "Mob, mutineers or protesters?" in page
    assert '<optgroup label="My lessons">' in page and "My published lesson" in page
    assert "My draft lesson" not in page and "Their lesson" not in page
    assert 'type="datetime-local"' in page
    # No zone of its own and no SCHOOL_TIMEZONE: the class's clock is UTC, and says so.
    assert "Due date and time (in UTC time)" in page
    assert "<legend>Grade by</legend>" in page and "Average of attempts" in page


def test_a_teacher_assigns_a_lesson_with_all_its_rules(app, client, teacher, klass):
    lesson_id = library_lesson_id(app)
    response = assign(client, klass, lesson=str(lesson_id),
                      **rules(due_at=FUTURE, max_attempts="3", grading="last",
                              feedback="after_due", late_policy="refuse"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/teach/classes/{klass}")
    assert all_assignments(app) == [(lesson_id, FUTURE_UTC, 3, "last", "after_due", "refuse")]
    page = text(client.get(response.headers["Location"]))
    assert "is assigned to Media 10B" in page
    assert "2031-05-01 14:30 UTC" in page
    assert "Last attempt" in page and "After the due date" in page
    assert "Refuse it after the due date" in page


def test_unlimited_attempts_with_answers_at_once_need_the_box_ticked(app, client, teacher,
                                                                     klass):
    mine = make_owned_lesson(app, teacher.id)
    assert assign(client, klass, lesson=str(mine), **rules()).status_code == 400
    assert assign(client, klass, lesson=str(mine), answers_with_retries="y",
                  **rules()).status_code == 303
    assert all_assignments(app) == [(mine, None, None, "highest", "immediately", "accept")]
    assert "Unlimited" in text(client.get(f"/teach/classes/{klass}"))


@pytest.mark.parametrize(("changes", "message"), [
    ({"due_at": "tomorrow"}, "Enter the due date as a date and a time, like 2026-03-01 14:30."),
    ({"due_at": "2031-13-45T25:00"}, "Enter the due date as a date and a time"),
    ({"due_at": "2001-01-01T10:00"}, "That due date has already passed."),
    ({"max_attempts": "0"}, "Choose from 1 to 20 attempts, or unlimited."),
    ({"max_attempts": "21"}, "Choose from 1 to 20 attempts, or unlimited."),
    ({"max_attempts": "-1"}, "Choose from 1 to 20 attempts, or unlimited."),
    ({"max_attempts": "lots"}, "Choose from 1 to 20 attempts, or unlimited."),
    ({"grading": "median"}, "Choose one of the grading methods."),
    ({"feedback": "sometimes"}, "Choose when answers are shown."),
    ({"late_policy": "maybe"}, "Choose what happens to late work."),
    ({"feedback": "after_due"}, "“After the due date” needs a due date"),
    ({"late_policy": "refuse"}, "Refusing late work needs a due date"),
    ({"lesson": ""}, "Choose a lesson to assign."),
    ({"lesson": "abc"}, "Choose a lesson from the list."),
])
def test_bad_settings_are_refused_with_a_message_and_kept(app, client, teacher, klass,
                                                          changes, message):
    form = {"lesson": str(library_lesson_id(app)), **rules(max_attempts="4"), **changes}
    response = assign(client, klass, **form)
    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert "Please correct the marked fields." in page
    if changes.get("due_at"):
        assert f'value="{changes["due_at"]}"' in page  # what the teacher typed stays
    if "max_attempts" not in changes:
        assert '<option selected value="4">' in page
    assert all_assignments(app) == []


def test_tampered_lesson_ids_get_404_or_403(app, client, teacher, make_user, klass):
    other = make_user("teacher-b", role="teacher")
    theirs = make_owned_lesson(app, other.id, "theirs")
    draft = make_owned_lesson(app, teacher.id, "mine-draft", status="draft")
    assert assign(client, klass, lesson="999999", **rules()).status_code == 404
    assert assign(client, klass, lesson=str(theirs), **rules()).status_code == 403
    response = assign(client, klass, lesson=str(draft), **rules())
    assert response.status_code == 400
    assert "That lesson is not published yet." in text(response)
    assert all_assignments(app) == []


def test_editing_an_assignment_shows_and_changes_its_rules(app, client, teacher, klass):
    assignment_id = make_assignment(app, klass, library_lesson_id(app), due_at=FUTURE_UTC,
                                    max_attempts=2, grading="first")
    url = f"/teach/assignments/{assignment_id}/edit"
    page = text(client.get(url))
    assert 'value="2031-05-01T14:30"' in page
    assert '<option selected value="2">' in page
    assert re.search(r'checked[^>]*value="first"|value="first"[^>]*checked', page)
    assert "The lesson of an assignment cannot be changed" in page

    response = post(client, url, rules(due_at="2031-06-01T09:00", max_attempts="",
                                       grading="average", feedback="never"), token_from=url)
    assert response.status_code == 303
    assert all_assignments(app) == [(library_lesson_id(app),
                                     datetime(2031, 6, 1, 9, 0, tzinfo=UTC), None, "average",
                                     "never", "accept")]
    bad = post(client, url, rules(due_at="", late_policy="refuse"), token_from=url)
    assert bad.status_code == 400
    assert "Refusing late work needs a due date" in text(bad)
    assert all_assignments(app)[0][1] == datetime(2031, 6, 1, 9, 0, tzinfo=UTC)


def test_a_past_due_date_is_allowed_when_editing(app, client, teacher, klass):
    # Closing an assignment early is a teacher's decision, not a typing mistake.
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    url = f"/teach/assignments/{assignment_id}/edit"
    assert post(client, url, rules(due_at="2001-01-01T10:00"), token_from=url).status_code == 303


def test_deleting_needs_confirmation_and_keeps_the_attempts(app, client, teacher, klass,
                                                            pupil):
    student, pupil_client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    take(pupil_client, assignment_id, {"astana-loaded.w": ["19"]})
    edit = f"/teach/assignments/{assignment_id}/edit"
    assert "1 attempt made so far" in text(client.get(edit))

    refused = post(client, f"/teach/assignments/{assignment_id}/delete", token_from=edit)
    assert refused.status_code == 400
    assert "Tick the box to confirm that you want to delete it." in text(refused)
    assert count(app, Assignment) == 1

    response = post(client, f"/teach/assignments/{assignment_id}/delete", {"confirm": "y"},
                    token_from=edit)
    assert response.status_code == 303
    assert "attempts are kept in their own history" in text(
        client.get(response.headers["Location"]))
    assert count(app, Assignment) == 0
    # ON DELETE SET NULL, on SQLite (foreign keys are on) and PostgreSQL alike.
    assert [(user, assignment) for user, assignment, _, _ in attempts(app)] == [
        (student.id, None)]
    assert "Mob, mutineers or protesters?" in text(pupil_client.get("/results"))


def test_deleting_an_assignment_that_hides_the_answers_warns_that_they_will_show(
        app, client, teacher, klass, pupil):
    student, pupil_client = pupil
    hidden = make_assignment(app, klass, library_lesson_id(app), feedback="never")
    edit = f"/teach/assignments/{hidden}/edit"
    assert "Deleting it shows the answers" not in text(client.get(edit))  # no attempts yet
    attempt_url = take(pupil_client, hidden, {"astana-loaded.w": ["19"]}).headers["Location"]
    assert "neutral wording" not in text(pupil_client.get(attempt_url))
    assert "Deleting it shows the answers" in text(client.get(edit))

    post(client, f"/teach/assignments/{hidden}/delete", {"confirm": "y"}, token_from=edit)
    assert "neutral wording" in text(pupil_client.get(attempt_url))  # as the page warned


def test_no_warning_when_the_answers_were_shown_anyway(app, client, teacher, klass, pupil):
    _, pupil_client = pupil
    shown = make_assignment(app, klass, library_lesson_id(app))
    take(pupil_client, shown, {"astana-loaded.w": ["19"]})
    assert "Deleting it shows the answers" not in text(
        client.get(f"/teach/assignments/{shown}/edit"))


# --- the student's side ----------------------------------------------------------------


def quiz_form(client, assignment_id):
    return test_student.quiz_fields(client, f"/assignments/{assignment_id}")


def take(client, assignment_id, marks):
    form = quiz_form(client, assignment_id)
    form.update(marks)
    return client.post(f"/assignments/{assignment_id}", data=form)


def test_students_see_their_assignments_above_the_library(app, teacher, klass, pupil):
    assignment_id = make_assignment(app, klass, library_lesson_id(app), due_at=FUTURE_UTC,
                                    max_attempts=3, grading="last")
    _, client = pupil
    page = text(client.get("/lessons"))
    assert page.index("Assigned to you") < page.index("<h2>Library</h2>")
    assigned = page[page.index("Assigned to you"):page.index("<h2>Library</h2>")]
    assert "Mob, mutineers or protesters?" in assigned and "Media 10B" in assigned
    assert "2031-05-01 14:30 UTC" in assigned
    assert "Attempts: 0 / 3" in assigned and "My grade: not yet" in assigned
    assert f'href="/assignments/{assignment_id}">Start' in assigned


def test_only_my_classes_assignments_are_listed(app, teacher, make_user, klass, pupil):
    make_assignment(app, klass, library_lesson_id(app))
    outsider = browser(app, make_user("outsider").username)
    assert "Assigned to you" not in text(outsider.get("/lessons"))


def test_a_student_in_two_classes_sees_both_classes_assignments(app, teacher, klass, pupil):
    student, client = pupil
    second = make_class(app, teacher.id, "History 9", code="HHHHJJJJ")
    enrol(app, second, student.id)
    make_assignment(app, klass, library_lesson_id(app))
    make_assignment(app, second, make_owned_lesson(app, teacher.id, title="A teacher lesson"))
    page = text(client.get("/lessons"))
    assigned = page[page.index("Assigned to you"):page.index("<h2>Library</h2>")]
    assert "Media 10B" in assigned and "History 9" in assigned
    assert "A teacher lesson" in assigned and "Mob, mutineers or protesters?" in assigned


def test_taking_an_assignment_stores_the_attempt_on_it(app, teacher, klass, pupil):
    student, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app), due_at=FUTURE_UTC,
                                    max_attempts=2)
    page = text(client.get(f"/assignments/{assignment_id}"))
    assert "Assignment for Media 10B" in page
    assert "2031-05-01 14:30 UTC" in page and "0 of 2 used · 2 left" in page
    assert f'action="/assignments/{assignment_id}"' in page

    form = quiz_form(client, assignment_id)
    form.update(test_student.perfect_answers(test_student.content_of(app)))
    response = client.post(f"/assignments/{assignment_id}", data=form)
    assert response.status_code == 303
    assert attempts(app) == [(student.id, assignment_id, False, 27.0)]
    feedback = text(client.get(response.headers["Location"]))
    assert "Your score: <strong>27 out of 27</strong>" in feedback
    assert "neutral wording" in feedback  # shown at once by default
    attempt_url = response.headers["Location"]
    assert f'action="{attempt_url}/again"' in feedback  # one attempt is left
    assert "Try again from my answers" in feedback and "Try again, blank" in feedback
    listing = text(client.get("/lessons"))
    assert "Attempts: 1 / 2" in listing and "My grade: <strong>100%</strong>" in listing
    assert f'href="/assignments/{assignment_id}">Try again' in listing
    assert "1 of 2 used · 1 left" in text(client.get(f"/assignments/{assignment_id}"))


def test_the_quiz_page_a_class_opens_at_once_costs_two_queries(app, teacher, klass, pupil):
    """Thirty students open an assignment in the same minute: each page view runs the
    session check and one statement for the assignment (class, membership, attempts used,
    current version, the student's saved progress). The version, its documents' titles and
    the library's source cards (the "Who is behind this?" links) are read once per
    process, not per student."""
    student, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app), max_attempts=3)
    with counting_queries(app) as first:
        assert client.get(f"/assignments/{assignment_id}").status_code == 200
    with counting_queries(app) as again:
        page = text(client.get(f"/assignments/{assignment_id}"))
    assert len(first) == 5 and len(again) == 2, (first, again)
    assert "0 of 3 used · 3 left" in page  # the count comes from that one statement
    take(client, assignment_id, {"astana-loaded.w": ["19"]})
    assert "1 of 3 used · 2 left" in text(client.get(f"/assignments/{assignment_id}"))


def test_a_new_version_of_the_lesson_reaches_the_quiz_page_at_once(app, teacher, klass,
                                                                    pupil):
    """The per-process copy of a version is keyed by id and content hash: publishing an
    edit shows the edit to the next student, even in a process that served the old one."""
    student, client = pupil
    lesson_id = make_owned_lesson(app, teacher.id)
    assignment_id = make_assignment(app, klass, lesson_id)
    assert "Who is in the streets" not in text(client.get(f"/assignments/{assignment_id}"))
    with app.app_context():
        old = db.session.scalar(sa.select(LessonVersion).where(
            LessonVersion.lesson_id == lesson_id))
        content = copy.deepcopy(old.content)
        content["questions"][0]["prompt"] = "Who is in the streets, in this excerpt's words?"
        db.session.add(LessonVersion(lesson_id=lesson_id, number=2, content=content,
                                     content_hash="edited-" + old.content_hash[:20]))
        db.session.get(Lesson, lesson_id).version = 2
        db.session.commit()
    page = text(client.get(f"/assignments/{assignment_id}"))
    assert "Who is in the streets, in this excerpt&#39;s words?" in page
    assert 'name="version" value="2"' in page


def test_the_grade_follows_the_grading_method(app, teacher, klass, pupil):
    student, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app), grading="first")
    take(client, assignment_id, {"astana-loaded.w": ["19"]})  # 1 of 27
    form = quiz_form(client, assignment_id)
    form.update(test_student.perfect_answers(test_student.content_of(app)))
    client.post(f"/assignments/{assignment_id}", data=form)
    assert "My grade: <strong>4%</strong> (first attempt)" in text(client.get("/lessons"))


def test_one_attempt_allowed_means_the_second_is_refused(app, teacher, klass, pupil):
    student, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app), max_attempts=1)
    second_form = quiz_form(client, assignment_id)  # a second tab opened before submitting
    assert take(client, assignment_id, {"astana-loaded.w": ["19"]}).status_code == 303
    second_form["astana-loaded.w"] = ["23"]
    response = client.post(f"/assignments/{assignment_id}", data=second_form)
    assert response.status_code == 409
    page = text(response)
    assert "You have used all 1 attempt allowed for this assignment." in page
    assert "Nothing new was saved." in page
    assert len(attempts(app)) == 1
    closed = client.get(f"/assignments/{assignment_id}")
    assert closed.status_code == 200
    assert "You have used all 1 attempt allowed" in text(closed)
    assert 'name="submission"' not in text(closed)
    listing = text(client.get("/lessons"))
    assert "You have used all 1 attempt allowed" in listing
    assert f'href="/assignments/{assignment_id}">Continue' not in listing


def test_a_submit_racing_another_one_waits_for_it_and_is_refused(app, teacher, klass, pupil):
    """A real race: another transaction holds the student's lock (PostgreSQL) or the write
    lock (SQLite) with an uncommitted attempt when this submit arrives."""
    student, client = pupil
    lesson_id = library_lesson_id(app)
    assignment_id = make_assignment(app, klass, lesson_id, max_attempts=1)
    form = {**quiz_form(client, assignment_id), "astana-loaded.w": ["19"]}
    outcome = {}
    with app.app_context(), db.engine.connect() as other:
        transaction = other.begin()
        other.execute(sa.select(Enrollment.id).where(Enrollment.student_id == student.id)
                      .with_for_update())
        version_id = other.scalar(sa.select(LessonVersion.id)
                                  .where(LessonVersion.lesson_id == lesson_id))
        other.execute(sa.insert(Attempt).values(
            user_id=student.id, lesson_id=lesson_id, lesson_version_id=version_id,
            assignment_id=assignment_id, submission_token="b" * 32, score=0.0,
            max_score=27.0, late=False, submitted_at=utcnow()))
        request = threading.Thread(target=lambda: outcome.update(
            response=client.post(f"/assignments/{assignment_id}", data=form)))
        request.start()
        request.join(0.5)
        assert request.is_alive(), "the submit did not wait for the other transaction"
        transaction.commit()
    request.join(10)
    assert outcome["response"].status_code == 409
    assert "You have used all 1 attempt allowed" in text(outcome["response"])
    assert len(attempts(app)) == 1


def test_late_work_is_accepted_and_flagged(app, client, teacher, klass, pupil):
    student, pupil_client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app),
                                    due_at=utcnow() - timedelta(hours=1))
    listing = text(pupil_client.get("/lessons"))
    assert "Overdue" in listing and "Late work not accepted" not in listing
    page = text(pupil_client.get(f"/assignments/{assignment_id}"))
    assert "Your work will be accepted but marked late." in page
    response = take(pupil_client, assignment_id, {"astana-loaded.w": ["19"]})
    assert response.status_code == 303
    assert attempts(app) == [(student.id, assignment_id, True, 1.0)]
    assert "Submitted after the due date." in text(pupil_client.get(response.headers["Location"]))
    dashboard = text(client.get("/teach/"))
    assert "pupil" in dashboard and "Media 10B" in dashboard and "Late" in dashboard


def test_late_work_is_refused_when_the_teacher_says_so(app, teacher, klass, pupil):
    student, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app),
                                    due_at=utcnow() + timedelta(hours=1), late_policy="refuse")
    form = {**quiz_form(client, assignment_id), "astana-loaded.w": ["19"]}
    update(app, Assignment, assignment_id, due_at=utcnow() - timedelta(minutes=1))
    response = client.post(f"/assignments/{assignment_id}", data=form)
    assert response.status_code == 409
    assert "This assignment was due and no longer accepts work." in text(response)
    assert attempts(app) == []
    listing = text(client.get("/lessons"))
    assert "Late work not accepted" in listing


def key_texts(app):
    """Every neutral wording and explanation in the lesson's key."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("neutral", "why", "feedback") and isinstance(item, str):
                    found.append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(test_student.content_of(app)["questions"])
    assert len(found) > 10
    return found


def assert_no_key_in(page, app):
    title = test_student.content_of(app)["title"]
    for snippet in key_texts(app):
        if snippet not in title:  # "protesters" is the neutral word for "mob", and in the title
            assert str(escape(snippet)) not in page, snippet
    for marker in ("neutral wording", "You missed", "You found", "mark-found", "mark-missed",
                   "Marked, but not", "The frame is"):
        assert marker not in page, marker


def test_feedback_after_the_due_date_is_hidden_until_then(app, teacher, klass, pupil):
    student, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app), due_at=FUTURE_UTC,
                                    feedback="after_due")
    page = text(client.get(f"/assignments/{assignment_id}"))
    assert "Shown after the due date; until then you see your score only." in page
    response = take(client, assignment_id, {"astana-loaded.w": ["19", "0"]})
    location = response.headers["Location"]
    page = text(client.get(location))
    assert "Your score: <strong>0.5 out of 27</strong>" in page
    assert ("the answers and explanations will be shown after the due date, "
            "2031-05-01 14:30 UTC") in page
    assert_no_key_in(page, app)
    # The library copy of the same lesson must not give the key away either.
    library_form = {**test_student.quiz_fields(client), "astana-loaded.w": ["19"]}
    practice = client.post(test_student.URL, data=library_form).headers["Location"]
    assert_no_key_in(text(client.get(practice)), app)

    update(app, Assignment, assignment_id, due_at=utcnow() - timedelta(minutes=1))
    page = text(client.get(location))
    assert "neutral wording: <em>groups</em>" in page
    assert "brands the people as organised criminals" in page


def test_feedback_never_shown_stays_hidden(app, teacher, klass, pupil):
    student, client = pupil
    lesson_id = make_owned_lesson(app, teacher.id)
    assignment_id = make_assignment(app, klass, lesson_id, feedback="never",
                                    due_at=utcnow() + timedelta(hours=1))
    response = take(client, assignment_id, {"astana-loaded.w": ["19"]})
    update(app, Assignment, assignment_id, due_at=utcnow() - timedelta(days=1))
    page = text(client.get(response.headers["Location"]))
    assert "Your score: <strong>1 out of 27</strong>" in page
    assert "your teacher has chosen not to show its answers and explanations" in page
    assert_no_key_in(page, app)


def test_a_teachers_own_lesson_is_reachable_only_through_an_assignment(app, teacher, klass,
                                                                       pupil, make_user):
    student, client = pupil
    lesson_id = make_owned_lesson(app, teacher.id, "my-own-lesson")
    assignment_id = make_assignment(app, klass, lesson_id)
    assert client.get("/lessons/my-own-lesson").status_code == 404
    assert "My own lesson" not in text(client.get("/lessons")).split("<h2>Library</h2>")[1]
    assert client.get(f"/assignments/{assignment_id}").status_code == 200
    outsider = browser(app, make_user("outsider").username)
    response = outsider.get(f"/assignments/{assignment_id}")
    assert response.status_code == 403
    assert "This assignment is for a class you are not in." in text(response)
    assert outsider.get("/assignments/999999").status_code == 404
    assert "/auth/login" in browser(app).get(f"/assignments/{assignment_id}").headers["Location"]


def test_removal_from_the_roster_revokes_access_and_keeps_attempts(app, client, teacher, klass,
                                                                   pupil):
    student, pupil_client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    stale_form = {**quiz_form(pupil_client, assignment_id), "astana-loaded.w": ["23"]}
    take(pupil_client, assignment_id, {"astana-loaded.w": ["19"]})
    post(client, f"/teach/classes/{klass}/students/{student.id}/remove")

    assert pupil_client.get(f"/assignments/{assignment_id}").status_code == 403
    assert pupil_client.post(f"/assignments/{assignment_id}", data=stale_form).status_code == 403
    assert "Assigned to you" not in text(pupil_client.get("/lessons"))
    assert attempts(app) == [(student.id, assignment_id, False, 1.0)]
    assert "1 / 27" in text(pupil_client.get("/results"))


def test_bad_marks_on_an_assignment_are_a_400_with_the_marks_kept(app, teacher, klass, pupil):
    _, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    response = take(client, assignment_id, {"astana-loaded.w": ["19", "9999"]})
    page = text(response)
    assert response.status_code == 400
    assert "A marked word is not in this excerpt" in page
    assert 'value="19" checked' in page
    assert f'action="/assignments/{assignment_id}"' in page
    assert "Assignment for Media 10B" in page
    assert attempts(app) == []


def test_a_double_submit_on_an_assignment_records_one_attempt(app, teacher, klass, pupil):
    _, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app), max_attempts=5)
    form = {**quiz_form(client, assignment_id), "astana-loaded.w": ["19"]}
    assert client.post(f"/assignments/{assignment_id}", data=form).status_code == 303
    again = client.post(f"/assignments/{assignment_id}", data=form)
    assert again.status_code == 409
    assert "Only one attempt was recorded" in text(again)
    assert "Try again from my answers" in text(again)  # offered from the 409 page too
    assert len(attempts(app)) == 1


@pytest.mark.options(WTF_CSRF_TIME_LIMIT=1)
def test_an_expired_assignment_form_keeps_the_marks(app, teacher, klass, pupil):
    _, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    form = {**quiz_form(client, assignment_id), "astana-loaded.w": ["19", "23"]}
    time.sleep(2.1)
    response = client.post(f"/assignments/{assignment_id}", data=form)
    page = text(response)
    assert response.status_code == 400
    assert "This form expired" in page and 'value="23" checked' in page
    assert f'action="/assignments/{assignment_id}"' in page
    assert attempts(app) == []


def test_an_archived_class_closes_its_assignments(app, teacher, klass, pupil):
    _, client = pupil
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    form = {**quiz_form(client, assignment_id), "astana-loaded.w": ["19"]}
    with app.app_context():
        db.session.execute(sa.text("UPDATE classes SET archived = :yes"), {"yes": True})
        db.session.commit()
    response = client.post(f"/assignments/{assignment_id}", data=form)
    assert response.status_code == 403
    assert "This class is archived: its assignments are closed." in text(response)
    assert count(app, Attempt) == 0
