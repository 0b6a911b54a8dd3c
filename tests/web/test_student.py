"""The student loop through the real forms: lessons, quiz, submit, feedback, results."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.answers import perfect_responses
from app.domain.progress import as_fields
from app.extensions import db
from app.models import Attempt, AttemptAnswer, Lesson, LessonVersion
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from tests.helpers import csrf_token, library_folder

ROOT = Path(__file__).resolve().parents[2]
SLUG = "naming-the-january-events"
URL = f"/lessons/{SLUG}"


@pytest.fixture
def library(app, tmp_path):
    """Seeds and a copy of the shipped lessons loaded; returns the copy's folder."""
    lessons = library_folder(tmp_path / "lessons", SLUG)  # the one lesson these tests take
    with app.app_context():
        load_seeds(ROOT / "seeds")
        report = sync_lessons(lessons)
        assert report.check.ok, report.check.issues
    return lessons


@pytest.fixture
def student(make_user, auth, library):
    # These tests post the whole-lesson form (one question at a time: test_lesson_flow.py).
    user = make_user(quiz_layout="all")
    auth.login(user.username)
    return user


def content_of(app, slug=SLUG, number=None):
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == slug))
        return db.session.scalar(sa.select(LessonVersion.content).where(
            LessonVersion.lesson_id == lesson.id,
            LessonVersion.number == (number or lesson.version)))


def quiz_fields(client, url=URL):
    """The submit form's own fields, from the whole-lesson page or, one question at a
    time, the review step (both carry the one-time submission token)."""
    response = client.get(url + "?q=review")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, (response.status_code, response.headers)
    submission = re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    # The tests answer some questions only, on purpose: they confirm it as a student would
    # after the warning about unanswered questions (tested in test_lesson_flow.py).
    return {"csrf_token": csrf_token(client, url), "submission": submission, "version": version,
            "confirm": "unanswered"}


def perfect_answers(content) -> dict[str, list[str]]:
    """The form a student sends who finds every key item and nothing else (any kind)."""
    form: dict[str, list[str]] = {}
    for name, value in as_fields(content["questions"], perfect_responses(content)):
        form.setdefault(name, []).append(value)
    return form


def attempts_in_db(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Attempt.id)))


def test_anonymous_visitors_are_sent_to_log_in(client, library):
    for url in ("/lessons", URL, "/results", "/attempts/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_the_lesson_list_shows_each_lesson_and_my_best_score(client, student):
    page = client.get("/lessons").get_data(as_text=True)
    assert "Mob, mutineers or protesters?" in page
    assert "Not tried yet." in page


def test_the_lesson_page_shows_excerpts_with_their_sources_and_a_checkbox_per_word(
        client, student):
    page = client.get(URL).get_data(as_text=True)
    assert "Dmitry Babich, The Astana Times" in page
    assert "Author and outlet unknown" in page  # the blog names nobody
    assert "gangs of presumably foreign-trained terrorists" not in page  # split into words
    # Word 19 is a checkbox whose label (what a screen reader announces) is the word.
    assert re.search(r'<input class="mark" type="checkbox" id="(q\d+-w19)" '
                     r'name="astana-loaded\.w" value="19"><label for="\1">gangs</label>', page)
    assert 'name="referendum-sources.s"' in page
    assert 'type="radio"' in page and 'name="naming-compare.0.choice"' in page
    assert "Each word you mark that is not loaded costs 0.5 points" in page  # the rule


def test_a_submitted_attempt_is_scored_explained_and_kept(app, client, student):
    form = quiz_fields(client)
    form.update({"astana-loaded.w": ["19", "0"], "blog-frame.choice": ["b"]})
    response = client.post(URL, data=form)
    assert response.status_code == 303
    feedback = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved: you scored 0.5 out of 27." in feedback
    assert "neutral wording: <em>groups</em>" in feedback  # found, with neutral and why
    assert "brands the people as organised criminals" in feedback
    assert "mutineers" in feedback and "You missed" in feedback
    assert "Marked, but not in the key" in feedback  # "The" was marked wrongly
    assert "You chose Order under threat." in feedback
    assert "That is the Astana Times frame" in feedback
    # The right frame, linked to its definition on the frames page.
    assert ('The frame is <strong><a href="/frames#frame-people">People against the regime'
            '</a></strong>') in feedback
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert (attempt.score, attempt.max_score) == (0.5, 27.0)
        answers = db.session.scalars(sa.select(AttemptAnswer).order_by(AttemptAnswer.position))
        assert [a.points for a in answers] == [0.5, 0.0, 0.0, 0.0]
    listing = client.get("/lessons").get_data(as_text=True)
    assert "My best: <strong>2%</strong>" in listing
    results = client.get("/results").get_data(as_text=True)
    assert "0.5 / 27" in results and "Mob, mutineers or protesters?" in results


def test_a_perfect_answer_scores_full_marks(app, client, student):
    form = quiz_fields(client)
    form.update(perfect_answers(content_of(app)))
    response = client.post(URL, data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your score: <strong>27 out of 27</strong>" in page
    assert "(100%)" in page


def test_marking_every_word_scores_nothing_on_loaded_terms(app, client, student):
    content = content_of(app)
    loaded = next(q for q in content["questions"] if q["kind"] == "loaded_terms")
    excerpt = next(e for e in content["excerpts"] if e["id"] == loaded["excerpt"])
    from app.domain.text import words

    form = quiz_fields(client)
    form["astana-loaded.w"] = [str(i) for i in range(len(words(excerpt["text"])))]
    client.post(URL, data=form)
    with app.app_context():
        answer = db.session.scalar(sa.select(AttemptAnswer).where(
            AttemptAnswer.question_id == "astana-loaded"))
        assert answer.points == 0.0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("astana-loaded.w", "9999", "A marked word is not in this excerpt"),
    ("astana-loaded.w", "-3", "A marked word was not recognised"),
    ("astana-loaded.w", "'; DROP TABLE attempts; --", "A marked word was not recognised"),
    ("referendum-sources.s", "42", "A marked sentence is not in this excerpt"),
    ("blog-frame.choice", "zz", "That frame is not one of the options"),
    ("q99.w", "1", "not in this lesson"),
])
def test_tampered_answers_get_a_400_and_keep_the_valid_marks(app, client, student, field,
                                                             value, message):
    form = quiz_fields(client)
    form.update({"astana-loaded.w": ["19", "23"], "referendum-sources.s": ["2"]})
    form.setdefault(field, [])
    form[field] = [*form[field], value] if isinstance(form[field], list) else [value]
    response = client.post(URL, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="19" checked' in page and 'value="23" checked' in page
    assert re.search(r'name="referendum-sources.s" value="2" checked', page)
    assert attempts_in_db(app) == 0


def test_an_empty_submission_is_refused_with_a_clear_message(app, client, student):
    response = client.post(URL, data=quiz_fields(client))
    assert response.status_code == 400
    assert "You have not marked or chosen anything yet" in response.get_data(as_text=True)
    assert attempts_in_db(app) == 0


def test_a_double_submit_records_one_attempt(app, client, student):
    form = quiz_fields(client)
    form["astana-loaded.w"] = ["19"]
    first = client.post(URL, data=form)
    second = client.post(URL, data=form)
    assert first.status_code == 303
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Already submitted" in page and "Only one attempt was recorded" in page
    assert first.headers["Location"].endswith(
        re.search(r'href="(/attempts/\d+)"', page).group(1))
    assert attempts_in_db(app) == 1


@pytest.mark.parametrize("bad", [{"submission": "not-a-token"}, {"version": "abc"},
                                 {"version": "999"}])
def test_a_broken_or_stale_form_is_a_400_not_a_500(app, client, student, bad):
    form = quiz_fields(client)
    form.update({"astana-loaded.w": ["19"], **bad})
    response = client.post(URL, data=form)
    assert response.status_code == 400
    assert attempts_in_db(app) == 0


@pytest.mark.options(WTF_CSRF_TIME_LIMIT=1)
def test_an_expired_form_keeps_the_students_marks(app, client, student):
    form = quiz_fields(client)
    form.update({"astana-loaded.w": ["19", "23"], "blog-frame.choice": ["a"]})
    time.sleep(2.1)  # the page stays open longer than WTF_CSRF_TIME_LIMIT
    response = client.post(URL, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form expired" in page and "Your entries are kept below" in page
    assert 'value="19" checked' in page and 'value="23" checked' in page
    assert re.search(r'name="blog-frame.choice" value="a" checked', page)
    assert attempts_in_db(app) == 0
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(URL, data={**form, "csrf_token": fresh}).status_code == 303
    assert attempts_in_db(app) == 1


def test_a_form_without_csrf_token_is_refused(app, client, student):
    form = quiz_fields(client)
    del form["csrf_token"]
    form["astana-loaded.w"] = ["19"]
    assert client.post(URL, data=form).status_code == 400
    assert attempts_in_db(app) == 0


def test_a_lesson_that_is_not_published_cannot_be_opened_or_submitted(app, client, student):
    form = quiz_fields(client)
    form["astana-loaded.w"] = ["19"]
    with app.app_context():
        db.session.execute(sa.update(Lesson).values(status="draft"))
        db.session.commit()
    assert client.get(URL).status_code == 404
    assert client.post(URL, data=form).status_code == 404
    assert client.get("/lessons/no-such-lesson").status_code == 404
    assert attempts_in_db(app) == 0


def test_a_student_cannot_read_another_students_attempt(app, client, auth, make_user, library):
    owner, other = make_user(), make_user()
    auth.login(owner.username)
    form = quiz_fields(client)
    form["astana-loaded.w"] = ["19"]
    location = client.post(URL, data=form).headers["Location"]
    auth.logout()
    auth.login(other.username)
    assert client.get(location).status_code == 403
    assert client.get("/attempts/999999").status_code == 404
    assert "gangs" not in client.get("/results").get_data(as_text=True)


def test_resyncing_an_edited_lesson_never_changes_a_past_score(app, client, student, library):
    form = quiz_fields(client)
    form["astana-loaded.w"] = ["19"]  # "gangs": 1 point under version 1
    first = client.post(URL, data=form).headers["Location"]
    stale_form = quiz_fields(client)  # rendered under version 1, submitted after the edit
    stale_form["astana-loaded.w"] = ["19"]

    # The document's reading changes its mind: "gangs" becomes debatable.
    reading = library / "readings" / "astana-times-babich.yaml"
    gangs = ('  - phrase: gangs\n    about: people\n    neutral: groups\n    why: >-\n'
             '      "Gangs" brands the people as organised criminals before any court has ruled.\n'
             '      "Groups" tells you there were several without judging them.\n\n')
    text = reading.read_text(encoding="utf-8")
    assert gangs in text
    reading.write_text(text.replace(gangs, "").replace("debatable:\n", (
        "debatable:\n  - phrase: gangs\n    about: people\n    for: Brands them criminals.\n"
        "    against: Some of them were armed groups.\n\n"), 1), encoding="utf-8")
    with app.app_context():
        report = sync_lessons(library)
        assert report.check.ok, report.check.issues
        assert report.new_versions == [SLUG]
        again = sync_lessons(library)  # idempotent
        assert again.new_versions == [] and SLUG in again.unchanged

    assert "Your score: <strong>1 out of 27</strong>" in client.get(first).get_data(as_text=True)
    client.post(URL, data=stale_form)  # scored against the version the student saw
    fresh = quiz_fields(client)
    assert fresh["version"] == "2"
    fresh["astana-loaded.w"] = ["19"]
    client.post(URL, data=fresh)
    with app.app_context():
        rows = db.session.execute(
            sa.select(Attempt.score, LessonVersion.number)
            .join(LessonVersion, Attempt.lesson_version_id == LessonVersion.id)
            .order_by(Attempt.id)).all()
    assert [tuple(row) for row in rows] == [(1.0, 1), (1.0, 1), (0.0, 2)]


def test_frame_options_keep_one_order_whatever_order_the_author_wrote(app):
    from app.student.present import display_order

    options = [{"id": i} for i in "abcde"]
    order = [o["id"] for o in display_order("q1", options)]
    assert [o["id"] for o in display_order("q1", list(reversed(options)))] == order
    assert sorted(order) == list("abcde")
    assert any([o["id"] for o in display_order(q, options)][0] != "a"
               for q in ("q1", "q2", "q3"))


def test_a_document_page_shows_the_whole_text_exactly_and_its_source(app, client, student):
    page = client.get("/documents/astana-times-babich").get_data(as_text=True)
    assert "Dmitry Babich, The Astana Times" in page
    assert "frequent guest on BBC, Al Jazeera and RT" in page
    assert "Get The Astana Times stories sent directly to you!" in page
    assert "Sign up via the website or subscribe to our Twitter" in page
    assert client.get("/documents/no-such-document").status_code == 404
    quiz = client.get(URL).get_data(as_text=True)
    assert 'href="/documents/quo-vadis-blog"' in quiz
