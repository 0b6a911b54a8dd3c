"""F20: every way to choose a password refuses the weak ones the review typed, with why."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from app.domain.passwords import (
    BLANK_MESSAGE,
    INVISIBLE_MESSAGE,
    REPEATED_MESSAGE,
    USERNAME_MESSAGE,
)
from app.extensions import db
from app.models import User
from tests.helpers import csrf_token

WEAK = [
    (" " * 8, BLANK_MESSAGE),
    ("\u200b" * 8, INVISIBLE_MESSAGE),
    ("aaaaaaaa", REPEATED_MESSAGE),
    ("Newstudent", USERNAME_MESSAGE),
    ("newstudent2024", USERNAME_MESSAGE),
]


def _usernames(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(User.username)))


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_registration_refuses_a_weak_password_with_the_reason(app, auth, password, message):
    response = auth.register(username="newstudent", password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.escape(message) in page and 'value="newstudent"' in page
    assert "newstudent" not in _usernames(app)


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_an_admin_cannot_give_a_weak_password(app, client, auth, make_user, password, message):
    admin = make_user(role="admin")
    auth.login(admin.username)
    data = {"csrf_token": csrf_token(client, "/admin/users"), "username": "newstudent",
            "role": "teacher", "password": password, "password2": password}
    response = client.post("/admin/users", data=data)
    assert response.status_code == 400 and html.escape(message) in response.get_data(as_text=True)
    assert "newstudent" not in _usernames(app)


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_flask_users_create_refuses_a_weak_password(app, runner, password, message):
    result = runner.invoke(args=["users", "create", "newstudent", "--password-stdin"],
                           input=password + "\n")
    assert result.exit_code != 0
    assert " ".join(message.split()[:4]) in " ".join(result.output.split())
    assert "newstudent" not in _usernames(app)
