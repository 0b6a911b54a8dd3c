"""Roster (NRPS), access tokens, key rotation on both sides, grade changes after the first
send, the teacher's pages, and pages inside the LMS's iframe."""

from __future__ import annotations

import time
from dataclasses import replace

import sqlalchemy as sa
from flask import session

from app.extensions import db
from app.lti import frames
from app.lti import tool as lti_tool
from app.models import Assignment, Enrollment, GradeSend, LtiIdentity, User
from app.services import adjustments, lti_grades, lti_keys
from tests.lti.platform import LEARNER
from tests.lti.tool_builders import Browser
from tests.web.results_builders import GANGS, TERRORISTS


def _submit(browser: Browser, assignment_id: int, right: bool) -> None:
    page = browser.get(f"/assignments/{assignment_id}?q=review")
    marks = {"words.w": [str(GANGS), str(TERRORISTS)] if right else [],
             "frame.choice": "people" if right else "order", "confirm": "unanswered"}
    saved = browser.submit_form(page.text, f"/assignments/{assignment_id}", **marks)
    assert saved.status_code == 200, saved.text[-1000:]


def _user(sub: str) -> User:
    return db.session.scalar(sa.select(User).join(LtiIdentity).where(
        LtiIdentity.subject == sub))


def test_the_teacher_fills_the_roster_from_the_lms_following_its_pages(app, tool, lms,
                                                                        linked):
    lms.page_size = 2
    for number in range(3, 8):
        lms.add_user(f"s-{number}", [], name=f"Student {number}")
        lms.enrol("c1", f"s-{number}", [LEARNER])
    lms.set_status("c1", "s-7", "Inactive")
    teacher = linked["teacher"]
    with app.app_context():
        class_id = db.session.get(Assignment, linked["assignment_id"]).classroom_id
    page = teacher.get(f"/teach/classes/{class_id}").text
    assert "Fill the roster from the LMS" in page
    filled = teacher.submit_form(page, "/lms-roster")
    assert filled.status_code == 200
    assert "Added 6 students from the LMS" in filled.text  # s-1..s-6; not the teacher
    assert "1 inactive in the LMS" in filled.text
    with app.app_context():
        members = db.session.scalars(sa.select(User.display_name).join(
            Enrollment, Enrollment.student_id == User.id).where(
            Enrollment.classroom_id == class_id))
        assert sorted(members)[:2] == ["Ada Lovelace", "Bo Diddley"]
    again = teacher.submit_form(teacher.get(f"/teach/classes/{class_id}").text, "/lms-roster")
    assert "Added 0 students from the LMS; 6 already in the class" in again.text


def test_access_tokens_are_reused_while_valid_and_renewed_after(app, tool, lms, linked):
    lti_tool.forget_tokens()
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    other = Browser(tool, lms)
    other.launch("s-2", "c1", linked["link_id"])
    _submit(student, linked["assignment_id"], right=True)
    _submit(other, linked["assignment_id"], right=False)
    with app.app_context():
        assert lti_grades.send_due().sent == 2
    assert lms.tokens_issued == 1  # one token for both scores

    lti_tool.forget_tokens()
    lms.token_lifetime = 1  # too short to keep: the tool asks for a token per send
    _submit(other, linked["assignment_id"], right=True)  # 0% -> 100% (highest)
    with app.app_context():
        assert lti_grades.send_due().sent == 1
    time.sleep(1.1)
    with app.app_context():
        assignment = db.session.get(Assignment, linked["assignment_id"])
        teacher = db.session.get(User, assignment.classroom.teacher_id)
        adjustments.set_override(assignment, _user("s-1"), 55.0, "", teacher)
        assert lti_grades.send_due().sent == 1
    assert lms.tokens_issued == 3
    assert lms.gradebook("c1")["s-1"] == {"Two questions": 0.55}


def test_a_refused_token_request_leaves_the_score_pending(app, tool, lms, linked):
    lti_tool.forget_tokens()
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    lms.fail_next_tokens(1, status=503)
    _submit(student, linked["assignment_id"], right=True)
    with app.app_context():
        report = lti_grades.send_due()
        row = db.session.scalar(sa.select(GradeSend))
        assert report.pending == 1 and row.status == "pending" and "token" in row.last_error


def test_the_platform_rotating_its_key_is_picked_up(app, tool, lms, linked):
    before = lms.jwks_fetches
    lms.rotate_key(keep_old=False)
    response = Browser(tool, lms).launch("s-1", "c1", linked["link_id"])
    assert response.status_code == 200
    assert lms.jwks_fetches == before + 1  # fetched again for the new key id, once


def test_the_tools_new_key_signs_and_the_lms_still_verifies(app, tool, lms, linked):
    with app.app_context():
        old = lti_keys.signing_key().kid
        lti_keys.rotate()
        db.session.commit()
        new = lti_keys.signing_key().kid
        published = [key["kid"] for key in lti_keys.public_key_set()["keys"]]
    assert new != old and published == [new, old]
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    _submit(student, linked["assignment_id"], right=True)
    lti_tool.forget_tokens()
    with app.app_context():
        assert lti_grades.send_due().sent == 1  # the token request, signed with the new key
    assert lms.tokens_issued == 1 and "error" not in lms.token_requests[-1]


def test_an_override_and_a_new_grading_method_reach_the_lms(app, tool, lms, linked):
    student = Browser(tool, lms)
    student.launch("s-1", "c1", linked["link_id"])
    _submit(student, linked["assignment_id"], right=True)
    _submit(student, linked["assignment_id"], right=False)
    with app.app_context():
        lti_grades.send_due()
    assert lms.gradebook("c1")["s-1"] == {"Two questions": 1.0}  # highest
    with app.app_context():
        assignment = db.session.get(Assignment, linked["assignment_id"])
        teacher = db.session.get(User, assignment.classroom.teacher_id)
        adjustments.set_override(assignment, _user("s-1"), 40.0, "Talked it through", teacher)
        lti_grades.send_due()
    assert lms.gradebook("c1")["s-1"] == {"Two questions": 0.4}
    with app.app_context():
        assignment = db.session.get(Assignment, linked["assignment_id"])
        adjustments.clear_override(assignment, _user("s-1"))
        from app.services.assignments import Rules, update_assignment
        update_assignment(assignment, replace(Rules.of(assignment), grading="last"))
        lti_grades.send_due()
    assert lms.gradebook("c1")["s-1"] == {"Two questions": 0.0}


def test_another_teacher_cannot_see_or_resend_the_lms_scores(app, tool, lms, linked,
                                                             make_user, auth, client):
    make_user("teacher9", role="teacher")
    auth.login("teacher9")
    url = f"/teach/assignments/{linked['assignment_id']}/lms"
    assert client.get(url).status_code == 404
    assert client.post(url + "/send", data={}).status_code in (400, 404)


def test_a_launched_session_may_be_framed_by_its_lms_only(app, tool, lms, linked):
    student = Browser(tool, lms)
    page = student.launch("s-1", "c1", linked["link_id"])
    policy = page.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {lms.issuer}" in policy
    assert "X-Frame-Options" not in page.headers
    outside = Browser(tool, lms).get("/")  # a session that did not come from the LMS
    assert "frame-ancestors 'none'" in outside.headers["Content-Security-Policy"]
    assert outside.headers["X-Frame-Options"] == "DENY"


def test_over_https_a_launched_sessions_cookie_works_inside_another_sites_frame(app):
    interface = frames.LtiAwareSessionInterface()
    app.config["SESSION_COOKIE_SECURE"] = True
    with app.test_request_context("/", base_url="https://framinglab.example"):
        assert interface.get_cookie_samesite(app) == "Lax"
        session[frames.SESSION_KEY] = ["https://lms.example"]
        assert interface.get_cookie_samesite(app) == "None"
        assert interface.get_cookie_partitioned(app) is True
    app.config["SESSION_COOKIE_SECURE"] = False  # plain HTTP: SameSite=None would be dropped
    with app.test_request_context("/"):
        session[frames.SESSION_KEY] = ["https://lms.example"]
        assert interface.get_cookie_samesite(app) == "Lax"


def test_framing_origins_are_plain_origins_only():
    assert frames.origin_of("https://LMS.example:8443/course/1?x=y") == \
        "https://lms.example:8443"
    for bad in ("javascript:alert(1)", "https://a.example;script-src *", "https://u@a.example",
                "", None, "data:text/html,x", "https://*.example"):
        assert frames.origin_of(bad) is None


def test_accounts_and_classes_from_a_roster_import_are_found_by_their_sis_ids(app, tool,
                                                                              lms):
    from app.models import Classroom
    from tests.lti.tool_builders import library, register
    from tests.web.results_builders import gen_class, gen_enrollment, gen_user
    register(app, lms)
    lesson_id = library(app)
    with app.app_context():  # what a OneRoster import made
        teacher = gen_user("t.teacher", role="teacher", sourced_id="T-100")
        student = gen_user("a.lovelace", sourced_id="S-200")
        classroom = gen_class(teacher, name="Civics 10B (SIS)", sourced_id="SEC-9")
        gen_enrollment(classroom, student)
        ids = (teacher.id, student.id, classroom.id)
        users_before = db.session.scalar(sa.select(sa.func.count(User.id)))
    lis = "https://purl.imsglobal.org/spec/lti/claim/lis"
    lms.next_token_override({lis: {"person_sourcedid": "T-100",
                                   "course_section_sourcedid": "SEC-9"}})
    browser = Browser(tool, lms)
    picker = browser.launch("t-1", "c1", deep_link=True)
    assert "Civics 10B (SIS)" in picker.text
    back = browser.submit_form(picker.text, "/lti/pick", lesson_id=lesson_id)
    browser.submit_form(back.text, "/deep-link-return")
    link_id = lms.deep_link_accepted[0]["link_ids"][0]
    lms.next_token_override({lis: {"person_sourcedid": "S-200",
                                   "course_section_sourcedid": "SEC-9"}})
    opened = Browser(tool, lms).launch("s-1", "c1", link_id)
    assert opened.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == users_before
        assert _user("t-1").id == ids[0] and _user("s-1").id == ids[1]
        assignment = db.session.scalar(sa.select(Assignment))
        assert assignment.classroom_id == ids[2]
        assert db.session.scalar(sa.select(sa.func.count(Classroom.id))) == 1


def test_two_registrations_of_one_issuer_never_share_an_access_token(app):
    from pylti1p3.registration import Registration
    first = lti_tool.Connector(Registration().set_issuer("https://canvas.instructure.com")
                               .set_client_id("1000").set_auth_token_url("https://a/token"))
    second = lti_tool.Connector(Registration().set_issuer("https://canvas.instructure.com")
                                .set_client_id("2000").set_auth_token_url("https://a/token"))
    scopes = ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]
    lti_tool.forget_tokens()
    first._cache_access_token(first._scope_key(scopes), "token-of-1000", 3600)
    assert first._get_cached_access_token(first._scope_key(scopes)) == "token-of-1000"
    assert second._get_cached_access_token(second._scope_key(scopes)) is None
    lti_tool.forget_tokens()


def test_expired_launch_state_is_swept_at_the_next_launch(app, tool, lms, linked):
    from datetime import timedelta

    from app.models import LtiStoredValue
    from app.models.types import utcnow
    with app.app_context():
        db.session.add(LtiStoredValue(key="lti1p3-old", value=True,
                                      expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    Browser(tool, lms).launch("s-1", "c1", linked["link_id"])
    with app.app_context():
        assert db.session.get(LtiStoredValue, "lti1p3-old") is None
