"""Questions keyed from a reading, in the lesson editor.

On a document that is already annotated (the library's reading), a loaded-terms question is
one submit after choosing the excerpt: its key comes from the reading, the question page
shows it read-only and narrows it by category. The walk from "new lesson" to "published" is
measured in page loads (GET) and form submits (POST), and the numbers are printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.text import sentences
from app.extensions import db
from app.models import Document, Lesson, LessonVersion
from tests.helpers import csrf_token, paste_document

ROOT = Path(__file__).resolve().parents[2]
SLUG = "astana-times-babich"


@pytest.fixture
def teacher(reading_teacher):
    return reading_teacher


class Counted:
    """A test client that counts the page loads (GET) and form submits (POST) it makes,
    following each redirect as a browser would (the redirect's page is a page load)."""

    def __init__(self, client):
        self.client, self.gets, self.posts = client, 0, 0

    def get(self, url):
        self.gets += 1
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True), url

    def submit(self, page, action, data):
        """Send the form at ``action`` on ``page`` (with its token and edit_version)."""
        html, url = page
        assert f'action="{action}"' in html, f"no form for {action} on {url}"
        self.posts += 1
        version = re.search(r'name="edit_version" value="(\d+)"', html)
        fields = {"csrf_token": csrf_token(self.client, url), **data}
        if version and "edit_version" not in data:
            fields["edit_version"] = version.group(1)
        response = self.client.post(action, data=fields)
        assert response.status_code == 303, (action, response.get_data(as_text=True)[:3000])
        return self.get(response.headers["Location"])


def excerpt_sentences(text):
    spans = sentences(text)
    first = next(n for n, s in enumerate(spans) if s.text.startswith("The year was full"))
    last = next(n for n, s in enumerate(spans) if n >= first and "hundreds of people" in s.text)
    return [str(n) for n in range(first, last + 1)]


def lesson_on_an_excerpt(app, browser: Counted, teacher, title: str):
    """A new lesson with one excerpt (e1) of the library document, as a teacher makes it
    in the editor: the new-lesson form, the excerpt picker, its sentences submitted.
    Returns the lesson and the page the last submit led to."""
    page = browser.get("/teach/lessons/new")
    browser.submit(page, "/teach/lessons/new", {"title": title, "summary": "S.",
                                                "level": "intro"})
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.owner_id == teacher.id,
                                                           Lesson.title == title))
        text = db.session.scalar(sa.select(Document.text).where(Document.slug == SLUG))
    base = f"/teach/lessons/{lesson.id}"
    page = browser.get(f"{base}/excerpts/new?document={SLUG}")
    page = browser.submit(page, f"{base}/excerpts/new",
                          {"document": SLUG, "range.s": excerpt_sentences(text)})
    return lesson, page


def test_new_lesson_to_published_with_a_loaded_terms_question_from_the_reading(
        app, client, teacher, capsys):
    browser = Counted(client)
    # Choosing the excerpt: a new lesson, the document, then its sentences.
    lesson, page = lesson_on_an_excerpt(app, browser, teacher, "Words for January")
    base = f"/teach/lessons/{lesson.id}"
    choosing_done = (browser.gets, browser.posts)
    # The question: one submit, kind and excerpt.
    page = browser.submit(page, f"{base}/questions/new",
                          {"new-kind": "loaded_terms", "new-excerpt": "e1"})
    question_submits = browser.posts - choosing_done[1]
    html, _ = page
    assert "The key, from the reading" in html
    assert "<q>gangs</q>" in html and "No problems in this question." in html
    assert "Copy the library&#39;s reading to edit it" in html or \
        "Copy the library's reading to edit it" in html
    assert 'name="mark-phrases' not in html  # no key-marking widgets
    page = browser.get(base)
    page = browser.submit(page, f"{base}/publish", {})
    with app.app_context():
        lesson = db.session.get(Lesson, lesson.id)
        assert lesson.status == "published" and lesson.version == 1
        version = db.session.scalar(sa.select(LessonVersion).where(
            LessonVersion.lesson_id == lesson.id))
        (question,) = version.content["questions"]
        assert "phrases:" not in version.source_text
        assert any(p["text"] == "gangs" for p in question["phrases"])
    assert question_submits == 1
    with capsys.disabled():
        print(f"\nnew lesson -> published: {browser.gets} page loads (GET), {browser.posts} "
              f"form submits (POST); the question itself: {question_submits} submit after "
              f"choosing the excerpt ({choosing_done[0]} page loads and {choosing_done[1]} "
              "submits up to then)")
    assert (browser.gets, browser.posts) == (7, 4)


def test_a_question_narrows_by_category_and_compare_chooses_stand_ins(app, client, teacher):
    browser = Counted(client)
    lesson, page = lesson_on_an_excerpt(app, browser, teacher, "Narrowing")
    base = f"/teach/lessons/{lesson.id}"
    page = browser.submit(page, f"{base}/questions/new",
                          {"new-kind": "loaded_terms", "new-excerpt": "e1"})
    page = browser.submit(page, f"{base}/questions/q1/narrow", {"about": ["events"]})
    html, _ = page
    assert "mob attacks" in html.split("Neither earn nor cost")[0]
    assert "<q>gangs</q>" in html.split("Neither earn nor cost")[1]
    with app.app_context():
        draft = db.session.get(Lesson, lesson.id).draft_text
    assert "about:\n  - events" in draft or "about:\n      - events" in draft
    # Bad input: an unknown category is a 400 with its message, and a student is refused.
    html, url = browser.get(f"{base}/questions/q1")
    response = client.post(f"{base}/questions/q1/narrow", data={
        "csrf_token": csrf_token(client, url), "about": ["crowds"]})
    assert response.status_code == 400
    assert "Unknown category" in response.get_data(as_text=True)
    response = client.post(f"{base}/questions/q1/narrow", data={
        "csrf_token": csrf_token(client, url), "mark": "everything"})
    assert response.status_code == 400
    response = client.post(f"{base}/questions/q1/narrow", data={
        "csrf_token": csrf_token(client, url), "edit_version": "1", "about": ["people"]})
    assert response.status_code == 409


def test_a_document_without_a_reading_keeps_the_marking_widgets(app, client, teacher):
    paste_document(app, teacher, "pasted", "The regime crushed the brave protesters. Then calm.")
    browser = Counted(client)
    page = browser.get("/teach/lessons/new")
    browser.submit(page, "/teach/lessons/new", {"title": "Own", "summary": "S.",
                                                "level": "intro"})
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.owner_id == teacher.id))
    base = f"/teach/lessons/{lesson.id}"
    page = browser.get(f"{base}/excerpts/new?document=pasted")
    page = browser.submit(page, f"{base}/excerpts/new", {"document": "pasted",
                                                         "range.s": ["0"]})
    page = browser.submit(page, f"{base}/questions/new",
                          {"new-kind": "loaded_terms", "new-excerpt": "e1"})
    html, _ = page
    assert "The key, from the reading" not in html
    assert "Save marks" in html
