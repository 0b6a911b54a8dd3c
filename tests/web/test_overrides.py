"""A teacher's own grade with a comment, kept beside the computed one (issue 13, item 5;
review: "manual score override and a comment per student"), and one way to read a
percentage in the gradebook (review, bug 8: 81% on the dashboard, 80.5% in the gradebook).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Attempt, Classroom, ScoreOverride
from tests.web import test_student
from tests.web.bulk_builders import bulk_class
from tests.web.classes_builders import (
    browser,
    count,
    enrol,
    library_lesson_id,
    make_assignment,
    make_attempt,
    make_class,
    post,
    text,
    update,
)
from tests.web.results_builders import gen_lesson, gen_user, load_documents
from tests.web.test_query_counts import counting_queries

library = test_student.library  # the fixture that loads the seeds and the shipped lessons


@pytest.fixture
def world(app, make_user, auth, library):
    """Teacher-a's class with ann (one attempt: 16.1 of 20, 80.5%) and ben (none)."""
    teacher = make_user("teacher-a", role="teacher")
    auth.login(teacher.username)
    class_id = make_class(app, teacher.id, "Media 10B")
    ann, ben = make_user("ann"), make_user("ben")
    enrol(app, class_id, ann.id, ben.id)
    lesson_id = library_lesson_id(app)
    assignment_id = make_assignment(app, class_id, lesson_id)
    attempt_id = make_attempt(app, ann.id, lesson_id, assignment_id)
    update(app, Attempt, attempt_id, score=16.1, max_score=20.0)
    return {"class": class_id, "assignment": assignment_id, "ann": ann, "ben": ben,
            "attempt": attempt_id}


def page_of(world, student):
    return f"/teach/assignments/{world['assignment']}/students/{world[student].id}"


def set_grade(client, world, student, percent, comment=""):
    page = page_of(world, student)
    return post(client, page + "/override", {"percent": percent, "comment": comment},
                token_from=page)


def gradebook_row(client, world, name):
    html = text(client.get(f"/teach/classes/{world['class']}/gradebook"))
    # The grades (the row's last cell, discernment, is tested in test_discernment.py).
    match = re.search(rf'<th scope="row"><a [^>]*>{name}</a></th>(.*?)'
                      r'(?:<td class="num discernment-cell">|</tr>)', html, re.S)
    assert match, name
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def gradebook_csv(client, world):
    response = client.get(f"/teach/classes/{world['class']}/gradebook.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    return rows[0], {row[0]: row[1:] for row in rows[1:]}


def test_the_gradebook_rounds_a_percentage_as_every_other_page(client, world):
    assert gradebook_row(client, world, "ann") == "81% 1 attempt"
    student_page = text(client.get(
        f"/teach/classes/{world['class']}/students/{world['ann'].id}"))
    assert "Grade: 81%" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", student_page))
    assert "80.5" not in student_page
    _, body = gradebook_csv(client, world)
    assert body["ann"][:4] == ["81", "1", "", "81"]


def test_an_override_is_shown_beside_the_computed_grade_everywhere(app, client, world):
    response = set_grade(client, world, "ann", "90", "Your essay on paper counts too.")
    assert response.status_code == 303
    adjust = text(client.get(response.headers["Location"]))
    assert "Saved your grade for ann" in adjust
    assert "Your essay on paper counts too." in adjust
    # Gradebook: the override counts, marked as such, the computed one beside it.
    assert gradebook_row(client, world, "ann") == "90% override computed: 81% 1 attempt"
    html = text(client.get(f"/teach/classes/{world['class']}/gradebook"))
    assert re.search(r"<tfoot>.*90%.*</tfoot>", html, re.S)  # the class average follows it
    # CSV: the grade that counts, then computed, override and comment apart.
    header, body = gradebook_csv(client, world)
    assert [name.split(": ")[-1] for name in header[1:7]] == [
        "grade %", "attempts", "status", "computed grade %", "override %", "override comment"]
    assert body["ann"][:6] == ["90", "1", "", "81", "90.0", "Your essay on paper counts too."]
    assert body["ben"][:6] == ["", "0", "", "", "", ""]
    # The student sees it with the comment: in their list and on the feedback page.
    ann = browser(app, "ann")
    listing = text(ann.get("/lessons"))
    assert "<strong>90%</strong> (set by your teacher; computed: 81%)" in listing
    assert "Your essay on paper counts too." in listing
    feedback = text(ann.get(f"/attempts/{world['attempt']}"))
    assert "Your teacher set your grade for this assignment to <strong>90%</strong>" in feedback
    assert "Your essay on paper counts too." in feedback
    results = text(ann.get("/results"))
    assert "Grades your teachers set" in results
    assert "<strong>90%</strong>, the grade that counts" in results
    assert "Your essay on paper counts too." in results
    # Ben, without one, sees nothing of it.
    assert "set by your teacher" not in text(browser(app, "ben").get("/lessons"))
    assert "Grades your teachers set" not in text(browser(app, "ben").get("/results"))


def test_clearing_the_override_restores_the_computed_grade(app, client, world):
    assert set_grade(client, world, "ann", "55.5").status_code == 303
    assert gradebook_row(client, world, "ann").startswith("56% override")
    page = page_of(world, "ann")
    assert post(client, page + "/override/remove", token_from=page).status_code == 303
    assert gradebook_row(client, world, "ann") == "81% 1 attempt"
    assert count(app, ScoreOverride) == 0
    _, body = gradebook_csv(client, world)
    assert body["ann"][:6] == ["81", "1", "", "81", "", ""]
    with app.app_context():  # the computed score was never touched
        assert db.session.scalar(sa.select(Attempt.score)) == 16.1


def test_a_student_with_no_attempt_can_be_graded(client, world):
    assert set_grade(client, world, "ben", "70", "Handed in on paper.").status_code == 303
    assert gradebook_row(client, world, "ben") == "70% override computed: none"


def test_changing_an_override_keeps_one_row(app, client, world):
    set_grade(client, world, "ann", "90")
    set_grade(client, world, "ann", "85", "Second thoughts.")
    with app.app_context():
        assert db.session.execute(sa.select(ScoreOverride.percent, ScoreOverride.comment)
                                  ).all() == [(85.0, "Second thoughts.")]


@pytest.mark.parametrize(("percent", "comment", "message"), [
    ("", "", "Enter the grade in percent"),
    ("101", "", "A grade can be at most 100%."),
    ("-3", "", "a number from 0 to 100"),
    ("ninety", "", "a number from 0 to 100"),
    ("85.25", "", "at most one decimal place"),
    ("90", "x" * 2001, "The comment can be at most 2000 characters long."),
    ("90", "bad\x00byte", "character"),
])
def test_a_bad_override_is_a_400_that_keeps_what_was_typed(app, client, world, percent,
                                                           comment, message):
    response = set_grade(client, world, "ann", percent, comment)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    if percent:
        assert f'value="{percent}"' in page
    assert count(app, ScoreOverride) == 0


def test_only_the_class_teacher_grades(app, make_user, client, world):
    make_user("teacher-b", role="teacher")
    for other in (browser(app, "teacher-b"), browser(app, "ann")):
        assert other.get(page_of(world, "ann")).status_code == 403
        assert post(other, page_of(world, "ann") + "/override",
                    {"percent": "100"}).status_code == 403
        assert post(other, page_of(world, "ann") + "/override/remove").status_code == 403
    outsider = make_user("outsider")
    url = f"/teach/assignments/{world['assignment']}/students/{outsider.id}/override"
    assert post(client, url, {"percent": "100"}).status_code == 404
    assert count(app, ScoreOverride) == 0


def test_an_archived_class_keeps_its_grades(app, client, world):
    set_grade(client, world, "ann", "90")
    update(app, Classroom, world["class"], archived=True)
    assert set_grade(client, world, "ann", "10").status_code == 409
    page = page_of(world, "ann")
    assert post(client, page + "/override/remove", token_from=page).status_code == 409
    with app.app_context():
        assert db.session.scalar(sa.select(ScoreOverride.percent)) == 90.0


def test_the_adjust_page_is_linked_from_the_students_results(client, world):
    html = text(client.get(f"/teach/classes/{world['class']}/students/{world['ann'].id}"))
    assert f'href="{page_of(world, "ann")}"' in html
    assert "Give more time or set the grade" in html


def test_the_gradebook_reads_overrides_in_one_query_whatever_their_number(app, client, auth):
    """Overrides and extensions for every student of a class of 40 cost the same queries
    as for none (tests/web/test_query_counts.py holds the budget)."""
    with app.app_context():
        load_documents()
        teacher = gen_user("counting-teacher", role="teacher")
        classroom = bulk_class(teacher, [gen_lesson(owner=teacher)], 40, attempts_each=1)
        class_id = classroom.id
        assignment_id = classroom.assignments[0].id
        students = [e.student_id for e in classroom.enrollments]
    auth.login("counting-teacher")
    urls = [f"/teach/classes/{class_id}/gradebook", f"/teach/classes/{class_id}/gradebook.csv"]
    before = []
    for url in urls:
        client.get(url)
        with counting_queries(app) as statements:
            assert client.get(url).status_code == 200
        before.append(len(statements))
    with app.app_context():
        db.session.add_all(ScoreOverride(assignment_id=assignment_id, student_id=student,
                                         percent=50.0, comment="c") for student in students)
        db.session.commit()
    after = []
    for url in urls:
        with counting_queries(app) as statements:
            assert client.get(url).status_code == 200
        after.append(len(statements))
    assert before == after and max(after) <= 10, (before, after)
    assert text(client.get(urls[0])).count('class="status status-override">override<') == 40
