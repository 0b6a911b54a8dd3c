"""A card written in the browser: the form's fields to card-file YAML, the shelf compiler's
problems back to the form's fields."""

from __future__ import annotations

import pytest

from app.domain import yamllines
from app.domain.card_forms import (
    build_card,
    emit_card,
    fact_id,
    field_of,
    form_data,
    paragraphs,
    slugify,
)
from app.domain.filereader import LessonInvalid
from app.domain.shelf import compile_card

BLANK_FACT = {"id": "", "date": "", "text": ""}
BLANK_SOURCE = {"title": "", "publisher": "", "date": "", "url": ""}
SOURCE = {"title": "Class notes", "publisher": "Framing Lab tests", "date": "3 March 2026",
          "url": "https://example.org/notes"}


def fields(**changes):
    typed = {"slug": "", "kind": "fact", "title": "My timeline", "summary": "Dates.",
             "body": "First paragraph.\r\n\r\nSecond paragraph.",
             "facts": [{"id": "", "date": "3 March 2026", "text": "The class met."},
                       BLANK_FACT,
                       {"id": "", "date": "", "text": "The class met again."}],
             "sources": [BLANK_SOURCE, SOURCE], "role": "", "names": "",
             "who": "", "pays": "", "wants": "", "record": ""}
    typed.update(changes)
    return typed


def compiled(typed):
    built = build_card(typed)
    return compile_card(emit_card(built.card), f"{built.card['id']}.yaml")


def test_a_fact_card_from_the_form_compiles_as_a_card_file_would():
    card = compiled(fields())
    assert card["id"] == "my-timeline"  # made from the title
    assert [fact["id"] for fact in card["facts"]] == ["the-class-met", "the-class-met-again"]
    assert card["body"] == "First paragraph.\n\nSecond paragraph."
    assert card["sources"] == [SOURCE]  # the blank row in front is left out


def test_the_card_survives_emitting_whatever_its_text_holds():
    tricky = fields(title="yes", summary="2022-01-05", body="key: value # not a comment",
                    facts=[{"id": "", "date": "1 February 2022",
                            "text": "- a dash, 'quotes', \"double\" and: colons"}])
    built = build_card(tricky)
    assert yamllines.plain(yamllines.load(emit_card(built.card))) == built.card
    card = compiled(tricky)
    assert (card["title"], card["summary"]) == ("yes", "2022-01-05")


def test_a_given_fact_id_is_kept_and_made_ids_never_repeat_one():
    built = build_card(fields(facts=[
        {"id": "", "date": "", "text": "Same words here."},
        {"id": "same-words-here", "date": "", "text": "Typed id."},
        {"id": "", "date": "", "text": "Same words here."}]))
    assert [fact["id"] for fact in built.card["facts"]] == [
        "same-words-here-2", "same-words-here", "same-words-here-3"]


def test_what_would_be_dropped_without_a_word_is_refused_instead():
    built = build_card(fields(who="Typed on a fact card.",
                              facts=[{"id": "", "date": "7 January 2022", "text": ""}]))
    assert built.problems["who"][0].startswith("Only a source card has this")
    assert built.problems["facts-0-text"] == ["Write the fact, or clear this row."]


def test_a_source_card_keeps_its_names_one_per_line_and_needs_no_facts():
    built = build_card(fields(kind="source", body="", role="person",
                              names="Dmitry Babich\r\n\r\n  Babich  \r\n",
                              facts=[BLANK_FACT], who="w", pays="p", wants="x", record="r"))
    assert built.card["names"] == ["Dmitry Babich", "Babich"]
    assert "facts" not in built.card
    card = compile_card(emit_card(built.card), "my-timeline.yaml")
    assert card["facts"] == [] and card["who"] == "w"


@pytest.mark.parametrize(("changes", "field"), [
    ({"sources": [BLANK_SOURCE, {**SOURCE, "url": "ftp://example.org"}]}, "sources-1-url"),
    ({"sources": [BLANK_SOURCE, {**SOURCE, "publisher": ""}]}, "sources-1-publisher"),
    ({"sources": [BLANK_SOURCE]}, "sources"),
    ({"facts": [BLANK_FACT, {"id": "Bad Id", "date": "", "text": "t"}]}, "facts-1-id"),
    ({"title": "t" * 201}, "title"),
    ({"slug": "Bad Slug"}, "slug"),
    ({"kind": "fakt"}, "kind"),
])
def test_each_compiler_problem_lands_on_its_form_field(changes, field):
    built = build_card(fields(**changes))
    text = emit_card(built.card)
    with pytest.raises(LessonInvalid) as invalid:
        compile_card(text, f"{built.card['id']}.yaml")
    assert field in {field_of(text, issue.line, built.rows) for issue in invalid.value.issues}


def test_a_stored_card_comes_back_as_the_form_had_it():
    card = compiled(fields())
    again = compiled({**form_data(card), "slug": "my-timeline"})
    assert again == card


def test_small_helpers():
    assert slugify("Human Rights Watch: détenus (2022)") == "human-rights-watch-detenus-2022"
    assert fact_id("¿¡!", set()) == "fact"
    assert len(fact_id("word " * 40, set())) <= 30
    assert paragraphs("One.\n\n  \nTwo.\n") == ["One.", "Two."]
