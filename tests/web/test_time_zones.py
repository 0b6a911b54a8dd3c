"""Time in the school's zone (issue 13, item 4; review: "Due dates must be typed in UTC",
"Due dates show in UTC").

Each class has an IANA time zone; dates are typed on the class's clock, stored in UTC and
shown on the class's clock with the zone, to the teacher and to the students.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import Assignment, Classroom
from tests.web import test_student
from tests.web.classes_builders import (
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

library = test_student.library  # the fixture that loads the seeds and the shipped lessons
ALMATY = "Asia/Almaty"


@pytest.fixture
def teacher(make_user, auth, library):
    user = make_user("teacher-a", role="teacher")
    auth.login(user.username)
    return user


@pytest.fixture
def almaty(app, teacher):
    """Teacher-a's class "Media 10B", on Almaty's clock (UTC+5 all year)."""
    class_id = make_class(app, teacher.id, "Media 10B")
    update(app, Classroom, class_id, timezone=ALMATY)
    return class_id


@pytest.fixture
def pupil(app, make_user, almaty):
    student = make_user("pupil", quiz_layout="all")
    enrol(app, almaty, student.id)
    return student, browser(app, student.username)


def rules(**changes):
    form = {"available_from": "", "due_at": "", "max_attempts": "1", "grading": "highest",
            "feedback": "immediately", "late_policy": "accept"}
    form.update(changes)
    return form


def assign(client, class_id, lesson_id, **changes):
    url = f"/teach/classes/{class_id}/assignments/new"
    return post(client, url, {"lesson": str(lesson_id), **rules(**changes)}, token_from=url)


def stored(app, column=Assignment.due_at):
    with app.app_context():
        return db.session.scalars(sa.select(column).order_by(Assignment.id)).all()


def zone_of(app, class_id):
    with app.app_context():
        return db.session.get(Classroom, class_id).timezone


# --- a new class ------------------------------------------------------------------------


def test_a_new_class_offers_the_zones_with_the_site_default_chosen(client, teacher):
    page = text(client.get("/teach/classes/new"))
    assert '<label for="timezone">Time zone</label>' in page
    assert '<optgroup label="Asia">' in page and '<option value="Asia/Almaty">' in page
    # Without JavaScript the site's zone (UTC here) is selected; the script reads this.
    assert '<option selected value="UTC">UTC</option>' in page
    assert "data-browser-zone" in page and "js/classes.js" in page


@pytest.mark.parametrize("app_overrides", [{"SCHOOL_TIMEZONE": "Europe/London"}])
def test_the_site_setting_is_the_default_zone(client, teacher, app_overrides):
    page = text(client.get("/teach/classes/new"))
    assert '<option selected value="Europe/London">Europe/London</option>' in page


def test_a_class_is_created_in_the_zone_chosen(app, client, teacher):
    url = "/teach/classes/new"
    response = post(client, url, {"name": "Media 10B", "timezone": ALMATY}, token_from=url)
    assert response.status_code == 303
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert zone_of(app, class_id) == ALMATY
    page = text(client.get(f"/teach/classes/{class_id}"))
    assert '<option selected value="Asia/Almaty">Asia/Almaty</option>' in page


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "localtime", "x" * 300])
def test_an_unknown_zone_is_a_400_that_keeps_the_name(app, client, teacher, zone):
    url = "/teach/classes/new"
    response = post(client, url, {"name": "Media 10B", "timezone": zone}, token_from=url)
    assert response.status_code == 400
    page = text(response)
    assert "Choose a time zone" in page or "is not a time zone we know" in page
    assert 'value="Media 10B"' in page
    assert count(app, Classroom) == 0


# --- entering and showing dates --------------------------------------------------------


def test_15_00_in_almaty_is_stored_as_10_00_utc_and_shown_as_15_00_to_everyone(
        app, client, teacher, almaty, pupil):
    form = text(client.get(f"/teach/classes/{almaty}/assignments/new"))
    assert "Due date and time (in Asia/Almaty time)" in form
    assert "Available from (in Asia/Almaty time)" in form
    lesson_id = library_lesson_id(app)
    assert assign(client, almaty, lesson_id, due_at="2031-05-01T15:00").status_code == 303
    assert stored(app) == [datetime(2031, 5, 1, 10, 0, tzinfo=UTC)]
    shown = ('<time datetime="2031-05-01T10:00:00+00:00" title="Asia/Almaty, UTC+05:00">'
             "2031-05-01 15:00 Almaty time</time>")
    assert shown in text(client.get(f"/teach/classes/{almaty}"))
    assignment_id = stored(app, Assignment.id)[0]
    edit = text(client.get(f"/teach/assignments/{assignment_id}/edit"))
    assert 'value="2031-05-01T15:00"' in edit
    assert shown in text(client.get(f"/teach/classes/{almaty}/gradebook"))
    assert shown in text(client.get(f"/teach/assignments/{assignment_id}/results"))
    _, student = pupil
    assert shown in text(student.get("/lessons"))
    assert shown in text(student.get(f"/assignments/{assignment_id}"))  # the banner
    assert "UTC</time>" not in text(student.get("/lessons"))


def test_saving_the_edit_form_unchanged_keeps_the_moment(app, client, teacher, almaty):
    assignment_id = make_assignment(app, almaty, library_lesson_id(app),
                                    due_at=datetime(2031, 5, 1, 10, 0, tzinfo=UTC))
    url = f"/teach/assignments/{assignment_id}/edit"
    with app.app_context():
        version = db.session.get(Assignment, assignment_id).edit_version
    response = post(client, url, {**rules(due_at="2031-05-01T15:00"),
                                  "edit_version": str(version)}, token_from=url)
    assert response.status_code == 303, text(response)
    assert stored(app) == [datetime(2031, 5, 1, 10, 0, tzinfo=UTC)]


def test_a_time_the_clocks_skip_is_a_400_that_keeps_the_form(app, client, teacher, almaty):
    update(app, Classroom, almaty, timezone="America/New_York")
    # 2031-03-09 is the second Sunday of March: New York's clocks go from 02:00 to 03:00.
    response = assign(client, almaty, library_lesson_id(app), due_at="2031-03-09T02:30")
    assert response.status_code == 400
    page = text(response)
    assert "2031-03-09 02:30 does not exist in America/New_York" in page
    assert "Choose a time before 02:00 or from 03:00 on." in page
    assert 'value="2031-03-09T02:30"' in page
    assert count(app, Assignment) == 0


def test_a_time_the_clocks_show_twice_means_the_first_and_says_so(app, client, teacher,
                                                                  almaty):
    update(app, Classroom, almaty, timezone="America/New_York")
    # 2031-11-02 is the first Sunday of November: 01:00-02:00 happens twice.
    response = assign(client, almaty, library_lesson_id(app), due_at="2031-11-02T01:30")
    assert response.status_code == 303
    assert stored(app) == [datetime(2031, 11, 2, 5, 30, tzinfo=UTC)]  # 01:30 EDT
    page = text(client.get(response.headers["Location"]))
    assert "that time happens twice" in page and "it means the first one" in page
    assert "2031-11-02 01:30 EDT" in page


def test_the_closed_page_and_the_hidden_answers_note_use_the_class_clock(app, teacher,
                                                                         almaty, pupil):
    assignment_id = make_assignment(app, almaty, library_lesson_id(app), max_attempts=1,
                                    feedback="after_due",
                                    due_at=datetime(2031, 5, 1, 10, 0, tzinfo=UTC))
    _, student = pupil
    form = test_student.quiz_fields(student, f"/assignments/{assignment_id}")
    response = student.post(f"/assignments/{assignment_id}",
                            data={**form, "astana-loaded.w": ["19"]})
    assert response.status_code == 303
    feedback = text(student.get(response.headers["Location"]))
    assert "will be shown after the due date, 2031-05-01 15:00 Almaty time" in feedback
    closed = text(student.get(f"/assignments/{assignment_id}"))
    assert "You have used all 1 attempt allowed" in closed
    assert "2031-05-01 15:00 Almaty time" in closed
    assert re.search(r"submitted <time [^>]*>\d{4}-\d\d-\d\d \d\d:\d\d Almaty time</time>",
                     closed)


# --- class settings ----------------------------------------------------------------------


def settings_post(client, class_id, zone, **extra):
    url = f"/teach/classes/{class_id}"
    return post(client, f"{url}/timezone", {"timezone": zone, **extra}, token_from=url)


def test_the_teacher_changes_the_zone_and_dates_keep_their_moment(app, client, teacher,
                                                                  almaty):
    make_assignment(app, almaty, library_lesson_id(app),
                    due_at=datetime(2031, 1, 15, 10, 0, tzinfo=UTC))
    response = settings_post(client, almaty, "europe/london")
    assert response.status_code == 303
    assert zone_of(app, almaty) == "Europe/London"
    page = text(client.get(f"/teach/classes/{almaty}"))
    assert "now shows and takes its dates in Europe/London time" in page
    assert "2031-01-15 10:00 GMT" in page  # the same moment, on London's clock
    assert stored(app) == [datetime(2031, 1, 15, 10, 0, tzinfo=UTC)]


@pytest.mark.parametrize("zone", ["Atlantis/Capital", "", "Asia/Almaty\u202e"])
def test_an_unknown_zone_in_the_settings_is_a_400_with_a_message(app, client, teacher, almaty,
                                                                 zone):
    response = settings_post(client, almaty, zone)
    assert response.status_code == 400
    assert re.search(r"not a time zone we know|Choose a time zone|character", text(response))
    assert zone_of(app, almaty) == ALMATY


def test_only_the_class_teacher_changes_its_zone(app, make_user, teacher, almaty, pupil):
    make_user("teacher-b", role="teacher")
    other = browser(app, "teacher-b")
    url = f"/teach/classes/{almaty}/timezone"
    assert post(other, url, {"timezone": "UTC"}).status_code == 403
    _, student = pupil
    assert post(student, url, {"timezone": "UTC"}).status_code == 403
    assert post(other, "/teach/classes/999999/timezone", {"timezone": "UTC"}).status_code == 404
    assert zone_of(app, almaty) == ALMATY


def test_an_archived_class_keeps_its_zone(app, client, teacher, almaty):
    update(app, Classroom, almaty, archived=True)
    assert settings_post(client, almaty, "UTC").status_code == 409
    assert zone_of(app, almaty) == ALMATY


def test_a_class_with_an_unusable_stored_zone_shows_the_site_clock(app, client, teacher,
                                                                   almaty):
    update(app, Classroom, almaty, timezone="Gone/Zone")
    make_assignment(app, almaty, library_lesson_id(app),
                    due_at=datetime(2031, 1, 15, 10, 0, tzinfo=UTC))
    response = client.get(f"/teach/classes/{almaty}")
    assert response.status_code == 200
    assert "2031-01-15 10:00 UTC" in text(response)


def test_missing_compares_moments_whatever_the_zone(app, client, teacher, almaty, pupil):
    """Only the display moves with the zone: "missing" compares stored moments."""
    lesson_id = make_owned_lesson(app, teacher.id)
    make_assignment(app, almaty, lesson_id, due_at=datetime(2031, 1, 15, 10, 0, tzinfo=UTC))
    make_assignment(app, almaty, lesson_id, due_at=datetime(2021, 1, 15, 10, 0, tzinfo=UTC))
    page = text(client.get(f"/teach/classes/{almaty}/gradebook"))
    assert "due <time" in page and "2031-01-15 15:00 Almaty time" in page
    assert "2021-01-15 16:00 Almaty time" in page  # Almaty was UTC+6 until 2024
    assert page.count('<strong class="status status-missing">missing</strong>') == 1


# --- the site setting ----------------------------------------------------------------------


def test_a_wrong_site_zone_stops_the_app_at_start_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("SCHOOL_TIMEZONE", "Asia/Almatyy")
    with pytest.raises(RuntimeError, match="SCHOOL_TIMEZONE='Asia/Almatyy' is not a time zone"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 40})


def test_the_site_zone_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCHOOL_TIMEZONE", "asia/almaty")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 40})
    assert app.config["SCHOOL_TIMEZONE"] == ALMATY


def test_a_zone_outside_the_list_is_shown_as_the_class_has_it(app, client, teacher, almaty):
    update(app, Classroom, almaty, timezone="US/Eastern")
    page = text(client.get(f"/teach/classes/{almaty}"))
    assert '<optgroup label="This class"><option selected value="US/Eastern">' in page
