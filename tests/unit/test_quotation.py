"""Quotations inside the quotation marks a page draws (<q>, “…”) never double them."""

from __future__ import annotations

import pytest

from app.domain.quotation import inner_quote


@pytest.mark.parametrize(("text", "shown"), [
    # One quotation from end to end: the page's marks replace its own.
    ("“a new form of republic”", "a new form of republic"),
    ('"a new form of republic"', "a new form of republic"),
    # A sentence that opens with a quotation (the walkthrough's "““Tokayev won…").
    ("“Tokayev won his bet on introducing democracy to Kazakhstan,” this was the way the "
     "French media outlet La commented.",
     "‘Tokayev won his bet on introducing democracy to Kazakhstan,’ this was the way the "
     "French media outlet La commented."),
    # Two quotations in one phrase: both become inner quotations.
    ("“concessions” and “understanding”", "‘concessions’ and ‘understanding’"),
    ('the "anti-terrorist" operation', "the ‘anti-terrorist’ operation"),
    # A phrase cut inside a quotation keeps a lone mark, as a single one.
    ("“Tokayev won his bet", "‘Tokayev won his bet"),
    # Apostrophes and plain text are untouched.
    ("protesters’ demands", "protesters’ demands"),
    ("gangs", "gangs"),
    ("", ""),
])
def test_quotation_marks_inside_a_quotation_become_single(text, shown):
    assert inner_quote(text) == shown


def test_no_double_opening_mark_survives_for_any_text_that_starts_with_one():
    for text in ("“x", "„x“", "«x»", '"x', "“x” y “z”"):
        assert inner_quote(text)[:1] not in "“„«\""
