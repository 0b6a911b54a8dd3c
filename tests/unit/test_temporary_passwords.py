"""Temporary passwords from a reset or a roster import (app/domain/temporary_passwords.py)."""

from __future__ import annotations

import itertools
import re

import pytest

from app.domain.passwords import password_problem
from app.domain.temporary_passwords import ALPHABET, new_temporary_password

SHAPE = re.compile(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}")


def test_shape_is_three_groups_of_four_without_look_alike_characters() -> None:
    for _ in range(200):
        password = new_temporary_password("alice")
        assert SHAPE.fullmatch(password), password
        assert not set(password) & set("01ilo")


def test_every_password_passes_the_password_rules() -> None:
    for _ in range(200):
        assert password_problem(new_temporary_password("alice"), "alice") is None


def test_passwords_differ_each_time() -> None:
    assert len({new_temporary_password() for _ in range(100)}) == 100


def test_a_password_containing_the_username_is_drawn_again() -> None:
    # A rigged source: the first draw spells the username "abcd", the next one does not.
    letters = itertools.chain("abcdabcdabcd", itertools.cycle("xyz23"))
    password = new_temporary_password("abcd", choice=lambda _alphabet: next(letters))
    assert "abcd" not in password
    assert password_problem(password, "abcd") is None


def test_a_broken_random_source_is_an_error_not_a_weak_password() -> None:
    # Every draw spells the username, so every draw is refused.
    with pytest.raises(RuntimeError):
        new_temporary_password("aaaa", choice=lambda _alphabet: "a")


def test_the_alphabet_has_no_ambiguous_characters() -> None:
    assert not set(ALPHABET) & set("01ilo")
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
