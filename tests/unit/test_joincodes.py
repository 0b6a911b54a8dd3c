"""Join codes: unambiguous characters, grouped for reading, forgiving when typed."""

from __future__ import annotations

import random

import pytest

from app.domain.joincodes import ALPHABET, LENGTH, display, is_well_formed, new_code, normalise


def test_the_alphabet_has_no_characters_that_look_alike():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_new_codes_are_eight_characters_of_the_alphabet():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert len(codes) == 200  # random: no repeats in a small sample


def test_the_random_source_can_be_replaced():
    rng = random.Random(4)
    assert new_code(rng.choice) == new_code(random.Random(4).choice)


def test_codes_are_shown_in_two_groups():
    assert display("K7QXM2PD") == "K7QX-M2PD"
    assert display("SHORT") == "SHORT"  # never mangles something that is not a code


@pytest.mark.parametrize("typed", ["K7QX-M2PD", "k7qx-m2pd", " k7qx m2pd ", "K7QXM2PD",
                                   "k7-qx-m2-pd", "K7QX\u00a0M2PD"])
def test_case_spaces_and_hyphens_do_not_matter(typed):
    assert normalise(typed) == "K7QXM2PD"
    assert is_well_formed(normalise(typed))


@pytest.mark.parametrize("typed", ["", "K7QX-M2P", "K7QX-M2PDX", "K7QX-M2P0", "K7QX-M2PO",
                                   "K7QX-M2P1", "K7QX-M2PL", "K7QX_M2PD", "K7QX-M2PÄ"])
def test_malformed_codes_are_recognised(typed):
    assert not is_well_formed(normalise(typed))
