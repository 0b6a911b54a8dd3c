"""F19 for `flask users create`: a name taken while the password was typed is a clear
error, not a traceback (the database's unique constraint decides)."""

from __future__ import annotations

import sqlalchemy as sa

from app import cli
from app.extensions import db
from app.models import User
from tests.helpers import DEFAULT_PASSWORD


def test_a_name_taken_meanwhile_is_a_clear_cli_error(app, runner, make_user, monkeypatch):
    check = cli._check_password

    def someone_else_is_faster(password: str, username: str) -> str:
        make_user(username=username, role="teacher")  # another connection, committed
        return check(password, username)

    monkeypatch.setattr(cli, "_check_password", someone_else_is_faster)
    result = runner.invoke(args=["users", "create", "ms.lee", "--password-stdin"],
                           input=DEFAULT_PASSWORD + "\n")
    assert result.exit_code == 1
    assert "user 'ms.lee' already exists" in result.output
    assert not isinstance(result.exception, sa.exc.IntegrityError)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
