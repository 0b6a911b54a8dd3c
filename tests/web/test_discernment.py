"""Discernment as teachers and students see it, on a small hand-made class.

"Media 9B": ann, ben and cy on the two-question lesson of results_builders. Its marking
question keys "gangs" and "terrorists" (two signal items, "other loaded words"); the
excerpt's 13 other words are its noise items (it has no controls); the framing question
has no signal phrases, so it adds nothing.

    ann  marks gangs, terrorists      2 of 2 found, 0 of 13 marked
         H = 2.5/3 = 0.8333, z = 0.9674; F = 0.5/14 = 0.0357, z = -1.8027
         d′ = 2.7702 (2.77), c = 0.4177 (0.42): tells them apart well
    ben  marks when, gangs, of        1 of 2 found, 2 of 13 marked
         H = 1.5/3 = 0.5, z = 0; F = 2.5/14 = 0.1786, z = -0.9208
         d′ = 0.9208 (0.92), c = 0.4604 (0.46): tells them apart somewhat
    cy   nothing submitted            no marking answers yet
    class: mean d′ (2.7702 + 0.9208)/2 = 1.8455 (1.85); mean c 0.4390 (0.44);
           pooled 3 of 4 found (75%), 2 of 26 marked (8%); technique d′ 1.8494 (1.85)
"""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AttemptAnswer
from tests.web.classes_builders import browser, text
from tests.web.results_builders import (
    GANGS,
    TERRORISTS,
    WHEN,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_lesson,
    gen_students,
    gen_user,
    load_documents,
    small_responses,
)

OF = 2  # the word after "gangs"


@pytest.fixture
def world(app):
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        classroom = gen_class(teacher, name="Media 9B")
        ann, ben, _ = gen_students(classroom, "ann", "ben", "cy")
        lesson = gen_lesson(owner=teacher, slug="first-look", title="First look")
        later = gen_lesson(owner=teacher, slug="second-look", title="Second look")
        first = gen_assignment(classroom, lesson)
        second = gen_assignment(classroom, later)
        attempt = gen_attempt(ann, first, small_responses([GANGS, TERRORISTS], "people"))
        gen_attempt(ben, first, small_responses([WHEN, GANGS, OF], "order"))
        other = gen_class(teacher, name="Other class")
        elsewhere = gen_assignment(other, lesson)
        return SimpleNamespace(class_id=classroom.id, first=first.id, second=second.id,
                               elsewhere=elsewhere.id, attempt=attempt.id, ann=ann.id)


def page(app, world, query=""):
    response = browser(app, "teacher-a").get(
        f"/teach/classes/{world.class_id}/discernment{query}")
    assert response.status_code == 200
    return text(response)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def row_of(html: str, name: str) -> str:
    match = re.search(rf'<th scope="row"><a [^>]*>{name}</a></th>(.*?)</tr>', html, re.S)
    assert match, name
    return plain(match.group(1))


def test_the_page_gives_each_student_the_class_and_the_techniques(app, world):
    html = page(app, world)
    assert row_of(html, "ann") == "2 of 2 (100%) 0 of 13 (0%) 2.77 0.42 tells them apart well"
    assert row_of(html, "ben") == ("1 of 2 (50%) 2 of 13 (15%) 0.92 0.46 "
                                   "tells them apart somewhat")
    assert row_of(html, "cy") == "no marking answers yet"
    figures = plain(re.search(r'<dl class="class-figures">(.*?)</dl>', html, re.S).group(1))
    assert "Students with marking answers 2 of 3" in figures
    assert "Mean d′ 1.85 (spread between students: SD 1.31)" in figures
    assert "Mean c 0.44" in figures
    assert "all students together 3 of 4 (75%)" in figures
    assert "Marked outside the key, all students together 2 of 26 (8%)" in figures
    techniques = plain(re.search(r'<table id="discernment-techniques">(.*?)</table>', html,
                                 re.S).group(1))
    assert "Other loaded words 3 of 4 (75%) 2 of 26 (8%) 1.85 2" in techniques
    assert "All loaded language 3 of 4 (75%) 2 of 26 (8%) 1.85 2" in techniques
    # The chart: one unnamed dot per student with marking answers, named in no <title>.
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg.count("<circle") == 2 and "ann" not in svg and "ben" not in svg
    assert "2 students, one unnamed point each" in svg
    # The two sentences, and which attempts count.
    assert "d′ (discernment)</strong> says how well a student tells loaded" in html
    assert "c (criterion)</strong> says how freely they mark" in html
    assert "Counted: every attempt on the class's assignments by students now enrolled" in html


def test_the_page_narrows_to_one_assignment_and_refuses_another_class_s(app, world):
    html = page(app, world, f"?assignment={world.second}")
    assert "No student has answered a marking question on this assignment yet" in html
    assert row_of(html, "ann") == "no marking answers yet"
    assert "<svg" not in html
    html = page(app, world, f"?assignment={world.first}")
    assert row_of(html, "ann").startswith("2 of 2 (100%)")
    assert "Counted: every attempt on this assignment" in html
    teacher = browser(app, "teacher-a")
    url = f"/teach/classes/{world.class_id}/discernment"
    assert teacher.get(f"{url}?assignment={world.elsewhere}").status_code == 404
    assert teacher.get(f"{url}?assignment=abc").status_code == 404
    assert teacher.get(f"{url}.csv?assignment={world.elsewhere}").status_code == 404


def test_only_the_class_s_teacher_sees_it(app, world):
    """Teacher pages answer 403 to another teacher and to students (app.teacher.access and
    the authorization matrix), 404 only when the class does not exist."""
    for url in (f"/teach/classes/{world.class_id}/discernment",
                f"/teach/classes/{world.class_id}/discernment.csv"):
        assert browser(app, "teacher-b").get(url).status_code == 403
        assert browser(app, "ann").get(url).status_code == 403
        assert "/auth/login" in browser(app).get(url).headers["Location"]
    assert browser(app, "teacher-a").get("/teach/classes/999999/discernment").status_code == 404


def test_the_page_is_linked_from_the_class_gradebook_and_results(app, world):
    teacher = browser(app, "teacher-a")
    url = f"/teach/classes/{world.class_id}/discernment"
    assert f'href="{url}"' in text(teacher.get(f"/teach/classes/{world.class_id}"))
    assert f'href="{url}"' in text(teacher.get(f"/teach/classes/{world.class_id}/gradebook"))
    results = text(teacher.get(f"/teach/assignments/{world.first}/results"))
    assert f'href="{url}?assignment={world.first}"' in results


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_csv_has_the_table_s_numbers(app, world):
    rows = read_csv(browser(app, "teacher-a").get(
        f"/teach/classes/{world.class_id}/discernment.csv"))
    assert rows[0] == ["student", "loaded items found", "loaded items", "found %",
                       "marked outside the key", "items outside the key", "marked %", "d′",
                       "c",
                       "reading"]
    assert rows[1] == ["ann", "2", "2", "100", "0", "13", "0", "2.77", "0.42",
                       "tells them apart well"]
    assert rows[2] == ["ben", "1", "2", "50", "2", "13", "15", "0.92", "0.46",
                       "tells them apart somewhat"]
    assert rows[3] == ["cy", "", "", "", "", "", "", "", "", "no marking answers yet"]


def test_the_gradebook_shows_d_prime_and_its_csv_adds_three_columns(app, world):
    teacher = browser(app, "teacher-a")
    html = text(teacher.get(f"/teach/classes/{world.class_id}/gradebook"))
    assert row_of(html, "ann").endswith("2.77")
    assert row_of(html, "ben").endswith("0.92")
    assert row_of(html, "cy").endswith("none")  # no measure: a dash, "none" for readers
    # The class mean is on the discernment page, linked from the foot of the column.
    assert re.search(rf'<tfoot>.*href="/teach/classes/{world.class_id}/discernment">Class mean',
                     html, re.S)
    rows = read_csv(teacher.get(f"/teach/classes/{world.class_id}/gradebook.csv"))
    assert rows[0][-3:] == ["d′ (discernment)", "loaded items found %",
                            "marked outside the key %"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["ann"][-3:] == ["2.77", "100", "0"]
    assert by_name["ben"][-3:] == ["0.92", "50", "15"]
    assert by_name["cy"][-3:] == ["", "", ""]


def test_answers_stored_before_counts_were_kept_still_count(app, world):
    """Answers of before migration 0010 have no counts: they are scored from the lesson
    version when read, and the page shows what it showed with stored counts."""
    before = page(app, world)
    with app.app_context():
        db.session.execute(sa.update(AttemptAnswer).values(detection=sa.null()))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer)
                                 .where(AttemptAnswer.detection.is_(None))) == 4
    after = page(app, world)
    assert row_of(after, "ann") == row_of(before, "ann")
    assert row_of(after, "ben") == row_of(before, "ben")
    assert "Mean d′ 1.85" in plain(after)
    assert row_of(text(browser(app, "teacher-a").get(
        f"/teach/classes/{world.class_id}/gradebook")), "ann").endswith("2.77")
    feedback = plain(text(browser(app, "ann").get(f"/attempts/{world.attempt}")))
    assert "you found 2 of 2 loaded words" in feedback


def test_the_submission_stores_the_counts(app, world):
    with app.app_context():
        stored = dict(db.session.execute(
            sa.select(AttemptAnswer.question_id, AttemptAnswer.detection)
            .where(AttemptAnswer.attempt_id == world.attempt)).all())
    assert stored == {"words": {"signal": {"loaded:other": [2, 2]},
                                "noise": {"loaded": [13, 0]}},
                      "frame": {"signal": {}, "noise": {}}}


def test_a_student_reads_their_own_marking_in_words(app, world):
    ann = browser(app, "ann")
    results = plain(text(ann.get("/results")))
    assert ("You find most of the loaded words and sourcing gaps; you rarely mark anything "
            "the key does not count. You mark what the key counts and leave the rest alone: "
            "well done.") in results
    assert ("Over every attempt whose answers you can see: you found 2 of 2 loaded words "
            "and sourcing gaps, and marked 0 of 13 words and sentences outside the key (its "
            "neutral controls and the words it does not count).") in results
    # Never "neutral" for words the key only leaves uncounted (as on the feedback pages).
    assert "neutral words" not in results and "neutral ones" not in results
    feedback = plain(text(ann.get(f"/attempts/{world.attempt}")))
    assert "In this attempt: you found 2 of 2 loaded words" in feedback
    ben = plain(text(browser(app, "ben").get("/results")))
    assert "you found 1 of 2 loaded words and sourcing gaps, and marked 2 of 13" in ben
    assert "2 of 2" not in ben
    assert "What you find, what you leave alone" in text(ann.get("/results"))
    assert "What you find, what you leave alone" not in text(browser(app, "cy").get("/results"))


def test_withheld_answers_keep_their_counts_from_the_student(app, world):
    with app.app_context():
        from app.models import Assignment

        db.session.get(Assignment, world.first).feedback = "never"
        db.session.commit()
    ann = browser(app, "ann")
    assert "What you find, what you leave alone" not in text(ann.get("/results"))
    assert "What you find, what you leave alone" not in text(
        ann.get(f"/attempts/{world.attempt}"))
    # The teacher still sees them.
    assert row_of(page(app, world), "ann").startswith("2 of 2 (100%)")


def test_a_regrade_stores_the_counts_of_the_new_key(app, world):
    """Version 2 of the lesson drops "terrorists" from the key: ann's mark on it becomes a
    false alarm (1 of 1 found, 1 of 14 marked), ben's counts follow the same key."""
    import copy

    from app.domain.lessons import content_hash
    from app.models import Assignment, Attempt, Lesson, LessonVersion, User
    from app.services.regrading import apply_regrade, regrade_plan
    from tests.web.results_builders import current_version

    with app.app_context():
        lesson = db.session.get(Lesson, db.session.get(Assignment, world.first).lesson_id)
        content = copy.deepcopy(current_version(lesson).content)
        content["questions"][0]["phrases"] = content["questions"][0]["phrases"][:1]
        lesson.versions.append(LessonVersion(number=2, content=content,
                                             content_hash=content_hash(content)))
        lesson.version = 2
        db.session.commit()
        assert apply_regrade(lesson, regrade_plan(lesson).fingerprint) == 2
        detection = dict(db.session.execute(
            sa.select(User.username, AttemptAnswer.detection)
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
            .join(User, User.id == Attempt.user_id)
            .where(AttemptAnswer.question_id == "words")).all())
    assert detection["ann"] == {"signal": {"loaded:other": [1, 1]}, "noise": {"loaded": [14, 1]}}
    assert detection["ben"] == {"signal": {"loaded:other": [1, 1]}, "noise": {"loaded": [14, 2]}}
