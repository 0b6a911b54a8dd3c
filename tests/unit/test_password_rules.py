"""F20: the password rules beyond the common list, as a pure function."""

from __future__ import annotations

import pytest

from app.domain.passwords import (
    BLANK_MESSAGE,
    COMMON_PASSWORD_MESSAGE,
    INVISIBLE_MESSAGE,
    REPEATED_MESSAGE,
    USERNAME_MESSAGE,
    password_problem,
)

ZWSP, ZWJ, WORD_JOINER, BOM, RLM = "\u200b", "\u200d", "\u2060", "\ufeff", "\u200f"


@pytest.mark.parametrize("password", [" " * 8, "\t" * 8, "\u3000" * 8, " \u00a0 \u2003" * 3])
def test_spaces_only_are_refused(password: str) -> None:
    assert password_problem(password) == BLANK_MESSAGE


@pytest.mark.parametrize("password", [
    ZWSP * 8,
    ZWJ * 4 + WORD_JOINER * 4,
    BOM * 8 + RLM * 8,
    "ab" + ZWSP * 10,                 # 2 visible characters, 12 code points
    "abc" + "\u3164" * 6,             # Hangul filler: a letter by category, draws nothing
    "\u2800" * 9,                     # blank Braille pattern
    "pass" + "\ufe0f" * 6,            # variation selectors
    "abc defg",                       # 7 visible: spaces do not count
])
def test_too_few_visible_characters_are_refused(password: str) -> None:
    assert password_problem(password) == INVISIBLE_MESSAGE


@pytest.mark.parametrize("password", ["aaaaaaaa", "AaAaAaAa", "11111111111", "a a a a a a a a",
                                      "ｚｚｚｚｚｚｚｚ", "x" + ZWSP + "xxxxxxxx"])
def test_one_repeated_character_is_refused(password: str) -> None:
    assert password_problem(password) == REPEATED_MESSAGE


@pytest.mark.parametrize(("password", "username"), [
    ("alice.smith", "alice.smith"),
    ("ALICE.SMITH", "alice.smith"),
    ("my-alice.smith-2024", "alice.smith"),
    ("ａｌｉｃｅ.smith!!", "alice.smith"),  # full-width letters fold to the same name (NFKC)
    ("al" + ZWSP + "ice.smith!", "alice.smith"),
])
def test_a_password_holding_the_username_is_refused(password: str, username: str) -> None:
    assert password_problem(password, username) == USERNAME_MESSAGE


@pytest.mark.parametrize("password", ["password", "pass" + ZWSP + "word", " Password1 "])
def test_common_passwords_are_refused_even_with_invisible_characters(password: str) -> None:
    assert password_problem(password) == COMMON_PASSWORD_MESSAGE


@pytest.mark.parametrize(("password", "username"), [
    ("correct-horse-battery", "alice"),
    ("tulip umbrella kettle", "bob"),
    ("grüße aus köln", None),
    ("日本語のパスワードです", "hana"),
    ("ab" * 4, "alice"),  # two characters alternating: weak, but not these rules' business
])
def test_ordinary_passwords_pass(password: str, username: str | None) -> None:
    assert password_problem(password, username) is None
