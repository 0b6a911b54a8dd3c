"""The catalogue of seed documents (``seeds/documents.yaml``): what kind of writing each is."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.documents import GENRE_LABELS, GENRES, CatalogueError, parse_catalogue

ROOT = Path(__file__).resolve().parents[2]
ENTRY = """\
documents:
  - slug: a-piece
    file: a.txt
    sha256: "0000"
    title: A piece
"""


def test_every_library_document_says_what_kind_of_writing_it_is_and_why():
    catalogue = parse_catalogue((ROOT / "seeds" / "documents.yaml").read_text(encoding="utf-8"))
    genres = {meta.slug: meta.genre for meta in catalogue}
    assert genres == {"liberal-international-panel": "event_writeup",
                      "quo-vadis-blog": "opinion", "headwinds-rodehefer": "advocacy",
                      "neighborhood-trouble": "opinion", "astana-times-babich": "opinion"}
    for meta in catalogue:
        assert len(meta.genre_note) > 60, meta.slug
    # None of the five is news: the library review's finding, kept in the catalogue.
    assert "news_report" not in genres.values()


def test_a_genre_is_shown_by_its_label():
    text = ENTRY + "    genre: event_writeup\n    genre_note: The host's own account.\n"
    [meta] = parse_catalogue(text)
    assert (meta.genre, meta.genre_label, meta.genre_note) == (
        "event_writeup", "Event write-up", "The host's own account.")
    assert [GENRE_LABELS[genre] for genre in GENRES] == [
        "News report", "Opinion", "Advocacy", "Analysis", "Event write-up"]


def test_a_document_without_a_genre_has_none_yet():
    [meta] = parse_catalogue(ENTRY)
    assert (meta.genre, meta.genre_label, meta.genre_note) == ("", "", "")


@pytest.mark.parametrize(("extra", "message"), [
    ("    genre: editorial\n", "has unknown genre 'editorial' (one of: news_report, opinion"),
    ("    genre_note: Why.\n", "'a-piece' has a genre_note but no genre"),
])
def test_an_unknown_genre_or_a_note_without_one_is_refused(extra, message):
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(ENTRY + extra)
    assert message in str(error.value)
