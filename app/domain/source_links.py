"""Who is behind an excerpt: the source cards for its author, its outlet and the people,
outlets and organisations it names.

A source card lists the ``names`` the documents use for it ("Dmitry Babich", "Babich").
A name counts where it stands as a whole word, in exactly that case: "Markov" is found in
"Markov's view", never in "Markovian" or "markov". Where two names overlap ("Astana
Times" and "Astana"), the longer one wins, so the newspaper's card is linked and not a
card about the city.

Pure Python: no Flask, no database. The pages pass the cards as plain mappings
(``{"id", "title", "role", "names"}``, the compiled card's own fields).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class CardLink:
    """A link to one source card: its slug (the address on the shelf) and the words the
    link shows (the card's first name, "Dmitry Babich"; its title where no name fits)."""

    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class Behind:
    """What an excerpt's "Who is behind this?" line shows."""

    # The genre's label (app.domain.documents.genre_label: "Opinion"), "" when not recorded.
    genre: str = ""
    author: list[CardLink] = field(default_factory=list)
    outlet: list[CardLink] = field(default_factory=list)
    named: list[CardLink] = field(default_factory=list)  # quoted or named in the excerpt

    @property
    def known(self) -> bool:
        """True when the line has anything to show but its heading."""
        return bool(self.genre or self.author or self.outlet or self.named)


def _pattern(name: str) -> re.Pattern[str]:
    # \w on both sides: a letter, digit or underscore next to the name means it is part
    # of another word. Punctuation, spaces, quotes and the ends of the text do not.
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def find_name(text: str, name: str) -> list[tuple[int, int]]:
    """The (start, end) of every whole-word, exact-case occurrence of ``name`` in ``text``.

    >>> find_name("Markov said; Markovian ideas", "Markov")
    [(0, 6)]
    """
    name = name.strip()
    if not name:
        return []
    return [(match.start(), match.end()) for match in _pattern(name).finditer(text)]


def named_cards(text: str, cards: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ids of the cards one of whose ``names`` occurs in ``text``, in the order they
    are first named; overlapping names go to the longest (then the first card given).

    >>> named_cards("The Astana Times said", [{"id": "city", "names": ["Astana"]},
    ...                                       {"id": "paper", "names": ["Astana Times"]}])
    ['paper']
    """
    found: list[tuple[int, int, int, str]] = []  # (start, -length, card order, id)
    for order, card in enumerate(cards):
        for name in card.get("names") or ():
            for start, end in find_name(text, str(name)):
                found.append((start, start - end, order, str(card["id"])))
    # Longest first, so a longer name claims its span before a shorter one inside it.
    taken: list[tuple[int, int]] = []
    first_seen: dict[str, int] = {}
    for start, negative_length, _order, card_id in sorted(
            found, key=lambda hit: (hit[1], hit[0], hit[2])):
        end = start - negative_length
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        taken.append((start, end))
        if card_id not in first_seen or start < first_seen[card_id]:
            first_seen[card_id] = start
    return sorted(first_seen, key=lambda card_id: first_seen[card_id])


def _bare(text: str) -> str:
    return text.strip().strip("?!.…:;,\"'“”‘’[]() ")


def behind(text: str, author: str | None, outlet: str | None,
           cards: Sequence[Mapping[str, Any]], genre: str = "", title: str = "") -> Behind:
    """The "Who is behind this?" line of an excerpt ``text`` of a document by ``author``
    in ``outlet``: the source cards naming the author and the outlet, and those named in
    the excerpt that are not already its author or outlet. ``genre`` is the label.

    ``cards`` are source cards (``{"id", "title", "names", ...}``); fact cards are ignored.
    "unknown" (the catalogue's word for an author or outlet not given) names no one; for
    a document whose author is unknown, a card that names the document itself by its
    ``title`` (a card on an anonymous writer) stands for its author.
    """
    sources = [card for card in cards if card.get("kind", "source") == "source"]
    titles = {str(card["id"]): str(card.get("title") or card["id"]) for card in sources}
    # A link reads as the name the texts use ("Sergei Markov"), not the card's long title.
    shown = {str(card["id"]): str((card.get("names") or [None])[0] or titles[str(card["id"])])
             for card in sources}

    def links(ids: Iterable[str], by_title: bool = False) -> list[CardLink]:
        return [CardLink(card_id, (titles if by_title else shown)[card_id]) for card_id in ids]

    def credited(who: str | None) -> list[str]:
        if not who or who == "unknown":
            return []
        return named_cards(who, sources)

    by_author = credited(author)
    anonymous = not by_author and (not author or author == "unknown") and bool(_bare(title))
    if anonymous:
        # Such a card's name is the document's title: the link shows the card's title.
        by_author = [str(card["id"]) for card in sources
                     if any(_bare(str(name)) == _bare(title) for name in card.get("names") or ())]
    by_outlet = [card_id for card_id in credited(outlet) if card_id not in by_author]
    credits = {*by_author, *by_outlet}
    named = [card_id for card_id in named_cards(text, sources) if card_id not in credits]
    return Behind(genre, links(by_author, by_title=anonymous), links(by_outlet), links(named))
