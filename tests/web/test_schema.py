"""The migrations and the models describe the same schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.exc import IntegrityError, SAWarning

from app import create_app
from app.extensions import MIGRATIONS_DIR, db
from app.models import Classroom, User, utcnow
from migrations.expression_indexes import EXPRESSION_INDEXES, include_object


def test_models_match_migrations(app: Flask) -> None:
    """A model change without a migration (or the reverse) fails here, not in production.

    Expression indexes are left out: Alembic cannot compare them (SQLite's reflection skips
    them with a warning). Each is checked by its own test below.
    """
    with app.app_context(), db.engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based",
                                SAWarning)
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified "
                                          "expression-based index", UserWarning)
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def _index_names(table: str) -> set[str]:
    if db.engine.dialect.name == "sqlite":
        return set(db.session.scalars(sa.text(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"),
            {"table": table}))
    return set(db.session.scalars(sa.text(
        "SELECT indexname FROM pg_indexes WHERE tablename = :table"), {"table": table}))


def test_every_expression_index_of_the_models_is_in_the_database(app: Flask) -> None:
    with app.app_context():
        declared = {index.name for table in db.metadata.tables.values()
                    for index in table.indexes if index.name in EXPRESSION_INDEXES}
        assert declared == set(EXPRESSION_INDEXES)
        for name in EXPRESSION_INDEXES:
            table = next(index.table.name for table in db.metadata.tables.values()
                         for index in table.indexes if index.name == name)
            assert name in _index_names(table)


def test_one_active_class_name_per_teacher_is_held_by_the_database(app: Flask) -> None:
    """Written past the service's own check, as two requests at once would."""
    with app.app_context():
        teacher, other = User(username="t-one", password_hash="x", role="teacher"), \
            User(username="t-two", password_hash="x", role="teacher")
        db.session.add_all([teacher, other])
        db.session.commit()
        db.session.add(Classroom(teacher_id=teacher.id, name="Media 10B", join_code="AAAA2222"))
        db.session.commit()
        db.session.add(Classroom(teacher_id=teacher.id, name="media 10b", join_code="BBBB3333"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Archived classes and other teachers' classes may share the name.
        db.session.add_all([
            Classroom(teacher_id=teacher.id, name="MEDIA 10B", join_code="CCCC4444",
                      archived=True),
            Classroom(teacher_id=other.id, name="Media 10B", join_code="DDDD5555")])
        db.session.commit()


def test_database_is_at_head_and_upgrade_again_is_a_no_op(app: Flask) -> None:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(str(MIGRATIONS_DIR))
        heads = set(ScriptDirectory.from_config(config).get_heads())
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    assert current == heads


def test_downgrade_and_upgrade_round_trip(database_settings: dict, tmp_path: Path) -> None:
    """Downgrades work too (on a private SQLite file, never the shared test database)."""
    private_db = f"sqlite:///{tmp_path / 'round-trip.sqlite3'}"
    app = create_app({**database_settings, "SQLALCHEMY_DATABASE_URI": private_db})
    with app.app_context():
        directory = str(MIGRATIONS_DIR)
        flask_migrate.upgrade(directory=directory)
        flask_migrate.downgrade(directory=directory, revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade(directory=directory)
        assert "attempt_answers" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_sqlite_connections_use_wal_and_foreign_keys(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_timestamps_are_timezone_aware_utc(app: Flask) -> None:
    with app.app_context():
        user = User(username="clock", password_hash="x")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
        db.session.remove()
        loaded = db.session.get(User, user_id)
        assert loaded is not None
        assert loaded.created_at.utcoffset() is not None
        assert loaded.created_at.utcoffset().total_seconds() == 0
        assert abs((utcnow() - loaded.created_at).total_seconds()) < 60


def test_constraint_names_follow_the_convention(app: Flask) -> None:
    with app.app_context():
        inspector = sa.inspect(db.engine)
        uniques = {c["name"] for c in inspector.get_unique_constraints("users")}
        foreign = {c["name"] for c in inspector.get_foreign_keys("attempt_answers")}
    assert "uq_users_username" in uniques
    assert "fk_attempt_answers_attempt_id_attempts" in foreign


def test_upgrade_to_0005_renames_duplicate_active_class_names(database_settings: dict,
                                                              tmp_path: Path) -> None:
    """Databases from before the index may hold duplicates (F18): they get "(2)", "(3)"."""
    private_db = f"sqlite:///{tmp_path / 'duplicates.sqlite3'}"
    app = create_app({**database_settings, "SQLALCHEMY_DATABASE_URI": private_db})
    with app.app_context():
        directory = str(MIGRATIONS_DIR)
        flask_migrate.upgrade(directory=directory, revision="0004")
        now = utcnow().replace(tzinfo=None).isoformat(" ")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, username, password_hash, role, created_at) "
                "VALUES (1, 't', 'x', 'teacher', :now)"), {"now": now})
            for number, (name, archived) in enumerate(
                    [("Media 10B", False), ("media 10b", False), ("MEDIA 10B", True),
                     ("Media 10B (2)", False), ("Media 10B", False)], start=1):
                connection.execute(sa.text(
                    "INSERT INTO classes (id, teacher_id, name, join_code, archived, "
                    "created_at, updated_at) VALUES (:id, 1, :name, :code, :archived, :now, "
                    ":now)"), {"id": number, "name": name, "code": f"CODE{number}",
                               "archived": archived, "now": now})
        flask_migrate.upgrade(directory=directory)
        with db.engine.connect() as connection:
            names = dict(connection.execute(sa.text("SELECT id, name FROM classes")).all())
        db.engine.dispose()
    assert names == {1: "Media 10B", 2: "media 10b (3)", 3: "MEDIA 10B", 4: "Media 10B (2)",
                     5: "Media 10B (4)"}
