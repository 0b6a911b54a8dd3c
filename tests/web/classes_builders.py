"""Helpers for the class and assignment tests: extra browsers, forms, saved objects.

The ``make_*`` builders save through the models (fast set-up for what a test is not
about); the flows under test always go through the real pages and forms.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import Assignment, Attempt, Classroom, Enrollment, Lesson, LessonVersion
from tests.helpers import DEFAULT_PASSWORD, csrf_token

LIBRARY_SLUG = "naming-the-january-events"


def browser(app: Flask, username: str | None = None) -> FlaskClient:
    """A separate test browser (its own cookies), logged in as ``username`` if given."""
    client = app.test_client()
    if username is not None:
        response = client.post("/auth/login", data={
            "csrf_token": csrf_token(client, "/auth/login"),
            "username": username, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None, *,
         token_from: str = "/") -> TestResponse:
    """POST ``data`` with a CSRF token taken from the page ``token_from``."""
    return client.post(url, data={"csrf_token": csrf_token(client, token_from), **(data or {})})


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def id_from(location: str) -> int:
    """The number at the end of a redirect target such as /teach/classes/7."""
    match = re.search(r"/(\d+)(?:/[a-z]+)?$", location)
    assert match, location
    return int(match.group(1))


def make_class(app: Flask, teacher_id: int, name: str = "Media 10B", *, code: str = "K7QXM2PD",
               archived: bool = False) -> int:
    with app.app_context():
        classroom = Classroom(teacher_id=teacher_id, name=name, join_code=code,
                              archived=archived)
        db.session.add(classroom)
        db.session.commit()
        return classroom.id


def enrol(app: Flask, class_id: int, *student_ids: int) -> None:
    with app.app_context():
        db.session.add_all(Enrollment(classroom_id=class_id, student_id=student_id)
                           for student_id in student_ids)
        db.session.commit()


def library_lesson_id(app: Flask) -> int:
    with app.app_context():
        lesson_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == LIBRARY_SLUG))
        assert lesson_id is not None
        return lesson_id


def make_owned_lesson(app: Flask, owner_id: int, slug: str = "my-own-lesson", *,
                      title: str = "My own lesson", status: str = "published") -> int:
    """A teacher's lesson with the library lesson's questions (the key is the same)."""
    with app.app_context():
        source = db.session.scalar(sa.select(Lesson).where(Lesson.slug == LIBRARY_SLUG))
        version = source.versions[-1]
        lesson = Lesson(slug=slug, title=title, summary="Written by a teacher.", level="core",
                        status=status, owner_id=owner_id, version=1)
        lesson.versions.append(LessonVersion(number=1, content=version.content,
                                             content_hash=version.content_hash))
        db.session.add(lesson)
        db.session.commit()
        return lesson.id


def make_assignment(app: Flask, class_id: int, lesson_id: int, *,
                    due_at: datetime | None = None, max_attempts: int | None = None,
                    grading: str = "highest", feedback: str = "immediately",
                    late_policy: str = "accept") -> int:
    with app.app_context():
        assignment = Assignment(classroom_id=class_id, lesson_id=lesson_id, due_at=due_at,
                                max_attempts=max_attempts, grading=grading, feedback=feedback,
                                late_policy=late_policy)
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def make_attempt(app: Flask, user_id: int, lesson_id: int, assignment_id: int | None = None, *,
                 score: float = 3.0, late: bool = False) -> int:
    """A stored attempt (no answers): for tests about what happens to attempts."""
    with app.app_context():
        version_id = db.session.scalar(sa.select(LessonVersion.id).where(
            LessonVersion.lesson_id == lesson_id).order_by(LessonVersion.number.desc()))
        attempt = Attempt(user_id=user_id, lesson_id=lesson_id, assignment_id=assignment_id,
                          lesson_version_id=version_id, submission_token=secrets.token_hex(16),
                          score=score, max_score=19.0, late=late)
        db.session.add(attempt)
        db.session.commit()
        return attempt.id


def update(app: Flask, model: type, object_id: int, **values: Any) -> None:
    with app.app_context():
        db.session.execute(sa.update(model).where(model.id == object_id).values(**values))
        db.session.commit()


def count(app: Flask, model: type, *where: Any) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def attempts(app: Flask) -> list[tuple[int, int | None, bool, float]]:
    """Every attempt as (user id, assignment id, late, score), oldest first."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            sa.select(Attempt.user_id, Attempt.assignment_id, Attempt.late, Attempt.score)
            .order_by(Attempt.id))]


def join_code_on(page: str) -> str:
    """The grouped join code shown on a class page."""
    match = re.search(r'class="join-code">([2-9A-Z]{4}-[2-9A-Z]{4})<', page)
    assert match, "no join code on the page"
    return match.group(1)
