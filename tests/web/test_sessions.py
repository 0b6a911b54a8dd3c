"""Server-side sessions: a new id at each login, logout revokes it, idle and absolute time-outs.

Time is moved by replacing `app.security.clock.now`, the only clock the session code reads.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import UserSession
from app.security import clock
from app.security.sessions import SESSION_KEY

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LOGGED_IN_PAGE = "/join"  # a student page; anonymous visitors are sent to the login page


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


def logged_in(client) -> bool:
    response = client.get(LOGGED_IN_PAGE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_login_issues_a_new_session_and_drops_what_was_planted(client, auth, make_user):
    student = make_user()
    with client.session_transaction() as cookie_session:
        cookie_session[SESSION_KEY] = "planted-by-an-attacker"
        cookie_session["extra"] = "planted"
    auth.login(student.username)
    with client.session_transaction() as cookie_session:
        first = cookie_session[SESSION_KEY]
        assert first != "planted-by-an-attacker" and "extra" not in cookie_session
        assert len(first) == 64
    auth.logout()
    auth.login(student.username)
    with client.session_transaction() as cookie_session:
        assert cookie_session[SESSION_KEY] != first


def test_a_cookie_replayed_after_logout_is_refused(app, client, auth, make_user):
    student = make_user()
    auth.login(student.username)
    assert logged_in(client)
    stolen = client.get_cookie("session").value
    auth.logout()

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get(LOGGED_IN_PAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(sa.select(UserSession.revoked)) is True


def test_an_idle_session_times_out(app, client, auth, make_user, fake_clock):
    student = make_user()
    auth.login(student.username)
    fake_clock.advance(minutes=20)
    assert logged_in(client)  # activity: last seen moves on
    fake_clock.advance(minutes=29)
    assert logged_in(client)  # 49 minutes after login, but only 29 idle
    fake_clock.advance(minutes=app.config["IDLE_TIMEOUT"] / 60)
    assert not logged_in(client)


def test_last_seen_is_written_at_most_once_a_minute(app, client, auth, make_user, fake_clock):
    student = make_user()
    auth.login(student.username)

    def last_seen() -> datetime:
        with app.app_context():
            return db.session.scalar(sa.select(UserSession.last_seen_at))

    fake_clock.advance(seconds=30)
    assert logged_in(client) and last_seen() == START
    fake_clock.advance(seconds=40)
    assert logged_in(client) and last_seen() == START + timedelta(seconds=70)


def test_even_an_active_session_ends_at_the_absolute_time_out(app, client, auth, make_user,
                                                               fake_clock):
    student = make_user()
    auth.login(student.username)
    absolute = timedelta(seconds=app.config["ABSOLUTE_TIMEOUT"])
    while fake_clock.moment + timedelta(minutes=20) < START + absolute:
        fake_clock.advance(minutes=20)
        assert logged_in(client)
    fake_clock.moment = START + absolute
    assert not logged_in(client)


def test_time_outs_come_from_the_environment(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv("IDLE_TIMEOUT", "600")
    monkeypatch.setenv("ABSOLUTE_TIMEOUT", "7200")
    app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["IDLE_TIMEOUT"] == 600
    assert app.config["ABSOLUTE_TIMEOUT"] == app.config["PERMANENT_SESSION_LIFETIME"] == 7200
