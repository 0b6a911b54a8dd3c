"""Shelf cards: the reference shelf's fact cards and source cards, one YAML file each.

A card (format in ``lessons/shelf/README.md``) is written in the library's own words and
cites the published sources it rests on. A *fact card* holds checkable statements (its
``facts``); a *source card* says who a person, outlet or organisation is, who pays them,
what they want and what record can be checked. ``verify`` and ``omission`` questions send
students to cards (:mod:`app.domain.checking`), and a fact is cited as
``"<card id>#<fact id>"`` (a *fact ref*).

Like lessons and readings, a card file is read with the bounded YAML reader and every
problem is reported as ``path:line: message``; a card with any problem is not compiled.
The compiled card is a plain JSON-ready dict: what ``ShelfCard.content`` stores and what a
compiled lesson embeds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any
from urllib.parse import urlsplit

from app.domain import limits
from app.domain.filereader import FileReader, LessonInvalid, read_yaml
from app.domain.textinput import shorten
from app.domain.yamllines import LineMap

CARD_KINDS = ("fact", "source")
ROLES = ("person", "outlet", "organisation")
CARD_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # as a lesson's slug
FACT_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")  # as a question's id
MAX_FACTS = 30
MAX_SOURCES = 40
MAX_NAMES = 20
_COMMON = ("id", "kind", "title", "summary", "body", "facts", "sources")
PROFILE = ("who", "pays", "wants", "record")  # a source card's four questions, in order
_SOURCE_ONLY = ("role", "names", *PROFILE)
_SOURCE_FIELDS = ("title", "publisher", "date", "url")


def card_stem(path: str) -> str:
    """The file name of ``path`` without folders and ``.yaml``: a card's id must equal it."""
    return path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".yaml")


def paragraphs(text: str) -> str:
    """``text`` as paragraphs separated by one blank line, each on one line.

    A folded YAML block (``>-``) marks a paragraph break with one line break, a literal
    block (``|``) with a blank line; both compile to the same text.
    """
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return "\n\n".join(" ".join(part.split()) for part in parts if part.strip())


def compile_card(text: str, path: str) -> dict[str, Any]:
    """Validate one card file and return the compiled card.

    The result is ``{"id", "kind", "title", "summary", "body", "facts", "sources"}``
    (facts ``{"id", "date", "text"}``, sources ``{"title", "publisher", "date", "url"}``),
    plus ``"role", "names", "who", "pays", "wants", "record"`` for a source card; a missing
    optional field is ``""`` or ``[]``. Raises :class:`LessonInvalid` with every problem,
    each naming the file and the line.
    """
    reader = FileReader(path, limits=limits.CARD_FIELDS)
    root = read_yaml(text, path)
    top = reader.mapping(root, "the card", 1, (*_COMMON, *_SOURCE_ONLY))
    if top is None:
        raise LessonInvalid(reader.issues)
    card_id = reader.text(top, "id", "the card")
    if card_id and not CARD_ID.match(card_id):
        reader.error(reader.line_of(top, "id"),
                     "a card's id may use only lower-case letters, digits and single hyphens")
    elif card_id and card_id != card_stem(path):
        reader.error(reader.line_of(top, "id"),
                     f"the card's id '{card_id}' must be its file name: name the file "
                     f"{card_id}.yaml, or make the id '{card_stem(path)}'")
    kind = reader.text(top, "kind", "the card")
    if kind and kind not in CARD_KINDS:
        hint = get_close_matches(kind, CARD_KINDS, n=1)
        suggestion = f" — did you mean '{hint[0]}'?" if hint else ""
        reader.error(reader.line_of(top, "kind"),
                     f"unknown kind '{shorten(kind, 40)}'{suggestion} (expected one of: "
                     f"{', '.join(CARD_KINDS)})")
    card: dict[str, Any] = {
        "id": card_id, "kind": kind,
        "title": reader.text(top, "title", "the card"),
        "summary": reader.text(top, "summary", "the card"),
        "body": paragraphs(reader.text(top, "body", "the card", required=kind != "source")),
        "facts": _facts(reader, top, required=kind != "source"),
        "sources": _sources(reader, top),
    }
    if kind == "source":
        card.update(_profile(reader, top))
    elif kind == "fact":
        for key in _SOURCE_ONLY:
            if key in top:
                reader.error(reader.line_of(top, key),
                             f"'{key}' belongs to source cards (kind: source); a fact card "
                             "says what happened in 'facts'")
    if reader.issues:
        raise LessonInvalid(reader.issues)
    return card


def _facts(reader: FileReader, top: LineMap, *, required: bool) -> list[dict[str, str]]:
    listed = reader.items(top, "facts", "the card", required=required)
    if len(listed) > MAX_FACTS:
        reader.error(reader.line_of(top, "facts"),
                     f"the card has {len(listed)} facts; give at most {MAX_FACTS} (split it "
                     "into two cards)")
    facts: list[dict[str, str]] = []
    first_line: dict[str, int] = {}
    for node, line in listed:
        item = reader.mapping(node, "a fact", line, ("id", "date", "text"))
        if item is None:
            continue
        fact_id = reader.text(item, "id", "a fact")
        where = f"fact '{fact_id}'" if fact_id else "a fact"
        fact = {"id": fact_id, "date": reader.text(item, "date", where, required=False),
                "text": reader.text(item, "text", where)}
        id_line = reader.line_of(item, "id")
        if not fact_id:
            continue
        if not FACT_ID.match(fact_id):
            reader.error(id_line, "a fact's id may use only lower-case letters, digits, '-' "
                                  "and '_'")
        elif len(fact_id) > limits.ID:
            reader.error(id_line, f"'id' in {where} is {len(fact_id)} characters long; it may "
                                  f"be at most {limits.ID}")
        elif fact_id in first_line:
            reader.error(id_line, f"the fact id '{fact_id}' is used twice (first on line "
                                  f"{first_line[fact_id]}); a fact ref names one fact")
        else:
            first_line[fact_id] = id_line
            facts.append(fact)
    return facts


def _sources(reader: FileReader, top: LineMap) -> list[dict[str, str]]:
    listed = reader.items(top, "sources", "the card")
    if len(listed) > MAX_SOURCES:
        reader.error(reader.line_of(top, "sources"),
                     f"the card lists {len(listed)} sources; give at most {MAX_SOURCES}")
    sources: list[dict[str, str]] = []
    for node, line in listed:
        item = reader.mapping(node, "a source", line, _SOURCE_FIELDS)
        if item is None:
            continue
        title = reader.text(item, "title", "a source", limit=limits.SOURCE_TITLE)
        where = f'the source "{shorten(title, 40)}"' if title else "a source"
        source = {"title": title}
        for key in _SOURCE_FIELDS[1:]:
            source[key] = reader.text(item, key, where)
        if source["url"] and not is_web_address(source["url"]):
            reader.error(reader.line_of(item, "url"),
                         f"the url of {where} must be a web address starting with http:// or "
                         "https://")
        sources.append(source)
    return sources


def is_web_address(url: str) -> bool:
    """True for an ``http(s)://host/...`` address without spaces (safe to link to)."""
    if any(char.isspace() for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _profile(reader: FileReader, top: LineMap) -> dict[str, Any]:
    role = reader.text(top, "role", "a source card")
    if role and role not in ROLES:
        hint = get_close_matches(role, ROLES, n=1)
        suggestion = f" — did you mean '{hint[0]}'?" if hint else ""
        reader.error(reader.line_of(top, "role"),
                     f"unknown role '{shorten(role, 40)}'{suggestion} (expected one of: "
                     f"{', '.join(ROLES)})")
    names: list[str] = []
    listed = reader.items(top, "names", "a source card")
    if len(listed) > MAX_NAMES:
        reader.error(reader.line_of(top, "names"),
                     f"the card lists {len(listed)} names; give at most {MAX_NAMES}")
    for value, line in listed:
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            reader.error(line, "each of 'names' must be a name as the documents write it")
            continue
        name = str(value).strip()
        if name in names:
            reader.error(line, f"the name '{shorten(name, 40)}' is listed twice")
        elif reader.fits(name, "names", "a source card", line):
            names.append(name)
    profile: dict[str, Any] = {"role": role, "names": names}
    for key in PROFILE:
        profile[key] = reader.text(top, key, "a source card")
    return profile


# --- citing cards and facts -------------------------------------------------------------------

def fact_ref(card_id: str, fact_id: str) -> str:
    """How a question cites one fact of a card: ``"<card id>#<fact id>"``."""
    return f"{card_id}#{fact_id}"


def parse_fact_ref(ref: str) -> tuple[str, str] | None:
    """``(card id, fact id)`` of a fact ref, or None when ``ref`` is not one."""
    card_id, hash_sign, fact_id = ref.partition("#")
    if not hash_sign or not CARD_ID.match(card_id) or not FACT_ID.match(fact_id):
        return None
    return card_id, fact_id


def missing_card(card_id: str, shelf: Mapping[str, Any]) -> str:
    """The problem of a question citing a card that is not on the shelf, with a hint."""
    hint = get_close_matches(card_id, list(shelf), n=1)
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    return f"no card '{shorten(card_id, 80)}' on the shelf{suggestion}"


def missing_fact(card: Mapping[str, Any], fact_id: str) -> str:
    """The problem of a fact ref naming a fact its card does not hold, with a hint."""
    ids = [fact["id"] for fact in card["facts"]]
    hint = get_close_matches(fact_id, ids, n=1)
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    held = f"; its facts: {', '.join(ids)}" if ids and not hint else ""
    return (f"the card '{card['id']}' has no fact '{shorten(fact_id, 64)}'{suggestion}"
            f"{held}")


def find_fact(card: Mapping[str, Any], fact_id: str) -> Mapping[str, Any] | None:
    """The fact ``fact_id`` of a compiled card, or None."""
    return next((fact for fact in card["facts"] if fact["id"] == fact_id), None)
