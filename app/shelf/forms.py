"""The card form: what a teacher types to write or change one of their own shelf cards.

The form itself checks only what the text rule checks (control characters, absurd
lengths) and that the kind and role are ones offered; whether the card is good enough
for the shelf is the shelf compiler's call (:mod:`app.services.shelf_cards`), whose
problems are then shown next to these fields (:func:`show_problems`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from wtforms import (
    FieldList,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired

from app.domain.card_forms import KINDS, QUESTIONS, ROLES
from app.domain.shelf import MAX_FACTS, MAX_SOURCES
from app.forms import Form, SubForm, leaf_fields

# Blank rows offered beyond those filled in, and how many "Add rows" adds.
SPARE_FACTS: Final = 3
SPARE_SOURCES: Final = 2


class FactRow(SubForm):
    """One dated fact of a card."""

    id = StringField("Id (optional)", description="Made from the fact's words if blank.")
    date = StringField("Date (optional)", description="For example: 7 January 2022.")
    text = TextAreaField("Fact", description="One checkable statement in your own words.",
                         render_kw={"rows": 2})


class SourceRow(SubForm):
    """One published source the card rests on."""

    title = StringField("Title")
    publisher = StringField("Publisher")
    date = StringField("Date", description="As the source gives it: 1 February 2022.")
    url = StringField("Web address", description="Starting with https:// or http://.",
                      render_kw={"inputmode": "url"})


class CardForm(Form):
    """A fact card or a source card, with its facts and sources as rows."""

    slug = StringField(
        "Address on the shelf (optional)",
        description="Lower-case letters, digits and hyphens; made from the title if left "
                    "blank. It cannot change later: lessons cite the card by it.")
    kind = RadioField("Kind of card", choices=[SelectChoice(*pair) for pair in KINDS.items()],
                      default="fact",
                      validators=[InputRequired("Choose the kind of card.")])
    title = StringField("Title")
    summary = TextAreaField("Summary", description="One sentence, shown in lists and inside "
                            "questions.", render_kw={"rows": 2})
    body = TextAreaField("The card in your own words", description="Paragraphs are split by "
                         "a blank line. Required on a fact card.", render_kw={"rows": 6})
    role = SelectField("Who the card is about", choices=[
        SelectChoice(*pair) for pair in (("", "Choose…"), *ROLES.items())], default="")
    names = TextAreaField(
        "Names", description="One per line, exactly as the documents write them "
        "(\"Dmitry Babich\", \"Babich\"): an excerpt that names one links to this card.",
        render_kw={"rows": 3})
    who = TextAreaField(QUESTIONS["who"], render_kw={"rows": 3})
    pays = TextAreaField(QUESTIONS["pays"], description="If it is not disclosed, say so and "
                         "what is known.", render_kw={"rows": 3})
    wants = TextAreaField(QUESTIONS["wants"], render_kw={"rows": 3})
    record = TextAreaField(QUESTIONS["record"], description="Trials, posts held, ownership: "
                           "with dates.", render_kw={"rows": 3})
    facts = FieldList(FormField(FactRow), max_entries=MAX_FACTS)
    sources = FieldList(FormField(SourceRow), max_entries=MAX_SOURCES)

    def fields_typed(self) -> dict[str, Any]:
        """What the form holds, as :func:`app.domain.card_forms.build_card` takes it."""
        values: dict[str, Any] = {name: self[name].data or "" for name in (
            "slug", "kind", "title", "summary", "body", "role", "names", *QUESTIONS)}
        values["facts"] = [dict(entry.data) for entry in self.facts]
        values["sources"] = [dict(entry.data) for entry in self.sources]
        return values

    def add_spare_rows(self, facts: int = SPARE_FACTS, sources: int = SPARE_SOURCES) -> None:
        """Blank rows after those typed, up to the most a card may hold."""
        for rows, spare, most in ((self.facts, facts, MAX_FACTS),
                                  (self.sources, sources, MAX_SOURCES)):
            filled = sum(1 for entry in rows if any((v or "").strip()
                                                    for v in entry.data.values()))
            while len(rows) < min(max(filled + spare, spare), most):
                rows.append_entry()

    def add_rows(self) -> None:
        """"Add rows": more blank rows of each list, up to the most a card may hold."""
        for rows, spare, most in ((self.facts, SPARE_FACTS, MAX_FACTS),
                                  (self.sources, SPARE_SOURCES, MAX_SOURCES)):
            for _ in range(spare):
                if len(rows) < most:
                    rows.append_entry()

    def can_add(self) -> bool:
        """Whether "Add rows" would add any."""
        return len(self.facts) < MAX_FACTS or len(self.sources) < MAX_SOURCES


_LISTS: Final = {"facts": "Fact", "sources": "Source"}


def problem_summary(form: CardForm, left: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """Every problem on the form as (the id of the element it is at, what to say), in the
    order of the page: the list above a long form, each item a link to its place."""
    summary: list[tuple[str, str]] = [("", message) for message in left.get("", [])]
    started: set[str] = set()
    for field in leaf_fields(form):
        list_name, _, rest = field.name.partition("-")
        if list_name in _LISTS and rest:
            if list_name not in started:
                started.add(list_name)
                summary += [(list_name, f"{_LISTS[list_name]}s: {message}")
                            for message in left.get(list_name, [])]
            number = int(rest.split("-")[0])
            row, thing = f"{list_name}-{number}", f"{_LISTS[list_name]} {number + 1}"
            if field.name.endswith(("-text", "-title")):  # once per row
                summary += [(row, f"{thing}: {message}") for message in left.get(row, [])]
            where = f"{thing}, {str(field.label.text).lower()}"
        else:
            where = str(field.label.text)
        summary += [(field.id, f"{where}: {message}") for message in field.errors]
    for list_name in _LISTS.keys() - started:  # a list with no rows on the page
        summary += [(list_name, f"{_LISTS[list_name]}s: {message}")
                    for message in left.get(list_name, [])]
    return summary


def show_problems(form: CardForm, problems: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Attach each problem to the field it names; return those no single field holds
    (a row, a list, or the card as a whole), by name."""
    fields = {field.name: field for field in leaf_fields(form)}
    left: dict[str, list[str]] = {}
    for name, messages in problems.items():
        field = fields.get(name)
        if field is None:
            left.setdefault(name, []).extend(messages)
        else:
            field.errors = [*field.errors, *messages]
    return left
