"""Extension objects, created unbound and attached in `create_app`.

This module never imports other app modules, so models, blueprints and the CLI can all
import from here without circular imports.
"""

from __future__ import annotations

import re
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


# --- ending read-only requests with COMMIT --------------------------------------------------
#
# Every request ran in a transaction that Flask-SQLAlchemy ends with ROLLBACK. psycopg
# drops every prepared statement of a connection at ROLLBACK (a rolled-back DROP could
# have invalidated them), so PostgreSQL parsed and planned each query of each request
# again: about 0.3 ms of its CPU per query, more than running it. A transaction that only
# read is ended with COMMIT instead, which changes nothing in the database and keeps
# the statements prepared. Anything else still ends with ROLLBACK: a request that failed,
# or whose transaction ran any statement other than a SELECT (a flush of pending
# changes, a write a route left uncommitted), or has unflushed changes.

_WROTE = "framinglab.transaction_wrote"
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)


def _transaction_begins(connection: sa.Connection) -> None:
    connection.info[_WROTE] = False


def _statement_runs(connection: sa.Connection, _cursor: Any, statement: str, *_: Any) -> None:
    if not _READ.match(statement):
        connection.info[_WROTE] = True


def track_writes(engine: sa.Engine) -> None:
    """Record on each connection whether its current transaction ran anything but SELECT."""
    if not sa.event.contains(engine, "begin", _transaction_begins):
        sa.event.listen(engine, "begin", _transaction_begins)
        sa.event.listen(engine, "before_cursor_execute", _statement_runs)


def commit_if_read_only(error: BaseException | None = None) -> None:
    """Teardown: COMMIT the request's transaction when it only read (see above)."""
    if error is not None or not db.session.registry.has():
        return  # failed, or never used the database
    session = db.session()  # this request's Session (db.session is its scoped registry)
    if not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return
    try:
        if session.connection().info.get(_WROTE, True):
            return
        # Nothing was written, so nothing loaded is stale: objects stay readable after
        # the context ends, as they did when the transaction was rolled back.
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire
    except sa.exc.SQLAlchemyError:  # e.g. a failed flush the route caught: roll back
        session.rollback()
