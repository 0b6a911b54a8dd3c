"""Common passwords are refused (ASVS 5: check against a list of breached/common ones)."""

from __future__ import annotations

import pytest

from app.domain.passwords import (
    COMMON_PASSWORD_MESSAGE,
    common_passwords,
    is_common_password,
    password_problem,
)


def test_the_shipped_list_holds_ten_thousand_passwords() -> None:
    passwords = common_passwords()
    assert 9_000 <= len(passwords) <= 10_000
    assert "password" in passwords
    assert not any(entry.startswith("#") for entry in passwords)


@pytest.mark.parametrize("password", ["password", "12345678", "qwertyuiop", "iloveyou"])
def test_common_passwords_are_refused_with_a_clear_message(password: str) -> None:
    assert is_common_password(password)
    assert password_problem(password) == COMMON_PASSWORD_MESSAGE


@pytest.mark.parametrize("password", ["PASSWORD", "Password", " password "])
def test_case_and_surrounding_spaces_do_not_get_past_the_list(password: str) -> None:
    assert is_common_password(password)


@pytest.mark.parametrize("password", ["correct-horse-battery", "tulip umbrella kettle"])
def test_uncommon_passwords_pass(password: str) -> None:
    assert password_problem(password) is None
