"""A shelf card written in the browser: from the form's fields to card-file YAML and back.

A teacher's card is held to the library's standard by being the same thing as a card file
(``lessons/shelf/README.md``): :func:`build_card` turns what the form holds into the
card's fields, :func:`emit_card` writes them as YAML, and the shelf's own compiler
(:func:`app.domain.shelf.compile_card`) judges it. :func:`field_of` then puts each of the
compiler's problems next to the form field it is about, so a page can show it there.

Rows left wholly blank (the form always offers a few spare ones) are not part of the card;
a row with anything typed in it is, so the compiler's verdict on it reaches the teacher.

Pure Python: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import yaml

from app.domain import yamllines
from app.domain.issue_places import locate_line

KINDS: Final = {"fact": "Fact card", "source": "Source card"}
ROLES: Final = {"person": "Person", "outlet": "Outlet", "organisation": "Organisation"}
FACT_FIELDS: Final = ("id", "date", "text")
SOURCE_FIELDS: Final = ("title", "publisher", "date", "url")
# The four questions every source card answers, with the headings the card page shows.
QUESTIONS: Final = {"who": "Who is it?", "pays": "Who pays?", "wants": "What do they want?",
                    "record": "What record can be checked?"}
SLUG_MAX: Final = 80
# Top-level fields of a card that the form has a field of the same name for.
_FORM_FIELDS: Final = frozenset({"kind", "title", "summary", "body", "facts", "sources",
                                 "role", "names", *QUESTIONS})


@dataclass(slots=True)
class Built:
    """A card's fields as the form gave them, ready to emit and compile.

    ``rows`` maps a list in the card ("facts", "sources") to the form row each of its
    items came from; ``problems`` are what is wrong before the compiler is asked
    (form field name -> messages).
    """

    card: dict[str, Any]
    rows: dict[str, list[int]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def refuse(self, name: str, message: str) -> None:
        self.problems.setdefault(name, []).append(message)


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """Lower-case ASCII words of ``text`` joined by single hyphens ("" when none are left).

    >>> slugify("Human Rights Watch: detainees (2022)")
    'human-rights-watch-detainees-2022'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def fact_id(text: str, taken: set[str]) -> str:
    """An id for a fact from the first words of its text, unlike any id in ``taken``.

    >>> fact_id("Troops were ordered to shoot to kill.", {"troops-were-ordered-to-shoot"})
    'troops-were-ordered-to-shoot-2'
    """
    words = slugify(text, 200).split("-")
    base = ""
    for word in words:
        if word and len(base) + len(word) + 1 > 28 and base:
            break
        base = f"{base}-{word}" if base else word
    base = base or "fact"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _clean(value: Any) -> str:
    """Text as the card keeps it: one kind of line break, no spaces at either end."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def names_of(text: str) -> list[str]:
    """The names typed one per line (blank lines left out, each trimmed)."""
    return [line.strip() for line in _clean(text).split("\n") if line.strip()]


def _typed_rows(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]
                ) -> list[tuple[int, dict[str, str]]]:
    kept = []
    for number, row in enumerate(rows):
        values = {name: _clean(row.get(name)) for name in fields}
        if any(values.values()):
            kept.append((number, values))
    return kept


def build_card(fields: Mapping[str, Any]) -> Built:
    """The card the form describes (``fields``: slug, kind, title, summary, body, facts
    and sources as lists of row mappings, and role, names (one per line), who, pays,
    wants, record).

    The card's id is the slug given, else one made from the title. A fact's id is kept
    when given; one is made from its text when not. A source card's
    four questions are part of it; a fact card's are refused if typed (they would
    otherwise be dropped without a word).
    """
    kind = _clean(fields.get("kind"))
    slug = _clean(fields.get("slug")) or slugify(_clean(fields.get("title")))
    card: dict[str, Any] = {"id": slug, "kind": kind}
    built = Built(card)
    for name in ("title", "summary", "body"):
        card[name] = _clean(fields.get(name))
    if kind == "source":
        card["role"] = _clean(fields.get("role"))
        card["names"] = names_of(fields.get("names", ""))
        for name in QUESTIONS:
            card[name] = _clean(fields.get(name))
    else:
        for name in ("role", "names", *QUESTIONS):
            if _clean(fields.get(name)):
                built.refuse(name, "Only a source card has this: clear it, or make the card "
                                   "a source card.")
    facts = _typed_rows(fields.get("facts") or (), FACT_FIELDS)
    given = {values["id"] for _, values in facts if values["id"]}
    card_facts = []
    for number, values in facts:
        if not values["text"]:
            built.refuse(f"facts-{number}-text", "Write the fact, or clear this row.")
        if not values["id"]:
            values["id"] = fact_id(values["text"], given)
            given.add(values["id"])
        card_facts.append(values)
    if card_facts or kind != "source":
        card["facts"] = card_facts
        built.rows["facts"] = [number for number, _ in facts]
    sources = _typed_rows(fields.get("sources") or (), SOURCE_FIELDS)
    card["sources"] = [values for _, values in sources]
    built.rows["sources"] = [number for number, _ in sources]
    return built


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the shelf's files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    # A literal block keeps paragraphs as typed; PyYAML quotes instead where a block
    # cannot hold the text exactly (and wherever plain text would read as another type).
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def emit_card(card: Mapping[str, Any]) -> str:
    """The card as card-file YAML, fields in the order given; reads back as ``card``."""
    return yaml.dump(dict(card), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=88, default_flow_style=False)


def field_of(text: str, line: int, rows: Mapping[str, Sequence[int]]) -> str:
    """The form field a problem on ``line`` of the emitted card ``text`` is about
    ("title", "facts-2-text", "sources-0-url", "names"), or "" for the card as a whole.

    ``rows``: :attr:`Built.rows`, to turn an item of the file back into its form row.
    """
    try:
        root = yamllines.load(text)
    except yamllines.YamlProblem:
        return ""
    path = locate_line(root, line)
    if not path:
        return ""
    top = path[0]
    if top in rows and len(path) >= 2 and isinstance(path[1], int):
        numbers = rows[top]
        row = numbers[path[1]] if path[1] < len(numbers) else path[1]
        return f"{top}-{row}" + (f"-{path[2]}" if len(path) >= 3 else "")
    if top == "id":
        return "slug"
    return str(top) if top in _FORM_FIELDS else ""


def form_data(card: Mapping[str, Any]) -> dict[str, Any]:
    """A compiled card as the form's fields (for editing it)."""
    return {
        "slug": card.get("id", ""), "kind": card.get("kind", "fact"),
        "title": card.get("title", ""), "summary": card.get("summary", ""),
        "body": card.get("body", ""), "role": card.get("role", ""),
        "names": "\n".join(card.get("names") or ()),
        **{name: card.get(name, "") for name in QUESTIONS},
        "facts": [{name: fact.get(name, "") for name in FACT_FIELDS}
                  for fact in card.get("facts") or ()],
        "sources": [{name: source.get(name, "") for name in SOURCE_FIELDS}
                    for source in card.get("sources") or ()],
    }


def paragraphs(text: str) -> list[str]:
    """A card's body as its paragraphs (split at blank lines)."""
    return [part.strip() for part in re.split(r"\n[ \t]*\n", text or "") if part.strip()]
