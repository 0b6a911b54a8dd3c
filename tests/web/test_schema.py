"""The migrations and the models describe the same schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from app import create_app
from app.extensions import MIGRATIONS_DIR, db
from app.models import User, utcnow


def test_models_match_migrations(app: Flask) -> None:
    """A model change without a migration (or the reverse) fails here, not in production."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


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
