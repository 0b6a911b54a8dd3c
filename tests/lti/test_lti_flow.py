"""The whole LTI 1.3 flow over HTTP, against the test LMS: a teacher adds a lesson from the
course (deep linking), a student opens it from the course and submits, and the score
arrives in the LMS's gradebook, following the assignment's grading method."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import (
    Assignment,
    Enrollment,
    GradeSend,
    LtiIdentity,
    LtiLink,
    User,
)
from app.services import adjustments, lti_grades
from tests.lti.platform import TestPlatform
from tests.lti.tool_builders import Browser, library, register
from tests.web.results_builders import GANGS, TERRORISTS


def _submit(browser: Browser, assignment_id: int, right: bool):
    """All right (both loaded words, the right frame) or all wrong (nothing marked, the
    wrong frame), through the real form."""
    page = browser.get(f"/assignments/{assignment_id}?q=review")
    assert page.status_code == 200, page.text[:500]
    marks: dict[str, Any] = {"words.w": [str(GANGS), str(TERRORISTS)] if right else [],
                             "frame.choice": "people" if right else "order",
                             "confirm": "unanswered"}
    saved = browser.submit_form(page.text, f"/assignments/{assignment_id}", **marks)
    assert saved.status_code == 200 and "you scored" in saved.text, saved.text[-2000:]
    return saved


def _gradebook(lms: TestPlatform) -> dict[str, float]:
    return {sub: next(iter(items.values())) for sub, items in lms.gradebook("c1").items()}


def _user(sub: str) -> User:
    return db.session.scalar(sa.select(User).join(LtiIdentity).where(
        LtiIdentity.subject == sub))


def _send(app: Flask) -> lti_grades.SendReport:
    with app.app_context():
        return lti_grades.send_due()


def test_deep_link_makes_the_class_assignment_and_a_gradebook_column(app, lms, linked):
    item = lms.deep_link_items[0]
    assert item["custom"] == {"framinglab_assignment": str(linked["assignment_id"])}
    assert item["lineItem"]["scoreMaximum"] == 100
    assert [line["label"] for line in lms.line_items("c1")] == ["Two questions"]
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.role == "teacher"))
        assert teacher.display_name == "Tess Teacher"
        assignment = db.session.get(Assignment, linked["assignment_id"])
        assert assignment.classroom.name == "Civics 10B"
        assert assignment.classroom.teacher_id == teacher.id
        assert teacher.password_hash.startswith("!")  # signs in through the LMS only


def test_student_launch_opens_the_lesson_and_the_score_reaches_the_lms(app, tool, lms,
                                                                       linked):
    student = Browser(tool, lms)
    opened = student.launch("s-1", "c1", linked["link_id"])
    assert opened.status_code == 200
    assert opened.url.endswith(f"/assignments/{linked['assignment_id']}")
    assert "Two questions" in opened.text
    with app.app_context():
        ada = db.session.scalar(sa.select(User).join(LtiIdentity).where(
            LtiIdentity.subject == "s-1"))
        assert ada.role == "student" and ada.display_name == "Ada Lovelace"
        assert db.session.scalar(sa.select(Enrollment.id).where(
            Enrollment.student_id == ada.id)) is not None
        link = db.session.scalar(sa.select(LtiLink))
        assert link.assignment_id == linked["assignment_id"] and link.lineitem_url

    _submit(student, linked["assignment_id"], right=True)
    assert lms.gradebook("c1") == {}  # queued, not sent while the student waits
    assert _send(app).sent == 1
    assert lms.gradebook("c1")["s-1"] == {"Two questions": 1.0}
    score = lms.scores("c1")[-1]
    assert score["userId"] == "s-1" and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    with app.app_context():
        row = db.session.scalar(sa.select(GradeSend))
        assert row.status == "sent" and row.sent_at is not None


@pytest.mark.parametrize(("grading", "expected"), [
    ("highest", 1.0), ("last", 0.0), ("first", 1.0), ("average", 0.5)])
def test_the_lms_gets_the_grade_the_grading_method_gives(app, tool, lms, linked, grading,
                                                         expected):
    with app.app_context():
        db.session.get(Assignment, linked["assignment_id"]).grading = grading
        db.session.commit()
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    _submit(student, linked["assignment_id"], right=True)
    _submit(student, linked["assignment_id"], right=False)
    _send(app)
    assert _gradebook(lms)["s-1"] == pytest.approx(expected)
    with app.app_context():  # the number the teacher's gradebook shows
        shown = adjustments.computed_grade(db.session.get(Assignment, linked["assignment_id"]),
                                           _user("s-1").id).percent
    assert shown == pytest.approx(expected * 100)


def test_a_failed_send_is_retried_and_the_teacher_sees_it(app, tool, lms, linked):
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    lms.fail_next_scores(1, status=503)
    _submit(student, linked["assignment_id"], right=True)
    _send(app)  # whichever send ran first met the failure
    with app.app_context():
        row = db.session.scalar(sa.select(GradeSend))
        assert (row.status, row.tries) == ("pending", 1)
        assert "503" in row.last_error
    page = linked["teacher"].get(f"/teach/assignments/{linked['assignment_id']}/lms").text
    assert "Pending" in page and "503" in page and "1 try" in page
    # The retry waits (1 minute); the teacher's "Send now" does not.
    resent = linked["teacher"].submit_form(page, "/lms/send")
    assert resent.status_code == 200 and "Sent 1 score" in resent.text
    assert _gradebook(lms)["s-1"] == 1.0
    assert "Sent" in resent.text


def test_retries_back_off_then_give_up_as_failed(app, tool, lms, linked):
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    lms.fail_next_scores(20, status=500)
    _submit(student, linked["assignment_id"], right=True)
    for _ in range(6):
        with app.app_context():
            row = db.session.scalar(sa.select(GradeSend))
            row.next_try_at = row.next_try_at.replace(year=2000)  # its wait is over
            db.session.commit()
        _send(app)
    with app.app_context():
        row = db.session.scalar(sa.select(GradeSend))
        assert (row.status, row.tries) == ("failed", 6)
    assert lms.gradebook("c1") == {}
    page = linked["teacher"].get(f"/teach/assignments/{linked['assignment_id']}/lms").text
    assert "Failed" in page


def test_scores_go_out_after_the_response_without_cron(app, tool, lms, linked):
    app.config["LTI_SEND_AFTER_RESPONSE"] = True
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    _submit(student, linked["assignment_id"], right=True)
    deadline = time.monotonic() + 10
    while "s-1" not in lms.gradebook("c1") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gradebook(lms)["s-1"] == 1.0


def test_a_score_that_changes_while_sending_is_sent_again(app, tool, lms, linked):
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    _submit(student, linked["assignment_id"], right=False)
    with app.app_context():
        claimed = lti_grades._claim([GradeSend.status == "pending"], 10)
        _submit(student, linked["assignment_id"], right=True)  # a newer grade, mid-send
        report = lti_grades.SendReport()
        changed = lti_grades._send_claimed(claimed, report)
        assert changed == [claimed[0].id] and report.sent == 0
    assert _send(app).sent == 1
    assert _gradebook(lms)["s-1"] == 1.0


def test_a_send_stops_when_its_time_budget_is_spent(app, tool, lms, linked):
    for sub in ("s-1", "s-2"):
        browser = Browser(tool, lms)
        browser.launch(sub, "c1", linked["link_id"])
        _submit(browser, linked["assignment_id"], right=True)
    with app.app_context():
        report = lti_grades.send_due(budget=-1)  # already out of time: nothing is sent
        assert (report.sent, report.pending) == (0, 2)
        assert lti_grades.send_due().sent == 2  # and nothing was lost: both still due


def test_a_link_made_without_deep_linking_gets_its_column_made_by_the_tool(app, tool, lms):
    register(app, lms)
    lesson_id = library(app)
    lms.add_resource_link("c1", "manual", "Added by hand")  # no line item, no custom
    teacher = Browser(tool, lms)
    picker = teacher.launch("t-1", "c1", "manual")
    assert "Choose a lesson for Civics 10B" in picker.text
    chosen = teacher.submit_form(picker.text, "/lti/pick", lesson_id=lesson_id)
    assert chosen.status_code == 200 and "/results" in chosen.url
    student = Browser(tool, lms)
    opened = student.launch("s-1", "c1", "manual")
    assignment_id = int(opened.url.rstrip("/").rsplit("/", 1)[-1])
    _submit(student, assignment_id, right=True)
    assert lms.line_items("c1") == []
    assert _send(app).sent == 1
    assert [item["resourceLinkId"] for item in lms.line_items("c1")] == ["manual"]
    assert _gradebook(lms)["s-1"] == 1.0
