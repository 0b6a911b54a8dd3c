"""A student's main pages run the same number of SQL queries however many attempts and
assignments they have (a page that queried per attempt would show it here).

Measured (SQLite and PostgreSQL alike, counting Flask-Login loading the student): the
assignment's quiz page 2 (5 the first time a process shows that lesson version; the
student's saved progress comes with the assignment), the lesson list 5 (one for saved
progress), my
results 2, an attempt's feedback 8 (the attempt with its lesson, version, assignment and
class in one statement, its answers in another, the teacher's extension and grade for it
in a third, the library's source cards behind its excerpts in a fourth).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, Attempt, Enrollment, User
from tests.web.bulk_builders import bulk_class
from tests.web.classes_builders import browser
from tests.web.results_builders import gen_lesson, gen_user, load_library
from tests.web.test_query_counts import counting_queries

BUDGET = 10
PAGES = {
    "quiz page": lambda s: f"/assignments/{s['assignment']}",
    "lesson list": lambda s: "/lessons",
    "my results": lambda s: "/results",
    "feedback": lambda s: f"/attempts/{s['attempt']}",
}


@pytest.fixture
def students(app):
    """Two students, each alone in a class with the library lesson and a small one
    assigned: one with 1 attempt per assignment, one with 6."""
    built = {}
    with app.app_context():
        library = load_library()
        teacher = gen_user("counting-teacher", role="teacher")
        small = gen_lesson(owner=teacher)
        for attempts_each in (1, 6):
            classroom = bulk_class(teacher, [library, small], 1, attempts_each=attempts_each)
            student_id = db.session.scalar(sa.select(Enrollment.student_id).where(
                Enrollment.classroom_id == classroom.id))
            built[attempts_each] = {
                "username": db.session.get(User, student_id).username,
                "assignment": db.session.scalar(sa.select(Assignment.id).where(
                    Assignment.classroom_id == classroom.id).order_by(Assignment.id)),
                "attempt": db.session.scalar(sa.select(Attempt.id).where(
                    Attempt.user_id == student_id).order_by(Attempt.id.desc())),
            }
    return built


def _counts(app, student) -> dict[str, int]:
    client = browser(app, student["username"])
    for url in PAGES.values():  # the first view in a process may fill its caches
        assert client.get(url(student)).status_code == 200
    counts = {}
    for name, url in PAGES.items():
        with counting_queries(app) as statements:
            assert client.get(url(student)).status_code == 200
        counts[name] = len(statements)
    return counts


def test_student_pages_cost_the_same_queries_for_1_or_12_attempts(app, students):
    few, many = _counts(app, students[1]), _counts(app, students[6])
    assert few == many
    assert max(few.values()) <= BUDGET, few
    # The feedback page: 8 (one reads the teacher's extension and grade for the student,
    # one the source cards for "Who is behind this?" under each excerpt).
    assert few["quiz page"] == 2 and few["feedback"] <= 8
