"""Password resets: a teacher for a student of theirs, an admin for anyone; the forced
change at the next login; students changing their own password."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, User
from app.models.security import UserSession
from tests.helpers import DEFAULT_PASSWORD, HOME, SCHOOL, csrf_token
from tests.web.classes_builders import browser, enrol, make_class, text

PASSWORD_ON_PAGE = re.compile(r'<code class="password">([a-z2-9-]+)</code>')
NEW_PASSWORD = "seven purple kites drift"


def reset_as(client, class_id, student_id):
    url = f"/teach/classes/{class_id}/students/{student_id}/reset-password"
    return client.post(url, data={"csrf_token": csrf_token(client, "/teach/classes")})


def the_user(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def events(app, action):
    with app.app_context():
        return [(e.actor_name, e.target_name, e.classroom_name) for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def live_sessions(app, user_id):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(UserSession.id)).where(
            UserSession.user_id == user_id, UserSession.revoked.is_(False)))


def test_a_teacher_resets_a_students_password_and_the_student_must_change_it(app, make_user):
    teacher = make_user("ms.lee", role="teacher")
    alice = make_user("alice")
    class_id = make_class(app, teacher.id, "Media 10B")
    enrol(app, class_id, alice.id)
    alice_phone = browser(app, "alice")  # logged in before the reset
    lee = browser(app, "ms.lee")

    roster = text(lee.get(f"/teach/classes/{class_id}"))
    assert f"/teach/classes/{class_id}/students/{alice.id}/reset-password" in roster
    confirm = lee.get(f"/teach/classes/{class_id}/students/{alice.id}/reset-password")
    assert confirm.status_code == 200 and "Reset alice's password?" in text(confirm)

    response = reset_as(lee, class_id, alice.id)
    page = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "shows the temporary password <strong>once</strong>" in page
    temporary = PASSWORD_ON_PAGE.search(page).group(1)
    user = the_user(app, "alice")
    assert user.must_change_password
    assert temporary not in user.password_hash
    assert events(app, "password_reset") == [("ms.lee", "alice", None)]

    # The old session ends at once; the old password no longer works.
    assert alice_phone.get("/lessons").status_code == 302
    assert live_sessions(app, alice.id) == 0
    fresh = app.test_client()
    token = csrf_token(fresh, "/auth/login")
    old = fresh.post("/auth/login", data={"csrf_token": token, "username": "alice",
                                          "password": DEFAULT_PASSWORD})
    assert "Invalid username or password." in text(old)

    # The temporary password works once: every page but the change form sends her there.
    login = fresh.post("/auth/login", data={"csrf_token": csrf_token(fresh, "/auth/login"),
                                            "username": "alice", "password": temporary})
    assert login.status_code == 302
    for url in ("/lessons", "/", "/join", "/results", "/auth/account"):
        response = fresh.get(url)
        assert response.status_code == 303, url
        assert response.headers["Location"] == "/auth/password"
    token = csrf_token(fresh, "/auth/password")
    joined = fresh.post("/join", data={"csrf_token": token, "code": "K7QX-M2PD"})
    assert joined.headers["Location"] == "/auth/password"
    form = text(fresh.get("/auth/password"))
    assert "Choose a new password" in form and "Current password" not in form

    token = csrf_token(fresh, "/auth/password")
    same = fresh.post("/auth/password", data={"csrf_token": token, "password": temporary,
                                              "password2": temporary})
    assert same.status_code == 400 and "not the temporary one" in text(same)
    changed = fresh.post("/auth/password", data={"csrf_token": token,
                                                 "password": NEW_PASSWORD,
                                                 "password2": NEW_PASSWORD})
    assert changed.status_code == 303 and changed.headers["Location"] == "/lessons"
    assert fresh.get("/lessons").status_code == 200
    assert not the_user(app, "alice").must_change_password
    assert events(app, "password_changed") == [("alice", "alice", None)]
    assert browser(app, "ms.lee").get("/").status_code == 200
    other = app.test_client()
    again = other.post("/auth/login", data={"csrf_token": csrf_token(other, "/auth/login"),
                                            "username": "alice", "password": NEW_PASSWORD})
    assert again.status_code == 302


def test_logout_still_works_while_a_password_must_be_changed(app, make_user):
    make_user("alice", must_change_password=True)
    client = browser(app, "alice")
    token = csrf_token(client, "/auth/password")
    response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/lessons").status_code == 302  # anonymous: to the login page


def test_who_may_reset_a_password(app, make_user):
    teacher_a = make_user("teacher-a", role="teacher")
    teacher_b = make_user("teacher-b", role="teacher")
    make_user("admin-1", role="admin")
    alice, stranger = make_user("alice"), make_user("stranger")
    class_a = make_class(app, teacher_a.id, "A", code="K7QXM2PD")
    class_b = make_class(app, teacher_b.id, "B", code="K7QXM2PE")
    enrol(app, class_a, alice.id)
    enrol(app, class_b, stranger.id)
    url = f"/teach/classes/{class_a}/students/{alice.id}/reset-password"
    expected = {None: 302, "alice": 403, "stranger": 403, "teacher-b": 403, "teacher-a": 200,
                "admin-1": 200}
    for who, status in expected.items():
        client = browser(app, who)
        assert client.get(url).status_code == status, who
    # A teacher cannot reach a student of another class through their own class's URL,
    assert reset_as(browser(app, "teacher-a"), class_a, stranger.id).status_code == 403
    # nor a colleague's account, nor a missing one.
    enrol_teacher = make_user("helper", role="teacher")
    assert reset_as(browser(app, "teacher-a"), class_a, enrol_teacher.id).status_code == 403
    assert reset_as(browser(app, "teacher-a"), class_a, 999999).status_code == 404
    assert reset_as(browser(app, "teacher-b"), class_a, alice.id).status_code == 403
    assert events(app, "password_reset") == []
    assert not the_user(app, "stranger").must_change_password


def test_a_reset_clears_failed_logins_so_the_student_can_log_in(app, make_user):
    teacher = make_user("ms.lee", role="teacher")
    alice = make_user("alice")
    class_id = make_class(app, teacher.id)
    enrol(app, class_id, alice.id)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = HOME
    for _ in range(12):
        guesser.post("/auth/login", data={"csrf_token": csrf_token(guesser, "/auth/login"),
                                          "username": "alice", "password": "wrong guess!"})
    page = text(reset_as(browser(app, "ms.lee"), class_id, alice.id))
    temporary = PASSWORD_ON_PAGE.search(page).group(1)
    client = app.test_client()  # at school, where nobody guessed
    client.environ_base["REMOTE_ADDR"] = SCHOOL
    response = client.post("/auth/login", data={"csrf_token": csrf_token(client, "/auth/login"),
                                                "username": "alice", "password": temporary})
    assert response.status_code == 302


def test_a_student_changes_their_own_password_with_the_current_one(app, make_user):
    alice = make_user("alice")
    laptop, phone = browser(app, "alice"), browser(app, "alice")
    account = text(phone.get("/auth/account"))
    assert "Your account" in account and "Change password" in account
    form = text(phone.get("/auth/password"))
    assert "Current password" in form
    token = csrf_token(phone, "/auth/password")
    wrong = phone.post("/auth/password", data={"csrf_token": token, "current_password": "nope",
                                               "password": NEW_PASSWORD,
                                               "password2": NEW_PASSWORD})
    assert wrong.status_code == 400 and "That is not your current password." in text(wrong)
    weak = phone.post("/auth/password", data={"csrf_token": token,
                                              "current_password": DEFAULT_PASSWORD,
                                              "password": "password", "password2": "password"})
    assert weak.status_code == 400 and "most common passwords" in text(weak)
    ok = phone.post("/auth/password", data={"csrf_token": token,
                                            "current_password": DEFAULT_PASSWORD,
                                            "password": NEW_PASSWORD,
                                            "password2": NEW_PASSWORD})
    assert ok.status_code == 303
    assert "Your password is changed" in text(phone.get(ok.headers["Location"]))
    # The other device is logged out; this one stays in.
    assert laptop.get("/lessons").status_code == 302
    assert phone.get("/lessons").status_code == 200
    assert live_sessions(app, alice.id) == 1
