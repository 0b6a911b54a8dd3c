"""The reading editor in the browser: a teacher annotates a document once.

Library documents are read through the library's reading until the teacher copies it;
a pasted document starts with no reading. Every change is a form with CSRF and the
reading's edit_version; a refused change is a 400 page with its message and what was
typed, a stale one a 409.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.text import sentences, words
from app.extensions import db
from app.models import Document, Reading, ReadingSuggestionDismissal
from tests.helpers import csrf_token, paste_document

ROOT = Path(__file__).resolve().parents[2]
SLUG = "astana-times-babich"
PAGE = f"/teach/readings/{SLUG}"


@pytest.fixture
def teacher(reading_teacher):
    return reading_teacher


def start_pasted_reading(app, client, teacher, slug: str, text: str) -> str:
    """Paste a document as ``teacher`` and start its reading; returns the editor's URL."""
    paste_document(app, teacher, slug, text)
    url = f"/teach/readings/{slug}"
    client.post(f"{url}/start", data={"csrf_token": csrf_token(client, url)})
    return url


def version_of(page: str) -> str:
    found = re.search(r'name="edit_version" value="(\d+)"', page)
    assert found, "no edit_version on the page"
    return found.group(1)


def post(client, url, data, page=PAGE):
    shown = client.get(page).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(client, page),
                                  "edit_version": version_of(shown), **data})


def own_reading(app, user_id, slug=SLUG):
    with app.app_context():
        return db.session.scalar(sa.select(Reading).join(Document).where(
            Reading.owner_id == user_id, Document.slug == slug))


def word_marks(text, phrase, occurrence=1):
    start = -1
    for _ in range(occurrence):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    return [str(n) for n, w in enumerate(words(text)) if w.start >= start and w.end <= end]


def doc_text(app, slug=SLUG):
    with app.app_context():
        return db.session.scalar(sa.select(Document.text).where(Document.slug == slug))


def test_a_library_reading_is_shown_and_copied_to_edit(app, client, teacher):
    page = client.get(PAGE).get_data(as_text=True)
    assert "Copy the library&#39;s reading to edit" in page or \
        "Copy the library's reading to edit" in page
    assert "library lessons do not change" in page
    assert "<q>gangs</q>" in page
    assert 'name="judgement"' not in page  # nothing to change before the copy
    token = csrf_token(client, PAGE)
    response = client.post(f"{PAGE}/start", data={"csrf_token": token})
    assert response.status_code == 303
    reading = own_reading(app, teacher.id)
    with app.app_context():
        library = db.session.scalar(sa.select(Reading).join(Document).where(
            Reading.owner_id.is_(None), Document.slug == SLUG))
    assert reading.source_text == library.source_text
    page = client.get(PAGE).get_data(as_text=True)
    assert 'name="judgement"' in page and "own copy" in page
    assert 'name="span.w"' in page and 'name="span.s"' in page


def test_marking_words_judges_them_and_a_bad_judgement_keeps_what_was_typed(app, client,
                                                                              teacher):
    client.post(f"{PAGE}/start", data={"csrf_token": csrf_token(client, PAGE)})
    text = doc_text(app)
    marks = word_marks(text, "gangs")
    response = post(client, f"{PAGE}/judge/word", {
        "span.w": marks, "judgement": "neutral", "why": "A plain word for groups here."})
    assert response.status_code == 303
    reading = own_reading(app, teacher.id)
    assert reading.version == 2
    judged = {e["text"]: e["tier"] for e in reading.content["entries"]}
    assert judged["gangs"] == "neutral"
    response = post(client, f"{PAGE}/judge/word", {
        "span.w": word_marks(text, "terrorists"), "judgement": "loaded", "about": "people",
        "why": "My typed reason"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "needs neutral" in page and "My typed reason" in page
    assert own_reading(app, teacher.id).version == 2


def test_sentences_become_gaps_and_entries_are_edited_and_removed(app, client, teacher):
    client.post(f"{PAGE}/start", data={"csrf_token": csrf_token(client, PAGE)})
    text = doc_text(app)
    first = next(n for n, s in enumerate(sentences(text)) if "some observers" in s.text)
    response = post(client, f"{PAGE}/judge/sentence", {
        "span.s": [str(first)], "judgement": "debatable_gaps", "for": "Who?",
        "against": "A referendum result is public."})
    assert response.status_code == 303
    entries = own_reading(app, teacher.id).content["entries"]
    mine = [e for e in entries if e["tier"] == "debatable_gaps" and e["for"] == "Who?"]
    assert len(mine) == 1
    position = sorted((e for e in entries if e["tier"] == "debatable_gaps"),
                      key=lambda e: e["line"]).index(mine[0])
    response = post(client, f"{PAGE}/entries/debatable_gaps/{position}", {
        "action": "save", "for": "Which observers?", "against": "Public."})
    assert response.status_code == 303
    assert any(e.get("for") == "Which observers?" for e in
               own_reading(app, teacher.id).content["entries"])
    response = post(client, f"{PAGE}/entries/debatable_gaps/{position}", {"action": "remove"})
    assert response.status_code == 303
    assert not any(e.get("for") == "Which observers?" for e in
                   own_reading(app, teacher.id).content["entries"])


def test_a_pasted_document_starts_a_reading_and_takes_lens_suggestions(app, client, teacher):
    paste_document(app, teacher, "my-paste", "The regime crushed the brave protesters. Some "
                   "observers say it was planned.")
    page_url = "/teach/readings/my-paste"
    page = client.get(page_url).get_data(as_text=True)
    assert "Start a reading" in page
    client.post(f"{page_url}/start", data={"csrf_token": csrf_token(client, page_url)})
    page = client.get(page_url).get_data(as_text=True)
    assert "Suggested by the language lens" in page
    ids = re.findall(r'name="suggestion" value="([^"]+)"', page)
    assert ids
    # Accept-all of the first category, then dismiss and restore what is left.
    category = re.search(r'name="category" value="([^"]+)"', page).group(1)
    response = post(client, f"{page_url}/suggestions",
                    {"action": "accept_all", "category": category, "about": "government"},
                    page=page_url)
    assert response.status_code in (303, 400), response.get_data(as_text=True)
    page = client.get(page_url).get_data(as_text=True)
    left = re.findall(r'name="suggestion" value="([^"]+)"', page)
    if left:
        response = post(client, f"{page_url}/suggestions",
                        {"action": "dismiss", "suggestion": left[0]}, page=page_url)
        assert response.status_code == 303
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(
                ReadingSuggestionDismissal)) == 1
        response = post(client, f"{page_url}/suggestions", {"action": "restore"},
                        page=page_url)
        assert response.status_code == 303
    response = post(client, f"{page_url}/suggestions",
                    {"action": "dismiss", "suggestion": "<script>"}, page=page_url)
    assert response.status_code == 400


def test_accepting_one_loaded_suggestion_asks_what_it_names(app, client, teacher):
    url = start_pasted_reading(app, client, teacher, "p2",
                               "The regime crushed the brave protesters.")
    page = client.get(url).get_data(as_text=True)
    chosen = re.findall(r'name="suggestion" value="([^"]+)"', page)
    loaded = [s for s in chosen if not s.endswith(("attribution", "vague_attribution"))]
    assert loaded
    response = post(client, f"{url}/suggestions", {"action": "accept", "suggestion": loaded[0],
                                                   "neutral": "", "why": ""}, page=url)
    assert response.status_code == 400
    assert "about" in response.get_data(as_text=True)
    response = post(client, f"{url}/suggestions",
                    {"action": "accept", "suggestion": loaded[0], "about": "government",
                     "neutral": "acted against", "why": "Judges the action."}, page=url)
    assert response.status_code == 303
    assert [e["tier"] for e in own_reading(app, teacher.id, "p2").content["entries"]] == \
        ["loaded"]


def test_a_stale_form_is_refused_with_409_and_nothing_saved(app, client, teacher):
    client.post(f"{PAGE}/start", data={"csrf_token": csrf_token(client, PAGE)})
    text = doc_text(app)
    page = client.get(PAGE).get_data(as_text=True)
    old = version_of(page)
    post(client, f"{PAGE}/judge/word", {"span.w": word_marks(text, "gangs"),
                                        "judgement": "neutral", "why": "Plain."})
    response = client.post(f"{PAGE}/judge/word", data={
        "csrf_token": csrf_token(client, PAGE), "edit_version": old,
        "span.w": word_marks(text, "terrorists"), "judgement": "neutral", "why": "Typed."})
    assert response.status_code == 409
    assert "Typed." in response.get_data(as_text=True)


def test_only_the_owner_reads_a_pasted_document_and_students_are_refused(
        app, client, auth, make_user, teacher):
    paste_document(app, teacher, "secret", "Words here.")
    auth.logout()
    other = make_user("teacher-b", role="teacher")
    auth.login(other.username)
    assert client.get("/teach/readings/secret").status_code == 404
    response = client.post("/teach/readings/secret/start",
                           data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 404
    # Teacher B has no reading of their own of the library document: changing it is 409.
    response = client.post(f"{PAGE}/judge/word", data={
        "csrf_token": csrf_token(client, PAGE), "span.w": ["0"], "judgement": "remove"})
    assert response.status_code == 409
    auth.logout()
    student = make_user("student-z")
    auth.login(student.username)
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize(("url", "data", "message"), [
    (f"{PAGE}/judge/word", {"judgement": "gaps"}, "Choose a judgement"),
    (f"{PAGE}/judge/word", {"judgement": "loaded", "span.w": ["999999"]}, ""),
    (f"{PAGE}/judge/word", {"judgement": "neutral", "why": "a\x00b"}, "why"),
    (f"{PAGE}/entries/loaded/0", {"action": "explode"}, "Save or Remove"),
    (f"{PAGE}/entries/loaded/9999", {"action": "remove"}, "no longer"),
    (f"{PAGE}/suggestions", {"action": "accept"}, "Accept or Dismiss"),
])
def test_bad_input_is_a_400_with_a_message(app, client, teacher, url, data, message):
    client.post(f"{PAGE}/start", data={"csrf_token": csrf_token(client, PAGE)})
    response = post(client, url, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_browser_edit_never_turns_a_yes_phrase_into_true(app, client, teacher):
    url = start_pasted_reading(app, client, teacher, "votes",
                               "The crowd said yes. The regime said no.")
    text = "The crowd said yes. The regime said no."
    for phrase in ("yes", "no"):
        response = post(client, f"{url}/judge/word", {
            "span.w": word_marks(text, phrase), "judgement": "neutral",
            "why": "A plain answer."}, page=url)
        assert response.status_code == 303
    reading = own_reading(app, teacher.id, "votes")
    assert "phrase: 'yes'" in reading.source_text and "phrase: 'no'" in reading.source_text
    assert "true" not in reading.source_text and "false" not in reading.source_text
    assert sorted(e["text"] for e in reading.content["entries"]) == ["no", "yes"]
    # Editing the entry again keeps the word a word.
    response = post(client, f"{url}/entries/neutral/0", {"action": "save", "why": "Still."},
                    page=url)
    assert response.status_code == 303
    assert "phrase: 'yes'" in own_reading(app, teacher.id, "votes").source_text


def test_a_pasted_document_opens_its_reading_editor_and_the_excerpt_picker_links_to_it(
        app, client, teacher):
    """Found by the browser walk: no page linked to a pasted document's reading editor."""
    response = client.post("/teach/documents/new", data={
        "csrf_token": csrf_token(client, "/teach/documents/new"), "title": "Own report",
        "text": "The regime crushed the brave protesters. Some observers say it was planned."})
    assert response.status_code == 303
    with app.app_context():
        slug = db.session.scalar(sa.select(Document.slug).where(
            Document.owner_id == teacher.id))
    assert response.headers["Location"].endswith(f"/teach/readings/{slug}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Start a reading of this document" in page
    # From a lesson, pasting still goes on to choosing the excerpt, whose page links to the
    # document's reading (as it does for a library document).
    lesson = client.post("/teach/lessons/new", data={
        "csrf_token": csrf_token(client, "/teach/lessons/new"), "title": "Mine",
        "summary": "S.", "level": "intro"})
    base = lesson.headers["Location"].split("#")[0]
    for document in (slug, SLUG):
        picker = client.get(f"{base}/excerpts/new?document={document}").get_data(as_text=True)
        assert f'href="/teach/readings/{document}"' in picker
