"""Shared fixtures (flaskr style).

The schema is built once per test session by running the Alembic migrations (never
`create_all`), so the tests exercise the schema production gets. Every test then gets a
fresh app on that database and every row is deleted afterwards, which isolates tests on
SQLite and PostgreSQL alike. Set TEST_DATABASE_URL to run against PostgreSQL; its `public`
schema is dropped and recreated.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from app import create_app
from app.config import TestConfig
from app.extensions import MIGRATIONS_DIR, db
from app.models import User
from tests.helpers import DEFAULT_PASSWORD, csrf_token


def _reset_postgres_schema() -> None:
    db.session.execute(sa.text("DROP SCHEMA public CASCADE"))
    db.session.execute(sa.text("CREATE SCHEMA public"))
    db.session.commit()


@pytest.fixture(scope="session")
def database_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """TestConfig settings pointing at a freshly migrated database, for the whole session."""
    settings = TestConfig.settings(tmp_path_factory.mktemp("database"))
    app = create_app(settings)
    with app.app_context():
        is_postgres = db.engine.dialect.name == "postgresql"
        if is_postgres:
            _reset_postgres_schema()
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        db.session.remove()
    yield settings
    with app.app_context():
        if is_postgres:
            _reset_postgres_schema()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Config overrides for one test module: redefine this fixture to change them."""
    return {}


@pytest.fixture
def app(database_settings: dict[str, Any], app_overrides: dict[str, Any]) -> Iterator[Flask]:
    """A new app per test on the shared migrated database; all rows deleted afterwards."""
    app = create_app({**database_settings, **app_overrides})
    yield app
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        # Each test's app has its own pool; close it or PostgreSQL runs out of connections.
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(autouse=True)
def _push_request_context() -> None:
    """Switch off pytest-flask's fixture of the same name.

    It pushes one request context for the whole test, and every client request then
    reuses its app context: `g` (where Flask-Login caches the user) and the database
    session would leak from one request into the next, unlike in a real server.
    Tests that need a context use `with app.app_context():`.
    """


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test browser; it keeps cookies (session, CSRF) between requests."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs `flask ...` commands against the test app."""
    return app.test_cli_runner()


class AuthActions:
    """Register, log in and log out through the real forms, CSRF tokens included."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def register(
        self,
        username: str = "newstudent",
        password: str = DEFAULT_PASSWORD,
        password2: str | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        data = {
            "csrf_token": csrf_token(self._client, "/auth/register"),
            "username": username,
            "password": password,
            "password2": password if password2 is None else password2,
        }
        return self._client.post("/auth/register", data=data, **kwargs)

    def login(
        self,
        username: str = "student1",
        password: str = DEFAULT_PASSWORD,
        next: str | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        url = "/auth/login"
        query = {"next": next} if next is not None else None
        token = csrf_token(self._client, url)
        data = {"csrf_token": token, "username": username, "password": password}
        return self._client.post(url, data=data, query_string=query, **kwargs)

    def logout(self, **kwargs: Any) -> TestResponse:
        # The logout button sits in the nav of every page for a logged-in user.
        return self._client.post(
            "/auth/logout", data={"csrf_token": csrf_token(self._client, "/")}, **kwargs
        )


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """`auth.register(...)`, `auth.login(...)`, `auth.logout()` for the `client`."""
    return AuthActions(client)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Builder: `make_user(username=..., role=..., password=..., **columns)` saves a user.

    Defaults give a unique student ("student1", "student2", ...) with DEFAULT_PASSWORD.
    The returned object is detached (its attributes stay readable); use
    `db.session.get(User, user.id)` inside an app context to change it.
    """
    counter = itertools.count(1)

    def make(
        username: str | None = None,
        role: str = "student",
        password: str = DEFAULT_PASSWORD,
        **kwargs: Any,
    ) -> User:
        with app.app_context():
            user = User(username=username or f"{role}{next(counter)}", role=role, **kwargs)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make
