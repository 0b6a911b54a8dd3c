"""Authoring without friction (issue 13, item 8; review bugs 6 and 7).

A teacher writing a loaded-terms question should not lose what they typed when they press
another button on the page, should never be handed a key entry without a neutral wording,
should see each problem once, in words, beside what it concerns, and should not be able to
press Publish while problems are listed.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import LessonVersion, User
from tests.helpers import paste_document
from tests.web.page_forms import find_button, forms, press, visible_text
from tests.web.test_authoring import Editor, draft_of, new_lesson, word_marks

# "bandits" twice, and "stupid", which the lens flags with no neutral wording to offer.
TEXT = ("Bandits? No. The bandits attacked the city hall at noon. It was a stupid plan, said "
        "the mayor. Later the bandits fled to the hills. Officials said calm had returned.")
SLUG = "pasted-unrest"

# What must never reach a teacher's browser: YAML line numbers, file names, repository
# paths, commands for the command line.
DEVELOPER_WORDS = re.compile(r"\bline \d+|\.yaml\b|lessons/README|README\.md|\bflask \w",
                             re.IGNORECASE)


def developer_words(page: str) -> list[str]:
    """Developer words in what a teacher reads: the text, and the attributes read aloud or
    shown (addresses in links and forms are not read)."""
    return DEVELOPER_WORDS.findall(visible_text(page))


@pytest.fixture
def editor(app, client, make_user, auth):
    teacher = make_user("teacher-a", role="teacher")
    auth.login(teacher.username)
    with app.app_context():
        owner = db.session.get(User, teacher.id)
        paste_document(app, owner, SLUG, TEXT)
    return Editor(app, client, new_lesson(client))


@pytest.fixture
def question(editor):
    excerpt = editor.add_excerpt(SLUG, "Bandits?", "calm had returned.")
    return editor.add_question("loaded_terms", excerpt)


def entries(editor, question_id, name="phrases"):
    found = next(q for q in draft_of(editor.app, editor.id)["questions"]
                 if q["id"] == question_id)
    return found.get(name) or []


def page_of(editor, question_id):
    return editor.client.get(editor.question_url(question_id)).get_data(as_text=True)


def suggestion_values(page, name="phrases"):
    """Suggestion ids offered for a key list, in page order, from their Accept buttons."""
    return [button.value for form in forms(page) for button in form.buttons
            if button.text.startswith("Accept") and button.name == "accept"
            and (button.formaction or "").endswith(f"/suggestions/{name}")]


def suggestion_for(page, word, name="phrases"):
    return next(value for value in suggestion_values(page, name)
                if TEXT[int(value.split("-")[0]):int(value.split("-")[1])] == word)


# --- bug 7: typed text survives a press of another button ------------------------------------

def test_typed_neutral_wording_survives_save_marks(editor, question):
    text = editor.excerpt_text("e1")
    editor.mark(question, "phrases", word_marks(text, "bandits#1"))
    url = editor.question_url(question)
    response = press(editor.client, url, "Save marks", {
        "phrases-rows-0-neutral": "attackers",
        "phrases.w": word_marks(text, "bandits#1", "stupid")})
    assert response.status_code == 303, response.get_data(as_text=True)
    saved = {entry["phrase"]: entry for entry in entries(editor, question)}
    assert saved["bandits"]["neutral"] == "attackers"  # typed, then another button: kept
    assert "stupid" in saved  # and the marks were saved too


def test_a_mark_ticked_survives_save_explanations_and_a_typed_prompt_survives_too(editor,
                                                                                  question):
    text = editor.excerpt_text("e1")
    editor.mark(question, "phrases", word_marks(text, "bandits#1"))
    response = press(editor.client, editor.question_url(question), "Save explanations", {
        "phrases-rows-0-neutral": "attackers", "phrases-rows-0-why": "Robbers, not rebels.",
        "phrases.w": word_marks(text, "bandits#1", "bandits#2"),
        "question-prompt": "Which words judge the people?"})
    assert response.status_code == 303, response.get_data(as_text=True)
    saved = entries(editor, question)
    assert [(e["phrase"], e.get("occurrence")) for e in saved] == [("bandits", 1),
                                                                  ("bandits", 2)]
    assert saved[0]["neutral"] == "attackers" and saved[0]["why"] == "Robbers, not rebels."
    prompt = next(q for q in draft_of(editor.app, editor.id)["questions"])["prompt"]
    assert prompt == "Which words judge the people?"


def test_an_invalid_entry_shows_everything_typed_again_and_saves_nothing(editor, question):
    text = editor.excerpt_text("e1")
    editor.mark(question, "phrases", word_marks(text, "bandits#1"))
    before = draft_of(editor.app, editor.id)
    response = press(editor.client, editor.question_url(question), "Save marks", {
        "phrases-rows-0-neutral": "x" * 5000, "question-prompt": "Kept prompt",
        "phrases.w": word_marks(text, "bandits#1", "stupid")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kept prompt" in page
    stupid = word_marks(text, "stupid")[0]
    assert re.search(rf'name="phrases\.w" value="{stupid}" checked', page)
    assert draft_of(editor.app, editor.id) == before


def test_the_question_page_warns_before_leaving_with_unsaved_changes(editor, question):
    page = page_of(editor, question)
    assert 'src="/static/js/authoring.js"' in page
    assert 'data-unsaved-guard' in page


# --- bug 6: a suggestion always carries a neutral wording, or asks for one ------------------

def test_a_suggestion_without_a_neutral_wording_asks_for_one_before_it_is_accepted(editor,
                                                                                   question):
    page = page_of(editor, question)
    stupid = suggestion_for(page, "stupid")
    field = f"phrases-suggest-{stupid}-neutral"
    assert re.search(rf'name="{field}"[^>]*value=""[^>]*required', page)
    assert "Write a neutral wording before accepting" in page

    refused = press(editor.client, editor.question_url(question), "Accept", value=stupid)
    assert refused.status_code == 400
    assert "Write a neutral wording for “stupid” before accepting it." in refused.get_data(
        as_text=True)
    assert entries(editor, question) == []

    accepted = press(editor.client, editor.question_url(question), "Accept",
                     {field: "a plan he rejected"}, value=stupid)
    assert accepted.status_code == 303
    (entry,) = entries(editor, question)
    assert (entry["phrase"], entry["neutral"]) == ("stupid", "a plan he rejected")


def test_a_suggested_neutral_wording_can_be_changed_before_accepting(editor, question):
    page = page_of(editor, question)
    first = suggestion_values(page)[0]
    response = press(editor.client, editor.question_url(question), "Accept",
                     {f"phrases-suggest-{first}-neutral": "people"}, value=first)
    assert response.status_code == 303
    assert entries(editor, question)[0]["neutral"] == "people"


def test_accept_all_adds_every_suggestion_that_has_a_neutral_wording(editor, question):
    url = editor.question_url(question)
    response = press(editor.client, url, "Accept all")
    assert response.status_code == 303
    saved = [(e["phrase"], e.get("occurrence")) for e in entries(editor, question)]
    assert ("Bandits", None) in saved and ("bandits", 1) in saved and ("bandits", 2) in saved
    assert all(e["neutral"] and e["why"] for e in entries(editor, question))
    page = page_of(editor, question)
    assert "stupid" not in [e for e, _ in saved]
    assert "still needs a neutral wording" in page
    stupid = suggestion_for(page, "stupid")
    press(editor.client, url, "Accept all", {f"phrases-suggest-{stupid}-neutral": "poor"})
    assert "stupid" in [e["phrase"] for e in entries(editor, question)]
    assert suggestion_values(page_of(editor, question)) == []


def test_accepting_then_publishing_never_meets_an_empty_neutral(editor, question):
    url = editor.question_url(question)
    page = page_of(editor, question)
    stupid = suggestion_for(page, "stupid")
    press(editor.client, url, "Accept all", {f"phrases-suggest-{stupid}-neutral": "poor"})
    text = editor.excerpt_text("e1")
    editor.mark(question, "controls", word_marks(text, "at noon"))
    editor.explain(question, "controls", {"noon": {"why": "A time of day."}})
    response = editor.publish()
    assert response.status_code == 303, response.get_data(as_text=True)
    with editor.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LessonVersion.id))) == 1


# --- repeated words: context and which occurrence --------------------------------------------

def test_repeated_suggested_words_show_their_context_and_which_occurrence(editor, question):
    page = page_of(editor, question)
    assert "1st of 2" in page and "2nd of 2" in page
    assert re.search(r"No\. The <strong>bandits</strong> attacked the city", page)
    assert re.search(r"Later the <strong>bandits</strong> fled to the", page)


# --- problems: once, in words, where they belong; Publish waits ------------------------------

def test_a_problem_appears_once_in_words_under_its_section(editor, question):
    text = editor.excerpt_text("e1")
    editor.mark(question, "phrases", word_marks(text, "bandits#1"))
    page = page_of(editor, question)
    message = "“bandits”: write its neutral wording"
    assert page.count(message) == 1
    start, end = page.index('id="key-phrases"'), page.index('id="key-controls"')
    assert start < page.index(message) < end
    assert not developer_words(page)
    lesson_page = editor.client.get(editor.url).get_data(as_text=True)
    assert lesson_page.count(message) == 1
    assert not developer_words(lesson_page)


def test_publish_is_disabled_and_says_why_while_problems_are_listed(editor, question):
    page = editor.client.get(editor.url).get_data(as_text=True)
    _, publish = find_button(page, "Publish")
    assert publish.disabled
    assert "1 problem to fix before publishing. Publish is off until it is fixed." in page
    assert f'href="/teach/lessons/{editor.id}/questions/{question}#key-phrases"' in page
    # The server refuses as well (a stale page, a crafted post), in words.
    refused = editor.publish()
    assert refused.status_code == 400
    assert not developer_words(refused.get_data(as_text=True))


def test_publish_is_enabled_once_the_lesson_has_no_problems(editor, question):
    url = editor.question_url(question)
    stupid = suggestion_for(page_of(editor, question), "stupid")
    press(editor.client, url, "Accept all", {f"phrases-suggest-{stupid}-neutral": "poor"})
    text = editor.excerpt_text("e1")
    editor.mark(question, "controls", word_marks(text, "at noon"))
    editor.explain(question, "controls", {"noon": {"why": "A time of day."}})
    page = editor.client.get(editor.url).get_data(as_text=True)
    _, publish = find_button(page, "Publish")
    assert not publish.disabled


def test_no_authoring_page_shows_line_numbers_file_names_or_commands(editor, question, client):
    text = editor.excerpt_text("e1")
    editor.mark(question, "phrases", word_marks(text, "bandits#1"))
    pages = [
        "/teach/lessons", "/teach/lessons/new", "/teach/lessons/import", editor.url,
        editor.question_url(question), f"{editor.url}/excerpts/new",
        f"{editor.url}/excerpts/new?document={SLUG}", f"{editor.url}/preview",
        f"{editor.url}/key",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert not developer_words(response.get_data(as_text=True)), url
    refused = editor.publish()
    assert not developer_words(refused.get_data(as_text=True))


# --- the reading editor: the same suggestions, in context --------------------------------

def test_the_reading_editor_shows_repeated_suggestions_in_context(editor, client):
    page = client.get(f"/teach/readings/{SLUG}").get_data(as_text=True)
    if "suggestion-context" not in page:  # a reading is started before the lens suggests
        _, start = find_button(page, "Start")
        press(client, f"/teach/readings/{SLUG}", start.text)
        page = client.get(f"/teach/readings/{SLUG}").get_data(as_text=True)
    assert "1st of 2 in the text" in page and "2nd of 2 in the text" in page
    assert re.search(r"Later the <strong>bandits</strong> fled to the", page)
    assert not developer_words(page)
