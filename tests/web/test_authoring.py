"""Writing lessons in the browser, through the real forms (CSRF tokens included).

A teacher builds a lesson with all four kinds of question on seed excerpts by marking
the key on the excerpt, publishes it, previews it, exports and re-imports it; versions
keep past scores; a regrade lists exactly the students whose score changes.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.lesson_files import emit_lesson, parse_source
from app.domain.lessons import compile_lesson
from app.domain.text import find_all, sentences, words, words_in
from app.extensions import db
from app.models import Attempt, Document, Lesson, LessonVersion, User
from app.services import attempts as attempt_service
from app.services.frames import library_frames
from app.services.lessons import sync_lessons
from app.services.readings import readings_for
from app.services.seeds import load_seeds
from tests.helpers import csrf_token, library_folder

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "lessons" / "naming-the-january-events.yaml"
ASTANA, BLOG = "astana-times-babich", "quo-vadis-blog"


# --- fixtures and helpers ---------------------------------------------------------------------

@pytest.fixture
def seeds(app):
    with app.app_context():
        load_seeds(ROOT / "seeds")


@pytest.fixture
def readings(app, tmp_path, seeds):
    """The library's readings (no lessons): the shipped lessons take their keys from them."""
    folder = library_folder(tmp_path / "readings-only")
    with app.app_context():
        assert sync_lessons(folder).check.ok
        return readings_for(None)


@pytest.fixture
def library(app, tmp_path, seeds):
    """The starter library: seeds and a copy of the shipped lessons."""
    folder = library_folder(tmp_path / "lessons", SHIPPED.stem)  # one lesson is enough
    with app.app_context():
        assert sync_lessons(folder).check.ok
    return folder


@pytest.fixture
def teacher(make_user, auth, seeds):
    user = make_user("teacher-a", role="teacher")
    auth.login(user.username)
    return user


class _Fields(HTMLParser):
    """The values a browser would send: inputs, textareas and selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "input" and attrs.get("type") not in ("checkbox", "radio", "submit"):
            self.values[attrs.get("name", "")] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self.values[self._textarea] += data.removeprefix("\n") if not self.values[
                self._textarea] else data


def form_values(page: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(page)
    return parser.values


def submit(client, page_url, action, data, **kwargs):
    """Post a form the way a browser would: from the page that shows it, with its token."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    assert f'action="{action}"' in page.get_data(as_text=True), f"no form for {action}"
    return client.post(action, data={"csrf_token": csrf_token(client, page_url), **data},
                       **kwargs)


def text_of(app, slug):
    with app.app_context():
        return db.session.scalar(sa.select(Document.text).where(Document.slug == slug))


def sentence_range(text, first_words, last_words):
    spans = sentences(text)
    first = next(i for i, s in enumerate(spans) if s.text.startswith(first_words))
    last = next(i for i, s in enumerate(spans) if i >= first and s.text.endswith(last_words))
    return first, last


def word_marks(text, *phrases):
    marks = []
    for phrase in phrases:
        phrase, _, occurrence = phrase.partition("#")
        span = find_all(text, phrase)[int(occurrence or 1) - 1]
        marks += words_in(words(text), span.start, span.end)
    return [str(i) for i in marks]


def sentence_marks(text, *phrases):
    return [str(words_in(sentences(text), span.start, span.end)[0])
            for phrase in phrases for span in find_all(text, phrase)[:1]]


def lesson_row(app, lesson_id):
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        db.session.expunge(lesson)
        return lesson


def draft_of(app, lesson_id):
    """The lesson's source as the editor shows it: the draft, else the current version."""
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        return parse_source(lesson.draft_text or attempt_service.lesson_version(
            lesson).source_text)


class Editor:
    """Drives the editor pages of one lesson like a teacher with a mouse and keyboard."""

    def __init__(self, app, client, lesson_id):
        self.app, self.client, self.id = app, client, lesson_id
        self.url = f"/teach/lessons/{lesson_id}"

    def excerpt_text(self, excerpt_id):
        excerpt = next(e for e in draft_of(self.app, self.id)["excerpts"]
                       if e["id"] == excerpt_id)
        document = text_of(self.app, excerpt["document"])
        return find_all(document, excerpt["quote"], whole_words=False)[0].text

    def add_excerpt(self, slug, first_words, last_words):
        first, last = sentence_range(text_of(self.app, slug), first_words, last_words)
        page = f"{self.url}/excerpts/new?document={slug}"
        response = submit(self.client, page, f"{self.url}/excerpts/new",
                          {"document": slug, "range.s": [str(first), str(last)]})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response.headers["Location"].rsplit("#excerpt-", 1)[1]

    def add_question(self, kind, excerpt, second=""):
        response = submit(self.client, self.url, f"{self.url}/questions/new",
                          {"new-kind": kind, "new-excerpt": excerpt,
                           "new-second_excerpt": second})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response.headers["Location"].rsplit("/", 1)[1]

    def question_url(self, question_id):
        return f"{self.url}/questions/{question_id}"

    def mark(self, question_id, name, marks):
        url = self.question_url(question_id)
        unit = "s" if name in ("gaps",) or (name == "controls" and self._kind(question_id)
                                            == "sourcing") else "w"
        response = submit(self.client, url, f"{url}/marks/{name}", {f"{name}.{unit}": marks})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    def _kind(self, question_id):
        return next(q["kind"] for q in draft_of(self.app, self.id)["questions"]
                    if q["id"] == question_id)

    def explain(self, question_id, name, answers):
        """Fill the row of each marked phrase: ``answers`` maps a part of it to its fields."""
        url = self.question_url(question_id)
        values = form_values(self.client.get(url).get_data(as_text=True))
        data = {key: value for key, value in values.items()
                if key.startswith(f"{name}-rows-")}
        for key, phrase in values.items():
            match = re.fullmatch(rf"{re.escape(name)}-rows-(\d+)-phrase", key)
            fields = next((v for k, v in answers.items() if k in phrase), {}) if match else {}
            for field, value in fields.items():
                data[f"{name}-rows-{match.group(1)}-{field}"] = value
        assert data, f"no rows for {name} on {url}"
        response = submit(self.client, url, f"{url}/key/{name}", data)
        assert response.status_code == 303, response.get_data(as_text=True)

    def options(self, question_id, rows, correct=None):
        url = self.question_url(question_id)
        data = {}
        for number, (text, feedback) in enumerate(rows):
            data[f"opts-options-{number}-text"] = text
            data[f"opts-options-{number}-feedback"] = feedback
        if correct is not None:
            data["opts-correct"] = str(correct)
        response = submit(self.client, url, f"{url}/options", data)
        assert response.status_code == 303, response.get_data(as_text=True)

    def frames(self, question_id, sides):
        url = self.question_url(question_id)
        data = {}
        for number, (frame, why) in enumerate(sides):
            data[f"sides-sides-{number}-frame"] = frame
            data[f"sides-sides-{number}-frame_why"] = why
        response = submit(self.client, url, f"{url}/sides", data)
        assert response.status_code == 303, response.get_data(as_text=True)

    def publish(self):
        return submit(self.client, self.url, f"{self.url}/publish", {})


def new_lesson(client, title="Who is on the streets?"):
    response = submit(client, "/teach/lessons/new", "/teach/lessons/new", {
        "title": title, "summary": "Two pieces, two sets of words for the same people.",
        "level": "intro", "minutes": "15", "goals": "Spot loaded words\nName the frame"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def build_lesson(app, client):
    """A lesson with all four kinds of question on two seed excerpts, keyed by marking."""
    editor = Editor(app, client, new_lesson(client))
    astana = editor.add_excerpt(ASTANA, "The year was full of dangers",
                                "killed dozens of people there.")
    blog = editor.add_excerpt(BLOG, "The protesters have spoken", "stand-off.")
    astana_text, blog_text = editor.excerpt_text(astana), editor.excerpt_text(blog)

    loaded = editor.add_question("loaded_terms", astana)
    editor.mark(loaded, "phrases", word_marks(astana_text, "gangs", "terrorists",
                                              "dangerous mob attacks", "mutineers"))
    editor.explain(loaded, "phrases", {
        "gangs": {"neutral": "groups", "why": "Brands them as criminals."},
        "terrorists": {"neutral": "attackers", "why": "The gravest label, with no evidence."},
        "mob": {"neutral": "violent clashes", "why": "A lawless mass."},
        "mutineers": {"neutral": "people in the unrest", "why": "Soldiers who revolt."}})
    editor.mark(loaded, "controls", word_marks(astana_text, "initially peaceful demonstrations"))
    editor.explain(loaded, "controls", {"peaceful": {"why": "The neutral word for protest."}})

    framing = editor.add_question("framing", blog)
    editor.options(framing, [("People against the regime", "Yes: the nation has spoken."),
                             ("Order restored", "That is the other piece's frame."),
                             ("Economic reform", "Nothing here is about the economy.")],
                   correct=0)
    editor.mark(framing, "signals", word_marks(blog_text, "have spoken as the nation"))
    editor.explain(framing, "signals", {"nation": {"why": "The protesters stand for all."}})

    sourcing = editor.add_question("sourcing", astana)
    editor.mark(sourcing, "gaps", sentence_marks(astana_text, "presumably foreign-trained",
                                                 "There were institutions in the world"))
    editor.explain(sourcing, "gaps", {
        "The year was": {"reason": "presumption", "why": "Who says they were trained abroad?"},
        "There were": {"reason": "unnamed_group", "why": "Which institutions?"}})
    editor.mark(sourcing, "controls", sentence_marks(astana_text, "This was the first"))
    editor.explain(sourcing, "controls", {"This was": {"why": "A fact about his term."}})

    compare = editor.add_question("compare", astana, blog)
    editor.options(compare, [("Order under threat", "The state restores order."),
                             ("People against the regime", "The nation against power."),
                             ("Economic grievance", "Poverty drives it.")])
    editor.frames(compare, [("a", "Mobs and terrorists."), ("b", "The nation has spoken.")])
    editor.mark(compare, "terms-0", word_marks(astana_text, "mutineers"))
    editor.explain(compare, "terms-0", {"mutineers": {"neutral": "people",
                                                      "why": "Rebels against authority."}})
    editor.mark(compare, "terms-1", word_marks(blog_text, "protesters"))
    editor.explain(compare, "terms-1", {"protesters": {"neutral": "protesters",
                                                       "why": "The neutral word."}})
    return editor


def attempt(app, lesson_id, username, form):
    """A student's submitted attempt (as the quiz would store it) on the current version."""
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        user = db.session.scalar(sa.select(User).where(User.username == username))
        version = attempt_service.lesson_version(lesson)
        responses = {q["id"]: form.get(q["id"], {}) for q in version.content["questions"]}
        token = f"{len(username):02d}{username.encode().hex()}".ljust(32, "0")[:32]
        return attempt_service.submit_attempt(user, lesson, version, token, responses).id


def scores(app):
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.username, Attempt.score, Attempt.max_score, LessonVersion.number,
                      Attempt.regraded_at.is_not(None))
            .join(User, Attempt.user_id == User.id)
            .join(LessonVersion, Attempt.lesson_version_id == LessonVersion.id)
            .order_by(User.username))
        return {name: (score, most, number, regraded)
                for name, score, most, number, regraded in rows}


# --- building, publishing, previewing -------------------------------------------------------

def test_a_teacher_builds_a_lesson_with_every_kind_by_marking_and_publishes_it(app, client,
                                                                                teacher):
    editor = build_lesson(app, client)
    page = client.get(editor.url).get_data(as_text=True)
    assert "No problems: this draft passes the same checks as the lesson files" in page
    assert "Loaded words and phrases: 4" in page and "Sentences with a sourcing gap: 2" in page

    source = draft_of(app, editor.id)
    [loaded, framing, sourcing, compare] = source["questions"]
    assert [p["phrase"] for p in loaded["phrases"]] == ["gangs", "terrorists",
                                                        "dangerous mob attacks", "mutineers"]
    assert loaded["phrases"][1] == {"phrase": "terrorists", "neutral": "attackers",
                                    "why": "The gravest label, with no evidence."}
    assert [o["correct"] for o in framing["options"]] == [True, False, False]
    assert [g["reason"] for g in sourcing["gaps"]] == ["presumption", "unnamed_group"]
    assert [s["frame"] for s in compare["sides"]] == ["a", "b"]

    response = editor.publish()
    assert response.status_code == 303
    assert "Published as version 1." in client.get(editor.url).get_data(as_text=True)
    with app.app_context():
        lesson = db.session.get(Lesson, editor.id)
        [version] = lesson.versions
        assert (lesson.status, lesson.version, lesson.draft_text) == ("published", 1, None)
        assert lesson.owner_id == teacher.id
        assert version.source_text == emit_lesson(source)
        assert [q["kind"] for q in version.content["questions"]] == [
            "loaded_terms", "framing", "sourcing", "compare"]
        astana = version.content["excerpts"][0]
        assert text_of(app, ASTANA)[astana["start"]:astana["end"]] == astana["text"]
    listing = client.get("/teach/lessons").get_data(as_text=True)
    assert "Who is on the streets?" in listing and "Published" in listing

    # Saving the details unchanged and publishing again makes no new version.
    assert 'action="/teach/lessons/1/publish"' not in client.get(editor.url).get_data(
        as_text=True)  # nothing to publish
    submit(client, editor.url, f"{editor.url}/details", {
        "lesson-title": source["title"], "lesson-summary": source["summary"],
        "lesson-level": "intro", "lesson-minutes": "15",
        "lesson-goals": "Spot loaded words\nName the frame"})
    assert lesson_row(app, editor.id).draft_text is not None
    assert editor.publish().status_code == 303
    assert "so it is still version 1" in client.get(editor.url).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LessonVersion.id))) == 1


def test_the_preview_is_the_student_quiz_and_stores_nothing(app, client, teacher):
    editor = build_lesson(app, client)
    page = client.get(f"{editor.url}/preview").get_data(as_text=True)
    assert "<strong>Preview</strong> of the unpublished draft" in page
    assert 'class="quiz"' in page and 'name="q1.w"' in page and 'name="q3.s"' in page
    assert 'name="q4.1.choice"' in page and "Dmitry Babich, The Astana Times" in page
    assert 'action="/lessons/' not in page  # the form cannot reach the real submit route
    response = submit(client, f"{editor.url}/preview", f"{editor.url}/preview",
                      {"submission": "0" * 32, "version": "0", "q1.w": ["3"]})
    assert response.status_code == 200
    assert "nothing was saved" in response.get_data(as_text=True)
    assert 'value="3" checked' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_a_library_lesson_can_be_previewed_but_its_preview_stores_nothing(app, client, teacher,
                                                                          library):
    with app.app_context():
        lesson_id = db.session.scalar(sa.select(Lesson.id))
    url = f"/teach/lessons/{lesson_id}/preview"
    page = client.get(url).get_data(as_text=True)
    assert "<strong>Preview</strong> of version 1" in page
    assert f'action="{url}"' in page
    assert submit(client, url, url, {"astana-loaded.w": ["19"]}).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0



@pytest.mark.parametrize("query", ["endpoint=x", "_external=1", "_scheme=javascript",
                                   "_anchor=x", "lesson_id=999", "values=1&method=GET"])
def test_the_preview_uses_no_query_parameter_it_does_not_know(app, client, teacher, library,
                                                               query):
    with app.app_context():
        lesson_id = db.session.scalar(sa.select(Lesson.id))
    url = f"/teach/lessons/{lesson_id}/preview"
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert f'action="{url}"' in response.get_data(as_text=True)

# --- problems: shown, kept, never half-written ------------------------------------------------

def test_the_editor_keeps_an_invalid_draft_and_says_what_is_wrong(app, client, teacher):
    editor = Editor(app, client, new_lesson(client))
    excerpt = editor.add_excerpt(ASTANA, "The year was full of dangers", "hundreds of people "
                                                                         "were killed.")
    question = editor.add_question("loaded_terms", excerpt)
    page = client.get(editor.question_url(question)).get_data(as_text=True)
    assert "1 problem in this question." in page
    assert "Mark at least one loaded word or phrase." in page
    editor.mark(question, "phrases", word_marks(editor.excerpt_text(excerpt), "gangs"))
    page = client.get(editor.url).get_data(as_text=True)
    assert "to fix before publishing" in page
    assert "“gangs”: write its neutral wording." in page  # kept, with its problem
    assert [p["phrase"] for p in draft_of(app, editor.id)["questions"][0]["phrases"]] == [
        "gangs"]


def test_publishing_an_invalid_draft_is_a_400_listing_the_problems_and_writes_nothing(
        app, client, teacher):
    editor = Editor(app, client, new_lesson(client))
    before = lesson_row(app, editor.id)
    response = editor.publish()
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not published: the lesson has 2 problems." in page
    assert "the lesson needs &#39;excerpts&#39; (a list)" not in page
    assert "Add at least one excerpt." in page and "Add at least one question." in page
    assert "Line " not in page  # the editor shows no file, so no line numbers
    after = lesson_row(app, editor.id)
    assert (after.status, after.version, after.draft_text) == ("draft", 0, before.draft_text)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LessonVersion.id))) == 0


@pytest.mark.parametrize(("data", "message"), [
    ({"title": "", "summary": "kept summary"}, "Give the lesson a title."),
    ({"title": "T", "summary": "kept summary", "minutes": "9999"},
     "Give a number of minutes from 1 to 600."),
    ({"title": "T", "summary": "kept summary", "level": "expert"}, "Not a valid choice"),
])
def test_a_bad_new_lesson_form_is_a_400_that_keeps_what_was_typed(app, client, teacher, data,
                                                                  message):
    response = submit(client, "/teach/lessons/new", "/teach/lessons/new",
                      {"level": "intro", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and "kept summary" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Lesson.id))) == 0


def test_editor_forms_refuse_bad_input_with_clear_answers(app, client, teacher):
    editor = Editor(app, client, new_lesson(client))
    excerpt = editor.add_excerpt(ASTANA, "The year was full of dangers", "were killed.")
    question = editor.add_question("loaded_terms", excerpt)
    url = editor.question_url(question)
    saved = lesson_row(app, editor.id).draft_text

    tampered = submit(client, url, f"{url}/marks/phrases", {"phrases.w": ["99999"]})
    assert tampered.status_code == 400
    assert "A marked word is not in this excerpt" in tampered.get_data(as_text=True)

    editor.mark(question, "phrases", word_marks(editor.excerpt_text(excerpt), "gangs"))
    stale = submit(client, url, f"{url}/key/phrases", {"phrases-rows-0-phrase": "mob",
                                                       "phrases-rows-0-neutral": "crowd"})
    assert stale.status_code == 409
    assert "The marked phrases changed" in stale.get_data(as_text=True)

    in_use = submit(client, editor.url, f"{editor.url}/excerpts/{excerpt}/delete", {})
    assert in_use.status_code == 409
    assert f"Excerpt &#39;{excerpt}&#39; is used by question(s) {question}" in (
        in_use.get_data(as_text=True))

    no_range = submit(client, f"{editor.url}/excerpts/new?document={BLOG}",
                      f"{editor.url}/excerpts/new", {"document": BLOG})
    assert no_range.status_code == 400
    assert "Tick the first and the last sentence" in no_range.get_data(as_text=True)

    token = csrf_token(client, editor.url)
    assert client.get(f"{editor.url}/questions/q99").status_code == 404
    assert client.post(f"{editor.url}/questions/{question}/marks/nothing",
                       data={"csrf_token": token}).status_code == 404
    assert client.get(f"{editor.url}/excerpts/new?document=nope").status_code == 404
    assert client.post(f"{editor.url}/questions/{question}/delete").status_code == 400  # CSRF
    after = draft_of(app, editor.id)["questions"][0]["phrases"]
    assert after == [{"phrase": "gangs", "neutral": "", "why": ""}]
    assert saved != lesson_row(app, editor.id).draft_text  # only the good edit was saved


def test_lesson_details_errors_re_show_the_editor_with_the_typed_values(app, client, teacher):
    editor = Editor(app, client, new_lesson(client))
    response = submit(client, editor.url, f"{editor.url}/details", {
        "lesson-title": "", "lesson-summary": "A new summary I typed", "lesson-level": "core"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the lesson a title." in page and "A new summary I typed" in page
    assert draft_of(app, editor.id)["summary"] == ("Two pieces, two sets of words for the same "
                                                   "people.")
    response = submit(client, editor.url, f"{editor.url}/details", {
        "lesson-title": "Renamed", "lesson-summary": "New", "lesson-level": "core",
        "lesson-goals": "One\n\nTwo  "})
    assert response.status_code == 303
    source = draft_of(app, editor.id)
    assert (source["title"], source["level"], source["goals"]) == ("Renamed", "core",
                                                                   ["One", "Two"])
    assert "minutes" not in source
    assert lesson_row(app, editor.id).title == "Renamed"  # never published: the list follows


# --- documents ---------------------------------------------------------------------------------

def test_a_pasted_document_is_stored_as_pasted_and_can_be_quoted(app, client, teacher):
    text = "Officials said the crowd was calm.\r\nSome say it was not.\r\n  Indented line.\r\n"
    response = submit(client, "/teach/documents/new", "/teach/documents/new", {
        "title": "A local report", "author": "", "outlet": "Town Paper", "text": text})
    assert response.status_code == 303
    with app.app_context():
        document = db.session.scalar(sa.select(Document).where(Document.owner_id == teacher.id))
        assert document.text == text.replace("\r\n", "\n")
        assert (document.author, document.outlet) == ("unknown", "Town Paper")
        assert document.slug.startswith("a-local-report-")
        slug = document.slug
    editor = Editor(app, client, new_lesson(client))
    assert editor.add_excerpt(slug, "Some say", "Indented line.") == "e1"
    assert draft_of(app, editor.id)["excerpts"][0]["quote"] == "Some say it was not.\n  " \
                                                               "Indented line."
    form = client.get("/teach/documents/new").get_data(as_text=True)
    assert "Windows line endings (CRLF) become plain line breaks (LF)" in form
    missing = submit(client, "/teach/documents/new", "/teach/documents/new",
                     {"title": "No text", "text": "   "})
    assert missing.status_code == 400 and "Paste the article" in missing.get_data(as_text=True)


def test_another_teachers_document_cannot_be_quoted(app, client, teacher, make_user):
    with app.app_context():
        other = make_user("teacher-b", role="teacher")
        db.session.add(Document(slug="private-doc", title="Private", text="A secret text.",
                                owner_id=other.id, sha256="0" * 64))
        db.session.commit()
    editor = Editor(app, client, new_lesson(client))
    assert client.get(f"{editor.url}/excerpts/new?document=private-doc").status_code == 404
    token = csrf_token(client, editor.url)
    response = client.post(f"{editor.url}/excerpts/new", data={
        "csrf_token": token, "document": "private-doc", "range.s": ["0"]})
    assert response.status_code == 404
    assert draft_of(app, editor.id)["excerpts"] == []


# --- export and import ---------------------------------------------------------------------------

def upload(client, content: bytes, filename="lesson.yaml", **data):
    return submit(client, "/teach/lessons/import", "/teach/lessons/import",
                  {"file": (io.BytesIO(content), filename), **data},
                  content_type="multipart/form-data")


def test_a_shipped_lesson_file_imports_and_exports_byte_for_byte(app, client, teacher,
                                                                 readings):
    original = SHIPPED.read_bytes()
    response = upload(client, original, SHIPPED.name)
    assert response.status_code == 303, response.get_data(as_text=True)
    lesson_id = int(response.headers["Location"].rsplit("/", 1)[1])
    exported = client.get(f"/teach/lessons/{lesson_id}/export.yaml")
    assert exported.status_code == 200
    assert exported.data == original
    assert exported.headers["Content-Type"] == "text/yaml; charset=utf-8"
    assert exported.headers["Content-Disposition"].startswith(
        'attachment; filename="naming-the-january-events.yaml"')
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        assert (lesson.owner_id, lesson.version, lesson.status) == (teacher.id, 1, "published")


def test_a_browser_lesson_exports_and_imports_back_identical(app, client, teacher):
    editor = build_lesson(app, client)
    draft = client.get(f"{editor.url}/export.yaml?draft=1")
    assert draft.status_code == 200
    text = draft.get_data(as_text=True)
    assert emit_lesson(parse_source(text)) == text  # canonical
    assert client.get(f"{editor.url}/export.yaml").status_code == 404  # not published yet
    editor.publish()
    assert client.get(f"{editor.url}/export.yaml").data == draft.data

    # Its slug is taken (by the lesson itself): 409, with a free slug offered.
    clash = upload(client, draft.data)
    page = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "already exists" in page and "Import it under a new slug" not in page
    suggestion = re.search(r'name="new_slug" type="text" value="([^"]+)"', page).group(1)
    kept = re.search(r'<textarea[^>]*name="text"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1)
    assert "questions:" in kept  # the file is kept for the second try
    again = upload(client, draft.data, new_slug=suggestion)
    assert again.status_code == 303, again.get_data(as_text=True)
    copy_id = int(again.headers["Location"].rsplit("/", 1)[1])
    slug = lesson_row(app, editor.id).slug
    expected = draft.data.replace(f"slug: {slug}\n".encode(), f"slug: {suggestion}\n".encode())
    assert client.get(f"/teach/lessons/{copy_id}/export.yaml").data == expected
    with app.app_context():
        versions = db.session.scalars(sa.select(LessonVersion).order_by(LessonVersion.id)).all()
        assert versions[0].content_hash != versions[1].content_hash  # only the slug differs
        assert {**versions[0].content, "slug": suggestion} == versions[1].content


def test_an_invalid_import_lists_every_problem_by_line_and_saves_nothing(app, client, teacher,
                                                                        readings):
    broken = SHIPPED.read_text(encoding="utf-8").replace("about: [people]",
                                                         "about: [gangsters]", 1)
    broken = broken.replace("level: intro", "level: expert")
    response = upload(client, broken.encode(), "broken.yaml")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file was not imported: 2 problems." in page
    assert "Line 7:</span> unknown level &#39;expert&#39;" in page
    assert re.search(r"Line \d+:</span> unknown category &#39;gangsters&#39;", page)
    assert "slug: naming-the-january-events" in page  # the text is kept to fix
    for bad, message in ((b"\xff\xfe not utf-8", "That file is not UTF-8 text."),
                         (b"slug: [unclosed\n", "not valid YAML")):
        response = upload(client, bad)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert upload(client, b"x", "lesson.txt").status_code == 400
    nothing = submit(client, "/teach/lessons/import", "/teach/lessons/import", {"text": ""})
    assert "Choose a file to upload or paste" in nothing.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Lesson.id))) == 0


def test_pasted_yaml_imports_with_windows_line_endings_made_plain(app, client, teacher,
                                                                   readings):
    text = SHIPPED.read_text(encoding="utf-8")
    response = submit(client, "/teach/lessons/import", "/teach/lessons/import",
                      {"text": text.replace("\n", "\r\n")})
    assert response.status_code == 303
    lesson_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.get(f"/teach/lessons/{lesson_id}/export.yaml").get_data(as_text=True) == text


# --- versions and regrading ---------------------------------------------------------------------

def test_editing_a_lesson_with_attempts_makes_a_version_and_regrade_changes_only_some(
        app, client, teacher, make_user):
    editor = build_lesson(app, client)
    editor.publish()
    astana = editor.excerpt_text("e1")
    for name in ("amira", "bolat", "chen"):
        make_user(name)
    attempt(app, editor.id, "amira", {"q1": {"words": [int(i) for i in
                                                       word_marks(astana, "gangs")]}})
    attempt(app, editor.id, "bolat", {"q1": {"words": [int(i) for i in
                                                       word_marks(astana, "mutineers")]}})
    attempt(app, editor.id, "chen", {"q1": {"words": [int(i) for i in
                                                      word_marks(astana, "insurrection")]}})
    assert scores(app) == {"amira": (1.0, 12.0, 1, False), "bolat": (1.0, 12.0, 1, False),
                           "chen": (0.0, 12.0, 1, False)}

    # Version 2: "gangs" is no longer keyed; "insurrection" is.
    editor.mark("q1", "phrases", word_marks(astana, "terrorists", "dangerous mob attacks",
                                            "insurrection", "mutineers"))
    editor.explain("q1", "phrases", {"insurrection": {"neutral": "unrest",
                                                      "why": "Settles what it was."}})
    assert editor.publish().status_code == 303
    assert lesson_row(app, editor.id).version == 2
    assert scores(app) == {"amira": (1.0, 12.0, 1, False), "bolat": (1.0, 12.0, 1, False),
                           "chen": (0.0, 12.0, 1, False)}  # past attempts keep their score

    regrade = f"{editor.url}/regrade"
    page = client.get(regrade).get_data(as_text=True)
    listed = re.findall(r'<th scope="row">(\w+)</th>', page)
    assert listed == ["amira", "chen"]  # bolat's score does not change
    assert "1 / 12</td>\n        <td class=\"num\">0 / 12" in page
    assert "1 other older attempt would keep the same score" in page

    response = submit(client, regrade, regrade, {
        "fingerprint": re.search(r'name="fingerprint" type="hidden" value="(\w+)"',
                                 page).group(1)})
    assert response.status_code == 303
    assert "Regraded 2 attempts with version 2." in client.get(regrade).get_data(as_text=True)
    assert scores(app) == {"amira": (0.0, 12.0, 2, True), "bolat": (1.0, 12.0, 1, False),
                           "chen": (1.0, 12.0, 2, True)}
    with app.app_context():
        answer = db.session.scalars(sa.select(Attempt).join(User).where(
            User.username == "chen")).one().answers[0]
        assert (answer.points, answer.verdicts[2]["type"]) == (1.0, "found")
    assert "No score would change" in client.get(regrade).get_data(as_text=True)


def test_a_regrade_leaves_attempts_whose_questions_changed_and_refuses_a_stale_plan(
        app, client, teacher, make_user):
    editor = build_lesson(app, client)
    editor.publish()
    make_user("amira")
    attempt(app, editor.id, "amira", {"q2": {"choice": "a", "words": []}})
    page = client.get(f"{editor.url}/regrade").get_data(as_text=True)
    stale = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', page)
    assert stale is None and "No score would change" in page  # nothing older yet

    # Version 2 quotes one more sentence of the blog, so the marks on it moved.
    first, last = sentence_range(text_of(app, BLOG), "The protesters have spoken",
                                 "painted in colours of freedom.")
    submit(client, f"{editor.url}/excerpts/e2", f"{editor.url}/excerpts/e2",
           {"document": BLOG, "range.s": [str(first), str(last)]})
    assert editor.publish().status_code == 303
    page = client.get(f"{editor.url}/regrade").get_data(as_text=True)
    assert "Attempts that cannot be regraded" in page
    assert "The excerpt text of question &#39;q2&#39; changed" in page
    response = client.post(f"{editor.url}/regrade", data={
        "fingerprint": "0" * 64, "csrf_token": csrf_token(client, f"{editor.url}/regrade")})
    assert response.status_code == 409
    assert scores(app) == {"amira": (1.0, 12.0, 1, False)}


# --- the library, copies and who may do what ---------------------------------------------------

def test_the_lesson_list_shows_my_lessons_and_the_read_only_library(app, client, teacher,
                                                                    library):
    editor = Editor(app, client, new_lesson(client, "My own lesson"))
    page = client.get("/teach/lessons").get_data(as_text=True)
    assert "My own lesson" in page and "Not published" in page
    assert "Mob, mutineers or protesters?" in page and "Copy to edit" in page
    assert f'href="{editor.url}"' in page
    with app.app_context():
        library_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == SHIPPED.stem))
    assert f'href="/teach/lessons/{library_id}"' not in page  # no edit link for the library


def test_the_starter_library_is_read_only_but_can_be_copied_to_edit(app, client, teacher,
                                                                    library):
    with app.app_context():
        original = db.session.scalar(sa.select(Lesson).where(Lesson.slug == SHIPPED.stem))
        original_id, original_draft = original.id, original.draft_text
    url = f"/teach/lessons/{original_id}"
    token = csrf_token(client, "/teach/lessons")
    assert client.get(url).status_code == 403
    assert client.get(f"{url}/questions/astana-loaded").status_code == 403
    assert client.get(f"{url}/regrade").status_code == 403
    for action in ("publish", "details", "discard", "status/archive",
                   "questions/astana-loaded/marks/phrases"):
        assert client.post(f"{url}/{action}", data={"csrf_token": token}).status_code == 403
    assert client.get(f"{url}/export.yaml").data == SHIPPED.read_bytes()

    response = submit(client, "/teach/lessons", f"{url}/copy", {})
    assert response.status_code == 303
    copy_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.get(f"/teach/lessons/{copy_id}").status_code == 200
    with app.app_context():
        copy = db.session.get(Lesson, copy_id)
        assert (copy.owner_id, copy.copied_from_id, copy.status, copy.version) == (
            teacher.id, original_id, "draft", 0)
        assert copy.draft_text == SHIPPED.read_text(encoding="utf-8").replace(
            "slug: naming-the-january-events", f"slug: {copy.slug}")
        assert compile_lesson(copy.draft_text, "x", {ASTANA: text_of(app, ASTANA),
                                                     BLOG: text_of(app, BLOG)},
                              readings_for(None), frames=library_frames())
        untouched = db.session.get(Lesson, original_id)
        assert (untouched.draft_text, untouched.version) == (original_draft, 1)
    assert Editor(app, client, copy_id).publish().status_code == 303
    assert lesson_row(app, copy_id).version == 1


def test_another_teacher_gets_403_on_every_page_of_my_lesson(app, client, auth, teacher,
                                                            make_user):
    editor = Editor(app, client, new_lesson(client))
    editor.add_excerpt(ASTANA, "The year was full of dangers", "were killed.")
    editor.add_question("loaded_terms", "e1")
    auth.logout()
    make_user("teacher-b", role="teacher")
    auth.login("teacher-b")
    token = csrf_token(client, "/teach/lessons")
    for path in ("", "/preview", "/export.yaml", "/export.yaml?draft=1", "/regrade",
                 "/excerpts/new", "/excerpts/e1", "/questions/q1"):
        assert client.get(editor.url + path).status_code == 403, path
    for path in ("/publish", "/details", "/copy", "/discard", "/status/unpublish",
                 "/excerpts/e1/delete", "/questions/new", "/questions/q1/delete",
                 "/questions/q1/marks/phrases", "/questions/q1/key/phrases", "/regrade"):
        assert client.post(editor.url + path, data={"csrf_token": token}).status_code == 403, path
    assert client.get("/teach/lessons/99999").status_code == 404
    assert "Who is on the streets?" not in client.get("/teach/lessons").get_data(as_text=True)


def test_students_get_403_and_visitors_are_sent_to_log_in(app, client, auth, make_user, seeds):
    for path in ("/teach/lessons", "/teach/lessons/new", "/teach/lessons/import",
                 "/teach/documents/new", "/teach/lessons/1", "/teach/lessons/1/preview"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    make_user("pupil")
    auth.login("pupil")
    for path in ("/teach/lessons", "/teach/lessons/new", "/teach/lessons/import",
                 "/teach/documents/new", "/teach/lessons/1", "/teach/lessons/1/export.yaml"):
        assert client.get(path).status_code == 403, path


def test_unpublish_archive_and_discard(app, client, teacher):
    editor = build_lesson(app, client)
    editor.publish()
    submit(client, editor.url, f"{editor.url}/status/unpublish", {})
    assert lesson_row(app, editor.id).status == "draft"
    assert editor.publish().status_code == 303  # publish again, still version 1
    assert (lesson_row(app, editor.id).status, lesson_row(app, editor.id).version) == (
        "published", 1)
    submit(client, editor.url, f"{editor.url}/questions/q4/delete", {})
    assert lesson_row(app, editor.id).draft_text is not None
    assert "Unpublished edits" in client.get("/teach/lessons").get_data(as_text=True)
    submit(client, editor.url, f"{editor.url}/discard", {})
    assert lesson_row(app, editor.id).draft_text is None
    page = client.get(f"{editor.url}/questions/q4").get_data(as_text=True)
    assert "Compare question q4" in page  # back to the published version
    submit(client, editor.url, f"{editor.url}/status/archive", {})
    assert lesson_row(app, editor.id).status == "archived"


def test_a_version_stored_without_its_file_still_exports_and_copies(app, client, teacher,
                                                                    library):
    with app.app_context():
        db.session.execute(sa.update(LessonVersion).values(source_text=None))
        db.session.commit()
        lesson_id, content = db.session.execute(
            sa.select(Lesson.id, LessonVersion.content).join(LessonVersion)).one()
    exported = client.get(f"/teach/lessons/{lesson_id}/export.yaml").get_data(as_text=True)
    documents = {ASTANA: text_of(app, ASTANA), BLOG: text_of(app, BLOG)}
    with app.app_context():
        assert compile_lesson(exported, "x.yaml", documents, readings_for(None),
                              frames=library_frames()) == content
    assert emit_lesson(parse_source(exported)) == exported  # rebuilt in canonical form
    response = submit(client, "/teach/lessons", f"/teach/lessons/{lesson_id}/copy", {})
    copy_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "No problems" in client.get(f"/teach/lessons/{copy_id}").get_data(as_text=True)
    with app.app_context():  # a later sync stores the file's text on the unchanged version
        sync_lessons(library)
        assert db.session.get(Lesson, lesson_id).versions[0].source_text == (
            SHIPPED.read_text(encoding="utf-8"))


def test_an_expired_form_is_shown_again_with_what_was_typed(app, client, teacher, auth,
                                                            make_user):
    pasted = "A long article that took a while to paste.\nSecond paragraph."
    response = client.post("/teach/documents/new", data={
        "csrf_token": "expired", "title": "My article", "text": pasted})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form expired" in page and "Your entries are kept below" in page
    assert "My article" in page and "Second paragraph." in page
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/teach/documents/new", data={
        "csrf_token": fresh, "title": "My article", "text": pasted}).status_code == 303

    lesson_id = new_lesson(client)
    response = client.post(f"/teach/lessons/{lesson_id}/details", data={
        "csrf_token": "expired", "lesson-title": "Typed title", "lesson-summary": "S",
        "lesson-level": "core"})
    assert response.status_code == 400 and "Typed title" in response.get_data(as_text=True)
    assert lesson_row(app, lesson_id).title == "Who is on the streets?"

    auth.logout()
    make_user("teacher-b", role="teacher")
    auth.login("teacher-b")
    assert client.post(f"/teach/lessons/{lesson_id}/details", data={
        "csrf_token": "expired", "lesson-title": "x"}).status_code == 403
