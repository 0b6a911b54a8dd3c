"""Privacy: a student's data download, deleting a student with every row, retention."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import Assignment, Attempt, AttemptAnswer, Contest, Document, Lesson, User, utcnow
from app.models.security import LoginFailure
from tests.web.classes_builders import browser, post, text
from tests.web.results_builders import (
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_user,
    load_documents,
    small_responses,
)


@pytest.fixture
def world(app):
    """Teacher A's class with students ann and bob, each with an attempt; teacher B apart."""
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        gen_user("admin-1", role="admin")
        ann, bob = gen_user("ann"), gen_user("bob")
        classroom = gen_class(teacher, name="Media 10B")
        gen_enrollment(classroom, ann)
        gen_enrollment(classroom, bob)
        assignment = gen_assignment(classroom, gen_lesson())
        gen_attempt(ann, assignment, small_responses(words=[1, 5], choice="people"))
        gen_attempt(bob, assignment, small_responses(words=[0], choice="order"))
        return {"ann": ann.id, "bob": bob.id, "teacher": teacher.id}


def rows_naming(app, user_id: int) -> dict[str, int]:
    """Rows in any table whose user reference is ``user_id``, plus the user row itself."""
    users = db.metadata.tables["users"]
    columns = [column for table in db.metadata.tables.values() for column in table.columns
               if any(key.references(users) for key in column.foreign_keys)]
    with app.app_context():
        found = {column.table.name + "." + column.name: db.session.scalar(
            sa.select(sa.func.count()).select_from(column.table).where(column == user_id))
            for column in columns}
        found["users"] = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.id == user_id))
        return {name: count for name, count in found.items() if count}


def test_student_downloads_all_their_data_and_nothing_of_others(app, world):
    client = browser(app, "ann")
    assert 'href="/me/data"' in text(client.get("/results"))
    page = client.get("/me/data")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Download my data (JSON)" in text(page)

    response = client.get("/me/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(text(response))
    assert data["account"]["username"] == "ann" and data["account"]["role"] == "student"
    assert "password" not in json.dumps(data["account"])
    assert [c["name"] for c in data["classes"]] == ["Media 10B"]
    [attempt] = data["attempts"]
    assert (attempt["score"], attempt["max_score"]) == (3.0, 3.0)
    answers = {a["question"]: a for a in attempt["answers"]}
    assert answers["words"]["response"] == {"words": [1, 5]}
    assert answers["frame"]["response"]["choice"] == "people"
    assert answers["words"]["verdicts"]
    assert "bob" not in text(response) and '"order"' not in text(response)




def test_my_data_holds_my_disagreements_and_nobody_elses(app, world):
    with app.app_context():
        for name, reason in (("ann", "Ann thinks it judges."), ("bob", "Bob's private reason.")):
            attempt = db.session.scalar(sa.select(Attempt).where(
                Attempt.user_id == world[name]))
            document = db.session.scalar(sa.select(Document))
            db.session.add(Contest(
                student_id=world[name], attempt_id=attempt.id, lesson_id=attempt.lesson_id,
                lesson_version=1, question_id="words", document_id=document.id,
                span_start=0, span_end=3, span_text="The", verdict="wrong", reason=reason))
        db.session.commit()
    data = json.loads(text(browser(app, "ann").get("/me/data.json")))
    [attempt] = data["attempts"]
    [mine] = attempt["disagreements"]
    assert mine["reason"] == "Ann thinks it judges." and mine["status"] == "open"
    assert mine["passage"] == "The" and mine["key_said"] == "wrong"
    assert "Bob's private reason." not in json.dumps(data)

# Every text of SMALL_LESSON's key that is not on the quiz page: neutral wordings, reasons
# and the frames' feedback. Holding these, a student could write a perfect second attempt.
SMALL_KEY = ("groups", "attackers", "Brands the people as criminals.",
             "The gravest label, with no evidence.", "It says so itself.", "Not here.",
             "Nothing about the economy.")


def strings_in(value) -> list[str]:
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [str(key), *strings_in(item)]]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return [str(value)]


@pytest.mark.parametrize("rules", [{"feedback": "never"},
                                   {"feedback": "after_due", "due_in": timedelta(days=2)}],
                         ids=["never", "after-the-due-date"])
def test_my_data_hides_the_key_while_the_feedback_page_does(app, world, rules):
    with app.app_context():
        ann = db.session.get(User, world["ann"])
        teacher = db.session.get(User, world["teacher"])
        due_at = utcnow() + rules["due_in"] if "due_in" in rules else None
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "two-questions"))
        hidden = gen_assignment(gen_class(teacher, name="Media 11"), lesson,
                                feedback=rules["feedback"], due_at=due_at)
        gen_enrollment(hidden.classroom, ann)
        attempt = gen_attempt(ann, hidden, small_responses(words=[1, 5], choice="order"))
        attempt_id, assignment_id = attempt.id, hidden.id
    client = browser(app, "ann")
    page = text(client.get(f"/attempts/{attempt_id}"))
    assert "Your score: <strong>2 out of 3</strong>" in page
    assert not [snippet for snippet in SMALL_KEY if snippet in page]

    exported = json.loads(text(client.get("/me/data.json")))
    [mine] = [a for a in exported["attempts"] if a["id"] == attempt_id]
    assert (mine["score"], mine["max_score"]) == (2.0, 3.0)  # the page shows the total too
    assert "answers and explanations" in mine["answers_hidden"]
    answers = {a["question"]: a for a in mine["answers"]}
    assert answers["frame"] == {"question": "frame", "kind": "framing",
                                "response": {"choice": "order", "words": []}}
    assert answers["words"]["response"] == {"words": [1, 5]}
    leaked = [s for s in SMALL_KEY for found in strings_in(mine) if s in found]
    assert leaked == [] and "verdicts" not in json.dumps(mine) and "points" not in answers["words"]
    # The attempt shown in full (the class's "immediately" assignment) still has its key.
    [shown] = [a for a in exported["attempts"] if a["id"] != attempt_id]
    assert "answers_hidden" not in shown
    assert any("Brands the people as criminals." in s for s in strings_in(shown))

    if rules["feedback"] == "after_due":
        with app.app_context():
            db.session.get(Assignment, assignment_id).due_at = utcnow() - timedelta(minutes=1)
            db.session.commit()
        exported = json.loads(text(client.get("/me/data.json")))
        [mine] = [a for a in exported["attempts"] if a["id"] == attempt_id]
        assert "answers_hidden" not in mine
        assert any("Brands the people as criminals." in s for s in strings_in(mine))


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/me/data.json")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_teacher_deletes_a_student_with_every_row(app, world):
    teacher = browser(app, "teacher-a")
    roster = text(teacher.get(f"/teach/classes/{_class_id(app)}"))
    url = f"/students/{world['ann']}/delete"
    assert url in roster
    browser(app, "ann")  # a login leaves a server-side session row, where there are any
    before = rows_naming(app, world["ann"])
    assert {"attempts.user_id", "enrollments.student_id", "users"} <= before.keys()
    if "user_sessions" in db.metadata.tables:
        assert "user_sessions.user_id" in before

    page = teacher.get(url)
    assert page.status_code == 200 and "cannot be undone" in text(page)
    wrong = post(teacher, url, {"confirm": "bob"}, token_from=url)
    assert wrong.status_code == 400 and "nothing was deleted" in text(wrong)
    assert rows_naming(app, world["ann"])

    response = post(teacher, url, {"confirm": "Ann"}, token_from=url)
    assert response.status_code == 303
    assert "ann and all their data were deleted" in text(teacher.get(response.headers["Location"]))
    assert rows_naming(app, world["ann"]) == {}
    with app.app_context():
        # Every answer left belongs to an attempt still there (bob's).
        orphans = db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer)
                                    .where(AttemptAnswer.attempt_id.not_in(
                                        sa.select(Attempt.id))))
        assert orphans == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer)) == 2
    assert rows_naming(app, world["bob"]).keys() == {"attempts.user_id",
                                                     "enrollments.student_id", "users"}


def test_deleting_a_student_forgets_their_failed_logins(app, world):
    """Failed logins are counted under the name typed; deleting ann removes hers too."""
    for _ in range(2):
        guess = app.test_client()
        response = post(guess, "/auth/login", {"username": "ann", "password": "wrong-guess-1"},
                        token_from="/auth/login")
        assert response.status_code == 200 and "Invalid username or password." in text(response)
    assert _failed_logins(app, "ann") == 2
    teacher = browser(app, "teacher-a")
    url = f"/students/{world['ann']}/delete"
    assert post(teacher, url, {"confirm": "ann"}, token_from=url).status_code == 303
    assert _failed_logins(app, "ann") == 0


def _failed_logins(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure).where(
            LoginFailure.scope == "account", LoginFailure.key == username))


def test_the_delete_form_needs_a_csrf_token(app, world):
    teacher = browser(app, "teacher-a")
    response = teacher.post(f"/students/{world['ann']}/delete", data={"confirm": "ann"})
    assert response.status_code == 400
    assert rows_naming(app, world["ann"])


@pytest.mark.parametrize("who", ["teacher-b", "bob", "ann"])
def test_only_their_teacher_or_an_admin_may_delete_a_student(app, world, who):
    client = browser(app, who)
    url = f"/students/{world['ann']}/delete"
    assert client.get(url).status_code == 403
    assert post(client, url, {"confirm": "ann"}).status_code == 403
    assert rows_naming(app, world["ann"])


def test_admin_deletes_any_student_but_not_a_teacher(app, world):
    with app.app_context():
        loner = gen_user("loner").id
    admin = browser(app, "admin-1")
    url = f"/students/{loner}/delete"
    assert post(admin, url, {"confirm": "loner"}, token_from=url).status_code == 303
    assert rows_naming(app, loner) == {}
    assert admin.get(f"/students/{world['teacher']}/delete").status_code == 403
    assert admin.get("/students/999999/delete").status_code == 404


def _class_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.text("SELECT id FROM classes"))


def _age_attempts(app, days: int, username: str) -> None:
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        db.session.execute(sa.update(Attempt).where(Attempt.user_id == user_id)
                           .values(submitted_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def _attempt_owners(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(User.username).join(
            Attempt, Attempt.user_id == User.id)))


def test_purge_removes_only_attempts_older_than_the_period(app, world, runner):
    _age_attempts(app, 400, "ann")
    _age_attempts(app, 10, "bob")
    result = runner.invoke(args=["privacy", "purge", "--days", "365"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 attempts and 2 answers" in result.output
    assert _attempt_owners(app) == ["bob"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer)) == 2


def test_purge_without_a_retention_period_keeps_everything(app, world, runner):
    _age_attempts(app, 4000, "ann")
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "kept forever" in result.output
    assert _attempt_owners(app) == ["ann", "bob"]


def test_retention_period_comes_from_the_environment(app, world, monkeypatch, tmp_path):
    monkeypatch.setenv("ATTEMPT_RETENTION_DAYS", "30")
    settings = TestConfig.settings(tmp_path)
    settings.pop("ATTEMPT_RETENTION_DAYS")
    configured = create_app({**settings,
                             "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert configured.config["ATTEMPT_RETENTION_DAYS"] == 30
    _age_attempts(app, 31, "ann")
    result = configured.test_cli_runner().invoke(args=["privacy", "purge"])
    assert "Deleted 1 attempts" in result.output and "(30 days)" in result.output
    assert _attempt_owners(app) == ["bob"]
    with configured.app_context():
        db.engine.dispose()
