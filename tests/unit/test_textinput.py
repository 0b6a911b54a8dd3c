"""The text-input rule and the id bound (app/domain/textinput.py), without a web app."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.textinput import (
    MAX_DATABASE_ID,
    control_character_problem,
    database_id,
    displayable,
    first_forbidden,
    parse_id,
)

CONTROL = [chr(n) for n in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]


@pytest.mark.parametrize("char", CONTROL)
def test_every_control_character_is_refused_in_a_single_line(char):
    found = first_forbidden(f"ab{char}c", multiline=False)
    assert found is not None and found.char == char and found.position == 3


@pytest.mark.parametrize("char", sorted(set(CONTROL) - set("\t\n\r")))
def test_multi_line_text_refuses_every_control_character_but_tab_and_line_breaks(char):
    assert first_forbidden(f"line\n{char}", multiline=True) is not None


def test_multi_line_text_keeps_tabs_and_line_breaks():
    assert first_forbidden("a\tb\r\nc\nd", multiline=True) is None


@pytest.mark.parametrize("text", ["", "Plain title", "Ünïcödé – “quotes” ‘and’ emoji 😀",
                                  "\u202eright-to-left\u202c", "\u200bzero width", "\ufeffbom",
                                  "\u00a0no-break", "e\u0301"])
def test_ordinary_text_is_accepted(text):
    assert control_character_problem(text, multiline=False) is None


def test_the_message_names_the_character_and_where_it_is():
    assert control_character_problem("a\x00b", multiline=False) == (
        "This contains a control character (U+0000, NUL) at position 2. "
        "Remove it and try again.")
    assert control_character_problem("one\ntwo\x1bthree", multiline=True) == (
        "This contains a control character (U+001B, escape) at position 8 "
        "(line 2, column 4). Remove it and try again.")
    assert "U+0085" in control_character_problem("x\x85", multiline=True)


def test_lone_surrogates_are_refused_and_made_displayable():
    message = control_character_problem("a\ud800b", multiline=True)
    assert message is not None and "unpaired surrogate (U+D800)" in message
    assert displayable("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert displayable("a\x00b 😀") == "a\x00b 😀"  # only what no page can hold changes


@given(st.text())
@settings(max_examples=200, derandomize=True, database=None)
def test_accepted_text_holds_no_control_character(text):
    if control_character_problem(text, multiline=True) is None:
        assert not any(ord(c) < 0x20 and c not in "\t\n\r" or 0x7F <= ord(c) < 0xA0
                       for c in text)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), ("42", 42), (str(MAX_DATABASE_ID), MAX_DATABASE_ID), (7, 7),
    ("0", None), ("", None), (None, None), ("-1", None), ("+1", None), (" 1", None),
    ("1_000", None), ("\u0661", None), ("１", None), ("1.0", None), ("0x10", None),
    (str(MAX_DATABASE_ID + 1), None), (str(2**63), None), ("9" * 400, None),
    (2**63, None), (0, None), (True, None), (1.0, None), ("1\x00", None),
])
def test_an_id_is_ascii_digits_within_what_a_column_holds(raw, expected):
    assert parse_id(raw) == expected


def test_database_id_raises_value_error_for_werkzeug_and_wtforms():
    assert database_id("12") == 12
    with pytest.raises(ValueError):
        database_id(str(2**31))
