"""Contests ("I disagree"): a student disagrees with an item of their feedback; their
teacher sees it, grouped by passage, and dismisses it (accepting: test_contest_accept.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Contest, Document
from app.services import contests as contest_service
from tests.web.classes_builders import browser, post, text
from tests.web.results_builders import (
    SMALL_LESSON,
    WHEN,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_user,
    load_documents,
    small_responses,
)

# The small lesson's attempt below marks "when" (wrong) and "gangs", missing "terrorists".
GANGS = 1
WRONG_WHEN, MISSED_TERRORISTS = ":w0", ":w5"


@dataclass
class World:
    attempt_id: int
    lesson_id: int
    assignment_id: int
    other_attempt_id: int


def build(app, *, feedback: str = "immediately", owner: bool = True) -> World:
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        student, other = gen_user("student-a"), gen_user("student-b")
        lesson = gen_lesson(SMALL_LESSON, owner=teacher if owner else None)
        classroom = gen_class(teacher)
        gen_enrollment(classroom, student)
        gen_enrollment(classroom, other)
        assignment = gen_assignment(classroom, lesson, feedback=feedback)
        attempt = gen_attempt(student, assignment, small_responses([WHEN, GANGS], "people"))
        others = gen_attempt(other, assignment, small_responses([WHEN], "people"))
        return World(attempt.id, lesson.id, assignment.id, others.id)


def contest(client, attempt_id: int, place: str = WRONG_WHEN, reason: str = "It is a fact.",
            question: str = "words"):
    return post(client, f"/attempts/{attempt_id}/contests",
                {"question": question, "place": place, "reason": reason},
                token_from=f"/attempts/{attempt_id}")


def stored(app) -> list[Contest]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Contest).order_by(Contest.id)))
        db.session.expunge_all()
        return rows


def test_a_student_contests_a_wrong_mark_on_their_own_attempt(app):
    world = build(app)
    client = browser(app, "student-a")
    page = text(client.get(f"/attempts/{world.attempt_id}"))
    # Next to the wrong mark and the missed item; not next to what was found.
    assert page.count("I disagree") == 2
    assert '<label for="contest-words--w0-reason">Why do you disagree?' in page
    response = contest(client, world.attempt_id, reason="“When” is just a time word.")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/attempts/{world.attempt_id}#fb-words")
    page = text(client.get(response.headers["Location"]))
    assert contest_service.SENT_MESSAGE in page
    assert "You disagreed" in page and "is just a time word." in page
    [row] = stored(app)
    with app.app_context():
        document = db.session.scalar(sa.select(Document).where(
            Document.slug == "astana-times-babich"))
        assert document.text[row.span_start:row.span_end] == "when" == row.span_text
        assert row.document_id == document.id
    assert (row.verdict, row.status, row.question_id, row.lesson_version) == \
        ("wrong", "open", "words", 1)


def test_a_missed_item_can_be_contested_too(app):
    world = build(app)
    client = browser(app, "student-a")
    assert contest(client, world.attempt_id, MISSED_TERRORISTS).status_code == 303
    [row] = stored(app)
    assert (row.span_text, row.verdict) == ("terrorists", "missed")


def test_sending_again_updates_the_reason(app):
    world = build(app)
    client = browser(app, "student-a")
    contest(client, world.attempt_id, reason="First thought.")
    contest(client, world.attempt_id, reason="Second thought.")
    [row] = stored(app)
    assert row.reason == "Second thought."


def test_a_student_cannot_contest_another_students_attempt(app):
    world = build(app)
    client = browser(app, "student-a")
    assert contest(client, world.other_attempt_id).status_code == 403
    assert contest(client, 999_999).status_code == 404
    assert stored(app) == []


def test_no_contest_while_the_feedback_is_hidden(app):
    world = build(app, feedback="never")
    client = browser(app, "student-a")
    assert "I disagree" not in text(client.get(f"/attempts/{world.attempt_id}"))
    response = contest(client, world.attempt_id)
    assert response.status_code == 403
    assert "not shown yet" in text(response)
    assert stored(app) == []


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": ""}, "Say in one line why you disagree."),
    ({"reason": "x" * 301}, "at most 300 characters"),
    ({"reason": "a\x00b"}, "control character"),
])
def test_a_bad_reason_is_refused_with_the_message_and_the_text_kept(app, data, message):
    world = build(app)
    client = browser(app, "student-a")
    response = contest(client, world.attempt_id, **data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert '<details class="contest" id="contest-words--w0" open>' in page
    assert stored(app) == []


def test_an_item_not_in_the_feedback_cannot_be_contested(app):
    world = build(app)
    client = browser(app, "student-a")
    assert contest(client, world.attempt_id, ":w1").status_code == 404  # found: not contestable
    assert contest(client, world.attempt_id, question="frame").status_code == 404
    assert stored(app) == []


def test_contests_are_rate_limited(app, monkeypatch):
    monkeypatch.setattr(contest_service, "RATE_LIMIT", 1)
    world = build(app)
    client = browser(app, "student-a")
    assert contest(client, world.attempt_id).status_code == 303
    response = contest(client, world.attempt_id, MISSED_TERRORISTS)
    assert response.status_code == 429
    assert "Please wait a while" in text(response)
    assert len(stored(app)) == 1


def test_the_teacher_sees_their_students_contests_grouped_and_escaped(app):
    world = build(app)
    contest(browser(app, "student-a"), world.attempt_id, reason="<b>not</b> loaded")
    contest(browser(app, "student-b"), world.other_attempt_id, reason="Just a word.")
    teacher = browser(app, "teacher-a")
    page = text(teacher.get(f"/teach/lessons/{world.lesson_id}/contests"))
    assert "2 disagreements (2 open)" in page
    assert "&lt;b&gt;not&lt;/b&gt; loaded" in page and "<b>not</b>" not in page
    assert page.index("Just a word.") < page.index("&lt;b&gt;not")  # newest first
    assert "marked, but not in the key" in page
    results = text(teacher.get(f"/teach/assignments/{world.assignment_id}/results"))
    assert f"/teach/lessons/{world.lesson_id}/contests" in results


def test_another_teacher_sees_none_of_them(app):
    world = build(app, owner=False)  # a library lesson: every teacher may open its page
    contest(browser(app, "student-a"), world.attempt_id, reason="Not loaded at all.")
    other = browser(app, "teacher-b")
    page = text(other.get(f"/teach/lessons/{world.lesson_id}/contests"))
    assert "Not loaded at all." not in page and "No one in your classes" in page
    [row] = stored(app)
    assert post(other, f"/teach/contests/{row.id}/dismiss").status_code == 403
    assert other.get(f"/teach/contests/{row.id}/accept").status_code == 403
    assert "Not loaded at all." in text(
        browser(app, "teacher-a").get(f"/teach/lessons/{world.lesson_id}/contests"))


def test_the_teacher_dismisses_a_contest(app):
    world = build(app)
    contest(browser(app, "student-a"), world.attempt_id)
    [row] = stored(app)
    teacher = browser(app, "teacher-a")
    response = post(teacher, f"/teach/contests/{row.id}/dismiss")
    assert response.status_code == 303
    [row] = stored(app)
    assert row.status == "dismissed" and row.decided_at is not None
    page = text(teacher.get(f"/teach/lessons/{world.lesson_id}/contests"))
    assert "Dismissed" in page and "(0 open)" in page
    student_page = text(browser(app, "student-a").get(f"/attempts/{world.attempt_id}"))
    assert "your teacher kept the key" in student_page


def test_the_results_page_counts_open_contests_per_key_phrase(app):
    world = build(app)
    contest(browser(app, "student-a"), world.attempt_id, MISSED_TERRORISTS)
    page = text(browser(app, "teacher-a").get(f"/teach/assignments/{world.assignment_id}/results"))
    assert "Open disagreements" in page
    assert 'data-open-contests="1"' in page


def test_the_pages_run_a_fixed_number_of_queries_however_many_contests(app):
    from tests.web.test_query_counts import counting_queries

    world = build(app)
    student, teacher = browser(app, "student-a"), browser(app, "teacher-a")
    pages = {"feedback": (student, f"/attempts/{world.attempt_id}"),
             "contests": (teacher, f"/teach/lessons/{world.lesson_id}/contests"),
             "results": (teacher, f"/teach/assignments/{world.assignment_id}/results")}
    counts = []
    for sent in ([WRONG_WHEN], [MISSED_TERRORISTS]):
        for place in sent:
            contest(student, world.attempt_id, place)
        contest(browser(app, "student-b"), world.other_attempt_id, reason=f"Again {place}")
        measured = {}
        for name, (client, url) in pages.items():
            with counting_queries(app) as statements:
                assert client.get(url).status_code == 200
            measured[name] = len(statements)
        counts.append(measured)
    assert counts[0] == counts[1], counts
    # The feedback page: 8 (one reads the teacher's extension and grade for the student,
    # one the library's source cards for the "Who is behind this?" links).
    assert max(counts[0].values()) <= 10 and counts[0]["feedback"] <= 8, counts


def test_one_contest_per_span_is_held_by_the_database(app):
    """Two sends of the same span at once: the second insert meets the constraint."""
    from sqlalchemy.exc import IntegrityError

    world = build(app)
    contest(browser(app, "student-a"), world.attempt_id)
    [row] = stored(app)
    with app.app_context():
        copy = {column.name: getattr(row, column.name) for column in Contest.__table__.columns
                if column.name != "id"}
        db.session.add(Contest(**copy))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_deleting_a_student_deletes_their_contests(app):
    from app.services.privacy import delete_student

    world = build(app)
    contest(browser(app, "student-a"), world.attempt_id)
    contest(browser(app, "student-b"), world.other_attempt_id)
    with app.app_context():
        student = db.session.scalar(sa.select(Contest.student_id).order_by(Contest.id))
        removed = delete_student(student)
    assert removed["contests"] == 1
    assert [row.attempt_id for row in stored(app)] == [world.other_attempt_id]


def test_a_sentence_or_a_compare_side_is_placed_in_document_offsets():
    text_ = "One fact. Two claims here. Three."
    content = {"excerpts": [{"id": "e", "document": "d", "start": 100, "text": text_},
                            {"id": "f", "document": "d2", "start": 7, "text": "a mob came"}],
               "questions": [{"id": "s", "kind": "sourcing", "excerpt": "e"},
                             {"id": "c", "kind": "compare",
                              "sides": [{"excerpt": "e"}, {"excerpt": "f"}]}]}
    sentence = contest_service.target_of(content, "s", {"type": "missed", "sentence": 1})
    assert (sentence.start, sentence.end, sentence.text, sentence.unit) == \
        (110, 126, "Two claims here.", "sentence")
    side = contest_service.target_of(content, "c", {"type": "wrong", "words": [1], "side": 1})
    assert (side.document, side.start, side.end, side.text) == ("d2", 9, 12, "mob")
    assert contest_service.unit_key({"type": "wrong", "words": [1], "side": 1}) == "1:w1"
    assert contest_service.target_of(content, "s", {"type": "found", "sentence": 1}) is None
