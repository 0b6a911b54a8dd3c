"""The "Who is behind this?" line: which source cards an excerpt's credit and text name."""

from __future__ import annotations

import pytest

from app.domain.source_links import CardLink, behind, find_name, named_cards

MARKOV = {"id": "sergei-markov", "kind": "source", "title": "Sergei Markov",
          "names": ["Sergei Markov", "Markov"]}
BABICH = {"id": "dmitry-babich", "kind": "source", "title": "Dmitry Babich",
          "names": ["Dmitry Babich", "Babich"]}
ASTANA_TIMES = {"id": "astana-times", "kind": "source", "title": "The Astana Times",
                "names": ["The Astana Times", "Astana Times"]}
CITY = {"id": "astana-city", "kind": "source", "title": "Astana", "names": ["Astana"]}
IRI = {"id": "iri", "kind": "source", "title": "International Republican Institute",
       "names": ["International Republican Institute", "IRI"]}
# A card whose title is longer than the name its link shows.
RT = {"id": "rt", "kind": "source", "title": "RT, the Russian state broadcaster", "names": ["RT"]}


@pytest.mark.parametrize(("text", "found"), [
    ("Markov said so.", [(0, 6)]),
    ("“Markov”, he wrote", [(1, 7)]),                  # inside quotation marks
    ("as Markov's institute put it", [(3, 9)]),        # before an apostrophe
    ("the pro-Markov camp", [(8, 14)]),                # after a hyphen
    ("a Markovian chain", []),                         # the start of a longer word
    ("Ivan Demarkov", []),                             # the end of a longer word
    ("MARKOV and markov", []),                         # exact case only
    ("Markov_2 is a file", []),                        # an underscore joins words
    ("Markov, then Markov again", [(0, 6), (13, 19)]),
])
def test_a_name_counts_only_as_a_whole_word_in_its_own_case(text, found):
    assert find_name(text, "Markov") == found


def test_a_blank_name_matches_nothing():
    assert find_name("any text at all", "  ") == []


def test_several_names_of_one_card_link_it_once_in_the_order_cards_are_first_named():
    text = "Babich quotes Sergei Markov. Later Markov adds more, and Dmitry Babich agrees."
    assert named_cards(text, [MARKOV, BABICH]) == ["dmitry-babich", "sergei-markov"]


def test_the_longer_of_two_overlapping_names_wins():
    # "Astana Times" is the paper, not the city; the city is linked where it stands alone.
    assert named_cards("The Astana Times wrote", [CITY, ASTANA_TIMES]) == ["astana-times"]
    assert named_cards("The Astana Times wrote from Astana",
                       [CITY, ASTANA_TIMES]) == ["astana-times", "astana-city"]


def test_a_short_name_inside_another_word_links_nothing():
    assert named_cards("the IRIS scanner and Irish news", [IRI]) == []
    assert named_cards("the IRI's regional director", [IRI]) == ["iri"]


def test_the_author_and_outlet_link_their_cards_and_are_not_repeated_as_named():
    line = behind("Babich asked Sergei Markov, as The Astana Times reported.",
                  "Dmitry Babich", "The Astana Times", [MARKOV, BABICH, ASTANA_TIMES],
                  genre="Opinion")
    assert line.genre == "Opinion"
    assert line.author == [CardLink("dmitry-babich", "Dmitry Babich")]
    assert line.outlet == [CardLink("astana-times", "The Astana Times")]
    assert line.named == [CardLink("sergei-markov", "Sergei Markov")]
    assert line.known


def test_a_link_shows_the_cards_first_name():
    assert behind("a guest on RT", None, None, [RT]).named == [CardLink("rt", "RT")]


def test_an_unknown_author_or_outlet_names_no_card_and_fact_cards_are_never_linked():
    fact = {"id": "markov-fact", "kind": "fact", "title": "Markov", "names": ["Markov"]}
    line = behind("Nobody is named here.", "unknown", "unknown", [BABICH, fact])
    assert (line.author, line.outlet, line.named) == ([], [], [])
    assert not line.known
    assert behind("Markov said", None, None, [fact]).named == []


def test_a_card_naming_an_anonymous_document_by_its_title_stands_for_its_author():
    anonymous = {"id": "blog-author", "kind": "source", "title": "The blog's unnamed author",
                 "names": ["Kazakhstan: quo vadis"]}
    line = behind("Nothing named.", "unknown", "unknown", [anonymous, MARKOV],
                  title="Kazakhstan: quo vadis?")
    assert line.author == [CardLink("blog-author", "The blog's unnamed author")]
    # Only the whole title: a headline that merely names someone makes no one its author,
    # and a named author keeps their own card.
    assert behind("", "unknown", None, [MARKOV], title="Markov speaks").author == []
    assert behind("", "Dmitry Babich", None, [BABICH, anonymous],
                  title="Kazakhstan: quo vadis?").author == [CardLink("dmitry-babich",
                                                                     "Dmitry Babich")]
