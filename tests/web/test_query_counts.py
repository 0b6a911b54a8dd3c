"""Every class results page runs the same number of SQL queries for 1, 30 or 300 students.

Three classes are built with bulk inserts (each student: two attempts on each of two
assignments, one on the four-kind library lesson, one on the small lesson), then each
page is requested once per class while the engine counts the statements it runs
(SQLAlchemy's ``before_cursor_execute`` event). A page that queried per student would
show 30 or 300 more.

Budget: at most 10 statements per request, counting Flask-Login loading the teacher.
Measured (SQLite and PostgreSQL alike): gradebook 8 (on any page; two of them read the
class's extensions and score overrides, each in one query, one sums every student's
stored discernment counts), gradebook CSV 8, discernment page and CSV 5 (whole class or
one assignment),
responses CSV 4, assignment results 10 (the class is loaded twice: app.teacher.access
fetches it to check ownership, then drops it; one query counts open contests), a
student's attempts 9 (one reads their extensions and overrides).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.domain import analysis
from app.extensions import db
from app.models import Assignment, Enrollment
from tests.web.bulk_builders import bulk_class
from tests.web.results_builders import gen_lesson, gen_user, load_library

SIZES = (1, 30, 300)
BUDGET = 10


@contextmanager
def counting_queries(app) -> Iterator[list[str]]:
    """Collect the SQL text of every statement the app's engine runs inside the block."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def classes(app, client, auth):
    """A logged-in teacher with classes of 1, 30 and 300 students; ids per size."""
    with app.app_context():
        library = load_library()
        teacher = gen_user("counting-teacher", role="teacher")
        small = gen_lesson(owner=teacher)
        built = {}
        for size in SIZES:
            classroom = bulk_class(teacher, [library, small], size)
            assignments = db.session.scalars(sa.select(Assignment.id).where(
                Assignment.classroom_id == classroom.id).order_by(Assignment.id)).all()
            student = db.session.scalar(sa.select(Enrollment.student_id).where(
                Enrollment.classroom_id == classroom.id).order_by(Enrollment.student_id))
            built[size] = SimpleNamespace(
                id=classroom.id, assignments=assignments, student=student,
                last_page=math.ceil(size / analysis.STUDENTS_PER_PAGE))
    auth.login("counting-teacher")
    return built


PAGES = {
    "gradebook": lambda c: f"/teach/classes/{c.id}/gradebook?sort=a{c.assignments[0]}&dir=desc",
    "gradebook, last page": lambda c: f"/teach/classes/{c.id}/gradebook?page={c.last_page}",
    "gradebook csv": lambda c: f"/teach/classes/{c.id}/gradebook.csv",
    "responses csv": lambda c: f"/teach/classes/{c.id}/responses.csv",
    "results, library lesson": lambda c: f"/teach/assignments/{c.assignments[0]}/results",
    "results, small lesson": lambda c: f"/teach/assignments/{c.assignments[1]}/results",
    "student": lambda c: f"/teach/classes/{c.id}/students/{c.student}",
    "discernment": lambda c: f"/teach/classes/{c.id}/discernment",
    "discernment, one assignment":
        lambda c: f"/teach/classes/{c.id}/discernment?assignment={c.assignments[0]}",
    "discernment csv": lambda c: f"/teach/classes/{c.id}/discernment.csv",
}


def test_every_results_page_runs_a_constant_number_of_queries(app, client, classes):
    counts: dict[str, dict[int, int]] = {}
    for name, url_of in PAGES.items():
        for size, classroom in classes.items():
            client.get(url_of(classroom))  # warm up: first-request work is not per class
            with counting_queries(app) as statements:
                response = client.get(url_of(classroom))
            assert response.status_code == 200, (name, size, response.status_code)
            counts.setdefault(name, {})[size] = len(statements)
    for name, by_size in counts.items():
        assert len(set(by_size.values())) == 1, f"{name}: queries grow with the class {by_size}"
        assert by_size[SIZES[0]] <= BUDGET, f"{name}: {by_size[SIZES[0]]} queries"


def test_the_big_class_is_all_there(client, classes):
    big = classes[300]
    names = []
    for number in (1, 2, 3):
        gradebook = client.get(f"/teach/classes/{big.id}/gradebook?page={number}").get_data(
            as_text=True)
        assert gradebook.count('<th scope="row"><a href=') == 100
        first = 100 * number - 99
        assert f"Students {first}–{first + 99} of 300 by assignment" in gradebook
        names += re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', gradebook)
    assert len(set(names)) == 300 and names == sorted(names)
    results = client.get(f"/teach/assignments/{big.assignments[0]}/results").get_data(
        as_text=True)
    assert "300</strong> of 300 enrolled students submitted" in results
    assert "600</strong> attempts in all" in results
    responses = client.get(f"/teach/classes/{big.id}/responses.csv").get_data(as_text=True)
    # 300 students x 2 attempts x (4 + 2 questions), plus the header.
    assert responses.count("\r\n") == 300 * 2 * 6 + 1
