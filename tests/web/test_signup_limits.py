"""F7: sign-ups are limited per address; a class code lets a whole class sign up at once.

Every sign-up hashes a password (argon2id), so the limits are counted before the hash.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import Enrollment, User
from app.services import accounts
from tests.helpers import DEFAULT_PASSWORD, HOME, SCHOOL, START, csrf_token
from tests.web.classes_builders import count, make_class


def sign_up(app, username: str, address: str = SCHOOL, class_code: str = "",
            password: str = DEFAULT_PASSWORD):
    browser = app.test_client()
    data = {"csrf_token": csrf_token(browser, "/auth/register"), "username": username,
            "password": password, "password2": password, "class_code": class_code}
    return browser.post("/auth/register", data=data, environ_base={"REMOTE_ADDR": address})


def test_twenty_sign_ups_an_hour_from_one_address_then_a_clear_429(app, fake_clock):
    for number in range(accounts.ADDRESS_SIGNUPS):
        fake_clock["now"] = START + timedelta(minutes=number)
        assert sign_up(app, f"pupil{number}").status_code == 302
    response = sign_up(app, "onemore", password="a secret phrase typed")
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Many accounts were created from your network in the last hour" in page
    assert "41 minutes" in page and "class code" in page
    assert 'value="onemore"' in page and "a secret phrase typed" not in page
    assert count(app, User) == accounts.ADDRESS_SIGNUPS  # no account, no hash made
    assert sign_up(app, "fromhome", address=HOME).status_code == 302
    fake_clock["now"] = START + timedelta(hours=1, seconds=1)
    assert sign_up(app, "onemore").status_code == 302


def test_a_class_of_thirty_five_signs_up_at_once_with_its_code(app, make_user, fake_clock):
    teacher = make_user(role="teacher")
    class_id = make_class(app, teacher.id, code="K7QXM2PD")
    for number in range(accounts.ADDRESS_SIGNUPS):  # the address's own budget is spent
        sign_up(app, f"earlier{number}")
    for number in range(35):
        response = sign_up(app, f"class10b-{number}", class_code="k7qx-m2pd")
        assert response.status_code == 302, response.get_data(as_text=True)
    assert count(app, Enrollment, Enrollment.classroom_id == class_id) == 35
    assert sign_up(app, "lastone", class_code="K7QX M2PD").status_code == 302


def test_the_class_code_joins_the_class_and_says_so(app, make_user, fake_clock):
    teacher = make_user(role="teacher")
    make_class(app, teacher.id, name="Media 10B", code="K7QXM2PD")
    browser = app.test_client()
    data = {"csrf_token": csrf_token(browser, "/auth/register"), "username": "newbie",
            "password": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
            "class_code": "K7QX-M2PD"}
    assert browser.post("/auth/register", data=data).status_code == 302
    home = browser.get("/").get_data(as_text=True)
    assert "You have joined the class “Media 10B”." in home


def test_a_class_code_has_its_own_hourly_budget(app, make_user, fake_clock, monkeypatch):
    monkeypatch.setattr(accounts, "CLASS_SIGNUPS", 3)
    teacher = make_user(role="teacher")
    make_class(app, teacher.id, code="K7QXM2PD")
    for number in range(3):
        assert sign_up(app, f"coded{number}", class_code="K7QXM2PD").status_code == 302
    response = sign_up(app, "coded3", class_code="K7QXM2PD")
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Many accounts were created with this class code in the last hour" in page
    assert 'value="K7QXM2PD"' in page and 'value="coded3"' in page


@pytest.mark.parametrize(("code", "message"), [
    ("K7QX", "class codes have 8 letters and digits"),
    ("ZZZZ-ZZZZ", "No class has that code."),
    ("ARCH-VED2", "is archived and no longer takes new students"),
])
def test_a_wrong_class_code_is_refused_before_any_account_is_made(app, make_user, code,
                                                                  message):
    teacher = make_user(role="teacher")
    make_class(app, teacher.id, code="ARCHVED2", archived=True)
    response = sign_up(app, "newbie", class_code=code)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and 'value="newbie"' in page
    assert count(app, User, User.username == "newbie") == 0


def test_the_address_limit_counts_only_sign_ups_that_reach_the_hash(app, fake_clock):
    for _ in range(30):  # mistakes found by the form: no hash, nothing counted
        assert sign_up(app, "x", password="short").status_code == 400
    assert sign_up(app, "realname").status_code == 302
    with app.app_context():
        from app.extensions import db

        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
