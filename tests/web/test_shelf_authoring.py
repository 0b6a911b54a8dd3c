"""Teachers write their own shelf cards in the browser, held to the library's standard.

Each card is built from the form, checked by the shelf's compiler exactly as a card file
is, and saved only when it passes: a problem is shown next to its field with a 400 and
everything typed kept. Only the owner changes or deletes a card; a form drawn before
another change of the card is refused with the stale-edit page (409).
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ShelfCard, User
from tests.helpers import EXAMPLE_SHELF, csrf_token
from tests.web.classes_builders import browser, text
from tests.web.page_forms import press
from tests.web.results_builders import gen_card, gen_user, load_documents

# What a teacher types for a small fact card (test data: it claims nothing real).
FACT_CARD = {
    "kind": "fact", "title": "My class's timeline",
    "summary": "Dates my class checks claims against.",
    "body": "A card written for the tests.\r\n\r\nIts second paragraph.",
    "facts-0-date": "3 March 2026", "facts-0-text": "The class met for the first time.",
    "facts-1-text": "The class met again.",
    "sources-0-title": "Class notes", "sources-0-publisher": "Framing Lab tests",
    "sources-0-date": "3 March 2026", "sources-0-url": "https://example.org/class-notes",
}


@pytest.fixture
def teacher(app):
    """Teacher A, logged in, with the library's example cards on the shelf."""
    with app.app_context():
        load_documents()
        for path in sorted(EXAMPLE_SHELF.glob("*.yaml")):
            gen_card(path.read_text(encoding="utf-8"))
        gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        gen_user("student-a")
    return browser(app, "teacher-a")


def saved(app, slug: str) -> ShelfCard | None:
    """Teacher A's card ``slug`` as stored (or None)."""
    with app.app_context():
        return db.session.scalar(sa.select(ShelfCard).join(User, User.id == ShelfCard.owner_id)
                                 .where(ShelfCard.slug == slug, User.username == "teacher-a"))


def field_errors(page: str, field_id: str) -> str:
    """The error list shown under the field ``field_id`` ("" if none)."""
    found = re.search(rf'<ul class="field-errors" id="{re.escape(field_id)}-error">(.*?)</ul>',
                      page, re.S)
    return found.group(1) if found else ""


def test_a_teacher_writes_a_fact_card_and_reads_it_on_the_shelf(app, teacher):
    response = press(teacher, "/shelf/new", "Save card", FACT_CARD)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/shelf/my-class-s-timeline")
    card = saved(app, "my-class-s-timeline")
    assert card is not None and card.kind == "fact" and card.title == "My class's timeline"
    content = card.content
    # The blank spare rows are left out; a fact without an id gets one from its words.
    assert [(f["id"], f["date"], f["text"]) for f in content["facts"]] == [
        ("the-class-met-for-the-first", "3 March 2026", "The class met for the first time."),
        ("the-class-met-again", "", "The class met again.")]
    assert content["body"] == "A card written for the tests.\n\nIts second paragraph."
    assert content["sources"] == [{"title": "Class notes", "publisher": "Framing Lab tests",
                                   "date": "3 March 2026",
                                   "url": "https://example.org/class-notes"}]
    page = text(teacher.get("/shelf/my-class-s-timeline"))
    assert "My class&#39;s timeline" in page and "Your card" in page
    assert "<strong class=\"fact-date\">3 March 2026:</strong> The class met" in page
    listing = text(teacher.get("/shelf"))
    assert "My class&#39;s timeline" in listing and "Dates my class checks" in listing


def test_a_source_card_answers_the_four_questions(app, teacher):
    typed = {key: value for key, value in FACT_CARD.items() if not key.startswith("facts")}
    typed.update({"kind": "source", "slug": "my-newspaper", "title": "My newspaper",
                  "body": "", "role": "outlet", "names": "My Newspaper\r\nThe Paper\r\n",
                  "who": "A paper written for the tests.", "pays": "Not disclosed: a test.",
                  "wants": "Readers.", "record": "Founded for these tests."})
    response = press(teacher, "/shelf/new", "Save card", typed)
    assert response.status_code == 303, text(response)
    card = saved(app, "my-newspaper")
    assert card.content["names"] == ["My Newspaper", "The Paper"]
    assert card.content["facts"] == [] and card.content["role"] == "outlet"
    page = text(teacher.get("/shelf/my-newspaper"))
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings == ["Who is it?", "Who pays?", "What do they want?",
                        "What record can be checked?", "Sources"]


@pytest.mark.parametrize(("change", "field", "message"), [
    # A card must cite a source with every field, as every library card does.
    ({"sources-0-url": "example.org/notes"}, "sources-0-url", "must be a web address"),
    ({"sources-0-url": "javascript:alert(1)"}, "sources-0-url", "must be a web address"),
    ({"sources-0-publisher": ""}, "sources-0-publisher", "publisher"),
    ({"title": "x" * 201}, "title", "200 or fewer"),
    ({"summary": ""}, "summary", "summary"),
    ({"facts-0-text": "", "facts-0-date": "3 March 2026"}, "facts-0-text", "Write the fact"),
    ({"who": "Who pays for a fact?"}, "who", "Only a source card"),
    ({"slug": "Not An Address"}, "slug", "lower-case letters"),
    ({"slug": "example-hrw"}, "slug", "The library already has a card"),
])
def test_a_card_below_the_standard_is_refused_at_its_field_and_nothing_typed_is_lost(
        app, teacher, change, field, message):
    typed = {**FACT_CARD, **change}
    response = press(teacher, "/shelf/new", "Save card", typed)
    assert response.status_code == 400
    page = text(response)
    assert message in field_errors(page, field), page
    assert f'id="{field}"' in page and 'aria-invalid="true"' in page
    # The list above the form names the problem and links to its field.
    summary = re.search(r'<ul class="problem-summary">(.*?)</ul>', page, re.S).group(1)
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', summary), summary
    # Everything typed is on the page again.
    assert "Its second paragraph." in page and "The class met again." in page
    assert 'value="https://example.org/class-notes"' in page or field == "sources-0-url"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ShelfCard).where(
            ShelfCard.owner_id.is_not(None))) == 0


def test_a_card_with_no_source_is_refused(app, teacher):
    typed = {key: ("" if key.startswith("sources") else value)
             for key, value in FACT_CARD.items()}
    response = press(teacher, "/shelf/new", "Save card", typed)
    assert response.status_code == 400
    page = text(response)
    assert re.search(r'id="sources-problems"><li>[^<]*source', page), page
    assert saved(app, "my-class-s-timeline") is None


def test_add_rows_shows_more_blank_rows_and_saves_nothing(app, teacher):
    first = text(teacher.get("/shelf/new"))
    facts_before = len(re.findall(r'name="facts-\d+-text"', first))
    response = press(teacher, "/shelf/new", "Add rows", FACT_CARD)
    assert response.status_code == 200
    page = text(response)
    assert len(re.findall(r'name="facts-\d+-text"', page)) == facts_before + 3
    assert "The class met for the first time." in page
    assert saved(app, "my-class-s-timeline") is None
    # The longer form saves like the short one.
    assert press(teacher, "/shelf/new", "Save card", FACT_CARD).status_code == 303


def test_a_second_card_at_the_same_address_is_refused(app, teacher):
    assert press(teacher, "/shelf/new", "Save card", FACT_CARD).status_code == 303
    again = press(teacher, "/shelf/new", "Save card", FACT_CARD)
    assert again.status_code == 400
    assert "You already have a card" in field_errors(text(again), "slug")


def test_the_owner_edits_a_card_and_an_edit_from_a_stale_page_is_a_409(app, teacher):
    press(teacher, "/shelf/new", "Save card", FACT_CARD)
    url = "/shelf/my-class-s-timeline/edit"
    page = text(teacher.get(url))
    # The stored facts come back with their ids, so lessons citing them keep working.
    assert 'value="the-class-met-for-the-first"' in page
    assert press(teacher, url, "Save card", {"title": "Renamed timeline"}).status_code == 303
    assert saved(app, "my-class-s-timeline").title == "Renamed timeline"
    version = re.search(r'name="edit_version" value="(\d+)"', page).group(1)
    stale = teacher.post(url, data={"csrf_token": csrf_token(teacher, url),
                                    "edit_version": version, "kind": "fact",
                                    "title": "Typed in an old tab", "summary": "s"})
    assert stale.status_code == 409
    body = text(stale)
    assert "This card changed" in body and "Typed in an old tab" in body
    assert 'href="/shelf/my-class-s-timeline/edit"' in body
    assert saved(app, "my-class-s-timeline").title == "Renamed timeline"


def test_only_the_owner_may_change_or_delete_a_card(app, teacher):
    press(teacher, "/shelf/new", "Save card", FACT_CARD)
    other, student = browser(app, "teacher-b"), browser(app, "student-a")
    for url in ("/shelf/my-class-s-timeline/edit", "/shelf/my-class-s-timeline/delete"):
        assert other.get(url).status_code == 404
        assert other.post(url, data={"csrf_token": csrf_token(other, "/shelf")}
                          ).status_code == 404
        assert student.get(url).status_code == 403
    assert student.get("/shelf/new").status_code == 403
    # The library's cards change only through their files.
    assert teacher.get("/shelf/example-hrw/edit").status_code == 403
    assert saved(app, "my-class-s-timeline") is not None


def test_deleting_asks_first_says_lessons_keep_their_copy_and_refuses_a_stale_page(
        app, teacher):
    press(teacher, "/shelf/new", "Save card", FACT_CARD)
    url = "/shelf/my-class-s-timeline/delete"
    confirm = text(teacher.get(url))
    assert "Lessons already published keep working" in confirm
    assert "None of your lessons uses it." in confirm
    version = re.search(r'name="edit_version" value="(\d+)"', confirm).group(1)
    press(teacher, "/shelf/my-class-s-timeline/edit", "Save card", {"title": "Changed"})
    stale = teacher.post(url, data={"csrf_token": csrf_token(teacher, url),
                                    "edit_version": version})
    assert stale.status_code == 409
    assert saved(app, "my-class-s-timeline") is not None
    response = press(teacher, url, "Delete the card")
    assert response.status_code == 303 and response.headers["Location"].endswith("/shelf")
    assert saved(app, "my-class-s-timeline") is None
    assert teacher.get("/shelf/my-class-s-timeline").status_code == 404


def test_an_expired_form_is_shown_again_with_what_was_typed(app, teacher):
    response = teacher.post("/shelf/new", data={"csrf_token": "expired", **FACT_CARD})
    assert response.status_code == 400
    page = text(response)
    assert "This form expired" in page and "Dates my class checks claims against." in page
    assert saved(app, "my-class-s-timeline") is None


def test_card_text_is_escaped_everywhere_it_is_shown(app, teacher):
    typed = {**FACT_CARD, "slug": "escaped", "title": "<script>alert('t')</script> & co",
             "summary": "<img src=x onerror=alert(1)>",
             "facts-0-text": "<b>not bold</b>"}
    assert press(teacher, "/shelf/new", "Save card", typed).status_code == 303
    for url in ("/shelf", "/shelf/escaped", "/shelf/escaped/edit", "/shelf/escaped/delete"):
        page = text(teacher.get(url))
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url
    assert "&lt;b&gt;not bold&lt;/b&gt;" in text(teacher.get("/shelf/escaped"))
