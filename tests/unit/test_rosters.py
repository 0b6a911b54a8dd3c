"""Reading a class roster a teacher pasted or uploaded (app/domain/rosters.py)."""

from __future__ import annotations

import pytest

from app.domain.rosters import (
    MAX_ROSTER_LINES,
    RosterProblem,
    decode_roster,
    detect_separator,
    parse_roster,
)


def names(text: str) -> list[str]:
    return parse_roster(text).usernames


def test_one_username_per_line_lower_cased_and_trimmed() -> None:
    assert names("alice\n  Bob  \r\nCAROL.K\n") == ["alice", "bob", "carol.k"]


def test_blank_lines_and_lines_of_separators_are_skipped() -> None:
    roster = parse_roster("\n\nalice\n   \n;;\n,,\nbob\n\n")
    assert roster.usernames == ["alice", "bob"]
    assert [line.line for line in roster.lines] == [3, 7]


def test_a_byte_order_mark_is_not_part_of_the_first_name() -> None:
    assert names(decode_roster("\ufeffalice\nbob".encode())) == ["alice", "bob"]
    assert names("\ufeffusername\nalice") == ["alice"]


def test_a_file_that_is_not_utf8_is_read_as_windows_1252() -> None:
    text = decode_roster("username;name\nzoe;Zoë Martin\n".encode("cp1252"))
    assert "Zoë Martin" in text
    assert names(text) == ["zoe"]


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_a_username_column_is_found_with_any_separator(separator: str) -> None:
    text = separator.join(["Name", "Username", "Email"]) + "\n" + separator.join(
        ["Alice Smith", "alice", "a@example.org"]) + "\n" + separator.join(
        ["Bob Jones", "bob", ""]) + "\n"
    roster = parse_roster(text)
    assert roster.usernames == ["alice", "bob"]
    assert len(roster.notes) == 1 and "“Username” column was read" in roster.notes[0]
    assert roster.lines[0].line == 2


def test_quotes_hold_separators_inside_a_cell() -> None:
    roster = parse_roster('username,name\n"alice","Smith, Alice"\n"bob";x\n')
    assert roster.usernames == ["alice"]
    assert roster.refused[0].line == 3  # '"bob";x' is one odd cell in a comma table


def test_the_separator_is_the_most_frequent_outside_quotes() -> None:
    assert detect_separator('username;"Smith, Alice";x') == ";"
    assert detect_separator("alice") == ","
    assert detect_separator("a\tb\tc") == "\t"


def test_without_headings_the_first_column_is_read_and_the_rest_noted() -> None:
    roster = parse_roster("alice,Alice Smith\nbob,Bob Jones\n")
    assert roster.usernames == ["alice", "bob"]
    assert "Only the first column was read" in roster.notes[0]


def test_a_single_column_list_has_no_note() -> None:
    assert parse_roster("alice\nbob").notes == []


def test_headings_without_a_username_column_are_refused_as_a_whole() -> None:
    with pytest.raises(RosterProblem, match="none of them is “username”"):
        parse_roster("Name,Email\nAlice Smith,a@example.org\n")


def test_a_name_listed_twice_in_any_case_is_reported_on_its_second_line() -> None:
    roster = parse_roster("alice\nbob\nALICE\n")
    assert roster.usernames == ["alice", "bob"]
    [again] = roster.refused
    assert again.line == 3 and again.typed == "ALICE"
    assert "already on line 1" in (again.problem or "")


@pytest.mark.parametrize("typed", ["al", "a" * 33, "bad name", "émile", "a/b", "x@y"])
def test_invalid_usernames_are_reported_per_line(typed: str) -> None:
    roster = parse_roster(f"alice\n{typed}\n")
    assert roster.usernames == ["alice"]
    [bad] = roster.refused
    assert bad.line == 2 and bad.typed == typed
    assert (bad.problem or "").startswith("Not a valid username.")


def test_a_row_with_an_empty_username_cell_is_reported() -> None:
    roster = parse_roster("username,name\n,Alice Smith\nbob,Bob\n")
    assert roster.usernames == ["bob"]
    assert roster.refused[0].problem == "No username in this line."


def test_too_many_lines_are_refused_before_anything_is_read() -> None:
    text = "\n".join(f"student{n}" for n in range(MAX_ROSTER_LINES + 1))
    with pytest.raises(RosterProblem, match=f"at most {MAX_ROSTER_LINES}"):
        parse_roster(text)
    assert len(parse_roster(text, max_lines=MAX_ROSTER_LINES + 1).usernames) == \
        MAX_ROSTER_LINES + 1


def test_an_empty_roster_has_no_lines() -> None:
    assert parse_roster("").lines == []
    assert parse_roster("\n \n").lines == []
