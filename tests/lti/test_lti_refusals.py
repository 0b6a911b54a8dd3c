"""Every launch the tool must refuse gets a clear page with the right status, never a
500, and signs nobody in: bad signature, wrong audience, replayed nonce, expired token,
unknown deployment, unregistered LMS, blocked cookies, and roles that may not do this."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Enrollment, LtiIdentity, LtiPlatform, User
from tests.lti.platform import INSTRUCTOR, LEARNER
from tests.lti.tool_builders import Browser, register


def _launch_fails(browser: Browser, status: int, *phrases: str, **launch) -> str:
    response = browser.launch(**launch)
    assert response.status_code == status, (response.status_code, response.text[:800])
    page = response.text
    for phrase in phrases:
        assert phrase in page, page[:3000]
    assert "Log out" not in page  # nobody was signed in
    return page


def _nobody_linked(app) -> None:
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LtiIdentity.id))) == 0


@pytest.fixture
def registered(app, lms):
    register(app, lms)
    return lms


STUDENT = {"sub": "s-1", "context_id": "c1", "deep_link": True}


def test_a_launch_signed_with_a_key_the_lms_does_not_publish_is_refused(app, tool,
                                                                      registered):
    registered.sign_with_unknown_key()
    _launch_fails(Browser(tool, registered), 400, "signed with an unknown key", **STUDENT)
    _nobody_linked(app)


def test_a_tampered_signature_is_refused(app, tool, registered):
    registered.unsigned()
    _launch_fails(Browser(tool, registered), 400, "not valid", **STUDENT)
    _nobody_linked(app)


def test_a_launch_for_another_tool_is_refused(app, tool, registered):
    registered.wrong_audience()
    _launch_fails(Browser(tool, registered), 400, "Framing Lab", **STUDENT)
    _nobody_linked(app)


def test_an_expired_launch_is_refused(app, tool, registered):
    registered.expired()
    _launch_fails(Browser(tool, registered), 400, "The launch has expired", **STUDENT)
    _nobody_linked(app)


def test_an_unknown_deployment_is_refused(app, tool, registered):
    registered.unknown_deployment()
    _launch_fails(Browser(tool, registered), 400, "deployment", **STUDENT)
    _nobody_linked(app)


def test_a_launch_without_a_nonce_is_refused(app, tool, registered):
    registered.missing_nonce()
    _launch_fails(Browser(tool, registered), 400, "nonce", **STUDENT)


def test_a_replayed_launch_is_refused(app, tool, registered):
    browser = Browser(tool, registered)
    login_url, params = registered.login_initiation("t-1", "c1", deep_link=True)
    to_lms = browser.session.get(login_url, params=params, allow_redirects=False)
    action, fields = browser.auth_form(to_lms.headers["Location"])
    first = browser.session.post(action, data=fields)
    assert first.status_code == 200 and "Choose a lesson" in first.text
    again = browser.session.post(action, data=fields)  # the same id_token, posted twice
    assert again.status_code == 400 and "already used" in again.text
    stranger = Browser(tool, registered)  # or by someone who copied it
    stolen = stranger.session.post(action, data=fields)
    assert stolen.status_code == 400 and "Log out" not in stolen.text


def _login_fails(browser: Browser, platform) -> str:
    """The login initiation itself is refused (before any redirect to the LMS)."""
    login_url, params = platform.login_initiation("s-1", "c1", deep_link=True)
    response = browser.session.get(login_url, params=params, allow_redirects=False)
    assert response.status_code == 400, response.text[:500]
    return response.text


def test_an_unregistered_lms_is_refused_with_what_to_do(app, tool, lms):
    page = _login_fails(Browser(tool, lms), lms)
    assert "not registered with Framing Lab" in page and "LMS connections" in page


def test_a_deleted_registration_stops_launches(app, tool, registered):
    browser = Browser(tool, registered)
    login_url, params = registered.login_initiation("s-1", "c1", deep_link=True)
    to_lms = browser.session.get(login_url, params=params, allow_redirects=False)
    with app.app_context():  # deleted while the person was at the LMS's login step
        db.session.delete(db.session.scalar(sa.select(LtiPlatform)))
        db.session.commit()
    response = browser.post_auth_form(to_lms.headers["Location"])
    assert response.status_code == 400 and "not registered" in response.text
    assert "not registered" in _login_fails(Browser(tool, registered), registered)


def test_blocked_cookies_offer_a_new_window(app, tool, registered):
    browser = Browser(tool, registered)
    login_url, params = registered.login_initiation("s-1", "c1", deep_link=True)
    to_lms = browser.session.get(login_url, params=params, allow_redirects=False)
    browser.session.cookies.clear()  # the frame's cookies were never kept
    action, fields = browser.auth_form(to_lms.headers["Location"])
    response = browser.session.post(action, data=fields)
    assert response.status_code == 400
    assert "did not keep the launch" in response.text
    assert "Open Framing Lab in a new window" in response.text
    assert "lti1p3_new_window=1" in response.text and 'target="_blank"' in response.text


def test_the_lms_own_error_is_shown_not_a_crash(app, tool, registered):
    browser = Browser(tool, registered)
    response = browser.session.post(tool + "/lti/launch", data={
        "error": "login_required", "error_description": "Not logged in to the LMS",
        "state": "x"})
    assert response.status_code == 400
    assert "Not logged in to the LMS" in response.text


@pytest.mark.parametrize("data", [{}, {"id_token": "x.y"}, {"id_token": "a.b.c", "state": "s"},
                                  {"id_token": "é" * 5000, "state": "s"}])
def test_garbage_posted_to_the_launch_gets_400(tool, registered, data):
    browser = Browser(tool, registered)
    assert browser.session.post(tool + "/lti/launch", data=data).status_code == 400


def test_a_login_without_issuer_or_hint_gets_400(tool, registered):
    browser = Browser(tool, registered)
    assert browser.session.get(tool + "/lti/login").status_code == 400
    response = browser.session.get(tool + "/lti/login", params={"iss": registered.issuer,
                                                                "client_id": "nope",
                                                                "login_hint": "x"})
    assert response.status_code == 400 and "not registered" in response.text


def test_a_learner_cannot_add_content(app, tool, registered):
    # The teacher's launch makes the class; then a learner opens the content picker.
    Browser(tool, registered).launch("t-1", "c1", deep_link=True)
    _launch_fails(Browser(tool, registered), 403, "Only a teacher", sub="s-1",
                  context_id="c1", deep_link=True)


def test_a_learner_before_any_teacher_is_told_to_wait(app, tool, registered):
    registered.add_resource_link("c1", "manual", "Added by hand")
    response = Browser(tool, registered).launch("s-1", "c1", "manual")
    assert response.status_code == 409
    assert "Your teacher has not opened Framing Lab from this course yet" in response.text


def test_an_account_never_changes_role_from_a_launch(app, tool, registered):
    registered.add_resource_link("c1", "manual", "Added by hand")
    Browser(tool, registered).launch("t-1", "c1", "manual")  # makes the class
    assert Browser(tool, registered).launch("s-1", "c1", "manual").status_code == 409
    registered.enrol("c1", "s-1", [INSTRUCTOR])  # the LMS now says s-1 teaches
    page = Browser(tool, registered).launch("s-1", "c1", deep_link=True)
    assert page.status_code == 403 and "student account" in page.text
    with app.app_context():
        user = db.session.scalar(sa.select(User).join(LtiIdentity).where(
            LtiIdentity.subject == "s-1"))
        assert user.role == "student"


def test_a_second_instructor_is_told_whose_class_it_is(app, tool, registered):
    registered.add_user("t-2", [], name="Other Teacher")
    registered.enrol("c1", "t-2", [INSTRUCTOR])
    Browser(tool, registered).launch("t-1", "c1", deep_link=True)
    page = Browser(tool, registered).launch("t-2", "c1", deep_link=True)
    assert page.status_code == 403 and "belongs to Tess Teacher" in page.text


def test_a_link_copied_from_another_course_does_not_open_its_assignment(app, tool, lms,
                                                                       linked):
    registered = lms
    registered.add_course("c2", "Other course", "OC")
    registered.enrol("c2", "t-1", [INSTRUCTOR])
    registered.enrol("c2", "s-1", [LEARNER])
    registered.add_resource_link("c2", "copied", "Copied link",
                                 custom={"framinglab_assignment": str(linked["assignment_id"])})
    Browser(tool, registered).launch("t-1", "c2", deep_link=True)  # c2 gets its class
    page = Browser(tool, registered).launch("s-1", "c2", "copied")
    assert page.status_code == 404 and "another course" in page.text


def test_a_teacher_previewing_as_a_learner_is_not_made_a_student(app, tool, lms, linked):
    lms.enrol("c1", "t-1", [LEARNER])  # the LMS's "switch role to student"
    page = Browser(tool, lms).launch("t-1", "c1", linked["link_id"])
    assert page.status_code == 200
    assert page.url.endswith(f"/teach/assignments/{linked['assignment_id']}/results")
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.role == "teacher"))
        assert db.session.scalar(sa.select(sa.func.count(Enrollment.id)).where(
            Enrollment.student_id == teacher.id)) == 0
