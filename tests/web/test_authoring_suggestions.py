"""The language lens's suggestions in the question editor: accept into the key, or dismiss."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import SuggestionDismissal, User
from app.services import dismissals
from app.services.authoring import add_document
from app.services.seeds import load_seeds
from tests.helpers import csrf_token
from tests.web.classes_builders import browser
from tests.web.test_authoring import ASTANA, Editor, draft_of, new_lesson, word_marks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def editor(app, client, make_user, auth):
    with app.app_context():
        load_seeds(ROOT / "seeds")
    auth.login(make_user("teacher-a", role="teacher").username)
    return Editor(app, client, new_lesson(client))


@pytest.fixture
def loaded(editor):
    """A loaded_terms question on the Astana Times passage about gangs and terrorists."""
    excerpt = editor.add_excerpt(ASTANA, "The year was full of dangers",
                                 "killed dozens of people there.")
    return editor.add_question("loaded_terms", excerpt), editor.excerpt_text(excerpt)


def suggestions(page: str, name: str) -> dict[str, str]:
    """Suggested text -> suggestion id, from the suggestions of key list ``name``."""
    section = re.search(rf'<section class="suggestions" id="suggestions-{name}".*?</section>',
                        page, re.S)
    if section is None:
        return {}
    return dict(re.findall(r'<strong>(.*?)</strong>.*?name="accept" value="([^"]+)"',
                           section[0], re.S))


def act(editor, question, name, action, suggestion=""):
    url = editor.question_url(question)
    return editor.client.post(f"{url}/suggestions/{name}", data={
        "csrf_token": csrf_token(editor.client, url), "action": action,
        "suggestion": suggestion})


def phrases_of(editor, question, name="phrases"):
    entry = next(q for q in draft_of(editor.app, editor.id)["questions"] if q["id"] == question)
    return entry.get(name) or []


def test_the_lens_suggests_loaded_words_on_a_seed_excerpt(editor, loaded):
    question, _ = loaded
    page = editor.client.get(editor.question_url(question)).get_data(as_text=True)
    offered = suggestions(page, "phrases")
    assert "gangs" in offered and "terrorists" in offered
    assert "Labels and name-calling" in page
    assert "Accept" in page and "Dismiss" in page
    assert suggestions(page, "controls") == {}  # controls are the teacher's choice


def test_accepting_adds_the_phrase_with_neutral_wording_and_why(editor, loaded):
    question, _ = loaded
    url = editor.question_url(question)
    offered = suggestions(editor.client.get(url).get_data(as_text=True), "phrases")
    response = act(editor, question, "phrases", "accept", offered["gangs"])
    assert response.status_code == 303
    (entry,) = phrases_of(editor, question)
    assert entry["phrase"] == "gangs" and entry["neutral"] and entry["why"]
    page = editor.client.get(url).get_data(as_text=True)
    assert "gangs" not in suggestions(page, "phrases")  # now in the key, so not offered
    assert "Added “gangs” to the key" in page
    # The explanation is prefilled in the ordinary phrase form, ready to edit.
    assert re.search(rf'name="phrases-rows-0-neutral"[^>]*value="{re.escape(entry["neutral"])}"',
                     page)
    # Accepting again (a second tab) is a clear conflict, not a duplicate entry.
    assert act(editor, question, "phrases", "accept", offered["gangs"]).status_code == 409
    assert len(phrases_of(editor, question)) == 1


def test_dismissing_hides_a_suggestion_for_this_question_and_can_be_undone(editor, loaded):
    question, _ = loaded
    url = editor.question_url(question)
    offered = suggestions(editor.client.get(url).get_data(as_text=True), "phrases")
    assert act(editor, question, "phrases", "dismiss", offered["terrorists"]).status_code == 303
    page = editor.client.get(url).get_data(as_text=True)
    assert "terrorists" not in suggestions(page, "phrases")
    assert "gangs" in suggestions(page, "phrases")
    assert phrases_of(editor, question) == []  # dismissing changes nothing in the lesson
    assert "Show 1 dismissed suggestion again" in page
    assert act(editor, question, "phrases", "restore").status_code == 303
    page = editor.client.get(url).get_data(as_text=True)
    assert "terrorists" in suggestions(page, "phrases")


def test_words_already_in_the_key_or_a_control_are_not_suggested(editor, loaded):
    question, text = loaded
    editor.mark(question, "phrases", word_marks(text, "gangs of presumably foreign-trained"))
    editor.mark(question, "controls", word_marks(text, "dangerous mob attacks"))
    page = editor.client.get(editor.question_url(question)).get_data(as_text=True)
    offered = suggestions(page, "phrases")
    assert "gangs" not in offered and "terrorists" in offered
    control = text.index("dangerous mob attacks")
    spans = [tuple(int(n) for n in value.split("-")[:2]) for value in offered.values()]
    assert not any(start < control + 21 and control < end for start, end in spans)
    assert any(text[start:end] == "mob" for start, end in spans)  # a later "mob" still is


def test_a_sourcing_question_is_offered_attribution_gaps_with_their_reason(editor):
    excerpt = editor.add_excerpt(ASTANA, "The year was full of dangers",
                                 "killed dozens of people there.")
    question = editor.add_question("sourcing", excerpt)
    url = editor.question_url(question)
    offered = suggestions(editor.client.get(url).get_data(as_text=True), "gaps")
    assert offered
    text, chosen = next(iter(offered.items()))
    assert act(editor, question, "gaps", "accept", chosen).status_code == 303
    (entry,) = phrases_of(editor, question, "gaps")
    assert entry["reason"] in ("vague_attribution", "unnamed_group", "presumption",
                               "allegedly", "agentless") and entry["why"]


def test_bad_requests_get_clear_answers(editor, loaded):
    question, _ = loaded
    assert act(editor, question, "phrases", "accept").status_code == 400
    assert act(editor, question, "phrases", "explode", "1-2-label").status_code == 400
    assert act(editor, question, "phrases", "accept", "0-1-nothing").status_code == 409
    assert act(editor, question, "nowhere", "dismiss", "0-1-label").status_code == 404


def test_another_teacher_cannot_see_or_use_the_suggestions(editor, loaded, client, auth,
                                                           make_user):
    question, _ = loaded
    url = editor.question_url(question)
    offered = suggestions(client.get(url).get_data(as_text=True), "phrases")
    auth.logout()
    auth.login(make_user("teacher-b", role="teacher").username)
    assert client.get(url).status_code == 403
    response = client.post(f"{url}/suggestions/phrases", data={
        "csrf_token": csrf_token(client, "/"), "action": "accept",
        "suggestion": offered["gangs"]})
    assert response.status_code == 403
    assert phrases_of(editor, question) == []


def test_a_pasted_article_gets_suggestions_too(editor, app):
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.username == "teacher-a"))
        document = add_document(owner, title="Pasted", author="", outlet="", publisher_note="",
                                text="Thugs looted the shops. Officials said calm had returned.")
        slug = document.slug
    excerpt = editor.add_excerpt(slug, "Thugs looted", "calm had returned.")
    question = editor.add_question("loaded_terms", excerpt)
    page = editor.client.get(editor.question_url(question)).get_data(as_text=True)
    assert "Thugs" in suggestions(page, "phrases")


# --- F22: dismissals are kept server-side, bounded, never in the cookie -------------------

def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    return cookie.value if cookie is not None else ""


def session_data(app, client) -> dict:
    """What the signed session cookie holds, decoded as the app reads it."""
    return app.session_interface.get_signing_serializer(app).loads(session_cookie(client))


def test_a_dismissal_is_kept_on_the_server_not_in_the_cookie(app, editor, loaded):
    question, _ = loaded
    url = editor.question_url(question)
    offered = suggestions(editor.client.get(url).get_data(as_text=True), "phrases")
    assert act(editor, question, "phrases", "dismiss", offered["terrorists"]).status_code == 303
    assert offered["terrorists"] not in repr(session_data(app, editor.client))

    # Another browser (a new login) sees the same dismissal.
    again = browser(app, "teacher-a")
    page = again.get(url).get_data(as_text=True)
    assert "terrorists" not in suggestions(page, "phrases")
    assert "Show 1 dismissed suggestion again" in page


def test_any_other_posted_value_is_refused_and_nothing_is_stored(app, editor, loaded):
    question, _ = loaded
    for junk in ("x" * 8000, "1-2-" + "a" * 3000, "<script>", "1-2-Label", "12345678-1-label"):
        response = act(editor, question, "phrases", "dismiss", junk)
        assert response.status_code == 400, junk[:20]
        assert len(session_cookie(editor.client)) < 1000
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(
            SuggestionDismissal)) == 0


def test_dismissing_twice_keeps_one_row(app, editor, loaded):
    question, _ = loaded
    url = editor.question_url(question)
    offered = suggestions(editor.client.get(url).get_data(as_text=True), "phrases")
    for _ in range(2):
        assert act(editor, question, "phrases", "dismiss",
                   offered["terrorists"]).status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(
            SuggestionDismissal)) == 1


def test_a_teacher_keeps_at_most_the_newest_dismissals_per_lesson(app, editor, loaded,
                                                                 monkeypatch):
    question, _ = loaded
    monkeypatch.setattr(dismissals, "PER_LESSON", 5)
    with app.app_context():
        teacher = db.session.scalar(sa.select(User.id).where(User.username == "teacher-a"))
        for n in range(8):
            dismissals.dismiss(teacher, editor.id, question, "phrases", f"{n}-{n + 1}-label")
        kept = dismissals.dismissed(teacher, editor.id, question, "phrases")
    assert kept == [f"{n}-{n + 1}-label" for n in range(3, 8)]
