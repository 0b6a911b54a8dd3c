"""A lesson's answer key in the app (issue 13, item 6), on screen and printable.

A teacher sees the full key of any lesson they may assign (the library's and their own),
question by question; another teacher's lesson is a 404; a student never reaches it, not
even for a lesson assigned to them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.lessons import SOURCING_REASONS
from app.domain.scoring import score_question
from app.extensions import db
from app.models import Lesson, LessonVersion, User
from app.services.attempts import excerpt_texts
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from tests.helpers import ROOT, library_folder
from tests.web.classes_builders import browser
from tests.web.page_forms import visible_text
from tests.web.results_builders import (
    SMALL_LESSON,
    gen_assignment,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_user,
)
from tests.web.test_authoring import Editor, new_lesson, word_marks

SHIPPED = "naming-the-january-events"  # all four kinds, debatable items, asides, sources


@pytest.fixture
def library(app, tmp_path: Path) -> dict:
    """The seeds, the readings and one shipped lesson; returns its id and compiled content."""
    folder = library_folder(tmp_path / "lessons", SHIPPED)
    with app.app_context():
        load_seeds(ROOT / "seeds")
        assert sync_lessons(folder).check.ok
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == SHIPPED))
        version = db.session.scalar(sa.select(LessonVersion).where(
            LessonVersion.lesson_id == lesson.id))
        return {"id": lesson.id, "content": version.content}


@pytest.fixture
def teacher(app, auth):
    with app.app_context():
        gen_user("teacher-a", role="teacher")
    auth.login("teacher-a")


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def key_items(content):
    """Every key item of every question and compare side, with the list it is in."""
    for question in content["questions"]:
        for holder in [question, *question.get("sides", [])]:
            for name in ("phrases", "gaps", "terms", "signals", "controls", "debatable",
                         "asides"):
                for item in holder.get(name) or []:
                    yield question, name, item


def test_a_teacher_reads_every_part_of_a_library_lessons_key(client, teacher, library):
    content = library["content"]
    page = text_of(client, f"/teach/lessons/{library['id']}/key")
    text = " ".join(visible_text(page).split())
    assert f"Answer key: {content['title']}" in text
    seen = set()
    for question, name, item in key_items(content):
        seen.add(name)
        for field in ("neutral", "why", "for", "against"):
            if item.get(field):
                assert " ".join(item[field].split()) in text, (question["id"], name, field)
        for source in item.get("sources") or []:
            assert " ".join(source.split()) in text
        if item.get("reason"):
            assert SOURCING_REASONS[item["reason"]] in text
    assert {"phrases", "gaps", "terms", "controls", "debatable", "asides"} <= seen
    texts = excerpt_texts(content)
    for question in content["questions"]:
        assert " ".join(question["prompt"].split()) in text
        most = score_question(question, {}, texts).max_points
        assert f"up to {most:g} point" in text
        for option in question.get("options") or []:
            assert " ".join(option["feedback"].split()) in text
    framing = next(q for q in content["questions"] if q["kind"] == "framing")
    right = next(o for o in framing["options"] if o["correct"])
    assert f"{right['text']} (the right answer)" in text
    compare = next(q for q in content["questions"] if q["kind"] == "compare")
    for side in compare["sides"]:
        assert " ".join(side["frame_why"].split()) in text
    # Points per item, and what a wrong mark costs.
    assert "1 point, shared across its words" in text
    assert "marking it costs 0.5 points a word" in text
    assert "no points either way" in text


def test_each_keyed_passage_is_numbered_on_its_excerpt(client, teacher, library):
    content = library["content"]
    page = text_of(client, f"/teach/lessons/{library['id']}/key")
    loaded = next(q for q in content["questions"] if q["kind"] == "loaded_terms")
    section = page[page.index(f'id="key-{loaded["id"]}"'):]
    section = section[:section.index("</section>")]
    marks = re.findall(r'<mark class="key-(\w+)">(.*?)</mark>', section, re.S)
    drawn = [(group, re.sub(r"<[^>]+>|\[\d+, [^:]+: |\]", "", inner).rstrip("0123456789"))
             for group, inner in marks]
    quotes = "“”‘’\"'"
    # Words are drawn; quotation marks at a phrase's edges are not words.
    assert [text.strip(quotes) for group, text in drawn if group == "keyed"] == [
        item["text"].strip(quotes) for item in loaded["phrases"]]
    assert len([g for g, _ in drawn if g == "controls"]) == len(loaded.get("controls", []))
    # The kind of each passage is said in words, not by colour alone.
    assert "[1, in the key: " in section
    numbers = [int(n) for n in re.findall(r'<li class="key-item[^"]*" value="(\d+)"', section)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_printable_key_has_no_navigation_and_a_print_stylesheet(client, teacher,
                                                                     library):
    page = text_of(client, f"/teach/lessons/{library['id']}/key/print")
    assert 'class="site-nav"' not in page and 'class="site-footer"' not in page
    assert 'href="/static/css/answer_key.css"' in page
    assert page.count('class="card key-question"') == len(library["content"]["questions"])
    css = (ROOT / "app" / "static" / "css" / "answer_key.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print"):]
    assert ".site-header" in print_rules and "break-before: page" in print_rules
    assert "background: transparent" in print_rules  # black and white
    for style in ("underline solid", "underline double", "underline dotted", "underline wavy",
                  "underline dashed"):
        assert style in css  # each kind of passage has its own line, not only a colour
    screen = text_of(client, f"/teach/lessons/{library['id']}/key")
    assert f'href="/teach/lessons/{library["id"]}/key/print"' in screen
    assert re.search(r'class="[^"]*\bno-print\b', screen)  # the buttons are not printed


def test_the_key_is_linked_from_the_library_the_editor_and_the_preview(client, teacher,
                                                                       library):
    key = f'href="/teach/lessons/{library["id"]}/key"'
    assert key in text_of(client, "/teach/lessons")
    assert "Answer key" in text_of(client, f"/teach/lessons/{library['id']}/preview")
    editor = Editor(client.application, client, new_lesson(client))
    page = text_of(client, editor.url)
    assert f'href="/teach/lessons/{editor.id}/key?draft=1"' in page


def test_the_key_is_linked_from_the_assignment_pages(app, client, teacher, library):
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.username == "teacher-a"))
        classroom = gen_class(owner)
        lesson = db.session.get(Lesson, library["id"])
        assignment = gen_assignment(classroom, lesson)
        ids = classroom.id, assignment.id
    key = f'href="/teach/lessons/{library["id"]}/key"'
    assert key in text_of(client, f"/teach/assignments/{ids[1]}/edit")
    assert key in text_of(client, f"/teach/assignments/{ids[1]}/results")


# --- the teacher's own lessons: the version students get, or the draft -------------------

def test_a_never_published_lesson_shows_its_draft_key_or_its_problems(app, client, teacher):
    with app.app_context():
        load_seeds(ROOT / "seeds")
    editor = Editor(app, client, new_lesson(client))
    excerpt = editor.add_excerpt("astana-times-babich", "The year was full of dangers",
                                 "killed dozens of people there.")
    question = editor.add_question("loaded_terms", excerpt)
    page = text_of(client, f"{editor.url}/key")
    assert "The key cannot be shown yet" in page
    assert "Mark at least one loaded word or phrase." in page
    assert "Line " not in page
    text = editor.excerpt_text(excerpt)
    editor.mark(question, "phrases", word_marks(text, "gangs"))
    editor.explain(question, "phrases", {"gangs": {"neutral": "groups", "why": "Criminals."}})
    editor.mark(question, "controls", word_marks(text, "initially peaceful demonstrations"))
    editor.explain(question, "controls", {"peaceful": {"why": "Describes them."}})
    page = text_of(client, f"{editor.url}/key")
    assert "The unpublished draft" in page and "groups" in page and "Criminals." in page


def test_a_published_lesson_shows_the_version_students_get_and_the_draft_on_request(
        app, client, teacher):
    with app.app_context():
        load_seeds(ROOT / "seeds")
    editor = Editor(app, client, new_lesson(client))
    excerpt = editor.add_excerpt("astana-times-babich", "The year was full of dangers",
                                 "killed dozens of people there.")
    question = editor.add_question("loaded_terms", excerpt)
    text = editor.excerpt_text(excerpt)
    editor.mark(question, "phrases", word_marks(text, "gangs"))
    editor.explain(question, "phrases", {"gangs": {"neutral": "groups", "why": "Criminals."}})
    editor.mark(question, "controls", word_marks(text, "initially peaceful demonstrations"))
    editor.explain(question, "controls", {"peaceful": {"why": "Describes them."}})
    assert editor.publish().status_code == 303
    editor.explain(question, "phrases", {"gangs": {"neutral": "armed groups",
                                                   "why": "Criminals."}})
    published = text_of(client, f"{editor.url}/key")
    assert "Version 1, the one students get." in published
    assert "groups" in published and "armed groups" not in published
    draft = text_of(client, f"{editor.url}/key?draft=1")
    assert "The unpublished draft" in draft and "armed groups" in draft


# --- who may read it -------------------------------------------------------------------------

def test_students_never_reach_a_key_even_of_a_lesson_assigned_to_them(app, client):
    with app.app_context():
        load_seeds(ROOT / "seeds")
        teacher = gen_user("teacher-a", role="teacher")
        student = gen_user("student-a")
        lesson = gen_lesson(SMALL_LESSON, owner=teacher)
        classroom = gen_class(teacher)
        gen_enrollment(classroom, student)
        gen_assignment(classroom, lesson)
        library = gen_lesson(SMALL_LESSON.replace("slug: two-questions", "slug: library-one"))
        ids = lesson.id, library.id
    pupil = browser(app, "student-a")
    for lesson_id in ids:
        for url in (f"/teach/lessons/{lesson_id}/key", f"/teach/lessons/{lesson_id}/key/print"):
            response = pupil.get(url)
            assert response.status_code == 403, url
            assert "gangs" not in response.get_data(as_text=True)
    assert client.get(f"/teach/lessons/{ids[0]}/key").status_code == 302  # to the login


def test_another_teachers_lesson_is_a_404_draft_or_published(app):
    with app.app_context():
        load_seeds(ROOT / "seeds")
        owner = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        gen_user("admin-1", role="admin")
        published = gen_lesson(SMALL_LESSON, owner=owner)
        draft = gen_lesson(SMALL_LESSON.replace("slug: two-questions", "slug: a-draft"),
                           owner=owner)
        draft.status, draft.draft_text = "draft", SMALL_LESSON
        db.session.commit()
        ids = published.id, draft.id
    other, admin = browser(app, "teacher-b"), browser(app, "admin-1")
    for lesson_id in ids:
        for suffix in ("key", "key/print", "key?draft=1"):
            response = other.get(f"/teach/lessons/{lesson_id}/{suffix}")
            assert response.status_code == 404, (lesson_id, suffix)
            assert "Two questions" not in response.get_data(as_text=True)
        assert admin.get(f"/teach/lessons/{lesson_id}/key").status_code == 200
    assert other.get("/teach/lessons/999999/key").status_code == 404
