"""Classes through the real pages: create, rename, archive, join codes, the roster, joining.

Also who may do what: a teacher only on their own classes (403 on another's, 404 on none),
students never on /teach pages, anonymous visitors sent to log in.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.domain import joincodes
from app.extensions import db
from app.models import Attempt, Classroom, Enrollment
from app.services import classes as class_service
from tests.web import test_student
from tests.web.classes_builders import (
    browser,
    enrol,
    id_from,
    join_code_on,
    make_assignment,
    make_attempt,
    make_class,
    make_owned_lesson,
    post,
    text,
)

library = test_student.library  # the fixture that loads the seeds and the shipped lessons


@pytest.fixture
def teacher(make_user, auth):
    user = make_user("teacher-a", role="teacher")
    auth.login(user.username)
    return user


def create(client, name):
    return post(client, "/teach/classes/new", {"name": name}, token_from="/teach/classes/new")


def classes_in_db(app):
    with app.app_context():
        return [(c.name, c.archived) for c in
                db.session.scalars(sa.select(Classroom).order_by(Classroom.id))]


def class_of(app, class_id):
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        db.session.expunge(classroom)
        return classroom


# --- creating, naming, the dashboard ---------------------------------------------------


def test_a_teacher_creates_a_class_and_sees_its_join_code(app, client, teacher):
    response = create(client, "  Media   studies 10B ")
    assert response.status_code == 303
    class_id = id_from(response.headers["Location"])
    page = text(client.get(response.headers["Location"]))
    code = join_code_on(page)
    assert "Media studies 10B" in page  # trimmed, inner spaces folded
    assert f"Students join it with the code {code}." in page
    assert classes_in_db(app) == [("Media studies 10B", False)]
    assert class_of(app, class_id).join_code == code.replace("-", "")
    assert not set(code) & set("01OIL")
    listing = text(client.get("/teach/classes"))
    assert "Media studies 10B" in listing and code in listing
    dashboard = text(client.get("/teach/"))
    assert "Media studies 10B" in dashboard and "0 students" in dashboard
    assert 'href="/teach/classes/new"' in dashboard


def test_the_dashboard_lists_my_lessons_and_classes(app, client, teacher, make_user, library):
    make_owned_lesson(app, teacher.id, title="My own lesson")
    make_owned_lesson(app, make_user("teacher-b", role="teacher").id, "theirs",
                      title="Their lesson")
    class_id = make_class(app, teacher.id, "Old class", archived=True)
    enrol(app, class_id, make_user().id)
    page = text(client.get("/teach/"))
    assert "My own lesson" in page and "Their lesson" not in page
    assert "Old class" in page and "1 student" in page and "Archived" in page
    assert "No submissions yet." in page


@pytest.mark.parametrize(("name", "status", "message"), [
    ("", 400, "Enter a name for the class."),
    ("    ", 400, "Enter a name for the class."),
    ("x" * 121, 400, "Class names can be at most 120 characters long."),
    ("Bad\x00name", 400, "This contains a control character (U+0000, NUL) at position 4."),
])
def test_bad_class_names_are_refused_and_kept(app, client, teacher, name, status, message):
    response = create(client, name)
    page = text(response)
    assert response.status_code == status
    assert message in page
    assert 'aria-invalid="true"' in page
    if name.strip():  # kept as typed, control character and all
        assert f'value="{name}"' in page
    assert classes_in_db(app) == []


def test_a_name_of_120_characters_is_accepted(app, client, teacher):
    assert create(client, "x" * 120).status_code == 303


def test_a_second_active_class_with_the_same_name_is_refused(app, client, teacher):
    first = id_from(create(client, "History 9").headers["Location"])
    response = create(client, "history 9")
    assert response.status_code == 400
    assert "You already have an active class called “history 9”" in text(response)
    # Archived classes free their name; bringing one back must not make two active ones.
    post(client, f"/teach/classes/{first}/archive", {"archive": "1"})
    second = create(client, "History 9")
    assert second.status_code == 303
    response = post(client, f"/teach/classes/{first}/archive", {"archive": "0"})
    assert response.status_code == 409
    assert "You already have an active class called “History 9”" in text(response)
    assert classes_in_db(app) == [("History 9", True), ("History 9", False)]


def test_two_teachers_may_use_the_same_class_name(app, client, teacher, make_user):
    other = make_user("teacher-b", role="teacher")
    make_class(app, other.id, "Media 10B")
    assert create(client, "Media 10B").status_code == 303


def test_rename_a_class(app, client, teacher):
    class_id = id_from(create(client, "Old name").headers["Location"])
    create(client, "Taken")
    url = f"/teach/classes/{class_id}/rename"
    response = post(client, url, {"name": " New name "})
    assert response.status_code == 303
    assert "Class renamed to “New name”." in text(client.get(response.headers["Location"]))
    for bad, message in (("", "Enter a name for the class."),
                         ("y" * 121, "at most 120 characters"),
                         ("taken", "You already have an active class called “taken”")):
        response = post(client, url, {"name": bad})
        assert response.status_code == 400
        assert message in text(response)
    assert classes_in_db(app) == [("New name", False), ("Taken", False)]


# --- join codes ------------------------------------------------------------------------


def test_regenerating_the_code_stops_the_old_one_at_once(app, client, teacher, make_user):
    class_id = id_from(create(client, "Media 10B").headers["Location"])
    old = join_code_on(text(client.get(f"/teach/classes/{class_id}")))
    response = post(client, f"/teach/classes/{class_id}/code")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    new = join_code_on(page)
    assert new != old
    assert f"New join code: {new}. The old code no longer works." in page

    student = make_user()
    pupil = browser(app, student.username)
    refused = post(pupil, "/join", {"code": old}, token_from="/join")
    assert refused.status_code == 404
    assert "No class has that code." in text(refused)
    assert post(pupil, "/join", {"code": new}, token_from="/join").status_code == 303


def test_a_code_collision_is_retried_with_a_new_code(app, client, teacher, monkeypatch):
    make_class(app, teacher.id, "Existing", code="AAAABBBB")
    drawn = iter(["AAAABBBB", "CCCCDDDD"])
    monkeypatch.setattr(joincodes, "new_code", lambda: next(drawn))
    response = create(client, "Second")
    assert response.status_code == 303
    assert join_code_on(text(client.get(response.headers["Location"]))) == "CCCC-DDDD"


def test_when_no_free_code_is_found_the_teacher_is_told(app, client, teacher, monkeypatch):
    make_class(app, teacher.id, "Existing", code="AAAABBBB")
    monkeypatch.setattr(joincodes, "new_code", lambda: "AAAABBBB")
    response = create(client, "Second")
    assert response.status_code == 503
    assert "Could not find a free join code" in text(response)
    assert classes_in_db(app) == [("Existing", False)]


# --- joining ---------------------------------------------------------------------------


@pytest.fixture
def pupil(app, make_user):
    """A second browser, logged in as a student."""
    student = make_user("pupil")
    return student, browser(app, student.username)


def join(client, code):
    return post(client, "/join", {"code": code}, token_from="/join")


@pytest.mark.parametrize("typed", ["K7QX-M2PD", "k7qx m2pd", " k7-qx-m2-pd "])
def test_a_student_joins_with_the_code_however_it_is_typed(app, teacher, pupil, typed):
    class_id = make_class(app, teacher.id, "Media 10B", code="K7QXM2PD")
    student, client = pupil
    lessons = text(client.get("/lessons"))
    assert 'href="/join"' in lessons and "Join a class" in lessons
    response = join(client, typed)
    assert response.status_code == 303
    assert "You joined Media 10B." in text(client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(sa.select(Enrollment.classroom_id).where(
            Enrollment.student_id == student.id)) == class_id


@pytest.mark.parametrize(("typed", "status", "message"), [
    ("", 400, "Enter the class code your teacher gave you."),
    ("HELLO", 400, "class codes have 8 letters and digits, like K7QX-M2PD"),
    ("K7QX-M2P0", 400, "class codes have 8 letters and digits"),
    ("Z" * 41, 400, "That is too long for a class code"),
    ("ZZZZ-ZZZZ", 404, "No class has that code. Check it with your teacher"),
])
def test_bad_codes_get_a_clear_message(app, teacher, pupil, typed, status, message):
    make_class(app, teacher.id, code="K7QXM2PD")
    _, client = pupil
    response = join(client, typed)
    page = text(response)
    assert response.status_code == status
    assert message in page
    assert 'role="alert"' in page
    assert f'value="{typed}"' in page or not typed
    assert count_enrollments(app) == 0


def count_enrollments(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Enrollment.id)))


def test_joining_twice_is_friendly_and_adds_no_second_row(app, teacher, pupil):
    make_class(app, teacher.id, "Media 10B", code="K7QXM2PD")
    _, client = pupil
    join(client, "K7QX-M2PD")
    response = join(client, "K7QX-M2PD")
    assert response.status_code == 303
    assert "You are already in Media 10B" in text(client.get(response.headers["Location"]))
    assert count_enrollments(app) == 1


def test_a_join_race_is_caught_by_the_unique_constraint(app, teacher, pupil, monkeypatch):
    make_class(app, teacher.id, "Media 10B", code="K7QXM2PD")
    _, client = pupil
    join(client, "K7QX-M2PD")
    # The second request passed the membership check before the first one committed.
    monkeypatch.setattr(class_service, "_is_member", lambda *_: False)
    response = join(client, "K7QX-M2PD")
    assert response.status_code == 303
    assert "You are already in Media 10B" in text(client.get(response.headers["Location"]))
    assert count_enrollments(app) == 1


def test_an_archived_class_cannot_be_joined(app, teacher, pupil):
    make_class(app, teacher.id, "Old class", code="K7QXM2PD", archived=True)
    _, client = pupil
    response = join(client, "K7QX-M2PD")
    assert response.status_code == 409
    assert "The class “Old class” is archived and no longer takes new students." in text(response)
    assert count_enrollments(app) == 0


def test_only_students_join_classes(app, client, teacher):
    make_class(app, teacher.id, code="K7QXM2PD")
    response = client.get("/join")
    assert response.status_code == 403
    assert "Only student accounts can join a class." in text(response)
    assert client.post("/join", data={"code": "K7QXM2PD"}).status_code in (400, 403)
    assert count_enrollments(app) == 0
    anonymous = browser(app)
    assert "/auth/login" in anonymous.get("/join").headers["Location"]


def test_a_student_may_be_in_several_classes(app, teacher, pupil):
    make_class(app, teacher.id, "Media 10B", code="K7QXM2PD")
    make_class(app, teacher.id, "History 9", code="HHHHJJJJ")
    _, client = pupil
    assert join(client, "K7QXM2PD").status_code == 303
    assert join(client, "HHHH-JJJJ").status_code == 303
    assert count_enrollments(app) == 2


# --- roster --------------------------------------------------------------------------


def test_the_roster_lists_students_and_remove_keeps_their_attempts(app, client, teacher,
                                                                   make_user, library):
    class_id = make_class(app, teacher.id, "Media 10B")
    alice, bob = make_user("alice"), make_user("bob")
    enrol(app, class_id, alice.id, bob.id)
    lesson_id = make_owned_lesson(app, teacher.id)
    assignment_id = make_assignment(app, class_id, lesson_id)
    make_attempt(app, alice.id, lesson_id, assignment_id)

    page = text(client.get(f"/teach/classes/{class_id}"))
    assert "Students (2)" in page
    assert re.search(r"alice(</a>)?</th>\s*<td><time datetime=\"\d{4}-", page)
    # A quiet, confirmed action: a disclosure holds the button that removes.
    assert "Yes, remove alice" in page and "Yes, remove bob" in page
    assert "button-danger" not in page
    assert "Removing a student keeps their past attempts" in page

    response = post(client, f"/teach/classes/{class_id}/students/{alice.id}/remove")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "alice was removed from “Media 10B”. Their past attempts are kept" in page
    assert "Students (1)" in page and "Yes, remove alice" not in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(
            Attempt.user_id == alice.id)) == 1
    # Not (or no longer) on the roster: 404.
    again = post(client, f"/teach/classes/{class_id}/students/{alice.id}/remove")
    assert again.status_code == 404
    assert "That student is not in this class." in text(again)
    assert post(client, f"/teach/classes/{class_id}/students/999999/remove").status_code == 404


# --- archiving -----------------------------------------------------------------------


def test_an_archived_class_is_read_only(app, client, teacher, make_user, library):
    class_id = make_class(app, teacher.id, "Media 10B")
    student = make_user()
    enrol(app, class_id, student.id)
    assignment_id = make_assignment(app, class_id, make_owned_lesson(app, teacher.id))
    response = post(client, f"/teach/classes/{class_id}/archive", {"archive": "1"})
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "is archived: it is read-only, students cannot join it" in page
    assert "Archived" in page
    assert "Unarchive class" in page and "Rename class" not in page
    assert "Make a new code" not in page and "Assign a lesson" not in page
    assert "Archived" in text(client.get("/teach/"))

    refused = [
        post(client, f"/teach/classes/{class_id}/rename", {"name": "New"}),
        post(client, f"/teach/classes/{class_id}/code"),
        post(client, f"/teach/classes/{class_id}/students/{student.id}/remove"),
        client.get(f"/teach/classes/{class_id}/assignments/new"),
        client.get(f"/teach/assignments/{assignment_id}/edit"),
        post(client, f"/teach/assignments/{assignment_id}/delete", {"confirm": "y"}),
    ]
    for response in refused:
        assert response.status_code == 409
        assert "This class is archived, so it is read-only." in text(response)
    assert class_of(app, class_id).name == "Media 10B"
    assert count_enrollments(app) == 1

    pupil = browser(app, student.username)
    assert "Media 10B" not in text(pupil.get("/lessons"))  # its assignments are gone
    assert pupil.get(f"/assignments/{assignment_id}").status_code == 403

    response = post(client, f"/teach/classes/{class_id}/archive", {"archive": "0"})
    assert response.status_code == 303
    assert "“Media 10B” is active again." in text(client.get(response.headers["Location"]))
    assert "Media 10B" in text(pupil.get("/lessons"))


def test_archiving_twice_is_harmless_and_the_button_toggles_without_a_value(app, client,
                                                                            teacher):
    class_id = make_class(app, teacher.id)
    post(client, f"/teach/classes/{class_id}/archive", {"archive": "1"})
    post(client, f"/teach/classes/{class_id}/archive", {"archive": "1"})
    assert class_of(app, class_id).archived is True
    post(client, f"/teach/classes/{class_id}/archive")
    assert class_of(app, class_id).archived is False


# --- who may do what -----------------------------------------------------------------


def teacher_routes(class_id, student_id, assignment_id):
    return [
        ("get", "/teach/"),
        ("get", "/teach/classes"),
        ("get", "/teach/classes/new"),
        ("post", "/teach/classes/new"),
        ("get", f"/teach/classes/{class_id}"),
        ("post", f"/teach/classes/{class_id}/rename"),
        ("post", f"/teach/classes/{class_id}/archive"),
        ("post", f"/teach/classes/{class_id}/code"),
        ("post", f"/teach/classes/{class_id}/students/{student_id}/remove"),
        ("get", f"/teach/classes/{class_id}/assignments/new"),
        ("post", f"/teach/classes/{class_id}/assignments/new"),
        ("get", f"/teach/assignments/{assignment_id}/edit"),
        ("post", f"/teach/assignments/{assignment_id}/edit"),
        ("post", f"/teach/assignments/{assignment_id}/delete"),
    ]


@pytest.fixture
def a_class(app, make_user, library):
    """Teacher A's class with one student and one assignment: (class, student, assignment)."""
    owner = make_user("teacher-a", role="teacher")
    student = make_user("pupil")
    class_id = make_class(app, owner.id, "Media 10B")
    enrol(app, class_id, student.id)
    assignment_id = make_assignment(app, class_id, make_owned_lesson(app, owner.id))
    return class_id, student, assignment_id


def test_another_teacher_gets_403_on_every_object_of_my_class(app, make_user, a_class):
    class_id, student, assignment_id = a_class
    make_user("teacher-b", role="teacher")
    other = browser(app, "teacher-b")
    for method, url in teacher_routes(class_id, student.id, assignment_id)[4:]:
        data = {"name": "Hijacked", "archive": "1", "confirm": "y", "max_attempts": "1",
                "grading": "last", "feedback": "immediately", "late_policy": "accept",
                "lesson": "1"}
        response = (other.get(url) if method == "get"
                    else post(other, url, data, token_from="/teach/"))
        assert response.status_code == 403, (method, url)
    assert "Media 10B" not in text(other.get("/teach/"))
    assert "Media 10B" not in text(other.get("/teach/classes"))
    classroom = class_of(app, class_id)
    assert (classroom.name, classroom.archived) == ("Media 10B", False)
    assert count_enrollments(app) == 1


def test_missing_objects_are_404(app, client, teacher):
    for method, url in teacher_routes(999999, 999999, 999999)[4:]:
        response = client.get(url) if method == "get" else post(client, url, token_from="/teach/")
        assert response.status_code == 404, (method, url)


def test_students_get_403_on_every_teacher_page(app, a_class):
    class_id, student, assignment_id = a_class
    pupil = browser(app, student.username)
    token_page = "/join"
    for method, url in teacher_routes(class_id, student.id, assignment_id):
        response = pupil.get(url) if method == "get" else post(pupil, url,
                                                                token_from=token_page)
        assert response.status_code == 403, (method, url)
    assert count_enrollments(app) == 1


def test_anonymous_visitors_are_sent_to_log_in(app, a_class):
    class_id, student, assignment_id = a_class
    anonymous = browser(app)
    for method, url in teacher_routes(class_id, student.id, assignment_id):
        response = getattr(anonymous, method)(url)
        if method == "post":  # no session, no CSRF token: refused before anything runs
            assert response.status_code in (302, 400), (method, url)
        else:
            assert response.status_code == 302, (method, url)
            assert "/auth/login" in response.headers["Location"]


def test_post_buttons_need_a_csrf_token(app, client, teacher):
    class_id = make_class(app, teacher.id)
    before = class_of(app, class_id).join_code
    assert client.post(f"/teach/classes/{class_id}/code").status_code == 400
    assert client.post(f"/teach/classes/{class_id}/archive").status_code == 400
    assert class_of(app, class_id).join_code == before
    assert class_of(app, class_id).archived is False


def test_state_never_changes_on_get(app, client, teacher):
    class_id = make_class(app, teacher.id)
    for url in (f"/teach/classes/{class_id}/code", f"/teach/classes/{class_id}/archive",
                f"/teach/classes/{class_id}/rename"):
        assert client.get(url).status_code == 405
