"""Login throttling through the login form: what a student and a guesser see (F5, F6).

Every browser here is its own test client (its own cookies); `address` is the network
address the app sees (REMOTE_ADDR), as behind a school's NAT.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from app.security.devices import COOKIE_NAME
from tests.helpers import DEFAULT_PASSWORD, HOME, SCHOOL, START, csrf_token


def post_login(client, username: str, password: str, address: str = SCHOOL):
    token = csrf_token(client, "/auth/login")
    return client.post(
        "/auth/login",
        data={"csrf_token": token, "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def logged_in_as(client, username: str) -> bool:
    return f"Logged in as <strong>{username}</strong>" in client.get("/").get_data(as_text=True)


def test_guessing_one_password_gets_a_429_with_a_clear_message(client, make_user, fake_clock):
    student = make_user()
    for _ in range(5):
        assert post_login(client, student.username, "wrong guess!").status_code == 200
    response = post_login(client, student.username, DEFAULT_PASSWORD)
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many failed logins for this account from your network" in page
    assert "30 seconds" in page
    assert f'value="{student.username}"' in page

    fake_clock["now"] = START + timedelta(seconds=31)
    assert post_login(client, student.username, DEFAULT_PASSWORD).status_code == 302


def test_a_guesser_cannot_keep_the_owner_out(app, make_user, fake_clock):
    """F6: six wrong guesses at the school address slow the guesser, not the student."""
    student = make_user()
    own_laptop = app.test_client()  # logged in here last week: holds a device cookie
    assert post_login(own_laptop, student.username, DEFAULT_PASSWORD).status_code == 302
    assert own_laptop.get_cookie(COOKIE_NAME, path="/auth/") is not None
    own_laptop.post("/auth/logout", data={"csrf_token": csrf_token(own_laptop, "/")})

    fake_clock["now"] = START + timedelta(days=7)
    guesser = app.test_client()
    for _ in range(6):
        post_login(guesser, student.username, "wrong guess!")
    response = post_login(guesser, student.username, "still-guessing")
    assert response.status_code == 429
    assert "please wait 30 seconds" in response.get_data(as_text=True)

    at_home = app.test_client()  # another address, no device cookie
    assert post_login(at_home, student.username, DEFAULT_PASSWORD, HOME).status_code == 302
    assert logged_in_as(at_home, student.username)

    # Same school address as the guesser, but the browser the student logged in from before.
    assert post_login(own_laptop, student.username, DEFAULT_PASSWORD).status_code == 302
    assert logged_in_as(own_laptop, student.username)

    assert post_login(guesser, student.username, DEFAULT_PASSWORD).status_code == 429


def test_a_forged_device_cookie_exempts_nobody(app, make_user, fake_clock):
    student = make_user()
    guesser = app.test_client()
    guesser.set_cookie(COOKIE_NAME, f"[[{student.id},1999999999,\"x\"]].forged", path="/auth/")
    for _ in range(5):
        post_login(guesser, student.username, "wrong guess!")
    assert post_login(guesser, student.username, "another guess").status_code == 429


def test_one_pupil_spraying_guesses_does_not_lock_out_the_class(app, make_user, fake_clock):
    """F5: 150 failed logins with random names from the school address, then the class."""
    students = [make_user() for _ in range(30)]
    sprayer = app.test_client()
    for number in range(150):
        fake_clock["now"] = START + timedelta(seconds=number / 2)
        response = post_login(sprayer, f"x{secrets.token_hex(5)}", "guess-guess")
        assert response.status_code == 200
    for number, student in enumerate(students):
        fake_clock["now"] = START + timedelta(seconds=80 + number)
        browser = app.test_client()
        assert post_login(browser, student.username, DEFAULT_PASSWORD).status_code == 302
        assert logged_in_as(browser, student.username)
    # The spray still costs the address its free failures: a second wrong try waits.
    victim = students[0].username
    assert post_login(sprayer, victim, "guess-guess").status_code == 200
    response = post_login(sprayer, victim, "guess-again")
    assert response.status_code == 429
    assert "30 seconds" in response.get_data(as_text=True)


def test_thirty_students_behind_one_address_all_log_in_within_a_minute(app, make_user,
                                                                        fake_clock):
    students = [make_user() for _ in range(30)]
    for number, student in enumerate(students):
        fake_clock["now"] = START + timedelta(seconds=2 * number)
        browser = app.test_client()
        # Every third student mistypes once first: 10 failures, far below the address limit.
        if number % 3 == 0:
            assert post_login(browser, student.username, "typo typo").status_code == 200
        assert post_login(browser, student.username, DEFAULT_PASSWORD).status_code == 302


def test_the_device_cookie_is_signed_httponly_and_only_sent_to_the_login(app, make_user,
                                                                          fake_clock):
    student = make_user()
    browser = app.test_client()
    response = post_login(browser, student.username, DEFAULT_PASSWORD)
    header = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith(COOKIE_NAME))
    assert "HttpOnly" in header and "Path=/auth/" in header and "Max-Age=31536000" in header
    assert "SameSite=Lax" in header


def test_a_device_cookie_exempts_only_the_accounts_it_names(app, make_user, fake_clock):
    mine, theirs = make_user(), make_user()
    shared_computer = app.test_client()
    assert post_login(shared_computer, mine.username, DEFAULT_PASSWORD).status_code == 302
    shared_computer.post("/auth/logout", data={"csrf_token": csrf_token(shared_computer, "/")})
    for _ in range(5):
        assert post_login(shared_computer, theirs.username, "wrong guess!").status_code == 200
    assert post_login(shared_computer, theirs.username, "wrong guess!").status_code == 429
