"""The reference shelf's pages: the cards a person may read, grouped, and each card in full.

Everyone logged in reads the library's cards; a teacher also their own; a student also the
cards carried by a teacher's lesson assigned to one of their classes. Any other card is a
404, as a card that does not exist.
"""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Classroom, User
from app.services.lesson_files import import_lesson
from tests.helpers import EXAMPLE_SHELF, ROOT
from tests.web.classes_builders import browser, text
from tests.web.page_forms import press
from tests.web.results_builders import (
    gen_assignment,
    gen_card,
    gen_class,
    gen_enrollment,
    gen_user,
    load_documents,
)
from tests.web.test_shelf_authoring import FACT_CARD

EXAMPLE_LESSON = ROOT / "tests" / "data" / "checking-example.yaml"


def source_card(slug: str, title: str, names: list[str], role: str) -> str:
    """A source card file for the tests: it says nothing about the real person or body."""
    return f"""\
id: {slug}
kind: source
title: {json.dumps(title)}
summary: A card written for the tests.
role: {role}
names: {json.dumps(names)}
who: Written for the tests; it says nothing about the real {title}.
pays: "Not disclosed: this is test data."
wants: Nothing; it is test data.
record: None to check.
sources:
  - title: Test source
    publisher: Framing Lab tests
    date: "1 January 2026"
    url: https://example.org/tests/{slug}
"""


@pytest.fixture
def world(app):
    """The library's example cards and two test source cards; teacher A with a class
    (student A in it), teacher B, and student B in no class."""
    with app.app_context():
        load_documents()
        for path in sorted(EXAMPLE_SHELF.glob("*.yaml")):
            gen_card(path.read_text(encoding="utf-8"))
        gen_card(source_card("test-babich", "Dmitry Babich", ["Dmitry Babich"], "person"))
        gen_card(source_card("test-paper", "The Astana Times", ["The Astana Times"],
                             "outlet"))
        teacher = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        classroom = gen_class(teacher)
        gen_enrollment(classroom, gen_user("student-a"))
        gen_user("student-b")
        return {"class_id": classroom.id}


def test_the_shelf_lists_facts_then_sources_by_who_they_are(app, world):
    page = text(browser(app, "student-b").get("/shelf"))
    assert 'href="/shelf" aria-current="page">Shelf</a>' in page
    assert "How to check a claim" in page
    order = [page.index(heading) for heading in (
        '<h2 id="facts-title">Facts</h2>', '<h2 id="sources-title">Sources</h2>',
        ">People</h3>", ">Outlets</h3>", ">Organisations</h3>")]
    assert order == sorted(order)
    facts = page[order[0]:order[1]]
    assert '<a href="/shelf/example-csto-treaty">How the CSTO began</a>' in facts
    assert "The treaty of 1992 and the alliance made of it in 2002." in facts
    people, outlets, organisations = (page[order[2]:order[3]], page[order[3]:order[4]],
                                      page[order[4]:])
    assert "Dmitry Babich" in people and "Dmitry Babich" not in outlets
    assert "The Astana Times" in outlets and "Human Rights Watch" in organisations
    assert "Write a card" not in page  # students read the shelf; teachers write for it


def test_a_fact_card_shows_its_body_dated_facts_and_full_citations(app, world):
    page = text(browser(app, "student-b").get("/shelf/example-january-2022"))
    assert "<h1>Kazakhstan, 2-11 January 2022: the unrest and the CSTO troops</h1>" in page
    assert "<p>Protests began on 2 January 2022 after the price of liquefied gas" in page
    assert '<strong class="fact-date">7 January 2022:</strong> In a televised address' in page
    assert re.search(
        r'<a href="https://www\.hrw\.org/[^"]+" target="_blank" rel="noopener"><cite>'
        r"Kazakhstan: Cancel &#39;Shoot Without Warning&#39; Order</cite>.*?</a>, "
        r"Human Rights Watch, 7 January 2022\.", page)


def test_a_source_card_answers_the_same_four_questions_then_lists_its_sources(app, world):
    page = text(browser(app, "student-b").get("/shelf/example-hrw"))
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings == ["Who is it?", "Who pays?", "What do they want?",
                        "What record can be checked?", "Facts", "Sources"]
    assert "Named in the texts as: <q>Human Rights Watch</q>, <q>HRW</q>" in page


def test_an_unknown_card_is_404_and_the_shelf_is_for_logged_in_people(app, world, client):
    assert browser(app, "student-b").get("/shelf/no-such-card").status_code == 404
    response = client.get("/shelf/example-hrw")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_teachers_card_is_read_by_them_and_by_the_students_of_a_lesson_carrying_it(
        app, world):
    teacher = browser(app, "teacher-a")
    assert press(teacher, "/shelf/new", "Save card",
                 {**FACT_CARD, "slug": "my-timeline"}).status_code == 303
    student, outsider, other_teacher = (browser(app, name) for name in (
        "student-a", "student-b", "teacher-b"))
    # Not yet in any lesson: the owner's alone.
    assert "Your card" in text(teacher.get("/shelf/my-timeline"))
    for reader in (student, outsider, other_teacher):
        assert reader.get("/shelf/my-timeline").status_code == 404
        assert "my-timeline" not in text(reader.get("/shelf"))
    # A lesson of teacher A cites it, and is assigned to student A's class.
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.username == "teacher-a"))
        lesson = import_lesson(owner, EXAMPLE_LESSON.read_text(encoding="utf-8").replace(
            "card: example-hrw", "card: my-timeline"))
        assert "my-timeline" in lesson.versions[0].content["cards"]
        gen_assignment(db.session.get(Classroom, world["class_id"]), lesson)
    listing = text(student.get("/shelf"))
    assert '<a href="/shelf/my-timeline">My class&#39;s timeline</a> <span class="badge">' \
           "From a lesson</span>" in listing
    assert "The class met again." in text(student.get("/shelf/my-timeline"))
    for reader in (outsider, other_teacher):
        assert reader.get("/shelf/my-timeline").status_code == 404
    # Deleted by its owner, the card still reads where the lesson carries it.
    assert "My class&#39;s timeline" in text(teacher.get("/shelf/my-timeline/delete"))
    assert press(teacher, "/shelf/my-timeline/delete", "Delete the card").status_code == 303
    assert student.get("/shelf/my-timeline").status_code == 200
    assert teacher.get("/shelf/my-timeline/edit").status_code == 404


def test_the_delete_page_names_the_lessons_using_the_card(app, world):
    teacher = browser(app, "teacher-a")
    press(teacher, "/shelf/new", "Save card", {**FACT_CARD, "slug": "my-timeline"})
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.username == "teacher-a"))
        import_lesson(owner, EXAMPLE_LESSON.read_text(encoding="utf-8").replace(
            "card: example-hrw", "card: my-timeline"))
    page = text(teacher.get("/shelf/my-timeline/delete"))
    assert "<li>Checking against the shelf</li>" in page


def test_the_frames_page_is_linked_only_when_the_app_has_one(app, world):
    page = text(browser(app, "student-b").get("/shelf"))
    has_frames = any(rule.rule == "/frames" for rule in app.url_map.iter_rules())
    assert ('href="/frames"' in page) == has_frames
