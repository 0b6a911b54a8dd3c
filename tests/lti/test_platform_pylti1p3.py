"""The test LMS against the tool library the app uses (PyLTI1p3): its message validators
accept our launches, and its own AGS, NRPS and deep linking code works against our services.
Proves the platform speaks what the library expects, before the app is involved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.lti import platform_claims as c
from tests.lti.platform import TestPlatform
from tests.lti.platform_keys import RsaKey
from tests.lti.stub_tool import StubTool

pytest.importorskip("pylti1p3")

from pylti1p3.assignments_grades import AssignmentsGradesService  # noqa: E402
from pylti1p3.deep_link import DeepLink  # noqa: E402
from pylti1p3.deep_link_resource import DeepLinkResource  # noqa: E402
from pylti1p3.grade import Grade  # noqa: E402
from pylti1p3.lineitem import LineItem  # noqa: E402
from pylti1p3.message_validators import get_validators  # noqa: E402
from pylti1p3.names_roles import NamesRolesProvisioningService  # noqa: E402
from pylti1p3.registration import Registration  # noqa: E402
from pylti1p3.roles import StudentRole, TeacherRole  # noqa: E402
from pylti1p3.service_connector import ServiceConnector  # noqa: E402


class CachingConnector(ServiceConnector):
    """The library leaves token caching to the framework; a dict will do here."""

    def __init__(self, registration: Registration, session: requests.Session) -> None:
        super().__init__(registration, session)
        self.cache: dict[str, str] = {}

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        return self.cache.get(scope_key)

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        self.cache[scope_key] = access_token


@pytest.fixture
def registration(course: TestPlatform, stub_tool: StubTool) -> Registration:
    """The tool's registration as PyLTI1p3 holds it; the platform knows the tool's key by a
    fixed key set (the library names its key by the RFC 7638 thumbprint)."""
    key = RsaKey(("pylti1p3-tool", 0))  # the library names it by its own kid
    details = course.registration()
    registration = (Registration().set_issuer(details["issuer"])
                    .set_client_id(details["client_id"])
                    .set_key_set_url(details["key_set_url"])
                    .set_auth_login_url(details["auth_login_url"])
                    .set_auth_token_url(details["auth_token_url"])
                    .set_tool_private_key(key.private_pem())
                    .set_tool_public_key(key.public_pem()))
    course.configure_tool(login_url=stub_tool.login_url, launch_url=stub_tool.launch_url,
                          jwks={"keys": registration.get_jwks()})
    return registration


def launch(platform: TestPlatform, tool: StubTool, user: str, **kwargs: Any) -> dict[str, Any]:
    _action, fields = tool.launch(platform, user, "c1", **kwargs)
    claims = tool.verify_id_token(platform, fields["id_token"])
    checked = [validator.validate(claims) for validator in get_validators()
               if validator.can_validate(claims)]
    assert checked == [True]
    return claims


def test_the_library_accepts_launches_and_reads_roles(course: TestPlatform,
                                                      stub_tool: StubTool) -> None:
    assert StudentRole(launch(course, stub_tool, "ada", link_id="link-1")).check()
    assert TeacherRole(launch(course, stub_tool, "teacher", deep_link=True)).check()


def test_the_library_grades_and_lists_members(course: TestPlatform, stub_tool: StubTool,
                                              registration: Registration) -> None:
    claims = launch(course, stub_tool, "ada", link_id="link-1")
    course.page_size = 2
    with requests.Session() as session:
        connector = CachingConnector(registration, session)
        ags = AssignmentsGradesService(connector, claims[c.AGS_ENDPOINT])
        wanted = LineItem().set_tag("quiz").set_label("Quiz").set_score_maximum(5)
        quiz = ags.find_or_create_lineitem(wanted)
        assert ags.find_or_create_lineitem(wanted).get_id() == quiz.get_id()

        def grade(user: str, given: float, maximum: float) -> Grade:
            return (Grade().set_user_id(user).set_score_given(given)
                    .set_score_maximum(maximum).set_timestamp(datetime.now(UTC))
                    .set_activity_progress("Completed").set_grading_progress("FullyGraded"))

        ags.put_grade(grade("ada", 3, 5), quiz)
        ags.put_grade(grade("ada", 8, 10))  # the launch's own line item
        assert [r["resultScore"] for r in ags.get_grades(quiz)] == [3]
        members = NamesRolesProvisioningService(connector, claims[c.NRPS]).get_members()

    assert course.gradebook("c1") == {"ada": {"Quiz": 0.6, "Framing lesson 1": 0.8}}
    assert [m["user_id"] for m in members] == ["teacher", "ada", "bo"]
    assert course.tokens_issued == 2  # one for the AGS scopes, one for NRPS


def test_the_library_deep_linking_response_is_accepted(
        course: TestPlatform, stub_tool: StubTool, registration: Registration) -> None:
    claims = launch(course, stub_tool, "teacher", deep_link=True)
    deep_link = DeepLink(registration, claims[c.DEPLOYMENT_ID], claims[c.DL_SETTINGS])
    resource = (DeepLinkResource().set_title("Lesson 4").set_url(stub_tool.launch_url)
                .set_lineitem(LineItem().set_score_maximum(10).set_label("Lesson 4")))
    response = requests.post(claims[c.DL_SETTINGS]["deep_link_return_url"],
                             data={"JWT": deep_link.get_response_jwt([resource])}, timeout=10)
    assert response.status_code == 200, response.text
    [link_id] = course.deep_link_accepted[0]["link_ids"]
    assert launch(course, stub_tool, "ada", link_id=link_id)[c.AGS_ENDPOINT]["lineitem"]
