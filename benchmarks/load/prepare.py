"""Bench data, written straight through the app's models and services (no HTTP).

A fresh schema (`flask db upgrade`), the seed documents, the ten-question benchmark lesson
(`lesson.yaml`, compiled with the real `compile_lesson`), one teacher, and one class per
scenario with every student enrolled and the lesson assigned. Students are bulk-inserted and
share one password hash, made once with the app's own argon2id parameters: logins pay the
real verification cost, and no hash is upgraded (re-written) at login.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
LESSON_FILE = Path(__file__).with_name("lesson.yaml")
PASSWORD = "load-bench-password-1"  # noqa: S105 - throwaway accounts in the bench database


@dataclass
class Cohort:
    """One scenario's class: its students' usernames and the assignment they take."""

    name: str
    usernames: list[str]
    assignment_id: int
    # The compiled lesson (its key): the simulated students answer from it.
    content: dict[str, Any]


def reset_schema(database_url: str) -> None:
    """Drop and recreate the `public` schema of the bench database (ours alone)."""
    with psycopg.connect(plain_url(database_url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def plain_url(database_url: str) -> str:
    """The libpq form of a SQLAlchemy URL."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def flask_cli(env: dict[str, str], *args: str) -> None:
    """Run `flask --app wsgi ARGS` with the bench environment; fail loudly."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def build(app, cohorts: dict[str, int], *, review: bool = False) -> dict[str, Cohort]:
    """Create the lesson, the teacher and one class per cohort ``name -> size`` (with
    review of what was missed switched on when ``review``)."""
    from app.domain.lessons import compile_lesson
    from app.domain.shelf import compile_card
    from app.extensions import db
    from app.models import Assignment, Classroom, Enrollment, Lesson, LessonVersion, User
    from app.models.users import password_hasher
    from app.services.seeds import document_texts, load_seeds

    with app.app_context():
        load_seeds(ROOT / "seeds")
        shelf = {card["id"]: card for card in (
            compile_card(path.read_text(encoding="utf-8"), str(path))
            for path in sorted((ROOT / "lessons" / "shelf").glob("*.yaml")))}
        content = compile_lesson(LESSON_FILE.read_text(encoding="utf-8"), str(LESSON_FILE),
                                 document_texts(), shelf=shelf)
        assert len(content["questions"]) == 10, "the benchmark lesson must have 10 questions"
        lesson = Lesson(slug=content["slug"], title=content["title"], level=content["level"],
                        summary=content["summary"], status="published", version=1)
        lesson.versions.append(LessonVersion(
            number=1, content=content,
            content_hash=hashlib.sha256(json.dumps(content, sort_keys=True).encode())
            .hexdigest()))
        password_hash = password_hasher().hash(PASSWORD)
        teacher = User(username="bench-teacher", role="teacher", password_hash=password_hash)
        db.session.add_all([lesson, teacher])
        db.session.flush()
        built = {}
        for name, size in cohorts.items():
            classroom = Classroom(teacher_id=teacher.id, name=f"Bench {name}",
                                  join_code=f"BENCH{name.upper()}", review_enabled=review)
            db.session.add(classroom)
            db.session.flush()
            assignment = Assignment(classroom_id=classroom.id, lesson_id=lesson.id)
            db.session.add(assignment)
            usernames = [f"bench-{name}-{n:04d}" for n in range(size)]
            ids = db.session.scalars(
                sa.insert(User).returning(User.id, sort_by_parameter_order=True),
                [{"username": u, "role": "student", "password_hash": password_hash}
                 for u in usernames]).all()
            db.session.execute(sa.insert(Enrollment), [
                {"classroom_id": classroom.id, "student_id": uid} for uid in ids])
            db.session.flush()
            built[name] = Cohort(name, usernames, assignment.id, content)
        db.session.commit()
        return built


def attempts_stored(app, assignment_id: int) -> tuple[int, int]:
    """(attempts stored for the assignment, distinct students among them)."""
    from app.extensions import db
    from app.models import Attempt

    with app.app_context():
        row = db.session.execute(
            sa.select(sa.func.count(Attempt.id), sa.func.count(sa.distinct(Attempt.user_id)))
            .where(Attempt.assignment_id == assignment_id)).one()
        db.session.remove()
        return int(row[0]), int(row[1])
