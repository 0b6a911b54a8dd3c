"""F11: a teacher deletes only a student who is theirs alone; admins delete any.

A student in teacher A's class and in teacher B's (or with work for B's assignments)
holds records B keeps: A is refused (409) and offered "remove from my classes" instead.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, Attempt, Enrollment, User
from tests.web.classes_builders import browser, post, text
from tests.web.results_builders import (
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_user,
    load_documents,
)


@pytest.fixture
def shared(app):
    """ann is in teacher-a's class and teacher-b's, with an attempt in each."""
    with app.app_context():
        load_documents()
        lesson = gen_lesson()
        a, b = gen_user("teacher-a", role="teacher"), gen_user("teacher-b", role="teacher")
        gen_user("admin-1", role="admin")
        ann = gen_user("ann")
        ids = {"ann": ann.id}
        for teacher, name in ((a, "a"), (b, "b")):
            classroom = gen_class(teacher, name="Media 10B")
            gen_enrollment(classroom, ann)
            gen_attempt(ann, gen_assignment(classroom, lesson))
            ids[name] = classroom.id
        return ids


def records(app, student_id: int) -> tuple[int, int, int]:
    """(user rows, enrollments, attempts) of the student."""
    with app.app_context():
        def count(model, *where):
            return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
        return (count(User, User.id == student_id),
                count(Enrollment, Enrollment.student_id == student_id),
                count(Attempt, Attempt.user_id == student_id))


def test_a_teacher_cannot_delete_a_student_another_teacher_also_has(app, shared):
    teacher = browser(app, "teacher-a")
    url = f"/students/{shared['ann']}/delete"

    page = teacher.get(url)
    assert page.status_code == 200
    assert "also in a class of another teacher" in text(page)
    assert "Remove ann from my classes" in text(page)

    refused = post(teacher, url, {"confirm": "ann"}, token_from=url)
    assert refused.status_code == 409
    assert "only an admin can delete it" in text(refused)
    assert records(app, shared["ann"]) == (1, 2, 2)  # teacher-b's records are all there


def test_work_for_another_teachers_assignment_counts_too(app, shared):
    """Removed from B's class, ann's attempt for B's assignment is still B's record."""
    with app.app_context():
        db.session.execute(sa.delete(Enrollment).where(Enrollment.classroom_id == shared["b"]))
        db.session.commit()
    teacher = browser(app, "teacher-a")
    url = f"/students/{shared['ann']}/delete"
    assert post(teacher, url, {"confirm": "ann"}, token_from=url).status_code == 409
    assert records(app, shared["ann"]) == (1, 1, 2)


def test_the_teacher_removes_the_shared_student_from_their_classes_instead(app, shared):
    teacher = browser(app, "teacher-a")
    url = f"/students/{shared['ann']}/delete"
    response = post(teacher, f"/students/{shared['ann']}/remove-from-my-classes",
                    token_from=url)
    assert response.status_code == 303
    assert "ann was removed from 1 of your classes" in text(
        teacher.get(response.headers["Location"]))
    with app.app_context():
        classes = set(db.session.scalars(sa.select(Enrollment.classroom_id)
                                         .where(Enrollment.student_id == shared["ann"])))
    assert classes == {shared["b"]}
    assert records(app, shared["ann"])[2] == 2  # attempts kept


def test_an_admin_deletes_a_shared_student(app, shared):
    admin = browser(app, "admin-1")
    url = f"/students/{shared['ann']}/delete"
    assert post(admin, url, {"confirm": "ann"}, token_from=url).status_code == 303
    assert records(app, shared["ann"]) == (0, 0, 0)


def test_a_student_who_is_theirs_alone_is_still_deleted_by_their_teacher(app, shared):
    with app.app_context():
        db.session.execute(sa.delete(Attempt).where(Attempt.assignment_id.in_(
            sa.select(Assignment.id).where(Assignment.classroom_id == shared["b"]))))
        db.session.execute(sa.delete(Enrollment).where(Enrollment.classroom_id == shared["b"]))
        db.session.commit()
    teacher = browser(app, "teacher-a")
    url = f"/students/{shared['ann']}/delete"
    assert post(teacher, url, {"confirm": "ann"}, token_from=url).status_code == 303
    assert records(app, shared["ann"]) == (0, 0, 0)
