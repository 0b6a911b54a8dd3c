"""Accepting a contest into the key: readings in the database, the teacher's own reading
changed (or the library's copied with the change), lessons republished, and a regrade
that changes exactly the scores the new key changes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.lessons import SOURCING_REASONS
from app.domain.readings import compile_reading
from app.domain.text import words
from app.extensions import db
from app.models import Attempt, Contest, Document, Lesson, Reading
from app.services import authoring, lesson_files, regrading
from app.services.lessons import sync_lessons
from app.services.readings import readings_for, save_own_reading, sync_library_readings
from app.services.seeds import document_texts
from tests.unit.test_readings import LESSON, READING
from tests.web.classes_builders import browser, post, text
from tests.web.results_builders import (
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_enrollment,
    gen_user,
    load_documents,
)

DOCUMENT = "astana-times-babich"
PATH = f"lessons/readings/{DOCUMENT}.yaml"
DEBATABLE = {"judgement": "debatable", "about": "events", "case_for": "It sounds like a rabble.",
             "case_against": "Some of the crowd did attack buildings."}


def compiled_reading(text: str = READING) -> dict:
    return compile_reading(text, PATH, document_texts(), SOURCING_REASONS)


def document_id() -> int:
    return db.session.scalar(sa.select(Document.id).where(Document.slug == DOCUMENT))


def build(app, *, own_reading: bool) -> dict[str, int]:
    """Teacher A's lesson keyed from a reading of the Astana Times piece; two students:
    one marked "gangs" and "mob" (a wrong mark), the other only "gangs"."""
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        first, second = gen_user("student-a"), gen_user("student-b")
        sync_library_readings({DOCUMENT: compiled_reading()}, [(PATH, READING)])
        if own_reading:
            save_own_reading(teacher.id, document_id(), READING, compiled_reading())
        db.session.commit()
        # A library lesson on the same document (stored as a sync would: no owner).
        library = lesson_files.import_lesson(
            teacher, LESSON.replace("slug: reading-test", "slug: library-reading"))
        library.owner_id = None
        db.session.commit()
        lesson = lesson_files.import_lesson(teacher, LESSON)
        content = authoring.current_version(lesson).content
        [question] = content["questions"]
        # The key is the reading's: LESSON's question lists no phrases of its own.
        assert [p["text"] for p in question["phrases"]] == [
            "gangs", "terrorists", "kind, democratically-minded"]
        excerpt = content["excerpts"][0]["text"]
        index = {span.text: n for n, span in reversed(list(enumerate(words(excerpt))))}
        classroom = gen_class(teacher)
        gen_enrollment(classroom, first)
        gen_enrollment(classroom, second)
        assignment = gen_assignment(classroom, lesson)
        marked = gen_attempt(first, assignment, {"loaded": {"words": [index["gangs"],
                                                                      index["mob"]]}})
        plain = gen_attempt(second, assignment, {"loaded": {"words": [index["gangs"]]}})
        assert (marked.score, plain.score) == (0.5, 1.0)
        return {"lesson": lesson.id, "library": library.id, "marked": marked.id,
                "plain": plain.id, "mob": index["mob"], "teacher": teacher.id}


def contest_mob(app, ids: dict[str, int]) -> int:
    response = post(browser(app, "student-a"), f"/attempts/{ids['marked']}/contests",
                    {"question": "loaded", "place": f":w{ids['mob']}",
                     "reason": "Some of them did attack buildings."},
                    token_from=f"/attempts/{ids['marked']}")
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalar(sa.select(Contest.id))


def readings(app) -> list[tuple[int | None, int, str]]:
    with app.app_context():
        return [(r.owner_id, r.version, r.source_text) for r in db.session.scalars(
            sa.select(Reading).order_by(Reading.id))]


def scores(app, ids: dict[str, int]) -> dict[str, tuple[float, int]]:
    with app.app_context():
        result = {}
        for name in ("marked", "plain"):
            attempt = db.session.get(Attempt, ids[name])
            result[name] = (attempt.score, attempt.lesson_version.number)
        return result


def accept_and_regrade(app, ids: dict[str, int], contest_id: int) -> str:
    teacher = browser(app, "teacher-a")
    url = f"/teach/contests/{contest_id}/accept"
    response = post(teacher, url, DEBATABLE, token_from=url)
    assert response.status_code == 303, text(response)
    assert response.headers["Location"].endswith(f"/teach/lessons/{ids['lesson']}/regrade")
    review = text(teacher.get(response.headers["Location"]))
    assert "student-a" in review and "student-b" not in review
    with app.app_context():
        plan = regrading.regrade_plan(db.session.get(Lesson, ids["lesson"]))
        assert [row.student for row in plan.changes] == ["student-a"]
        assert plan.unchanged == 1
        fingerprint = plan.fingerprint
    regrade = f"/teach/lessons/{ids['lesson']}/regrade"
    applied = post(teacher, regrade, {"fingerprint": fingerprint}, token_from=regrade)
    assert applied.status_code == 303
    return review


def test_accepting_on_my_own_reading_makes_new_versions_and_regrades_only_the_affected(app):
    ids = build(app, own_reading=True)
    contest_id = contest_mob(app, ids)
    page = text(browser(app, "teacher-a").get(f"/teach/contests/{contest_id}/accept"))
    assert "Change my reading" in page and "your own reading" in page
    accept_and_regrade(app, ids, contest_id)
    (library, one, _), (owner, two, source) = readings(app)
    assert (library, one) == (None, 1)  # the library's reading is never changed here
    assert (owner, two) == (ids["teacher"], 2)
    assert "debatable:\n  - phrase: mob\n" in source or "- phrase: mob" in source
    # The wrong mark on "mob" no longer costs: only the student who made it changes.
    assert scores(app, ids) == {"marked": (1.0, 2), "plain": (1.0, 1)}
    with app.app_context():
        contest = db.session.get(Contest, contest_id)
        assert (contest.status, contest.decided_by_id) == ("accepted", ids["teacher"])
        assert db.session.get(Lesson, ids["library"]).version == 1
        reading = readings_for(ids["teacher"])[DOCUMENT]
        assert any(e["text"] == "mob" and e["tier"] == "debatable" for e in reading["entries"])


def test_a_library_reading_is_copied_with_the_change(app):
    ids = build(app, own_reading=False)
    contest_id = contest_mob(app, ids)
    page = text(browser(app, "teacher-a").get(f"/teach/contests/{contest_id}/accept"))
    assert "Copy this reading with the change" in page
    assert "Library lessons do not change" in page
    accept_and_regrade(app, ids, contest_id)
    (library, one, library_text), (owner, version, source) = readings(app)
    assert (library, one, library_text) == (None, 1, READING)
    assert (owner, version) == (ids["teacher"], 1)
    assert "phrase: mob" in source and "phrase: gangs" in source
    assert scores(app, ids) == {"marked": (1.0, 2), "plain": (1.0, 1)}
    with app.app_context():
        assert db.session.get(Lesson, ids["library"]).version == 1
        assert not any(e["text"] == "mob" for e in readings_for(None)[DOCUMENT]["entries"])


def test_an_incomplete_judgement_is_refused_and_nothing_changes(app):
    ids = build(app, own_reading=True)
    contest_id = contest_mob(app, ids)
    url = f"/teach/contests/{contest_id}/accept"
    response = post(browser(app, "teacher-a"), url, {"judgement": "loaded", "about": "people"},
                    token_from=url)
    assert response.status_code == 400
    assert "needs neutral, why" in text(response)
    assert [version for _, version, _ in readings(app)] == [1, 1]


def test_a_stale_accept_page_is_refused(app):
    ids = build(app, own_reading=True)
    contest_id = contest_mob(app, ids)
    url = f"/teach/contests/{contest_id}/accept"
    response = post(browser(app, "teacher-a"), url, {**DEBATABLE, "seen": "7"}, token_from=url)
    assert response.status_code == 409
    assert "changed since you opened this page" in text(response)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "readings").mkdir()
    (tmp_path / "readings" / f"{DOCUMENT}.yaml").write_text(READING, encoding="utf-8")
    (tmp_path / "reading-test.yaml").write_text(LESSON, encoding="utf-8")
    return tmp_path


def test_sync_stores_the_library_readings_with_the_lessons(app, folder):
    with app.app_context():
        load_documents()
        assert sync_lessons(folder).readings == [DOCUMENT]
        assert sync_lessons(folder).readings == []
        assert readings(app) == [(None, 1, READING)]
        changed = READING.replace("Brands the people as criminals.", "Calls them criminals.")
        (folder / "readings" / f"{DOCUMENT}.yaml").write_text(changed, encoding="utf-8")
        report = sync_lessons(folder)
        assert report.readings == [DOCUMENT] and report.new_versions == ["reading-test"]
        assert readings(app) == [(None, 2, changed)]


def test_one_library_reading_per_document_and_one_per_teacher_held_by_the_database(app):
    """Written past the services, as two syncs or two accepts at once would."""
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        load_documents()
        teacher, other = gen_user("t-one", role="teacher"), gen_user("t-two", role="teacher")
        compiled = compiled_reading()

        def reading(owner_id: int | None) -> Reading:
            return Reading(document_id=document_id(), owner_id=owner_id, source_text=READING,
                           content=compiled, content_hash="x")

        db.session.add_all([reading(None), reading(teacher.id), reading(other.id)])
        db.session.commit()
        for owner_id in (None, teacher.id):
            db.session.add(reading(owner_id))
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()
