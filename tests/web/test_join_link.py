"""Joining a class by its link and QR code; the code filled in from ?code=; a student
sees the classes they are in; login lands each role on its own page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from app.domain.qr import qr_svg
from app.extensions import db
from app.models import AuditEvent
from tests.helpers import DEFAULT_PASSWORD, csrf_token
from tests.web.classes_builders import browser, enrol, make_class, post, text

CODE = "K7QXM2PD"
LINK = f"/join/{CODE}"


@pytest.fixture
def klass(app, make_user):
    teacher = make_user("ms.lee", role="teacher")
    return make_class(app, teacher.id, "Media 10B", code=CODE)


def joins(app):
    with app.app_context():
        return [(e.actor_name, e.classroom_name, e.detail) for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "class_joined"))]


def test_the_link_asks_then_joins_and_the_class_shows_at_once(app, make_user, klass):
    make_user("alice")
    client = browser(app, "alice")
    assert "You are not in a class yet." in text(client.get("/lessons"))
    page = text(client.get(LINK))
    assert "Join Media 10B?" in page and "ms.lee" in page
    assert "Your classes" not in text(client.get("/lessons"))  # opening the link joined nothing
    response = post(client, LINK, token_from=LINK)
    assert response.status_code == 303 and response.headers["Location"] == "/lessons"
    lessons = text(client.get("/lessons"))
    assert "You joined Media 10B." in lessons
    assert "Your classes: <strong>Media 10B</strong> (ms.lee). Nothing is assigned yet." \
        in lessons
    assert joins(app) == [("alice", "Media 10B", "with the class's link")]
    again = text(client.get(LINK))
    assert "You are in Media 10B" in again
    post(client, LINK, token_from=LINK)
    assert len(joins(app)) == 1


def test_a_logged_out_visitor_logs_in_and_comes_back_to_the_link(app, make_user, klass):
    make_user("alice")
    client = app.test_client()
    response = client.get(LINK)
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/auth/login?next=") and "join" in login_url
    login_page = text(client.get(login_url))
    assert "/auth/register?next=/join/K7QXM2PD" in login_page
    back = client.post(login_url, data={"csrf_token": csrf_token(client, login_url),
                                        "username": "alice", "password": DEFAULT_PASSWORD})
    assert back.headers["Location"] == LINK


def test_a_new_student_registers_from_the_link_and_comes_back(app, klass):
    client = app.test_client()
    url = "/auth/register?next=/join/" + CODE
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "username": "newkid", "password": DEFAULT_PASSWORD,
                                      "password2": DEFAULT_PASSWORD})
    assert response.headers["Location"] == LINK
    assert "Join Media 10B?" in text(client.get(LINK))


@pytest.mark.parametrize(("code", "status", "message"), [
    ("K7QXM2PE", 404, "No class has that code"),
    ("NOPE", 400, "class codes have 8 letters and digits"),
])
def test_a_wrong_link_says_so_with_the_code_in_the_form(app, make_user, klass, code, status,
                                                        message):
    make_user("alice")
    response = browser(app, "alice").get(f"/join/{code}")
    assert response.status_code == status
    assert message in text(response) and f'value="{code}"' in text(response)


def test_an_archived_class_link_is_refused(app, make_user):
    teacher = make_user("ms.lee", role="teacher")
    make_class(app, teacher.id, "Old", code=CODE, archived=True)
    make_user("alice")
    client = browser(app, "alice")
    assert client.get(LINK).status_code == 409
    assert post(client, LINK, token_from="/").status_code == 409
    assert joins(app) == []


@pytest.mark.parametrize("role", ["teacher", "admin"])
def test_staff_cannot_join_by_link(app, make_user, klass, role):
    make_user("staff", role=role)
    client = browser(app, "staff")
    assert client.get(LINK).status_code == 403
    assert post(client, LINK).status_code == 403


def test_join_with_a_code_in_the_address_fills_the_field(app, make_user, klass):
    make_user("alice")
    client = browser(app, "alice")
    page = text(client.get("/join?code=K7QX-M2PD"))
    assert 'value="K7QX-M2PD"' in page
    response = post(client, "/join", {"code": "K7QX-M2PD"}, token_from="/join")
    assert response.status_code == 303
    assert joins(app) == [("alice", "Media 10B", "with the class code")]


def test_the_class_page_shows_the_link_the_qr_code_and_the_join_sheet(app, klass):
    client = browser(app, "ms.lee")
    page = text(client.get(f"/teach/classes/{klass}"))
    assert "http://localhost/join/K7QXM2PD" in page
    assert f'src="/teach/classes/{klass}/qr.svg"' in page
    assert f"/teach/classes/{klass}/join-sheet" in page
    assert f"/teach/classes/{klass}/roster/import" in page
    sheet = text(client.get(f"/teach/classes/{klass}/join-sheet"))
    assert "Join Media 10B on Framing Lab" in sheet and "K7QX-M2PD" in sheet


def test_the_qr_code_is_well_formed_svg_of_the_join_link(app, klass):
    response = browser(app, "ms.lee").get(f"/teach/classes/{klass}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox", "").startswith("0 0 ")
    path = root.find("{http://www.w3.org/2000/svg}path")
    assert path is not None and len(path.get("d", "")) > 500
    # It draws the class's join link (the same text always draws the same code).
    assert response.get_data(as_text=True) == qr_svg("http://localhost/join/K7QXM2PD")
    assert response.get_data(as_text=True) != qr_svg("http://localhost/join/K7QXM2PE")


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("alice", 403), ("mr.kay", 403),
                                              ("ms.lee", 200), ("admin-1", 200)])
def test_who_may_see_the_qr_code_and_join_sheet(app, make_user, klass, who, status):
    make_user("alice")
    make_user("mr.kay", role="teacher")
    make_user("admin-1", role="admin")
    client = browser(app, who)
    assert client.get(f"/teach/classes/{klass}/qr.svg").status_code == status
    assert client.get(f"/teach/classes/{klass}/join-sheet").status_code == status


@pytest.mark.parametrize(("role", "landing"), [("student", "/lessons"),
                                               ("teacher", "/teach/"),
                                               ("admin", "/admin/users")])
def test_login_lands_each_role_on_its_own_page(app, make_user, role, landing):
    make_user("someone", role=role)
    client = app.test_client()
    response = client.post("/auth/login", data={
        "csrf_token": csrf_token(client, "/auth/login"), "username": "someone",
        "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == landing
    safe_next = client.get("/auth/login?next=/healthz")
    assert safe_next.headers["Location"] == "/healthz"


def test_the_student_sees_classes_with_their_teachers_but_not_archived_ones(app, make_user):
    lee, kay = make_user("ms.lee", role="teacher"), make_user("mr.kay", role="teacher")
    alice = make_user("alice")
    first = make_class(app, lee.id, "Media 10B", code="K7QXM2PD")
    second = make_class(app, kay.id, "History 9", code="K7QXM2PE")
    old = make_class(app, kay.id, "Old one", code="K7QXM2PF", archived=True)
    enrol(app, first, alice.id)
    enrol(app, second, alice.id)
    enrol(app, old, alice.id)
    page = text(browser(app, "alice").get("/lessons"))
    assert ("Your classes: <strong>History 9</strong> (mr.kay), "
            "<strong>Media 10B</strong> (ms.lee).") in page
    assert "Old one" not in page
    account = text(browser(app, "alice").get("/auth/account"))
    assert "To leave a class, ask your teacher" in account
