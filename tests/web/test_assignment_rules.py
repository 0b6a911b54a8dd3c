"""Assignment rules a class can be graded under (issue 13, item 5; review: "Default
assignment settings make grades meaningless", "Assign in the lesson library opens the class
list", "Regrade is reachable only from the lesson editor", and the missing "available
from" date and due-date extension for one student)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, Attempt, Classroom, Extension, Lesson, LessonVersion, utcnow
from tests.web import test_student
from tests.web.classes_builders import (
    LIBRARY_SLUG,
    attempts,
    browser,
    count,
    enrol,
    library_lesson_id,
    make_assignment,
    make_attempt,
    make_class,
    make_owned_lesson,
    post,
    text,
    update,
)

library = test_student.library  # the fixture that loads the seeds and the shipped lessons
ALMATY = "Asia/Almaty"


@pytest.fixture
def teacher(make_user, auth, library):
    user = make_user("teacher-a", role="teacher")
    auth.login(user.username)
    return user


@pytest.fixture
def klass(app, teacher):
    class_id = make_class(app, teacher.id, "Media 10B")
    update(app, Classroom, class_id, timezone=ALMATY)
    return class_id


@pytest.fixture
def pupils(app, make_user, klass):
    """Two students of Media 10B, each in their own browser: {name: (user, client)}."""
    found = {}
    for name in ("ann", "ben"):
        user = make_user(name, quiz_layout="all")
        enrol(app, klass, user.id)
        found[name] = (user, browser(app, name))
    return found


def form(**changes):
    values = {"available_from": "", "due_at": "", "max_attempts": "1", "grading": "highest",
              "feedback": "immediately", "late_policy": "accept"}
    values.update(changes)
    return values


def assign(client, class_id, lesson_id, **changes):
    url = f"/teach/classes/{class_id}/assignments/new"
    return post(client, url, {"lesson": str(lesson_id), **form(**changes)}, token_from=url)


def submit(client, assignment_id):
    fields = test_student.quiz_fields(client, f"/assignments/{assignment_id}")
    return client.post(f"/assignments/{assignment_id}",
                       data={**fields, "astana-loaded.w": ["19"]})


# --- safer defaults ------------------------------------------------------------------------


def test_the_new_form_proposes_one_attempt_and_says_why_retries_need_care(client, teacher,
                                                                          klass):
    page = text(client.get(f"/teach/classes/{klass}/assignments/new"))
    assert re.search(r'<option selected value="1">1</option>', page)
    assert '<option value="">Unlimited</option>' in page
    assert "lets a student read the key and copy it into the next attempt" in page
    assert "Show the answers after each attempt anyway" in page


@pytest.mark.parametrize("attempts", ["", "3"])
def test_retries_with_answers_at_once_are_refused_without_the_box(app, client, teacher,
                                                                  klass, attempts):
    response = assign(client, klass, library_lesson_id(app), max_attempts=attempts,
                      due_at="2031-05-01T15:00")
    assert response.status_code == 400
    page = text(response)
    assert "lets a student read the key and copy it into the next attempt" in page
    assert 'value="2031-05-01T15:00"' in page  # what was typed is kept
    assert count(app, Assignment) == 0


def test_retries_with_answers_after_the_due_date_need_no_box(app, client, teacher, klass):
    response = assign(client, klass, library_lesson_id(app), max_attempts="3",
                      feedback="after_due", due_at="2031-05-01T15:00")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(sa.select(Assignment.feedback)).all() == ["after_due"]


def test_the_box_allows_it_for_practice(app, client, teacher, klass):
    response = assign(client, klass, library_lesson_id(app), max_attempts="",
                      answers_with_retries="y")
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalars(sa.select(Assignment)).one()
        assert (row.max_attempts, row.feedback) == (None, "immediately")


def test_an_existing_assignment_keeps_its_rules_when_edited(app, client, teacher, klass):
    """Assignments made before the rule (unlimited, answers at once) are saved as they
    are, without the new box."""
    assignment_id = make_assignment(app, klass, library_lesson_id(app))  # unlimited, at once
    url = f"/teach/assignments/{assignment_id}/edit"
    page = text(client.get(url))
    assert re.search(r'<input checked id="answers_with_retries"', page)
    with app.app_context():
        version = db.session.get(Assignment, assignment_id).edit_version
    response = post(client, url, {**form(max_attempts="", grading="last"),
                                  "edit_version": str(version)}, token_from=url)
    assert response.status_code == 303
    with app.app_context():
        row = db.session.get(Assignment, assignment_id)
        assert (row.max_attempts, row.feedback, row.grading) == (None, "immediately", "last")


# --- available from ------------------------------------------------------------------------


def test_before_it_opens_students_see_it_listed_but_cannot_open_or_submit(app, client,
                                                                         teacher, klass,
                                                                         pupils):
    lesson_id = library_lesson_id(app)
    response = assign(client, klass, lesson_id, available_from="2031-04-01T08:00",
                      due_at="2031-05-01T15:00")
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalars(sa.select(Assignment)).one()
        assert row.available_from == datetime(2031, 4, 1, 3, 0, tzinfo=UTC)
        assignment_id = row.id
    teacher_page = text(client.get(f"/teach/classes/{klass}"))
    assert "2031-04-01 08:00 Almaty time" in teacher_page
    assert f'href="/teach/lessons/{lesson_id}/preview"' in teacher_page  # teachers preview
    _, ann = pupils["ann"]
    listing = text(ann.get("/lessons"))
    assert "Opens <time" in listing and "2031-04-01 08:00 Almaty time" in listing
    assert f'href="/assignments/{assignment_id}"' not in listing
    opened = ann.get(f"/assignments/{assignment_id}")
    assert opened.status_code == 403
    assert "This assignment opens on 2031-04-01 08:00 Almaty time" in text(opened)
    sent = ann.post(f"/assignments/{assignment_id}", data={"astana-loaded.w": ["19"]})
    assert sent.status_code in (400, 403)  # no CSRF token: 400; with one, 403 below
    # Once it opens, it can be taken.
    update(app, Assignment, assignment_id, available_from=utcnow() - timedelta(minutes=1))
    assert ann.get(f"/assignments/{assignment_id}").status_code == 200


def test_a_submit_before_the_opening_date_is_refused_with_403(app, teacher, klass, pupils):
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    _, ann = pupils["ann"]
    fields = test_student.quiz_fields(ann, f"/assignments/{assignment_id}")
    update(app, Assignment, assignment_id, available_from=utcnow() + timedelta(days=1))
    response = ann.post(f"/assignments/{assignment_id}",
                        data={**fields, "astana-loaded.w": ["19"]})
    assert response.status_code == 403
    assert "This assignment opens on" in text(response)
    assert attempts(app) == []


def test_opening_after_the_due_date_is_a_400(app, client, teacher, klass):
    response = assign(client, klass, library_lesson_id(app), available_from="2031-05-02T08:00",
                      due_at="2031-05-01T15:00")
    assert response.status_code == 400
    assert "must open before its due date" in text(response)
    assert count(app, Assignment) == 0


# --- one student's due date --------------------------------------------------------------


@pytest.fixture
def overdue(app, klass):
    """An assignment due an hour ago that refuses late work."""
    return make_assignment(app, klass, library_lesson_id(app), late_policy="refuse",
                           feedback="after_due", due_at=utcnow() - timedelta(hours=1))


def adjust_url(assignment_id, student_id, what=""):
    return f"/teach/assignments/{assignment_id}/students/{student_id}{what}"


def extend(client, assignment_id, student_id, due_at):
    page = adjust_url(assignment_id, student_id)
    return post(client, page + "/extension", {"due_at": due_at}, token_from=page)


def local_in_almaty(moment):
    return (moment + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")


def test_an_extension_lets_one_student_submit_on_time(app, client, teacher, overdue, pupils):
    ann, ann_client = pupils["ann"]
    ben, ben_client = pupils["ben"]
    later = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = extend(client, overdue, ann.id, local_in_almaty(later))
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "ann now has until" in page and "Almaty time" in page
    with app.app_context():
        assert db.session.scalar(sa.select(Extension.due_at)) == later
    # Ann's list and banner carry her own date; Ben's do not.
    assert "Extended for you" in text(ann_client.get("/lessons"))
    assert "Extended for you" not in text(ben_client.get("/lessons"))
    banner = text(ann_client.get(f"/assignments/{overdue}"))
    assert "Extended for you" in banner and "Shown after your due date" in banner
    assert "Overdue" not in banner
    assert submit(ann_client, overdue).status_code == 303
    assert "This assignment was due and no longer accepts work." in text(
        ben_client.get(f"/assignments/{overdue}"))
    assert attempts(app) == [(ann.id, overdue, False, 1.0)]
    # Answers wait for Ann's own date: hidden for her, while Ben's date has passed.
    with app.app_context():
        attempt_id = db.session.scalar(sa.select(Attempt.id))
    assert "will be shown after the due date" in text(ann_client.get(f"/attempts/{attempt_id}"))


def test_an_extension_changes_lateness_for_that_student_only_and_can_be_removed(
        app, client, teacher, klass, pupils):
    ann, _ = pupils["ann"]
    ben, _ = pupils["ben"]
    due = utcnow() - timedelta(hours=2)
    assignment_id = make_assignment(app, klass, library_lesson_id(app), due_at=due)
    lesson_id = library_lesson_id(app)
    for student in (ann, ben):
        attempt_id = make_attempt(app, student.id, lesson_id, assignment_id, late=True)
        update(app, Attempt, attempt_id, submitted_at=due + timedelta(hours=1))
    later = utcnow() + timedelta(days=1)
    assert extend(client, assignment_id, ann.id, local_in_almaty(later)).status_code == 303
    assert [row[2] for row in attempts(app)] == [False, True]  # ann on time, ben late
    gradebook = text(client.get(f"/teach/classes/{klass}/gradebook"))
    assert 'class="status status-extended">extended' in gradebook
    page = adjust_url(assignment_id, ann.id)
    assert post(client, page + "/extension/remove", token_from=page).status_code == 303
    assert [row[2] for row in attempts(app)] == [True, True]
    assert count(app, Extension) == 0


def test_moving_the_class_due_date_later_clears_the_late_flags(app, client, teacher, klass,
                                                               pupils):
    ann, _ = pupils["ann"]
    due = datetime(2030, 1, 10, 10, 0, tzinfo=UTC)
    assignment_id = make_assignment(app, klass, library_lesson_id(app), due_at=due)
    attempt_id = make_attempt(app, ann.id, library_lesson_id(app), assignment_id, late=True)
    update(app, Attempt, attempt_id, submitted_at=due + timedelta(hours=1))
    url = f"/teach/assignments/{assignment_id}/edit"
    with app.app_context():
        version = db.session.get(Assignment, assignment_id).edit_version
    response = post(client, url, {**form(due_at="2030-01-11T15:00", max_attempts="",
                                         answers_with_retries="y"),
                                  "edit_version": str(version)}, token_from=url)
    assert response.status_code == 303
    assert [row[2] for row in attempts(app)] == [False]


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the new due date and time."),
    ("soon", "Enter the new due date as a date and a time"),
    ("2001-01-01T10:00", "later than the class&#39;s due date"),
])
def test_a_bad_extension_is_a_400_with_a_message(app, client, teacher, overdue, pupils,
                                                 typed, message):
    ann, _ = pupils["ann"]
    response = extend(client, overdue, ann.id, typed)
    assert response.status_code == 400
    page = text(response)
    assert message in page, re.findall(r'<ul class="field-errors"[^>]*>(.*?)</ul>', page, re.S)
    assert count(app, Extension) == 0


def test_an_assignment_without_a_due_date_has_nothing_to_extend(app, client, teacher, klass,
                                                                pupils):
    ann, _ = pupils["ann"]
    assignment_id = make_assignment(app, klass, library_lesson_id(app))
    response = extend(client, assignment_id, ann.id, "2031-01-01T10:00")
    assert response.status_code == 400
    assert "no due date, so there is nothing to extend" in text(response)


def test_only_the_class_teacher_sets_an_extension(app, make_user, teacher, klass, overdue,
                                                  pupils):
    ann, ann_client = pupils["ann"]
    make_user("teacher-b", role="teacher")
    other = browser(app, "teacher-b")
    for client in (other, ann_client):
        assert client.get(adjust_url(overdue, ann.id)).status_code == 403
        response = post(client, adjust_url(overdue, ann.id, "/extension"),
                        {"due_at": "2031-01-01T10:00"})
        assert response.status_code == 403
    outsider = make_user("outsider")
    teacher_client = browser(app, "teacher-a")
    assert teacher_client.get(adjust_url(overdue, outsider.id)).status_code == 404
    assert teacher_client.get(adjust_url(999999, ann.id)).status_code == 404
    assert count(app, Extension) == 0


def test_an_archived_class_is_read_only(app, client, teacher, klass, overdue, pupils):
    ann, _ = pupils["ann"]
    update(app, Classroom, klass, archived=True)
    assert client.get(adjust_url(overdue, ann.id)).status_code == 200
    assert extend(client, overdue, ann.id, "2031-01-01T10:00").status_code == 409
    assert count(app, Extension) == 0


# --- assign from the lesson library -------------------------------------------------------


def test_the_library_assign_link_goes_to_the_form_with_the_lesson_chosen(app, client,
                                                                         teacher, klass):
    lessons = text(client.get("/teach/lessons"))
    assert f'href="/teach/assign?lesson={LIBRARY_SLUG}"' in lessons
    response = client.get(f"/teach/assign?lesson={LIBRARY_SLUG}")
    lesson_id = library_lesson_id(app)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/teach/classes/{klass}/assignments/new?lesson={lesson_id}")
    page = text(client.get(response.headers["Location"]))
    assert f'<option value="{lesson_id}" selected>' in page


def test_with_several_classes_the_teacher_picks_one(app, client, teacher, klass):
    second = make_class(app, teacher.id, "Media 11A", code="M3NWQ7RT")
    make_class(app, teacher.id, "Old class", code="Z2XC4VBN", archived=True)
    page = text(client.get(f"/teach/assign?lesson={LIBRARY_SLUG}"))
    assert "To which class?" in page and "Media 10B" in page and "Media 11A" in page
    assert "Old class" not in page
    response = client.get(f"/teach/assign?lesson={LIBRARY_SLUG}&class={second}")
    assert response.status_code == 303
    assert f"/teach/classes/{second}/assignments/new?lesson=" in response.headers["Location"]


def test_without_a_class_the_page_says_to_create_one(client, teacher):
    page = text(client.get(f"/teach/assign?lesson={LIBRARY_SLUG}"))
    assert "You have no active class" in page and 'href="/teach/classes/new"' in page


def test_assign_refuses_what_it_cannot_do(app, client, make_user, teacher, klass):
    other = make_user("teacher-b", role="teacher")
    theirs = make_class(app, other.id, "Their class", code="Q8WE4RTY")
    make_owned_lesson(app, other.id, "their-lesson")
    make_owned_lesson(app, teacher.id, "my-draft", status="draft")
    archived = make_class(app, teacher.id, "Archived", code="A2SD3FGH", archived=True)
    chooser = client.get("/teach/assign")  # no lesson named: choose one first
    assert chooser.status_code == 303 and chooser.headers["Location"].endswith("/teach/lessons")
    assert client.get("/teach/assign?lesson=no-such-lesson").status_code == 404
    assert client.get("/teach/assign?lesson=their-lesson").status_code == 403
    draft = client.get("/teach/assign?lesson=my-draft")
    assert draft.status_code == 409 and "not published yet" in text(draft)
    assert client.get(f"/teach/assign?lesson={LIBRARY_SLUG}&class={theirs}").status_code == 403
    assert client.get(f"/teach/assign?lesson={LIBRARY_SLUG}&class={archived}").status_code \
        == 409
    assert client.get(f"/teach/assign?lesson={LIBRARY_SLUG}&class=abc").status_code == 404


# --- regrade from the results page --------------------------------------------------------


def add_version(app, lesson_id):
    """A second version of the lesson, the same content (as a publish would make it)."""
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        first = lesson.versions[-1]
        lesson.versions.append(LessonVersion(number=2, content=first.content,
                                             content_hash=first.content_hash[:-1] + "x"))
        lesson.version = 2
        db.session.commit()


def test_results_link_to_the_regrade_when_a_newer_version_exists(app, client, teacher, klass,
                                                                pupils):
    ann, _ = pupils["ann"]
    lesson_id = make_owned_lesson(app, teacher.id)
    assignment_id = make_assignment(app, klass, lesson_id)
    make_attempt(app, ann.id, lesson_id, assignment_id)
    page = text(client.get(f"/teach/assignments/{assignment_id}/results"))
    assert "regrade" not in page.lower()
    add_version(app, lesson_id)
    page = text(client.get(f"/teach/assignments/{assignment_id}/results"))
    assert "1 attempt was scored with an older version of this lesson" in page
    assert f'href="/teach/lessons/{lesson_id}/regrade"' in page


def test_a_library_lesson_says_who_can_regrade(app, client, teacher, klass, pupils):
    ann, _ = pupils["ann"]
    lesson_id = library_lesson_id(app)
    assignment_id = make_assignment(app, klass, lesson_id)
    make_attempt(app, ann.id, lesson_id, assignment_id)
    add_version(app, lesson_id)
    page = text(client.get(f"/teach/assignments/{assignment_id}/results"))
    assert "scored with an older version" in page
    assert "/regrade" not in page and "only the lesson's owner can regrade them" in page
