"""Every shipped lesson opens, takes a perfect answer for full marks, and explains it."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.models import Lesson, LessonVersion
from app.services.lessons import sync_lessons
from app.services.seeds import load_seeds
from tests.web.test_student import perfect_answers, quiz_fields

ROOT = Path(__file__).resolve().parents[2]


def test_every_shipped_lesson_scores_a_perfect_answer_at_100_percent(app, client, auth,
                                                                     make_user):
    with app.app_context():
        load_seeds(ROOT / "seeds")
        assert sync_lessons(ROOT / "lessons").check.ok
        lessons = db.session.execute(
            sa.select(Lesson.slug, LessonVersion.content)
            .join(LessonVersion, LessonVersion.lesson_id == Lesson.id)).all()
    assert len(lessons) >= 10
    auth.login(make_user().username)
    for slug, content in lessons:
        url = f"/lessons/{slug}"
        form = quiz_fields(client, url)
        form.update(perfect_answers(content))
        response = client.post(url, data=form, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, slug
        assert re.search(r"\(100%\)", page), slug
        body = page.split("</header>")[-1]  # past the site header and the score legend
        for phrase in ("You missed", "not in the key"):
            at = body.find(phrase)
            assert at < 0, (slug, body[max(0, at - 400):at + 200])
