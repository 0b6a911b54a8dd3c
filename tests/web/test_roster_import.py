"""A class list from a CSV file or pasted usernames: accounts created with first-time
passwords shown once, existing students enrolled, staff names refused, every line told."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from app.domain.rosters import MAX_ROSTER_BYTES, MAX_ROSTER_LINES
from app.extensions import db
from app.models import AuditEvent, Enrollment, User
from tests.helpers import csrf_token
from tests.web.classes_builders import browser, enrol, make_class, text

PASSWORDS = re.compile(r'<code>([a-z0-9._-]+)</code><br>First-time password: '
                       r'<code class="password">([a-z2-9-]+)</code>')


@pytest.fixture
def teacher_class(app, make_user):
    teacher = make_user("ms.lee", role="teacher")
    class_id = make_class(app, teacher.id, "Media 10B")
    return {"teacher": teacher, "class_id": class_id, "client": browser(app, "ms.lee"),
            "url": f"/teach/classes/{class_id}/roster/import"}


def send(tc, names=None, file=None, filename="class.csv"):
    data = {"csrf_token": csrf_token(tc["client"], tc["url"])}
    if names is not None:
        data["names"] = names
    if file is not None:
        data["file"] = (io.BytesIO(file), filename)
    return tc["client"].post(tc["url"], data=data, content_type="multipart/form-data")


def members(app, class_id):
    with app.app_context():
        return sorted(db.session.scalars(
            sa.select(User.username).join(Enrollment, Enrollment.student_id == User.id)
            .where(Enrollment.classroom_id == class_id)))


def accounts(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_a_csv_creates_missing_students_enrols_existing_ones_and_refuses_staff(
        app, make_user, teacher_class):
    make_user("bob")  # an existing student: enrolled, password unchanged
    carol = make_user("carol")
    enrol(app, teacher_class["class_id"], carol.id)  # already in the class
    make_user("mr.kay", role="teacher")
    csv = ("\ufeffName;Username;Email\r\n"
           "Alice Smith;Alice;a@example.org\r\n"
           "Bob Jones;bob;\r\n"
           "Carol;carol;\r\n"
           "\"Kay, Mr\";mr.kay;\r\n"
           "Dee;not valid!;\r\n"
           "Eve;ALICE;\r\n")
    response = send(teacher_class, file=csv.encode("utf-8"))
    page = text(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "1 new account, 1 existing account added, 1 already in the class, 3 lines not used" \
        in page
    assert "Only the “Username” column was read" in page
    assert "mr.kay is a teacher&#39;s account" in page
    assert "Not a valid username." in page and "already on line 2" in page
    slips = dict(PASSWORDS.findall(page))
    assert list(slips) == ["alice"]
    assert "/join/K7QXM2PD" in page  # the class's join link on every slip
    assert members(app, teacher_class["class_id"]) == ["alice", "bob", "carol"]
    with app.app_context():
        alice = db.session.scalar(sa.select(User).where(User.username == "alice"))
        assert alice.role == "student" and alice.must_change_password
        assert slips["alice"] not in alice.password_hash
        actions = [(e.action, e.target_name) for e in db.session.scalars(
            sa.select(AuditEvent).order_by(AuditEvent.id))]
        assert actions == [("account_created", "alice"), ("roster_imported", None)]
    # The first-time password works, once, and leads to choosing a new one.
    student = app.test_client()
    login = student.post("/auth/login", data={
        "csrf_token": csrf_token(student, "/auth/login"), "username": "alice",
        "password": slips["alice"]})
    assert login.status_code == 302
    assert student.get("/lessons").headers["Location"] == "/auth/password"
    # The passwords are not on the class page or anywhere else afterwards.
    assert slips["alice"] not in text(teacher_class["client"].get(
        f"/teach/classes/{teacher_class['class_id']}"))


def test_pasted_usernames_one_per_line(app, teacher_class):
    response = send(teacher_class, names="dan\n\n  Erin \n")
    assert response.status_code == 200
    assert sorted(dict(PASSWORDS.findall(text(response)))) == ["dan", "erin"]
    assert members(app, teacher_class["class_id"]) == ["dan", "erin"]


def test_importing_the_same_list_again_changes_nothing(app, teacher_class):
    send(teacher_class, names="dan\nerin")
    again = send(teacher_class, names="dan\nerin")
    assert "0 new accounts, 0 existing accounts added, 2 already in the class" in text(again)
    assert PASSWORDS.findall(text(again)) == []
    assert members(app, teacher_class["class_id"]) == ["dan", "erin"]


def test_a_list_without_one_valid_username_is_a_400_with_every_line(app, teacher_class):
    response = send(teacher_class, names="a b\nx\n")
    page = text(response)
    assert response.status_code == 400
    assert "nothing was imported" in page
    assert "<code>a b</code>" in page and "<code>x</code>" in page
    assert "a b\nx" in page  # what was pasted is kept in the box
    assert accounts(app) == 1


@pytest.mark.parametrize(("names", "message"), [
    ("", "Choose a file to upload, or paste the usernames."),
    ("Name,Email\nAlice,a@example.org", "none of them is “username”"),
    ("\n".join(f"s{n:03d}" for n in range(MAX_ROSTER_LINES + 1)),
     f"at most {MAX_ROSTER_LINES} can be imported at once"),
])
def test_unusable_lists_are_refused_with_the_reason(app, teacher_class, names, message):
    response = send(teacher_class, names=names)
    assert response.status_code == 400
    assert message in text(response)
    assert accounts(app) == 1


def test_a_file_over_the_size_limit_is_a_413(app, teacher_class):
    response = send(teacher_class, file=b"student\n" * (MAX_ROSTER_BYTES // 8 + 1))
    assert response.status_code == 413
    assert "larger than 64 KB" in text(response)
    assert accounts(app) == 1


def test_a_file_of_another_type_is_refused(app, teacher_class):
    response = send(teacher_class, file=b"alice\n", filename="class.xlsx")
    assert response.status_code == 400 and "Upload a .csv or .txt file" in text(response)


def test_a_windows_1252_file_is_read(app, teacher_class):
    response = send(teacher_class, file="username;name\nzoe;Zoë\n".encode("cp1252"))
    assert response.status_code == 200
    assert members(app, teacher_class["class_id"]) == ["zoe"]


def test_a_name_taken_during_the_import_stores_nothing(app, teacher_class, monkeypatch):
    """All or nothing: "erin" registered while the list is imported (here: inserted just
    before the import's own row) makes the database refuse it, and "dan", already
    flushed, is rolled back with it."""
    from app.services import rosters

    real = rosters.new_temporary_password

    def racing(username):
        if username == "erin":
            db.session.execute(sa.insert(User).values(username="erin", role="student",
                                                      password_hash="x"))
        return real(username)

    monkeypatch.setattr(rosters, "new_temporary_password", racing)
    response = send(teacher_class, names="dan\nerin\n")
    assert response.status_code == 409
    assert "nothing was imported" in text(response)
    assert accounts(app) == 1 and members(app, teacher_class["class_id"]) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_an_archived_class_takes_no_list(app, make_user, teacher_class):
    archived = make_class(app, teacher_class["teacher"].id, "Old", code="K7QXM2PE",
                          archived=True)
    client = teacher_class["client"]
    assert client.get(f"/teach/classes/{archived}/roster/import").status_code == 409


@pytest.mark.parametrize(("who", "status"), [
    (None, 302), ("alice", 403), ("mr.kay", 403), ("ms.lee", 200), ("admin-1", 200)])
def test_who_may_import_a_list(app, make_user, teacher_class, who, status):
    make_user("alice")
    make_user("mr.kay", role="teacher")
    make_user("admin-1", role="admin")
    client = browser(app, who)
    assert client.get(teacher_class["url"]).status_code == status
    if status != 200:
        token = csrf_token(client, "/auth/login" if who is None else "/")
        response = client.post(teacher_class["url"], data={"csrf_token": token,
                                                           "names": "newkid"})
        assert response.status_code == status
        assert accounts(app) == 4
