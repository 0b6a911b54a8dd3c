"""Preview with feedback, storing nothing (issue 13, item 6; review: "preview shows no
feedback; taking the lesson records an attempt").

In the preview a teacher marks as a student would and presses *Check answers*: the page
shows the feedback a student gets after submitting, scored by the same scorers, for the
unpublished draft and for a published lesson, and not one row is written.
"""

from __future__ import annotations

import html
from typing import Any

import sqlalchemy as sa

from app.domain.scoring import score_question
from app.extensions import db
from app.models import Attempt, AttemptAnswer, Draft, Lesson
from app.services.attempts import excerpt_texts
from app.services.seeds import load_seeds
from tests.helpers import ROOT
from tests.web import test_answer_key
from tests.web.classes_builders import browser
from tests.web.page_forms import press
from tests.web.results_builders import gen_user, perfect_responses
from tests.web.test_authoring import build_lesson, draft_of

# The seeds, the readings and the shipped lesson, and a logged-in teacher: the answer-key
# tests' own fixtures.
library = test_answer_key.library
teacher = test_answer_key.teacher


def form_fields(responses: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The quiz form's fields for these responses (as the checkboxes and radios send them)."""
    fields: dict[str, list[str]] = {}
    for qid, response in responses.items():
        for n, side in enumerate(response.get("sides", [])):
            fields[f"{qid}.{n}.w"] = [str(i) for i in side["words"]]
            if side.get("choice"):
                fields[f"{qid}.{n}.choice"] = [side["choice"]]
        if "words" in response:
            fields[f"{qid}.w"] = [str(i) for i in response["words"]]
        if "sentences" in response:
            fields[f"{qid}.s"] = [str(i) for i in response["sentences"]]
        if response.get("choice"):
            fields[f"{qid}.choice"] = [response["choice"]]
    return fields


def rows(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                     for model in (Attempt, AttemptAnswer, Draft))


def check(client, url: str, responses: dict[str, dict[str, Any]]):
    fields = {name: values for name, values in form_fields(responses).items()}
    return press(client, url, "Check answers", fields)


def test_the_preview_offers_check_answers(client, teacher, library):
    page = client.get(f"/teach/lessons/{library['id']}/preview").get_data(as_text=True)
    assert ">Check answers</button>" in page
    assert "Submit answers" not in page


def test_checking_a_published_lesson_shows_a_students_feedback_and_stores_nothing(
        app, client, teacher, library):
    content = library["content"]
    responses = perfect_responses(content)
    response = check(client, f"/teach/lessons/{library['id']}/preview", responses)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    texts = excerpt_texts(content)
    most = sum(score_question(q, {}, texts).max_points for q in content["questions"])
    assert f"Checked: {most:g} out of {most:g} points; nothing was saved." in page
    assert "The feedback a student would get" in page
    assert "You found" in page and "You missed" not in page
    loaded = next(q for q in content["questions"] if q["kind"] == "loaded_terms")
    assert loaded["phrases"][0]["neutral"] in page  # the neutral wording, as a student sees it
    assert rows(app) == (0, 0, 0)


def test_checking_shows_misses_and_wrong_marks_and_keeps_the_marks(app, client, teacher,
                                                                  library):
    content = library["content"]
    loaded = next(q for q in content["questions"] if q["kind"] == "loaded_terms")
    keyed = {i for phrase in loaded["phrases"] for i in phrase["words"]}
    neutral = next(i for i in range(200) if i not in keyed and all(
        i not in c["words"] for c in loaded.get("debatable", []) + loaded.get("asides", [])))
    responses = {loaded["id"]: {"words": [*loaded["phrases"][0]["words"], neutral]}}
    response = check(client, f"/teach/lessons/{library['id']}/preview", responses)
    page = html.unescape(response.get_data(as_text=True))
    assert "You found" in page and "You missed" in page
    assert "Marked, but not in the key" in page
    assert f'name="{loaded["id"]}.w" value="{neutral}" checked' in page  # kept to try again
    assert rows(app) == (0, 0, 0)


def test_checking_the_unpublished_draft_scores_the_draft_and_stores_nothing(app, client,
                                                                            teacher):
    with app.app_context():
        load_seeds(ROOT / "seeds")
    editor = build_lesson(app, client)
    before = draft_of(app, editor.id)
    url = f"{editor.url}/preview"
    assert "<strong>Preview</strong> of the unpublished draft" in client.get(url).get_data(
        as_text=True)
    response = press(client, url, "Check answers", {"q1.w": ["3"], "q2.choice": ["a"]})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "The feedback a student would get" in page and "You missed" in page
    assert rows(app) == (0, 0, 0)
    assert draft_of(app, editor.id) == before
    with app.app_context():
        lesson = db.session.get(Lesson, editor.id)
        assert (lesson.version, lesson.status) == (0, "draft")


def test_a_student_cannot_use_the_preview(app, library):
    with app.app_context():
        gen_user("student-a")
    pupil = browser(app, "student-a")
    assert pupil.get(f"/teach/lessons/{library['id']}/preview").status_code == 403
    assert pupil.post(f"/teach/lessons/{library['id']}/preview").status_code in (400, 403)
    assert rows(app) == (0, 0, 0)
