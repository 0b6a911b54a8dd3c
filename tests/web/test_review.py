"""Review of what was missed, on a built class: the teacher's switch, an attempt that misses
the words for the people, the review item due the next day, its answer (once) and feedback,
the next item after the next gap on a passage never seen, the overview, and who may see
what."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.domain.review_passages import overlaps
from app.extensions import db
from app.models import Classroom, Document, ReviewItem
from tests.helpers import DEFAULT_PASSWORD, START, csrf_token
from tests.web.classes_builders import browser
from tests.web.results_builders import (
    current_version,
    gen_assignment,
    gen_class,
    gen_reading_lesson,
    gen_students,
    gen_user,
    submit_for,
)

DAY = timedelta(days=1)


@pytest.fixture
def world(app, library_readings, fake_clock):
    """Teacher "teach-r" with a class (review off), students "ria" and "sam" in it, and an
    assignment of a one-question lesson on the words for the people."""
    with app.app_context():
        teacher = gen_user("teach-r", role="teacher")
        gen_user("teach-other", role="teacher")
        classroom = gen_class(teacher, name="Review class")
        gen_students(classroom, "ria", "sam")
        lesson = gen_reading_lesson()
        assignment = gen_assignment(classroom, lesson)
        content = current_version(lesson).content
        return {"class_id": classroom.id, "assignment_id": assignment.id,
                "question": content["questions"][0], "excerpt": content["excerpts"][0],
                "version": current_version(lesson).number, "clock": fake_clock}


def _switch(app, world, enabled: str, username: str = "teach-r"):
    teacher = browser(app, username)
    url = f"/teach/classes/{world['class_id']}"
    token = csrf_token(teacher, url if username == "teach-r" else "/")
    with app.app_context():
        version = db.session.get(Classroom, world["class_id"]).edit_version
    return teacher.post(f"{url}/review/switch", data={
        "csrf_token": token, "enabled": enabled, "edit_version": version})


def _miss_people(app, world, username: str = "ria"):
    """The student marks one word that is not loaded ("when") and none of the people's."""
    student = browser(app, username)
    url = f"/assignments/{world['assignment_id']}"
    response = student.post(url, data={
        "csrf_token": csrf_token(student, url), "submission": secrets.token_hex(16),
        "version": world["version"], "words.w": "0"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return student


def _items(app, username: str = "ria") -> list[ReviewItem]:
    with app.app_context():
        from app.models import User
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        items = list(db.session.scalars(sa.select(ReviewItem).where(
            ReviewItem.student_id == user_id).order_by(ReviewItem.id)))
        for item in items:
            db.session.expunge(item)
        return items


def _key_words(item: ReviewItem) -> list[int]:
    return sorted(i for phrase in item.content["questions"][0]["phrases"]
                  for i in phrase["words"])


def test_a_missed_technique_is_reviewed_the_next_day_then_after_the_next_gap(app, world):
    response = _switch(app, world, "1")
    assert response.status_code == 303
    teacher = browser(app, "teach-r")
    assert "Review is <strong>on</strong>" in teacher.get(
        f"/teach/classes/{world['class_id']}").get_data(as_text=True)

    student = _miss_people(app, world)
    (item,) = _items(app)
    assert item.technique == "loaded:people" and item.step == 0
    assert item.due_at == START + DAY
    excerpt = world["excerpt"]
    assert not (item.content["excerpts"][0]["document"] == excerpt["document"]
                and overlaps(item.passage_start, item.passage_end,
                             [(excerpt["start"], excerpt["end"])]))
    assert any(p["about"] == "people" for p in item.content["questions"][0]["phrases"])

    # Not due yet: the lesson list says when; the item cannot be answered.
    page = student.get("/lessons").get_data(as_text=True)
    assert "Nothing to review now." in page and "The next review question is due" in page
    assert "Submit answer" not in student.get(f"/review/{item.id}").get_data(as_text=True)
    early = student.post(f"/review/{item.id}", data={
        "csrf_token": csrf_token(student, "/lessons"), "review.w": "0"})
    assert early.status_code == 409

    world["clock"]["now"] = START + DAY
    student, teacher = browser(app, "ria"), browser(app, "teach-r")  # a new day: log in again
    page = student.get("/lessons").get_data(as_text=True)
    assert "1 review question due" in page
    listing = student.get("/review").get_data(as_text=True)
    assert "Loaded words for the people in the streets" in listing
    question = student.get(f"/review/{item.id}")
    html = question.get_data(as_text=True)
    assert question.status_code == 200 and "Submit answer" in html
    document_title = re.search(r"This passage is from <cite>([^<]+)</cite>", html).group(1)
    assert "Excerpt of <cite>" in html and 'name="review.w"' in html

    # A perfect answer: every key word of the passage, nothing else.
    data = {"csrf_token": csrf_token(student, f"/review/{item.id}"),
            "review.w": [str(i) for i in _key_words(item)]}
    answered = student.post(f"/review/{item.id}", data=data)
    assert answered.status_code == 303
    feedback = student.get(f"/review/{item.id}").get_data(as_text=True)
    assert "You found" in feedback and "Your score:" in feedback
    assert f"This passage is from <cite>{document_title}</cite>" in feedback
    assert "The next review question on this is due" in feedback

    # Sent again (a double click, a resent form): the first answer stands, nothing is added.
    again = student.post(f"/review/{item.id}", data=data)
    assert again.status_code == 409
    assert "this is what was recorded" in again.get_data(as_text=True)
    first, second = _items(app)
    assert first.points == first.max_points and first.answered_at == START + DAY
    assert second.step == 1 and second.due_at == START + DAY + timedelta(days=3)
    assert second.answered_at is None and second.technique == "loaded:people"
    seen = [(first.content["excerpts"][0]["document"], first.passage_start, first.passage_end),
            (excerpt["document"], excerpt["start"], excerpt["end"])]
    document = second.content["excerpts"][0]["document"]
    assert not overlaps(second.passage_start, second.passage_end,
                        [(start, end) for slug, start, end in seen if slug == document])

    overview = teacher.get(f"/teach/classes/{world['class_id']}/review").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">ria</th>(.*?)</tr>", overview, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[:4] == ["0", "1", "1", "100%"]  # due, waiting, done, mean
    assert "Loaded words for the people in the streets" in cells[4]


def test_a_poor_answer_comes_back_the_next_day(app, world):
    _switch(app, world, "1")
    student = _miss_people(app, world)
    (item,) = _items(app)
    world["clock"]["now"] = START + 2 * DAY
    student = browser(app, "ria")
    words = [str(i) for i in range(12) if i not in _key_words(item)][:4]
    response = student.post(f"/review/{item.id}", data={
        "csrf_token": csrf_token(student, f"/review/{item.id}"), "review.w": words})
    assert response.status_code == 303
    first, second = _items(app)
    assert first.points == 0
    assert second.step == 0 and second.due_at == START + 3 * DAY


def test_review_off_shows_and_schedules_nothing(app, world):
    student = _miss_people(app, world)
    assert _items(app) == []
    assert "review-entry" not in student.get("/lessons").get_data(as_text=True)
    assert student.get("/review").status_code == 404

    _switch(app, world, "1")
    _miss_people(app, world)
    (item,) = _items(app)
    world["clock"]["now"] = START + DAY
    student = browser(app, "ria")
    assert student.get(f"/review/{item.id}").status_code == 200
    assert _switch(app, world, "0").status_code == 303
    assert "review-entry" not in student.get("/lessons").get_data(as_text=True)
    assert student.get("/review").status_code == 404
    assert student.get(f"/review/{item.id}").status_code == 404
    assert student.post(f"/review/{item.id}", data={
        "csrf_token": csrf_token(student, "/lessons"), "review.w": "0"}).status_code == 404
    _miss_people(app, world)
    assert len(_items(app)) == 1  # nothing new scheduled while off


def test_only_the_student_and_the_class_teacher_see_it(app, world):
    _switch(app, world, "1")
    _miss_people(app, world)
    (item,) = _items(app)
    world["clock"]["now"] = START + DAY
    other = browser(app, "sam")
    assert other.get(f"/review/{item.id}").status_code == 404
    assert other.post(f"/review/{item.id}", data={
        "csrf_token": csrf_token(other, "/lessons"), "review.w": "0"}).status_code == 404
    assert other.get("/review/999999").status_code == 404
    stranger = browser(app, "teach-other")
    assert stranger.get(f"/teach/classes/{world['class_id']}/review").status_code == 404
    assert _switch(app, world, "0", username="teach-other").status_code == 404
    assert stranger.get(f"/review/{item.id}").status_code == 404
    assert browser(app, "ria").get(
        f"/teach/classes/{world['class_id']}/review").status_code == 403
    assert _items(app)[0].answered_at is None
    with app.app_context():
        assert db.session.get(Classroom, world["class_id"]).review_enabled


def test_bad_forms_are_400_and_keep_the_marks(app, world):
    assert _switch(app, world, "maybe").status_code == 400
    _switch(app, world, "1")
    student = _miss_people(app, world)
    (item,) = _items(app)
    world["clock"]["now"] = START + DAY
    student = browser(app, "ria")
    token = csrf_token(student, f"/review/{item.id}")
    key = _key_words(item)
    response = student.post(f"/review/{item.id}", data={
        "csrf_token": token, "review.w": [str(key[0]), "99999"]})
    assert response.status_code == 400
    assert f'value="{key[0]}" checked' in response.get_data(as_text=True)
    assert student.post(f"/review/{item.id}", data={
        "csrf_token": token, "sneaky": "1"}).status_code == 400
    assert student.post(f"/review/{item.id}", data={"csrf_token": token}).status_code == 400
    expired = student.post(f"/review/{item.id}", data={"review.w": str(key[0])})
    assert expired.status_code == 400
    assert f'value="{key[0]}" checked' in expired.get_data(as_text=True)
    assert _items(app)[0].answered_at is None


def test_marks_posted_after_the_login_ended_come_back_after_logging_in(app, world):
    """Nothing typed is lost: an answer posted once the login has timed out is kept in the
    browser (signed, for that account only), and comes back in the form after logging in;
    nothing is recorded until the student submits again."""
    _switch(app, world, "1")
    _miss_people(app, world)
    (item,) = _items(app)
    world["clock"]["now"] = START + DAY
    student = browser(app, "ria")
    token = csrf_token(student, f"/review/{item.id}")
    key = _key_words(item)
    world["clock"]["now"] = START + DAY + timedelta(hours=2)  # idle past the time-out
    response = student.post(f"/review/{item.id}", data={
        "csrf_token": token, "review.w": [str(key[0])]},
        headers={"Origin": "http://localhost"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert _items(app)[0].answered_at is None
    page = student.get(f"/review/{item.id}")
    assert page.status_code == 302  # logged out: log in first
    # The same browser logs in again and opens the question: the marks are back, unsaved.
    assert student.post("/auth/login", data={
        "csrf_token": csrf_token(student, "/auth/login"), "username": "ria",
        "password": DEFAULT_PASSWORD}).status_code == 302
    page = student.get(f"/review/{item.id}").get_data(as_text=True)
    assert "Your marks from before you were logged out are back" in page
    assert f'value="{key[0]}" checked' in page
    assert _items(app)[0].answered_at is None
    # Taken once: the question opens blank the next time.
    assert f'value="{key[0]}" checked' not in student.get(
        f"/review/{item.id}").get_data(as_text=True)


def test_no_review_names_a_miss_before_the_attempts_answers_may_be_shown(app, world):
    """An assignment that shows answers only after its due date gets its first review then
    (not the next day); one that never shows them gets none."""
    from app.models import Assignment

    _switch(app, world, "1")
    due = START + 5 * DAY
    with app.app_context():
        assignment = db.session.get(Assignment, world["assignment_id"])
        assignment.feedback, assignment.due_at = "after_due", due
        db.session.commit()
    _miss_people(app, world, "ria")
    (item,) = _items(app, "ria")
    assert item.due_at == due
    with app.app_context():
        assignment = db.session.get(Assignment, world["assignment_id"])
        assignment.feedback = "never"
        db.session.commit()
    _miss_people(app, world, "sam")
    assert _items(app, "sam") == []


def test_a_new_miss_brings_an_open_item_forward_instead_of_adding_one(app, world):
    _switch(app, world, "1")
    with app.app_context():
        from app.models import Assignment, User
        ria = db.session.scalar(sa.select(User).where(User.username == "ria"))
        assignment = db.session.get(Assignment, world["assignment_id"])
        submit_for(ria, assignment, {"words": {"words": [0]}})
        item = db.session.scalar(sa.select(ReviewItem))
        item.step, item.due_at = 2, START + 10 * DAY
        db.session.commit()
        world["clock"]["now"] = START + 2 * DAY
        submit_for(ria, assignment, {"words": {"words": [0]}})
        (item,) = db.session.scalars(sa.select(ReviewItem)).all()
        assert (item.step, item.due_at) == (0, START + 3 * DAY)
        # A found technique schedules nothing.
        sam = db.session.scalar(sa.select(User).where(User.username == "sam"))
        key = [i for p in world["question"]["phrases"] for i in p["words"]]
        submit_for(sam, assignment, {"words": {"words": key}})
        assert db.session.scalar(sa.select(sa.func.count(ReviewItem.id)).where(
            ReviewItem.student_id == sam.id)) == 0


def test_no_unseen_passage_left_ends_the_review_and_says_so(app, world):
    _switch(app, world, "1")
    _miss_people(app, world)
    (item,) = _items(app)
    with app.app_context():
        # Earlier review passages that cover every document whole: nothing is unseen.
        for document in db.session.scalars(sa.select(Document)):
            db.session.add(ReviewItem(
                student_id=item.student_id, classroom_id=item.classroom_id,
                technique="sourcing:no_source", document_id=document.id, passage_start=0,
                passage_end=len(document.text), content=item.content, due_at=START,
                answered_at=START, points=1, max_points=1, verdicts=[]))
        db.session.commit()
    world["clock"]["now"] = START + DAY
    student = browser(app, "ria")
    assert student.post(f"/review/{item.id}", data={
        "csrf_token": csrf_token(student, f"/review/{item.id}"),
        "review.w": [str(i) for i in _key_words(item)]}).status_code == 303
    page = student.get(f"/review/{item.id}").get_data(as_text=True)
    assert "Every passage on this that you have not read yet has been used" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ReviewItem.id)).where(
            ReviewItem.answered_at.is_(None))) == 0


def test_two_answers_racing_record_the_first_only(app, world):
    """The second of two requests that both read the item unanswered stores nothing."""
    from sqlalchemy.orm.attributes import set_committed_value

    from app.services import review as review_service

    _switch(app, world, "1")
    _miss_people(app, world)
    (item,) = _items(app)
    with app.app_context():
        first = db.session.get(ReviewItem, item.id)
        review_service.answer(first, {"words": _key_words(item)}, now=START + DAY)
        stale = db.session.get(ReviewItem, item.id)
        set_committed_value(stale, "answered_at", None)  # as read before the first commit
        with pytest.raises(review_service.AlreadyAnswered):
            review_service.answer(stale, {"words": [0]}, now=START + DAY)
        stored = db.session.get(ReviewItem, item.id)
        assert stored.points == stored.max_points and stored.response == {
            "words": _key_words(item)}
        assert db.session.scalar(sa.select(sa.func.count(ReviewItem.id))) == 2
