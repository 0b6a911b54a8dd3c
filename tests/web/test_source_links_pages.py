"""Who is behind an excerpt, on the quiz, feedback and document pages: the document's
genre, and one click to the source cards of its author, its outlet and those it names.

Each card link opens in a new tab and says so, so a student's unsaved marks stay put.
"""

from __future__ import annotations

import re

import pytest

from tests.web.classes_builders import browser, text
from tests.web.results_builders import (
    gen_assignment,
    gen_attempt,
    gen_card,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_user,
    load_documents,
)
from tests.web.test_shelf_pages import source_card

# An excerpt of the Astana Times piece by Dmitry Babich that names Sergei Markov, and one
# of the anonymous blog.
LESSON = """\
slug: who-is-behind
title: Who is behind
summary: Source links for the tests.
level: intro
excerpts:
  - id: markov
    document: astana-times-babich
    quote: >-
      said Sergei Markov, the head of the Moscow-based Institute of Political Research.
  - id: blog
    document: quo-vadis-blog
    quote: >-
      This suggests it was a classic people-against-regime stand-off.
questions:
  - id: words
    kind: loaded_terms
    excerpt: markov
    prompt: Mark the loaded words.
    phrases:
      - phrase: Moscow-based
        neutral: in Moscow
        why: A test key.
  - id: blog-words
    kind: loaded_terms
    excerpt: blog
    prompt: Mark the loaded words.
    phrases:
      - phrase: classic
        neutral: typical
        why: A test key.
"""


def link(slug: str, title: str) -> str:
    return (f'<a href="/shelf/{slug}" target="_blank" rel="noopener">{title}<span '
            'class="visually-hidden"> (source card, opens in a new tab)</span></a>')


@pytest.fixture
def world(app):
    """The lesson, source cards for the author, the outlet and the man quoted (and one for
    a name the excerpt does not hold), and a student with an attempt on an assignment."""
    with app.app_context():
        load_documents()
        for slug, title, names, role in (
                ("test-babich", "Dmitry Babich", ["Dmitry Babich", "Babich"], "person"),
                ("test-paper", "The Astana Times", ["The Astana Times"], "outlet"),
                ("test-markov", "Sergei Markov", ["Sergei Markov", "Markov"], "person"),
                ("test-institute", "An institute", ["Institute"], "organisation")):
            gen_card(source_card(slug, title, names, role))
        lesson = gen_lesson(LESSON)
        teacher = gen_user("teacher-a", role="teacher")
        student = gen_user("student-a")
        classroom = gen_class(teacher)
        gen_enrollment(classroom, student)
        attempt = gen_attempt(student, gen_assignment(classroom, lesson),
                              {"words": {"words": [4]}})
        return {"attempt": attempt.id}


def behind_lines(page: str) -> list[str]:
    return re.findall(r'<p class="source-behind">(.*?)</p>', page, re.S)


def test_every_excerpt_of_the_quiz_says_who_is_behind_it(app, world):
    student = browser(app, "student-a")
    page = text(student.get("/lessons/who-is-behind?q=1")) + text(
        student.get("/lessons/who-is-behind?q=2"))
    first, second = behind_lines(page)
    assert first.startswith("<strong>Who is behind this?</strong> Genre: <span "
                            'class="genre">Opinion</span>')
    assert f"Author: {link('test-babich', 'Dmitry Babich')}" in first
    assert f"Outlet: {link('test-paper', 'The Astana Times')}" in first
    # Named in the excerpt: Markov, whole word; "Institute" is part of a longer name there
    # but stands as a word, so it links too; the author is not listed twice.
    assert (f"Quoted or named: {link('test-markov', 'Sergei Markov')}, "
            f"{link('test-institute', 'Institute')}") in first
    assert first.count("/shelf/test-babich") == 1
    # The blog names no author or outlet the shelf knows: it says so, and where to look.
    assert "Opinion" in second and "/shelf/test-" not in second
    assert "The shelf has no card on its author or outlet" in second
    # One click opens the card.
    assert student.get("/shelf/test-markov").status_code == 200


def test_the_feedback_page_shows_the_same_line(app, world):
    page = text(browser(app, "student-a").get(f"/attempts/{world['attempt']}"))
    lines = behind_lines(page)
    assert len(lines) == 2
    assert link("test-markov", "Sergei Markov") in lines[0]


def test_the_document_page_shows_the_genre_and_the_author_and_outlet_cards(app, world):
    page = text(browser(app, "student-a").get("/documents/astana-times-babich"))
    assert "<dt>Genre</dt><dd>Opinion</dd>" in page
    assert (f"Author: {link('test-babich', 'Dmitry Babich')} · "
            f"Outlet: {link('test-paper', 'The Astana Times')}") in page
    blog = text(browser(app, "student-a").get("/documents/quo-vadis-blog"))
    assert "<dt>Genre</dt><dd>Opinion</dd>" in blog
    assert "Who is behind it" not in blog
