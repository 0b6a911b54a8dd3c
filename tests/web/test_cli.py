"""`flask users ...` as an operator runs it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from app.extensions import db
from app.models import User


def _users(app: Flask) -> dict[str, User]:
    with app.app_context():
        return {u.username: u for u in db.session.scalars(sa.select(User))}


def test_users_create_with_password_from_stdin(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "Ms.Lee", "--role", "teacher", "--password-stdin"],
        input="a good long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created teacher 'ms.lee'." in result.output
    user = _users(app)["ms.lee"]
    assert user.role == "teacher"
    with app.app_context():
        assert user.check_password("a good long password")


def test_users_create_rejects_duplicates_and_short_passwords(app, runner, make_user) -> None:
    make_user(username="alice")
    result = runner.invoke(args=["users", "create", "ALICE", "--password-stdin"], input="x" * 9)
    assert result.exit_code != 0
    assert "already exists" in result.output

    result = runner.invoke(args=["users", "create", "bob", "--password-stdin"], input="short\n")
    assert result.exit_code != 0
    assert "bob" not in _users(app)


def test_users_demo_is_idempotent_and_resets_passwords(app: Flask, runner) -> None:
    first = runner.invoke(args=["users", "demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["users", "demo"])
    assert second.exit_code == 0, second.output
    users = _users(app)
    assert {"demo-teacher", "demo-student"} <= users.keys()
    assert users["demo-teacher"].role == "teacher"
    assert len(users) == 2
    assert first.output != second.output  # new passwords each time

    password = second.output.split("demo-teacher")[1].split("password:")[1].split()[0]
    with app.app_context():
        assert users["demo-teacher"].check_password(password)


def test_users_demo_refused_in_production(app: Flask, runner) -> None:
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["users", "demo"])
    assert result.exit_code != 0
    assert "not created in production" in result.output
