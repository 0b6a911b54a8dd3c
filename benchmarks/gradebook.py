"""Gradebook benchmark: a class of 1,000 students by 50 assignments, one teacher's pages.

    .venv/bin/python benchmarks/gradebook.py [--students 1000] [--lessons 50] [--sqlite]

Builds the class with bulk inserts (`tests/web/bulk_builders.bulk_class`: every student
has one scored attempt per assignment, its answers' detection counts stored as a submission
stores them, so the gradebook's d′ column sums them), then times through the Flask test
client (best of 5, counting SQL queries) what a teacher opens: GET
/teach/classes/<id>/gradebook on page 1 by name, page 1 sorted by an assignment's grade
descending, and the last page; and, for information, the full CSV export (every student,
no target). All at the full size and at a
small size (10 x 5): every page must run the same number of queries (none per student or
per lesson), whatever the size and the page.

PostgreSQL by default (`BENCH_DATABASE_URL`, default postgresql://postgres@127.0.0.1/bench,
whose `public` schema is dropped before and after); `--sqlite` also runs it on a temporary
SQLite file. Target: every page in at most 300 ms, with a constant query count. Prints
PASS/FAIL and exits 0 even on a miss (it is a measurement); 1 only if the harness fails.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import TestConfig, normalise_database_url  # noqa: E402
from app.domain import analysis  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Assignment  # noqa: E402
from tests.helpers import DEFAULT_PASSWORD  # noqa: E402
from tests.web.bulk_builders import bulk_class  # noqa: E402
from tests.web.results_builders import (  # noqa: E402
    SMALL_LESSON,
    gen_lesson,
    gen_user,
    load_documents,
)

TARGET_MS = 300.0


def make_app(database_uri: str):
    """The app with the test settings (cheap hashing, no CSRF) on ``database_uri``."""
    settings = TestConfig.settings(Path(tempfile.gettempdir()), environ={})
    settings.update(SQLALCHEMY_DATABASE_URI=database_uri, WTF_CSRF_ENABLED=False)
    return create_app(settings)


def reset(app) -> None:
    """An empty database at the newest migration."""
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines
            upgrade(directory=str(ROOT / "migrations"))


def drop(app) -> None:
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        db.engine.dispose()


@dataclass
class Timing:
    """One URL of the benchmark: best of 5 in ms, the queries it ran, the response size."""

    label: str
    best_ms: float
    queries: int
    size: int
    target: bool  # a page with the 300 ms target (not the CSV export)


def _views(class_id: int, assignment_id: int, students: int) -> list[tuple[str, str, int]]:
    """(label, URL, students it must list) for each view timed; -1: the CSV export, -2:
    the class's discernment page (every student, timed for information)."""
    per_page = analysis.STUDENTS_PER_PAGE
    last = max(1, math.ceil(students / per_page))
    base = f"/teach/classes/{class_id}/gradebook"
    return [("page 1, by name", base, min(students, per_page)),
            ("page 1, by a grade desc", f"{base}?sort=a{assignment_id}&dir=desc",
             min(students, per_page)),
            (f"last page ({last})", f"{base}?page={last}",
             students - (last - 1) * per_page),
            ("CSV export", f"{base}.csv", -1),
            ("discernment page", f"/teach/classes/{class_id}/discernment", -2)]


def measure(app, students: int, lessons: int, tag: str) -> tuple[list[Timing], float]:
    """Build a class; return the timing of every view and the build seconds."""
    started = time.perf_counter()
    with app.app_context():
        teacher = gen_user(f"gb-teacher-{tag}", role="teacher")
        made = [gen_lesson(SMALL_LESSON, slug=f"gb-{tag}-{n}", title=f"Lesson {n + 1}")
                for n in range(lessons)]
        classroom = bulk_class(teacher, made, students, attempts_each=1)
        class_id, username = classroom.id, teacher.username
        assignment_id = db.session.scalar(sa.select(sa.func.min(Assignment.id)).where(
            Assignment.classroom_id == class_id))
        db.session.remove()
    built = time.perf_counter() - started

    client = app.test_client()
    response = client.post("/auth/login", data={"username": username,
                                                "password": DEFAULT_PASSWORD})
    if response.status_code not in (302, 303):
        raise RuntimeError(f"teacher login answered {response.status_code}")
    queries = [0]

    def count(*_args: object) -> None:
        queries[0] += 1

    with app.app_context():
        engine = db.engine
    results = []
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for label, url, listed in _views(class_id, assignment_id, students):
            timings = []
            for _ in range(5):
                queries[0] = 0
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
            body = response.get_data(as_text=True)
            if listed == -2:  # one row per student in the students' table
                table = body[body.index('id="discernment-students"'):]
                rows = table[:table.index("</table>")].count('<th scope="row"><a href=')
                if rows != students:
                    raise RuntimeError(f"{url} lists {rows} students, not {students}")
                results.append(Timing(label, min(timings), queries[0], len(response.data),
                                      target=False))
                continue
            shown = (body.count("\r\n") - 1 if listed < 0
                     else body.count('<th scope="row"><a href='))
            if shown != (students if listed < 0 else listed):
                raise RuntimeError(f"{url} lists {shown} students, not {listed}")
            # Discernment is summed from every stored answer's counts: each row has a d′.
            measured = (body.count('discernment-cell">') - body.count(
                'discernment-cell"><span aria-hidden') if listed >= 0
                else sum(1 for line in body.split("\r\n")[1:] if line and
                         not line.endswith('"",""')))
            if measured != (students if listed < 0 else listed):
                raise RuntimeError(f"{url} gives {measured} students a d′, not {listed}")
            results.append(Timing(label, min(timings), queries[0], len(response.data),
                                  target=listed >= 0))
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return results, built


def run(label: str, database_uri: str, students: int, lessons: int) -> bool:
    app = make_app(database_uri)
    reset(app)
    try:
        with app.app_context():
            load_documents()
        small, _ = measure(app, 10, 5, "small")
        big, built = measure(app, students, lessons, "big")
    finally:
        drop(app)
    print(f"\n{label}: class of {students} students x {lessons} assignments "
          f"({students * lessons} attempts), built in {built:.1f} s")
    print(f"  {'class':<11} {'view':<26} {'best of 5 ms':>12} {'queries':>8} {'size KiB':>9}")
    for size, timings in ((f"{10} x {5}", small), (f"{students} x {lessons}", big)):
        for timing in timings:
            print(f"  {size:<11} {timing.label:<26} {timing.best_ms:>12.1f} "
                  f"{timing.queries:>8} {timing.size / 1024:>9.0f}"
                  f"{'' if timing.target else '   (information, no target)'}")
    pages = [t for t in small + big if t.target]
    slowest = max((t for t in big if t.target), key=lambda t: t.best_ms)
    fast = slowest.best_ms <= TARGET_MS
    counts = {t.queries for t in pages}
    constant = len(counts) == 1
    print(f"  [{'PASS' if fast else 'FAIL'}] every gradebook page <= {TARGET_MS:.0f} ms at "
          f"{students} x {lessons}: slowest {slowest.label}, {slowest.best_ms:.0f} ms")
    print(f"  [{'PASS' if constant else 'FAIL'}] constant query count: "
          f"{', '.join(str(c) for c in sorted(counts))} on every page at both sizes")
    return fast and constant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--lessons", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1/bench"))
    parser.add_argument("--sqlite", action="store_true", help="also run on SQLite")
    args = parser.parse_args(argv)
    print(f"Framing Lab gradebook benchmark · load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPU(s) (other work on the machine slows every figure)")
    run("PostgreSQL", normalise_database_url(args.database_url), args.students, args.lessons)
    if args.sqlite:
        with tempfile.TemporaryDirectory() as folder:
            run("SQLite", f"sqlite:///{folder}/gradebook.sqlite3", args.students,
                args.lessons)
    return 0


if __name__ == "__main__":
    sys.exit(main())
