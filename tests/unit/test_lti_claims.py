"""What the tool reads from a launch's claims (pure)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import lti_claims
from app.domain.lti_claims import LTI

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"


@pytest.mark.parametrize(("roles", "expected"), [
    ([MEMBERSHIP + "Learner"], "student"),
    ([MEMBERSHIP + "Instructor"], "teacher"),
    ([MEMBERSHIP + "ContentDeveloper"], "teacher"),
    (["Instructor"], "teacher"),  # the short form LTI 1.3 still allows
    (["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"],
     "teacher"),
    ([MEMBERSHIP + "Learner", MEMBERSHIP + "Instructor"], "teacher"),
    # An institution role says what someone is elsewhere in the school, not here.
    ([INSTITUTION + "Instructor"], None),
    ([INSTITUTION + "Administrator", MEMBERSHIP + "Learner"], "student"),
    ([MEMBERSHIP + "Member"], None),
    ([], None),
    ([None, 3, {"x": 1}], None),
])
def test_only_course_roles_decide_teacher_or_student(roles, expected):
    assert lti_claims.local_role(roles) == expected


def test_a_launch_is_read_from_its_claims():
    claims = {
        "sub": "u-1", "name": "Aigerim Bekova", "email": "a@example.org",
        LTI + "message_type": "LtiResourceLinkRequest",
        LTI + "deployment_id": "dep-1",
        LTI + "roles": [MEMBERSHIP + "Learner"],
        LTI + "context": {"id": "c-9", "title": "Civics 10B"},
        LTI + "resource_link": {"id": "rl-3", "title": "Naming the events"},
        LTI + "custom": {lti_claims.ASSIGNMENT_PARAM: "42", "n": 5},
        LTI + "launch_presentation": {"return_url": "https://lms.example.org/course/9",
                                      "document_target": "iframe"},
        lti_claims.AGS_ENDPOINT: {"scope": [lti_claims.SCOPE_SCORE],
                                  "lineitems": "https://lms.example.org/c/9/lineitems",
                                  "lineitem": "https://lms.example.org/c/9/lineitems/1"},
        lti_claims.NRPS: {"context_memberships_url": "https://lms.example.org/c/9/members"},
    }
    launch = lti_claims.read_launch(claims)
    assert (launch.subject, launch.role, launch.context_id, launch.resource_link_id) == \
        ("u-1", "student", "c-9", "rl-3")
    assert launch.display_name == "Aigerim Bekova"
    assert launch.context_title == "Civics 10B"
    assert launch.custom == {lti_claims.ASSIGNMENT_PARAM: "42"}  # non-text values dropped
    assert lti_claims.assignment_param(launch.custom) == 42
    assert launch.lineitem_url.endswith("/lineitems/1")
    assert launch.ags_scopes == (lti_claims.SCOPE_SCORE,)
    assert launch.memberships_url.endswith("/members")
    assert launch.document_target == "iframe"


def test_malformed_claims_are_read_as_missing_not_errors():
    launch = lti_claims.read_launch({
        "sub": 7, LTI + "context": "nope", LTI + "resource_link": ["x"],
        LTI + "custom": "x", lti_claims.AGS_ENDPOINT: {"lineitem": "javascript:alert(1)",
                                                       "scope": "score"},
        LTI + "launch_presentation": {"return_url": "ftp://x"}})
    assert launch.subject == "" and launch.context_id is None
    assert launch.resource_link_id is None and launch.custom == {}
    assert launch.lineitem_url is None and launch.ags_scopes == ()
    assert launch.return_url is None


@pytest.mark.parametrize("value", ["", "x1", "-3", "1" * 12, "4 2"])
def test_assignment_param_is_a_plain_number_or_nothing(value):
    assert lti_claims.assignment_param({lti_claims.ASSIGNMENT_PARAM: value}) is None


def test_display_name_falls_back_to_given_and_family_names():
    assert lti_claims.display_name_of({"given_name": "Dana", "family_name": "Sadykova"}) \
        == "Dana Sadykova"
    assert lti_claims.display_name_of({}) == ""


@pytest.mark.parametrize(("name", "email", "expected"), [
    ("Aigerim Bekova", "", "aigerim.bekova"),
    ("Ærøskøbing Ölund", "", "rskbing.olund"),
    ("Жанна", "zhanna.k@school.kz", "zhanna.k"),
    ("", "", "lms.user"),
    ("A" * 40, "", "a" * 24),
])
def test_username_base_is_readable_and_fits_the_username_rule(name, email, expected):
    base = lti_claims.username_base(name, email, "sub")
    assert base == expected
    from app.domain.usernames import username_problem
    assert username_problem(base) is None


def test_failed_sends_back_off_then_give_up():
    waits = [lti_claims.next_wait(tries) for tries in range(1, 7)]
    assert waits[:5] == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                         timedelta(hours=2), timedelta(hours=12)]
    assert waits[5] is None
