"""The admin's accounts pages: every account, disable / re-enable, roles, resets,
deleting a student, every class, and the log; who may do each."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Enrollment, User
from tests.helpers import DEFAULT_PASSWORD, csrf_token
from tests.web.classes_builders import browser, enrol, make_class, post, text


def act(client, user_id, action, **data):
    return post(client, f"/admin/users/{user_id}/{action}", data, token_from="/admin/users")


def user(app, user_id):
    with app.app_context():
        found = db.session.get(User, user_id)
        if found is not None:
            db.session.expunge(found)
        return found


def log(app):
    with app.app_context():
        return [(e.actor_name, e.action, e.target_name, e.detail) for e in db.session.scalars(
            sa.select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def school(app, make_user):
    """An admin logged in, a teacher with a class of two students."""
    admin = make_user("admin-1", role="admin")
    teacher = make_user("ms.lee", role="teacher")
    alice, bob = make_user("alice"), make_user("bob")
    class_id = make_class(app, teacher.id, "Media 10B")
    enrol(app, class_id, alice.id, bob.id)
    return {"admin": admin, "teacher": teacher, "alice": alice, "bob": bob,
            "class_id": class_id, "client": browser(app, "admin-1")}


def test_the_list_shows_every_account_with_role_status_classes_and_last_login(app, school):
    page = text(school["client"].get("/admin/users"))
    assert "Accounts 1–4 of 4" in page
    for name in ("admin-1", "ms.lee", "alice", "bob"):
        assert f">{name}</a>" in page
    row = re.search(r">alice</a>.*?</tr>", page, re.S).group(0)
    assert "Student" in row and "Active" in row and "Media 10B" in row and "Never" in row
    teacher_row = re.search(r">ms.lee</a>.*?</tr>", page, re.S).group(0)
    assert "Media 10B</a> (teaches)" in teacher_row
    admin_row = re.search(r">admin-1</a>.*?</tr>", page, re.S).group(0)
    assert "(you)" in admin_row and "Never" not in admin_row  # logged in just now


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("?q=LI", ["alice"], ["bob", "ms.lee"]),
    ("?role=teacher", ["ms.lee"], ["alice", "bob"]),
    ("?q=_", [], ["alice", "bob", "ms.lee"]),  # "_" is a character, not a wildcard
    ("?status=disabled", [], ["alice", "bob"]),
])
def test_the_list_searches_and_filters(school, query, shown, hidden):
    page = text(school["client"].get("/admin/users" + query))
    for name in shown:
        assert f">{name}</a>" in page
    for name in hidden:
        assert f">{name}</a>" not in page


@pytest.mark.parametrize("query", ["?role=owner", "?status=gone", "?page=0", "?page=x",
                                   "?q=" + "a" * 65])
def test_bad_list_parameters_are_a_400(school, query):
    assert school["client"].get("/admin/users" + query).status_code == 400


def test_the_list_is_paged(app, school, make_user):
    for number in range(60):
        make_user(f"pupil{number:02d}")
    client = school["client"]
    first = text(client.get("/admin/users"))
    assert "Accounts 1–50 of 64" in first and 'rel="next"' in first
    second = text(client.get("/admin/users?page=2"))
    assert "Accounts 51–64 of 64" in second
    assert client.get("/admin/users?page=3").status_code == 404


def test_disabling_logs_the_user_out_at_once_and_refuses_their_login(app, school):
    alice_laptop = browser(app, "alice")
    assert alice_laptop.get("/lessons").status_code == 200
    client = school["client"]
    response = act(client, school["alice"].id, "disable")
    assert response.status_code == 303
    assert "alice is disabled" in text(client.get(response.headers["Location"]))
    assert user(app, school["alice"].id).disabled
    # The existing session is logged out on its next request.
    assert alice_laptop.get("/lessons").status_code == 302
    fresh = app.test_client()
    refused = fresh.post("/auth/login", data={"csrf_token": csrf_token(fresh, "/auth/login"),
                                              "username": "alice", "password": DEFAULT_PASSWORD})
    assert refused.status_code == 403
    assert "This account is disabled" in text(refused)
    # A wrong password still says only that it did not work.
    wrong = fresh.post("/auth/login", data={"csrf_token": csrf_token(fresh, "/auth/login"),
                                            "username": "alice", "password": "not it at all"})
    assert "This account is disabled" not in text(wrong)

    disabled_list = text(client.get("/admin/users?status=disabled"))
    assert ">alice</a>" in disabled_list and ">bob</a>" not in disabled_list
    assert act(client, school["alice"].id, "enable").status_code == 303
    assert not user(app, school["alice"].id).disabled
    assert browser(app, "alice").get("/lessons").status_code == 200
    assert [(a, e, t) for a, e, t, _ in log(app)] == [
        ("admin-1", "account_disabled", "alice"), ("admin-1", "account_enabled", "alice")]


def test_an_admin_cannot_disable_or_demote_themself(app, school):
    client, admin_id = school["client"], school["admin"].id
    response = act(client, admin_id, "disable")
    assert response.status_code == 403 and "cannot disable your own account" in text(response)
    response = act(client, admin_id, "role", role="teacher")
    assert response.status_code == 403
    assert "cannot change the role of your own account" in text(response)
    response = act(client, admin_id, "reset-password")
    assert response.status_code == 403
    assert user(app, admin_id).role == "admin" and not user(app, admin_id).disabled
    assert log(app) == []


def test_the_last_active_admin_is_never_removed(app, school, make_user):
    other = make_user("admin-2", role="admin")
    client = school["client"]
    assert act(client, other.id, "role", role="teacher").status_code == 303
    assert user(app, other.id).role == "teacher"
    # Promote back, then disable: a disabled admin does not count as an active one.
    assert act(client, other.id, "role", role="admin").status_code == 303
    assert act(client, other.id, "disable").status_code == 303
    with app.app_context():
        from app.services.account_changes import AccountProblem, change_role, set_disabled

        me = db.session.get(User, school["admin"].id)
        second = db.session.get(User, other.id)
        # The disabled admin-2 tries (as if by a script) to demote the only active admin.
        with pytest.raises(AccountProblem, match="last active admin") as refused:
            change_role(second, me, "teacher")
        assert refused.value.status == 409
        with pytest.raises(AccountProblem, match="last active admin"):
            set_disabled(second, me, True)
    assert user(app, school["admin"].id).role == "admin"


def test_role_changes_and_their_limits(app, school):
    client = school["client"]
    response = act(client, school["alice"].id, "role", role="teacher")
    assert response.status_code == 409
    assert "alice is a student in Media 10B" in text(response)
    response = act(client, school["teacher"].id, "role", role="student")
    assert response.status_code == 409 and "teaches 1 class (Media 10B)" in text(response)
    bad = act(client, school["alice"].id, "role", role="owner")
    assert bad.status_code == 400 and "Choose student, teacher or admin." in text(bad)
    lone = school["bob"]
    with app.app_context():
        db.session.execute(sa.delete(Enrollment).where(Enrollment.student_id == lone.id))
        db.session.commit()
    assert act(client, lone.id, "role", role="teacher").status_code == 303
    assert user(app, lone.id).role == "teacher"
    assert log(app)[-1] == ("admin-1", "role_changed", "bob", "student → teacher")
    assert browser(app, "bob").get("/teach/classes").status_code == 200


def test_an_admin_resets_any_password(app, school):
    client = school["client"]
    response = act(client, school["teacher"].id, "reset-password")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert re.search(r'<code class="password">[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}</code>',
                     text(response))
    assert user(app, school["teacher"].id).must_change_password
    assert log(app)[-1][:3] == ("admin-1", "password_reset", "ms.lee")


def test_an_admin_deletes_a_student_after_typing_the_name(app, school):
    client, alice = school["client"], school["alice"]
    url = f"/admin/users/{alice.id}/delete"
    assert "Delete alice?" in text(client.get(url))
    token = csrf_token(client, url)
    wrong = client.post(url, data={"csrf_token": token, "confirm": "bob"})
    assert wrong.status_code == 400 and "That is not alice" in text(wrong)
    assert user(app, alice.id) is not None
    done = client.post(url, data={"csrf_token": token, "confirm": "Alice"})
    assert done.status_code == 303
    assert user(app, alice.id) is None
    # The log keeps the name after the account is gone.
    assert log(app)[-1][:3] == ("admin-1", "student_deleted", "alice")
    page = text(client.get("/admin/log"))
    assert "alice (deleted)" in page
    # Teachers and admins are disabled, not deleted.
    assert client.get(f"/admin/users/{school['teacher'].id}/delete").status_code == 403
    assert client.get("/admin/users/999999").status_code == 404


def test_every_class_is_listed_for_the_admin(app, school, make_user):
    other = make_user("mr.kay", role="teacher")
    make_class(app, other.id, "History 9", code="K7QXM2PE", archived=True)
    page = text(school["client"].get("/admin/classes"))
    assert "Classes 1–2 of 2" in page
    row = re.search(r">Media 10B</a>.*?</tr>", page, re.S).group(0)
    assert ">ms.lee</a>" in row and '<td class="num">2</td>' in row and "Active" in row
    archived = re.search(r">History 9</a>.*?</tr>", page, re.S).group(0)
    assert "Archived" in archived
    assert f'href="/teach/classes/{school["class_id"]}"' in page
    assert school["client"].get(f"/teach/classes/{school['class_id']}").status_code == 200
    found = text(school["client"].get("/admin/classes?q=kay"))
    assert "History 9" in found and "Media 10B" not in found


def test_the_log_is_newest_first_and_filters_by_account(app, school):
    client = school["client"]
    act(client, school["alice"].id, "disable")
    act(client, school["bob"].id, "reset-password")
    page = text(client.get("/admin/log"))
    assert page.index("<td>Password reset</td>") < page.index("<td>Account disabled</td>")
    only_alice = text(client.get("/admin/log?account=Alice"))
    assert "<td>Account disabled</td>" in only_alice
    assert "<td>Password reset</td>" not in only_alice
    assert "Nothing was logged for nobody" in text(client.get("/admin/log?account=nobody"))


@pytest.mark.parametrize("who", [None, "alice", "ms.lee"])
@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/admin/users"), ("GET", "/admin/classes"), ("GET", "/admin/log"),
    ("GET", "/admin/users/{id}"), ("POST", "/admin/users/{id}/disable"),
    ("POST", "/admin/users/{id}/enable"), ("POST", "/admin/users/{id}/role"),
    ("POST", "/admin/users/{id}/reset-password"), ("GET", "/admin/users/{id}/delete"),
    ("POST", "/admin/users/{id}/delete")])
def test_only_admins_reach_the_admin_pages(app, school, who, method, path):
    client = browser(app, who)
    url = path.format(id=school["bob"].id)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": csrf_token(
            client, "/auth/login" if who is None else "/"), "role": "admin",
            "confirm": "bob"})
    assert response.status_code == (302 if who is None else 403)
    assert user(app, school["bob"].id).role == "student"
    assert not user(app, school["bob"].id).disabled
    assert log(app) == []


def test_the_user_loader_refuses_a_disabled_account_whatever_its_sessions_say(app, school):
    """Disabled another way (a script, the database): the live session still ends."""
    alice_laptop = browser(app, "alice")
    with app.app_context():
        db.session.get(User, school["alice"].id).disabled = True
        db.session.commit()
    response = alice_laptop.get("/lessons")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_an_account_the_admin_creates_is_logged(app, school):
    client = school["client"]
    response = client.post("/admin/users", data={
        "csrf_token": csrf_token(client, "/admin/users"), "role": "teacher",
        "username": "mr.kay", "password": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert log(app) == [("admin-1", "account_created", "mr.kay", "as teacher")]
