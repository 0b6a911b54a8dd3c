"""Importing a lesson file that attacks the server (issue 11, F1, F2, F4, F9, F12).

Each payload the security review pasted into the import form answers 400 with the
problem on its line and the teacher's text kept in the form, and stores nothing; the
same lengths are refused when a lesson is published or synced from ``lessons/``.
"""

from __future__ import annotations

import html
import re
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Document, Lesson, LessonVersion
from app.services.lessons import sync_lessons
from tests.helpers import library_folder
from tests.web import test_authoring
from tests.web.test_authoring import SHIPPED, submit

seeds = test_authoring.seeds
teacher = test_authoring.teacher
ORIGINAL = SHIPPED.read_text(encoding="utf-8")
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True))
LONG_ID = "q" * 65


def paste(client, text: str):
    return submit(client, "/teach/lessons/import", "/teach/lessons/import", {"text": text})


def kept_text(page: str) -> str:
    """What the import form's textarea holds, as the browser would send it again."""
    found = re.search(r'<textarea[^>]*name="text"[^>]*>(?:\r?\n)?(.*?)</textarea>', page, re.S)
    assert found, "no text area"
    return html.unescape(found.group(1))


def stored(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(Lesson.id))),
                db.session.scalar(sa.select(sa.func.count(LessonVersion.id))))


def assert_refused(app, response, text: str, *messages: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:2000]
    assert "The file was not imported" in page
    for message in messages:
        assert message in html.unescape(page), message
    assert kept_text(page) == text
    assert stored(app) == (0, 0)
    return page


@pytest.mark.parametrize(("text", "message"), [
    # F1: segfaulted the worker; 20,000 levels were a 500.
    ("[" * 60000 + "]" * 60000, "Line 1:</span> nested too deep: at most 20 levels"),
    (ORIGINAL.replace("level: intro", "level: " + "[" * 20000 + "]" * 20000),
     "Line 7:</span> nested too deep"),
    # F2: 651 bytes took 6-8 s and 424 MiB.
    (BILLION_LAUGHS, "Line 1:</span> '&a' marks a part of the file to repeat (an anchor)"),
])
def test_deep_nesting_and_aliases_are_a_quick_400(app, client, teacher, text, message):
    started = time.perf_counter()
    response = paste(client, text)
    assert time.perf_counter() - started < 5  # it was a crash or seconds; now milliseconds
    assert_refused(app, response, text, html.unescape(message))


@pytest.mark.parametrize(("value", "message"), [
    ("!foo x", "Line 7: the tag '!foo' is not used in lesson files"),
    ("!!python/name:os.system", "Line 7: the tag '!!python/name:os.system' is not used"),
    ("!!int abc", "Line 7: 'abc' is not a whole number"),
    ("9" * 5000, "Line 7: a number of 5,000 characters is too long (at most 100)"),
    ("2024-02-30", "Line 7: unknown level '2024-02-30'"),  # a date is a word, not a crash
    ("&me [*me]", "Line 7: '*me' repeats another part of the file (an alias)"),
    ('"intro\\0"', "Line 7: the text holds a control character (U+0000, NUL)"),
])
def test_tags_numbers_dates_and_nul_are_400_with_the_line_and_the_text_kept(
        app, client, teacher, value, message):
    text = ORIGINAL.replace("level: intro", f"level: {value}")
    assert_refused(app, paste(client, text), text, message.replace("Line 7: ",
                                                                   "Line 7:</span> "))


def test_a_pasted_nul_is_400_with_where_it_is_and_the_text_kept(app, client, teacher):
    # The paste field follows the rule of every text field, before the file is read.
    text = ORIGINAL.replace("level: intro", "level: intro\x00")
    response = paste(client, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "control character (U+0000, NUL) at position 359 (line 7, column 13)" in page
    assert kept_text(page) == text
    assert stored(app) == (0, 0)


def test_an_uploaded_file_with_a_nul_is_400_with_its_text_kept(app, client, teacher):
    text = ORIGINAL.replace("minutes: 20", "minutes: 20\x00")
    response = test_authoring.upload(client, text.encode())
    assert_refused(app, response, text, "Line 8:</span> the text holds a control character")


def test_a_question_id_longer_than_its_column_is_400_and_nothing_is_stored(app, client,
                                                                          teacher):
    """F9: it used to import, and then every student's submission was a 500."""
    text = ORIGINAL.replace("  - id: astana-loaded", f"  - id: {LONG_ID}")
    assert_refused(app, paste(client, text), text,
                   "Line 59:</span> 'id' in a question is 65 characters long; it may be at "
                   "most 64")


def test_a_title_longer_than_its_column_is_refused_not_cut(app, client, teacher):
    title = "T" * 201
    text = re.sub(r"(?m)^title: .*$", f"title: {title}", ORIGINAL)
    assert_refused(app, paste(client, text), text,
                   "Line 2:</span> 'title' in the lesson is 201 characters long")


def test_a_long_question_id_cannot_be_published_or_synced_either(app, client, teacher,
                                                                 tmp_path):
    draft = test_authoring.Editor(app, client, test_authoring.new_lesson(client))
    with app.app_context():
        lesson = db.session.get(Lesson, draft.id)
        lesson.draft_text = ORIGINAL.replace("slug: naming-the-january-events",
                                             f"slug: {lesson.slug}").replace(
            "  - id: astana-loaded", f"  - id: {LONG_ID}")
        db.session.commit()
    response = submit(client, draft.url, f"{draft.url}/publish", {})
    assert response.status_code == 400
    assert ("The id of a question is 65 characters long; keep it to 64 or fewer."
            in response.get_data(as_text=True))
    assert stored(app) == (1, 0)  # the draft, still unpublished

    folder = library_folder(tmp_path / "lessons")  # the readings, no lessons
    (folder / "long-id.yaml").write_text(ORIGINAL.replace("  - id: astana-loaded",
                                                          f"  - id: {LONG_ID}"))
    with app.app_context():
        report = sync_lessons(folder)
    assert [str(issue).rsplit("/", 1)[1] for issue in report.check.issues] == [
        "long-id.yaml:59: 'id' in a question is 65 characters long; it may be at most 64"]
    assert stored(app) == (1, 0)


# --- F4: a quote that is not in its document ---------------------------------------------

@pytest.fixture
def long_document(app, teacher):
    """A 200 KiB document of the teacher's own."""
    words = ("the police said protest crowd square city government reported people "
             "january riot street order calm night").split()
    text = " ".join(words[(n * 7) % len(words)] + ("." if n % 11 == 0 else "")
                    for n in range(60_000))[:200 * 1024]
    with app.app_context():
        db.session.add(Document(slug="long-document", title="Long", text=text,
                                owner_id=teacher.id, sha256="0" * 64))
        db.session.commit()
    return text


def _quoting(quote: str) -> str:
    return (ORIGINAL.split("excerpts:")[0]
            + "excerpts:\n  - id: long\n    document: long-document\n"
            + f"    quote: {quote}\nquestions:\n  - id: q\n    kind: loaded_terms\n"
            + "    excerpt: long\n    phrases:\n      - phrase: police\n")


def test_a_110_kib_quote_not_in_a_200_kib_document_is_a_quick_400(app, client, teacher,
                                                                   long_document):
    """F4: took 105 s, past gunicorn's timeout; the quote is over the excerpt limit."""
    text = _quoting(" ".join(f"nowhere{n}" for n in range(14_000))[:110 * 1024])
    started = time.perf_counter()
    response = paste(client, text)
    assert time.perf_counter() - started < 5
    assert_refused(app, response, text, "'quote' in excerpt 'long' is 112,640 characters "
                                        "long; it may be at most 10,000")


def test_a_quote_under_the_limit_not_in_the_document_says_so(app, client, teacher,
                                                             long_document):
    text = _quoting(" ".join(f"nowhere{n}" for n in range(1_200))[:9_900])
    assert_refused(app, paste(client, text), text, "is not in document 'long-document'")

