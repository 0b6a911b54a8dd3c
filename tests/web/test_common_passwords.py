"""Every way to create an account refuses a common password with the same clear message."""

from __future__ import annotations

import html

import sqlalchemy as sa

from app.domain.passwords import COMMON_PASSWORD_MESSAGE
from app.extensions import db
from app.models import User
from tests.helpers import csrf_token

SHOWN = html.escape(COMMON_PASSWORD_MESSAGE)


def _usernames(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(User.username)))


def test_registration_refuses_a_common_password_and_keeps_the_username(app, auth) -> None:
    response = auth.register(username="newstudent", password="password123")
    page = response.get_data(as_text=True)
    assert response.status_code == 400  # the form again, as for every registration mistake
    assert SHOWN in page and 'value="newstudent"' in page
    assert "newstudent" not in _usernames(app)
    assert auth.register(username="newstudent", password="tulip umbrella kettle").status_code == 302


def test_an_admin_cannot_give_a_teacher_a_common_password(app, client, auth, make_user) -> None:
    admin = make_user(role="admin")
    auth.login(admin.username)
    data = {"csrf_token": csrf_token(client, "/admin/users"), "username": "ms.lee",
            "role": "teacher", "password": "Password1", "password2": "Password1"}
    response = client.post("/admin/users", data=data)
    assert response.status_code == 400 and SHOWN in response.get_data(as_text=True)
    assert "ms.lee" not in _usernames(app)


def test_flask_users_create_refuses_a_common_password(app, runner) -> None:
    result = runner.invoke(args=["users", "create", "bob", "--password-stdin"], input="qwerty123\n")
    assert result.exit_code != 0
    assert "most common passwords" in result.output
    assert "bob" not in _usernames(app)
