"""Accounts as a visitor sees them: forms, messages, redirects and status codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.auth.decorators import require_role
from app.extensions import db
from app.models import User
from tests.helpers import DEFAULT_PASSWORD, csrf_token


def _user(app: Flask, username: str) -> User | None:
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.username == username))


def test_register_page_renders(client: FlaskClient) -> None:
    response = client.get("/auth/register")
    assert response.status_code == 200
    assert b"Create an account" in response.data
    assert b'name="csrf_token"' in response.data


def test_register_creates_student_and_logs_in(app: Flask, client: FlaskClient, auth) -> None:
    response = auth.register(username="NewStudent")
    assert response.status_code == 302
    assert response.headers["Location"] == "/lessons"  # a student starts on their lessons

    user = _user(app, "newstudent")
    assert user is not None
    assert user.role == "student"

    home = client.get("/").get_data(as_text=True)
    assert "Welcome to Framing Lab, newstudent!" in home
    assert "Logged in as <strong>newstudent</strong>" in home


def test_password_is_stored_as_argon2id(app: Flask, auth) -> None:
    auth.register(username="hashme", password="a long secret phrase")
    user = _user(app, "hashme")
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert "a long secret phrase" not in user.password_hash


@pytest.mark.parametrize(
    ("username", "password", "password2", "message"),
    [
        ("", DEFAULT_PASSWORD, None, "Choose a username."),
        ("ab", DEFAULT_PASSWORD, None, "Username must be 3–32 characters long."),
        ("a" * 33, DEFAULT_PASSWORD, None, "Username must be 3–32 characters long."),
        ("bad name", DEFAULT_PASSWORD, None, "Use only letters, digits, dots (.),"),
        ("émile", DEFAULT_PASSWORD, None, "Use only letters, digits, dots (.),"),
        ("okname", "short", None, "Password must be at least 8 characters."),
        ("okname", DEFAULT_PASSWORD, "something-else", "The two passwords do not match."),
    ],
)
def test_register_rejects_invalid_input(
    app: Flask, auth, username: str, password: str, password2: str | None, message: str
) -> None:
    response = auth.register(username=username, password=password, password2=password2)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'aria-invalid="true"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_register_rejects_taken_username_case_insensitively(
    app: Flask, auth, make_user: Callable[..., User]
) -> None:
    make_user(username="alice")
    response = auth.register(username="ALICE")
    assert response.status_code == 400
    assert "That username is taken" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_login_ok_lands_a_student_on_their_lessons(client: FlaskClient, auth,
                                                    make_user) -> None:
    make_user(username="alice")
    response = auth.login(username="Alice")
    assert response.status_code == 302
    assert response.headers["Location"] == "/lessons"
    assert "Welcome back, alice." in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong-password"), ("nobody", DEFAULT_PASSWORD)],
)
def test_login_failure_is_generic_and_keeps_username(
    auth, make_user, username: str, password: str
) -> None:
    make_user(username="alice")
    response = auth.login(username=username, password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Invalid username or password." in page
    assert f'value="{username}"' in page
    assert DEFAULT_PASSWORD not in page


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/healthz", "/healthz"),
        ("/auth/register?x=1", "/auth/register?x=1"),
        ("https://evil.example/", "/lessons"),
        ("//evil.example/", "/lessons"),
        ("/\\evil.example", "/lessons"),
        ("javascript:alert(1)", "/lessons"),
        # F16: control characters, whitespace and non-ASCII never reach a Location header.
        ("/\n", "/lessons"),
        ("/\r\nSet-Cookie: x=1", "/lessons"),
        ("/\t/evil.example", "/lessons"),
        ("/ /evil.example", "/lessons"),
        ("/\x00", "/lessons"),
        ("/\x7f", "/lessons"),
        ("/caf\u00e9", "/lessons"),
        ("\\\\evil.example", "/lessons"),
        ("/\\/evil.example", "/lessons"),
        ("http:/evil.example", "/lessons"),
        ("///evil.example", "/lessons"),
    ],
)
def test_login_follows_only_local_next(auth, make_user, next_url: str, expected: str) -> None:
    make_user(username="alice")
    response = auth.login(username="alice", next=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_rehashes_when_cost_parameters_change(app: Flask, auth, make_user) -> None:
    make_user(username="alice")
    old_hash = _user(app, "alice").password_hash
    app.config["ARGON2_MEMORY_COST"] = 16
    assert auth.login(username="alice").status_code == 302
    new_hash = _user(app, "alice").password_hash
    assert new_hash != old_hash
    assert ",m=16," in new_hash or "m=16," in new_hash


def test_logout_is_post_only(client: FlaskClient, auth, make_user) -> None:
    make_user(username="alice")
    auth.login(username="alice")
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)
    assert "Logged in as" in client.get("/").get_data(as_text=True)


def test_logout_requires_csrf_token(client: FlaskClient, auth, make_user) -> None:
    make_user(username="alice")
    auth.login(username="alice")
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert "This form expired or was sent from another page." in response.get_data(as_text=True)
    assert "Logged in as" in client.get("/").get_data(as_text=True)


def test_logout_with_token_logs_out(client: FlaskClient, auth, make_user) -> None:
    make_user(username="alice")
    auth.login(username="alice")
    response = auth.logout(follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "You have been logged out." in page
    assert "Logged in as" not in page


def test_expired_login_form_keeps_username(client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"username": "alice", "password": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your entries are kept below" in page
    assert 'value="alice"' in page
    # A fresh token is on the page, so submitting again works.
    assert 'name="csrf_token"' in page


def test_logged_in_user_is_sent_home_from_login(client: FlaskClient, auth, make_user) -> None:
    make_user(username="alice")
    auth.login(username="alice")
    assert client.get("/auth/login").headers["Location"] == "/lessons"


@pytest.fixture
def role_app(app: Flask) -> Flask:
    """The test app plus a teacher-only page (routes must be added before any request)."""

    @require_role("teacher", "admin")
    def teacher_page() -> str:
        return "teacher area"

    app.add_url_rule("/test-teacher-only", view_func=teacher_page)
    return app


def test_require_role_redirects_anonymous_to_login(role_app: Flask, client: FlaskClient) -> None:
    response = client.get("/test-teacher-only")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_require_role_forbids_other_roles(role_app: Flask, client, auth, make_user) -> None:
    make_user(username="alice", role="student")
    auth.login(username="alice")
    response = client.get("/test-teacher-only")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_require_role_admits_listed_role(role_app: Flask, client, auth, make_user) -> None:
    make_user(username="mrs.t", role="teacher")
    auth.login(username="mrs.t")
    response = client.get("/test-teacher-only")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "teacher area"


def test_404_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_405_page(client: FlaskClient) -> None:
    response = client.post("/healthz", data={"csrf_token": csrf_token(client, "/auth/login")})
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


def test_413_page(client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"username": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than 1 MiB" in response.get_data(as_text=True)


def test_500_page_rolls_back(app: Flask, client: FlaskClient) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        db.session.add(User(username="halfdone", password_hash="x"))
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/test-broken", view_func=broken)
    response = client.get("/test-broken")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert _user(app, "halfdone") is None


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
