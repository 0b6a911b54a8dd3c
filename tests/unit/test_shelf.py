"""Shelf card files: what compiles, and every problem named with its file and line."""

from __future__ import annotations

import json

import pytest

from app.domain import limits
from app.domain.filereader import LessonInvalid
from app.domain.shelf import compile_card, fact_ref, missing_card, missing_fact, parse_fact_ref

PATH = "lessons/shelf/kz-january.yaml"

FACT_CARD = """\
id: kz-january
kind: fact
title: "Kazakhstan, January 2022"
summary: What happened, day by day.
body: >-
  Protests began on 2 January.

  Troops of the CSTO arrived on 6 January.
facts:
  - id: fuel-prices
    date: "2 January 2022"
    text: The price of liquefied gas nearly doubled.
  - id: shoot-to-kill
    text: The President ordered the forces to shoot to kill without warning.
sources:
  - title: "Kazakhstan: Cancel 'Shoot Without Warning' Order"
    publisher: Human Rights Watch
    date: "7 January 2022"
    url: https://www.hrw.org/news/2022/01/07/kazakhstan-cancel-shoot-without-warning-order
"""

SOURCE_CARD = """\
id: kz-january
kind: source
title: Human Rights Watch
summary: A New York-based human rights organisation.
role: organisation
names: ["Human Rights Watch", "HRW"]
who: An international non-governmental organisation.
pays: Private donors and foundations.
wants: Governments that respect human rights.
record: Shared the 1997 Nobel Peace Prize.
sources:
  - title: Human Rights Watch
    publisher: Wikipedia
    date: "19 October 2022"
    url: https://en.wikipedia.org/wiki/Human_Rights_Watch
"""


def problems(text: str, path: str = PATH) -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_card(text, path)
    return [str(issue) for issue in raised.value.issues]


def test_a_fact_card_compiles_to_plain_json():
    card = compile_card(FACT_CARD, PATH)
    assert card == {
        "id": "kz-january", "kind": "fact", "title": "Kazakhstan, January 2022",
        "summary": "What happened, day by day.",
        "body": "Protests began on 2 January.\n\nTroops of the CSTO arrived on 6 January.",
        "facts": [
            {"id": "fuel-prices", "date": "2 January 2022",
             "text": "The price of liquefied gas nearly doubled."},
            {"id": "shoot-to-kill", "date": "",
             "text": "The President ordered the forces to shoot to kill without warning."}],
        "sources": [{"title": "Kazakhstan: Cancel 'Shoot Without Warning' Order",
                     "publisher": "Human Rights Watch", "date": "7 January 2022",
                     "url": "https://www.hrw.org/news/2022/01/07/kazakhstan-cancel-shoot-"
                            "without-warning-order"}],
    }
    assert json.loads(json.dumps(card)) == card


def test_the_body_keeps_its_paragraphs_whichever_way_yaml_wraps_them():
    literal = FACT_CARD.replace("body: >-", "body: |-").replace(
        "Protests began on 2 January.", "Protests began\n  on 2 January.")
    assert compile_card(literal, PATH)["body"] == compile_card(FACT_CARD, PATH)["body"]


def test_a_source_card_carries_its_profile_and_may_have_no_facts_or_body():
    card = compile_card(SOURCE_CARD, PATH)
    assert card["facts"] == [] and card["body"] == ""
    assert card["role"] == "organisation"
    assert card["names"] == ["Human Rights Watch", "HRW"]
    assert card["pays"] == "Private donors and foundations."
    assert card["record"] == "Shared the 1997 Nobel Peace Prize."


def test_the_example_cards_of_the_tests_compile(example_cards):
    assert {card["kind"] for card in example_cards.values()} == {"fact", "source"}


def test_the_id_must_be_the_file_name():
    [message] = problems(FACT_CARD, "lessons/shelf/other.yaml")
    assert message.startswith("lessons/shelf/other.yaml:1: the card's id 'kz-january' must be "
                              "its file name")


def test_bad_ids_and_kinds_name_their_lines():
    text = FACT_CARD.replace("id: kz-january", "id: KZ_january").replace("kind: fact",
                                                                         "kind: facts")
    assert problems(text) == [
        f"{PATH}:1: a card's id may use only lower-case letters, digits and single hyphens",
        f"{PATH}:2: unknown kind 'facts' — did you mean 'fact'? (expected one of: fact, "
        "source)",
    ]


def test_unknown_fields_are_refused_with_a_hint():
    text = FACT_CARD.replace("summary:", "sumary:").replace("    date: \"2 January",
                                                            "    dated: \"2 January")
    assert problems(text) == [
        f"{PATH}:4: unknown field 'sumary' in the card (did you mean 'summary'?)",
        f"{PATH}:1: the card needs 'summary'",
        f"{PATH}:11: unknown field 'dated' in a fact (did you mean 'date'?)",
    ]


def test_a_fact_card_needs_facts_a_body_and_sources():
    text = FACT_CARD.split("body:")[0]
    assert problems(text) == [
        f"{PATH}:1: the card needs 'body'",
        f"{PATH}:1: the card needs 'facts' (a list)",
        f"{PATH}:1: the card needs 'sources' (a list)",
    ]


def test_repeated_fact_ids_and_bad_fact_ids_are_refused():
    text = FACT_CARD.replace("id: shoot-to-kill", "id: fuel-prices")
    assert problems(text) == [f"{PATH}:13: the fact id 'fuel-prices' is used twice (first on "
                              "line 10); a fact ref names one fact"]
    text = FACT_CARD.replace("id: shoot-to-kill", "id: Shoot to kill")
    assert problems(text) == [f"{PATH}:13: a fact's id may use only lower-case letters, "
                              "digits, '-' and '_'"]


def test_a_fact_needs_its_text_and_each_source_all_four_fields():
    text = (FACT_CARD.replace("    text: The price of liquefied gas nearly doubled.\n", "")
            .replace("    publisher: Human Rights Watch\n", ""))
    assert problems(text) == [
        f"{PATH}:10: fact 'fuel-prices' needs 'text'",
        f"{PATH}:15: the source \"Kazakhstan: Cancel 'Shoot Without Warni…\" needs "
        "'publisher'",
    ]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "www.hrw.org",
                                 "https:// hrw.org"])
def test_a_source_url_must_be_a_web_address(url):
    text = FACT_CARD.replace("https://www.hrw.org/news/2022/01/07/kazakhstan-cancel-shoot-"
                             "without-warning-order", f'"{url}"')
    [message] = problems(text)
    assert message.startswith(f"{PATH}:19: the url of the source")
    assert "must be a web address starting with http:// or https://" in message


def test_lengths_are_checked_per_card_field():
    long_summary = "s" * (limits.CARD_SUMMARY + 1)
    long_fact = "f" * (limits.FACT_TEXT + 1)
    text = (FACT_CARD.replace("What happened, day by day.", long_summary)
            .replace("The price of liquefied gas nearly doubled.", long_fact))
    assert problems(text) == [
        f"{PATH}:4: 'summary' in the card is 301 characters long; it may be at most 300",
        f"{PATH}:12: 'text' in fact 'fuel-prices' is 601 characters long; it may be at most "
        "600",
    ]
    # A fact may be longer than an option's text, and a source's title than a card's.
    fine = FACT_CARD.replace("The price of liquefied gas nearly doubled.", "f" * 600).replace(
        "\"Kazakhstan: Cancel 'Shoot Without Warning' Order\"", "t" * 300)
    assert compile_card(fine, PATH)["sources"][0]["title"] == "t" * 300


def test_a_source_card_needs_its_role_names_and_four_answers():
    text = SOURCE_CARD.replace("role: organisation", "role: organization").replace(
        'names: ["Human Rights Watch", "HRW"]', 'names: ["HRW", "HRW"]')
    text = text.replace("pays: Private donors and foundations.\n", "")
    assert problems(text) == [
        f"{PATH}:5: unknown role 'organization' — did you mean 'organisation'? (expected one "
        "of: person, outlet, organisation)",
        f"{PATH}:6: the name 'HRW' is listed twice",
        f"{PATH}:1: a source card needs 'pays'",
    ]


def test_a_fact_card_may_not_carry_a_source_cards_fields():
    text = FACT_CARD + "who: Someone.\n"
    assert problems(text) == [f"{PATH}:20: 'who' belongs to source cards (kind: source); a "
                              "fact card says what happened in 'facts'"]


def test_too_many_facts_are_refused():
    facts = "".join(f"  - id: f{n}\n    text: Fact {n}.\n" for n in range(31))
    text = FACT_CARD.replace(FACT_CARD[FACT_CARD.index("  - id: fuel-prices"):
                                       FACT_CARD.index("sources:")], facts)
    assert problems(text) == [f"{PATH}:9: the card has 31 facts; give at most 30 (split it "
                              "into two cards)"]


def test_yaml_problems_come_with_their_line():
    [message] = problems("id: kz-january\nkind: [fact\n")
    assert message.startswith(f"{PATH}:")


def test_fact_refs_are_a_card_id_and_a_fact_id():
    assert fact_ref("kz-january", "fuel-prices") == "kz-january#fuel-prices"
    assert parse_fact_ref("kz-january#fuel-prices") == ("kz-january", "fuel-prices")
    for bad in ("kz-january", "kz-january#", "#fuel", "KZ#fuel", "a#b#c", "kz january#x"):
        assert parse_fact_ref(bad) is None


def test_missing_cards_and_facts_suggest_the_closest():
    card = compile_card(FACT_CARD, PATH)
    assert missing_card("kz-janury", {"kz-january": card}) == (
        "no card 'kz-janury' on the shelf (did you mean 'kz-january'?)")
    assert missing_card("zzz", {"kz-january": card}) == "no card 'zzz' on the shelf"
    assert missing_fact(card, "fuel-price") == (
        "the card 'kz-january' has no fact 'fuel-price' (did you mean 'fuel-prices'?)")
    assert missing_fact(card, "zzz") == ("the card 'kz-january' has no fact 'zzz'; its facts: "
                                         "fuel-prices, shoot-to-kill")
