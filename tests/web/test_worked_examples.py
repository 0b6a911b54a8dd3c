"""Worked examples (a lesson's ``examples:``): shown answered, with the key's reasons,
before the first question, never scored. The lesson is the shipped intro "six-moves"."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Attempt
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from tests.helpers import ROOT, library_folder
from tests.web.test_checking import said
from tests.web.test_student import content_of, perfect_answers, quiz_fields

SLUG = "six-moves"
URL = f"/lessons/{SLUG}"


@pytest.fixture
def content(app, tmp_path):
    folder = library_folder(tmp_path / "lessons", SLUG)
    with app.app_context():
        load_seeds(ROOT / "seeds")
        report = sync_lessons(folder)
        assert report.check.ok, report.check.issues
    return content_of(app, SLUG)


def examples_section(page):
    match = re.search(r'<section class="worked-examples".*?</section>\s*(?=<p class|<div|<form)',
                      page, re.S)
    assert match, "no worked examples on the page"
    return match.group(0)


def page_of(client, **query):
    response = client.get(URL, query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_intro_lesson_opens_with_an_answered_example_of_every_kind(content):
    kinds = {example["kind"] for example in content["examples"]}
    assert kinds == {"loaded_terms", "framing", "sourcing", "compare", "verify", "omission"}
    assert not {example["id"] for example in content["examples"]} & \
        {question["id"] for question in content["questions"]}


def test_examples_come_before_the_first_question_with_the_keys_reasons(
        client, make_user, auth, content):
    auth.login(make_user("reader").username)
    page = page_of(client)
    examples = examples_section(page)
    assert page.index("worked-examples") < page.index('id="q-')
    text = said(examples)
    assert "Worked examples: not scored" in text
    for number in range(1, len(content["examples"]) + 1):
        assert f"Worked example {number}" in text
    # the key's own reasons: a loaded phrase's why, a verify question's card, an omission
    words = next(e for e in content["examples"] if e["kind"] == "loaded_terms")
    assert said(words["phrases"][0]["why"])[:60] in text
    check = next(e for e in content["examples"] if e["kind"] == "verify")
    assert said(check["why"])[:60] in text
    missing = next(e for e in content["examples"] if e["kind"] == "omission")
    omitted = next(f for f in missing["facts"] if f["role"] == "omitted")
    assert said(omitted["why"])[:60] in text
    # nothing missed or wrong in an example, no points, no form field to answer it
    assert "Loaded words in the key" in text
    assert "You missed" not in text and "points" not in text.split("Worked example 1")[1][:80]
    assert 'name="' not in examples


def test_one_question_at_a_time_shows_the_examples_on_the_first_step_only(
        client, make_user, auth, content):
    auth.login(make_user("stepper").username)
    assert "worked-examples" in page_of(client)
    assert "worked-examples" not in page_of(client, q=2)


def test_examples_are_not_scored_and_a_perfect_answer_still_scores_full_marks(
        app, client, make_user, auth, content):
    auth.login(make_user("perfect", quiz_layout="all").username)
    form = quiz_fields(client, URL)
    form.update(perfect_answers(content))
    response = client.post(URL, data=form)
    assert response.status_code == 303
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert attempt.score == attempt.max_score > 0
        assert {answer.question_id for answer in attempt.answers} == \
            {question["id"] for question in content["questions"]}


def test_the_teachers_preview_shows_the_examples_too(client, make_user, auth, content, app):
    from app.models import Lesson

    auth.login(make_user("teacher", role="teacher").username)
    with app.app_context():
        lesson_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == SLUG))
    response = client.get(f"/teach/lessons/{lesson_id}/preview")
    assert response.status_code == 200
    assert "Worked examples: not scored" in said(response.get_data(as_text=True))
