"""Admins create teacher accounts in the browser; nobody else reaches the admin pages."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import User
from tests.helpers import DEFAULT_PASSWORD, csrf_token


def create(client, **fields):
    data = {"csrf_token": csrf_token(client, "/admin/users"), "role": "teacher",
            "password": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD, **fields}
    return client.post("/admin/users", data=data)


def test_an_admin_creates_a_teacher_who_can_then_log_in(app, client, auth, make_user):
    admin = make_user(role="admin")
    auth.login(admin.username)
    response = create(client, username="Ms.Lee")
    assert response.status_code == 303
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Created teacher account &#39;ms.lee&#39;" in page
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "ms.lee"))
        assert user.role == "teacher"
        assert user.password_hash.startswith("$argon2id$")
    auth.logout()
    assert auth.login("ms.lee").status_code == 302


def test_bad_account_input_is_a_400_with_the_entries_kept(app, client, auth, make_user):
    admin = make_user(role="admin")
    auth.login(admin.username)
    response = create(client, username="Mr Smith!", role="teacher", password2="different-one")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use only letters, digits" in page and "The two passwords do not match" in page
    assert 'value="mr smith!"' in page
    duplicate = create(client, username=admin.username)
    assert duplicate.status_code == 400 and "That username is taken" in duplicate.get_data(
        as_text=True)
    bad_role = create(client, username="newbie", role="superuser")
    assert bad_role.status_code == 400 and "Not a valid choice" in bad_role.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_only_admins_reach_the_account_pages(client, auth, make_user):
    assert client.get("/admin/users").status_code == 302  # anonymous: log in first
    for role in ("student", "teacher"):
        user = make_user(role=role)
        auth.login(user.username)
        assert client.get("/admin/users").status_code == 403
        auth.logout()
