"""CSV exports must not run formulas when a teacher opens them in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from app.domain.csvsafe import csv_text, safe_cell


@pytest.mark.parametrize(("value", "written"), [
    ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("  =1+1", "'  =1+1"),        # after leading white space too
    ("\n@cmd", "'\n@cmd"),
    ("alice", "alice"),
    ("a=b", "a=b"),               # only the start of a cell matters
    ("", ""),
])
def test_text_that_a_spreadsheet_would_run_is_prefixed_with_a_quote(value, written):
    assert safe_cell(value) == written


def test_numbers_and_blanks():
    assert safe_cell(-1.5) == -1.5  # our own numbers stay numbers
    assert safe_cell(3) == 3
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_the_document_quotes_every_cell_and_round_trips():
    text = csv_text(["student", "lesson"], [["=cmd|' /C calc'!A0", 'Say "hi", twice'],
                                           ["bob", 87.5]])
    assert text.startswith("\ufeff")
    assert text.endswith("\r\n")
    assert '"\'=cmd|\' /C calc\'!A0"' in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["student", "lesson"], ["'=cmd|' /C calc'!A0", 'Say "hi", twice'],
                    ["bob", "87.5"]]
    assert not csv_text(["a"], [], bom=False).startswith("\ufeff")
