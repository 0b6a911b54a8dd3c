"""The library's source cards: every side of the five documents can be looked up alike."""

from __future__ import annotations

import re

import pytest

from app.domain.shelf import compile_card


@pytest.fixture(scope="module")
def source_cards(card_files) -> dict[str, dict]:
    cards = [compile_card(text, path) for path, text in card_files]
    return {card["id"]: card for card in cards if card["kind"] == "source"}


def cards_named_in(text: str, cards: dict[str, dict]) -> set[str]:
    """The cards one of whose names the text uses, on whole words (as credits are linked)."""
    return {card_id for card_id, card in cards.items()
            if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in card["names"])}


def test_every_named_author_and_outlet_has_a_card(source_cards):
    named = {name for card in source_cards.values() for name in card["names"]}
    for credit in ("Dmitry Babich", "Luc Rodehefer", "The Astana Times"):
        assert credit in named


@pytest.mark.parametrize(("slug", "expected"), [
    # The panel's hosts and both speakers, whatever spelling the report uses.
    ("liberal-international-panel", {"liberal-international", "astrid-thors",
                                     "akezhan-kazhegeldin", "international-republican-institute",
                                     "stephen-nix", "kassym-jomart-tokayev",
                                     "nursultan-nazarbayev", "csto"}),
    ("quo-vadis-blog", {"quo-vadis-author", "csto"}),
    ("headwinds-rodehefer", {"luc-rodehefer", "zhanbolat-mamai", "mukhtar-ablyazov",
                             "amnesty-international", "kassym-jomart-tokayev"}),
    ("astana-times-babich", {"dmitry-babich", "the-astana-times", "sergei-markov",
                             "human-rights-watch", "rt", "bbc", "al-jazeera",
                             "kazakhstan-foreign-ministry", "mukhtar-tileuberdi",
                             "aiman-umarova", "elvira-azimova", "la-diplomatie"}),
])
def test_every_side_a_document_names_links_to_a_card(documents, source_cards, slug, expected):
    assert expected <= cards_named_in(documents[slug], source_cards)


def test_the_reports_misspellings_of_kazhegeldin_all_link_to_his_card(documents, source_cards):
    panel = documents["liberal-international-panel"]
    for spelling in ("Azekhan Kazhegeldin", "Kazagheldin", "Kazegheldin"):
        assert spelling in panel
        assert spelling in source_cards["akezhan-kazhegeldin"]["names"]


def test_what_cannot_be_known_is_said_plainly(source_cards):
    for card_id in ("quo-vadis-author", "luc-rodehefer", "eurasian-times", "la-diplomatie"):
        assert source_cards[card_id]["pays"].startswith("Not disclosed"), card_id
    for card in source_cards.values():
        assert all(card[field] for field in ("who", "pays", "wants", "record")), card["id"]
