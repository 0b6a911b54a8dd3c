"""Extension objects, created unbound and attached in `create_app`.

This module never imports other app modules, so models, blueprints and the CLI can all
import from here without circular imports.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names: Alembic batch mode on SQLite can only drop or alter a
# constraint it can name, and PostgreSQL and SQLite then agree on every name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention for every model's table."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# Absolute, so `flask db ...` and the test suite find the migrations from any directory.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# render_as_batch: SQLite cannot ALTER most things, batch mode rebuilds the table instead.
migrate = Migrate(directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()


def set_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    """Per-connection SQLite settings (pragmas do not persist in the file, except WAL).

    WAL lets readers work while one writer commits; busy_timeout makes a second writer wait
    instead of failing at once with "database is locked"; SQLite enforces foreign keys only
    when asked, on every connection.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def install_sqlite_pragmas(engine: sa.Engine) -> None:
    """Attach `set_sqlite_pragmas` to a SQLite engine; other dialects are left alone."""
    if engine.dialect.name == "sqlite" and not sa.event.contains(
        engine, "connect", set_sqlite_pragmas
    ):
        sa.event.listen(engine, "connect", set_sqlite_pragmas)
