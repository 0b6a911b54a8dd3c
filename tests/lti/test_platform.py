"""The test LMS itself, without the app: its key set, the launch flow and the faults it can
put in an id_token on purpose. (Services: test_platform_services.py; deep linking:
test_platform_deep_link.py.)"""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from tests.lti import platform_claims as c
from tests.lti.platform import INSTRUCTOR, LEARNER, PlatformRefused, TestPlatform
from tests.lti.stub_tool import StubTool


def published_kids(platform: TestPlatform) -> list[str]:
    keys = requests.get(platform.issuer + "/jwks", timeout=10).json()["keys"]
    assert all("d" not in key and key["alg"] == "RS256" and key["use"] == "sig"
               for key in keys), "only public RS256 signing keys are published"
    return [key["kid"] for key in keys]


def test_key_set_lists_the_signing_key_and_rotation_keeps_or_drops_the_old_one(
        lti_platform: TestPlatform) -> None:
    first = published_kids(lti_platform)
    assert len(first) == 1

    second = lti_platform.rotate_key(keep_old=True)
    assert published_kids(lti_platform) == [second, first[0]]

    third = lti_platform.rotate_key(keep_old=False)
    assert published_kids(lti_platform) == [third]
    assert lti_platform.jwks_fetches == 3


def test_a_launch_carries_a_signed_id_token_with_the_lti_claims(
        course: TestPlatform, stub_tool: StubTool) -> None:
    login_url, login = course.login_initiation("ada", "c1", link_id="link-1")
    assert login_url == stub_tool.login_url
    assert login == {"iss": course.issuer, "login_hint": "ada",
                     "target_link_uri": stub_tool.launch_url,
                     "lti_message_hint": login["lti_message_hint"],
                     "client_id": "framinglab-test", "lti_deployment_id": "dep-1"}

    params = stub_tool.auth_params(login, nonce="nonce-123")
    with requests.Session() as browser:
        action, fields = course.follow_auth(browser, course.auth_url(params))
    assert action == stub_tool.launch_url
    assert fields["state"] == params["state"]
    claims = stub_tool.verify_id_token(course, fields["id_token"])

    assert claims["sub"] == "ada" and claims["nonce"] == "nonce-123"
    assert claims["azp"] == "framinglab-test" and claims["exp"] > time.time()
    assert claims[c.MESSAGE_TYPE] == "LtiResourceLinkRequest"
    assert claims[c.VERSION] == "1.3.0" and claims[c.DEPLOYMENT_ID] == "dep-1"
    assert claims[c.TARGET_LINK_URI] == stub_tool.launch_url
    assert claims[c.ROLES] == [LEARNER]
    assert claims[c.CONTEXT]["id"] == "c1" and claims[c.CONTEXT]["title"] == "Media literacy"
    assert claims[c.RESOURCE_LINK] == {"id": "link-1", "title": "Framing lesson 1"}
    assert claims[c.CUSTOM] == {"lesson": "framing-1", "who": "ada"}
    assert claims[c.LAUNCH_PRESENTATION]["document_target"] == "iframe"
    assert (claims["given_name"], claims["family_name"], claims["name"], claims["email"]) == (
        "Ada", "Lovelace", "Ada Lovelace", "ada@school.example")
    line_item_url = course.line_items("c1")[0]["id"]
    assert claims[c.AGS_ENDPOINT] == {"scope": list(c.AGS_SCOPES),
                                      "lineitems": f"{course.issuer}/courses/c1/lineitems",
                                      "lineitem": line_item_url}
    assert claims[c.NRPS] == {
        "context_memberships_url": f"{course.issuer}/courses/c1/memberships",
        "service_versions": ["2.0"]}
    assert course.id_tokens == [claims]


def test_roles_join_context_and_institution_roles(course: TestPlatform,
                                                 stub_tool: StubTool) -> None:
    course.add_user("head", [c.ADMIN])
    course.enrol("c1", "head", [INSTRUCTOR])
    _action, fields = stub_tool.launch(course, "head", "c1", "link-1")
    assert stub_tool.verify_id_token(course, fields["id_token"])[c.ROLES] == [
        INSTRUCTOR, c.ADMIN]


def test_the_authorization_endpoint_refuses_unknown_clients_and_redirects(
        course: TestPlatform, stub_tool: StubTool) -> None:
    _url, login = course.login_initiation("ada", "c1", link_id="link-1")
    for change in ({"client_id": "intruder"}, {"redirect_uri": "https://evil.example/"}):
        with pytest.raises(PlatformRefused) as refused:
            course.follow_auth(None, course.auth_url(stub_tool.auth_params(login, **change)))
        assert refused.value.status == 400
    # Neither refusal used up the login: the proper request still works.
    _action, fields = course.follow_auth(None, course.auth_url(stub_tool.auth_params(login)))
    assert "id_token" in fields


@pytest.mark.parametrize(("change", "error"), [
    ({"prompt": None}, "invalid_request"),
    ({"response_mode": "query"}, "invalid_request"),
    ({"response_type": "code"}, "unsupported_response_type"),
    ({"scope": "profile"}, "invalid_scope"),
    ({"nonce": ""}, "invalid_request"),
    ({"login_hint": "bo"}, "login_required"),
    ({"lti_message_hint": "made-up"}, "invalid_request"),
])
def test_bad_authentication_requests_get_an_error_posted_back(
        course: TestPlatform, stub_tool: StubTool, change: dict, error: str) -> None:
    _url, login = course.login_initiation("ada", "c1", link_id="link-1")
    params = stub_tool.auth_params(login, **change)
    action, fields = course.follow_auth(None, course.auth_url(params))
    assert action == stub_tool.launch_url
    assert fields["error"] == error and fields["state"] == params["state"]
    assert "id_token" not in fields


def test_a_login_is_answered_once(course: TestPlatform, stub_tool: StubTool) -> None:
    _url, login = course.login_initiation("ada", "c1", link_id="link-1")
    params = stub_tool.auth_params(login)
    assert "id_token" in course.follow_auth(None, course.auth_url(params))[1]
    assert course.follow_auth(None, course.auth_url(params))[1]["error"] == "invalid_request"


def test_auth_also_takes_a_form_post(course: TestPlatform, stub_tool: StubTool) -> None:
    _url, login = course.login_initiation("ada", "c1", link_id="link-1")
    response = requests.post(course.issuer + "/auth", data=stub_tool.auth_params(login),
                             timeout=10)
    assert response.status_code == 200 and 'name="id_token"' in response.text


def launch_token(platform: TestPlatform, tool: StubTool) -> str:
    return tool.launch(platform, "ada", "c1", "link-1")[1]["id_token"]


def test_each_fault_spoils_only_the_next_id_token(course: TestPlatform,
                                                  stub_tool: StubTool) -> None:
    published = published_kids(course)

    course.sign_with_unknown_key()
    assert jwt.get_unverified_header(launch_token(course, stub_tool))["kid"] not in published
    stub_tool.verify_id_token(course, launch_token(course, stub_tool))  # back to normal

    course.wrong_audience()
    with pytest.raises(jwt.InvalidAudienceError):
        stub_tool.verify_id_token(course, launch_token(course, stub_tool))

    course.expired()
    with pytest.raises(jwt.ExpiredSignatureError):
        stub_tool.verify_id_token(course, launch_token(course, stub_tool))

    course.wrong_issuer()
    with pytest.raises(jwt.InvalidIssuerError):
        stub_tool.verify_id_token(course, launch_token(course, stub_tool))

    course.unknown_deployment()
    claims = stub_tool.verify_id_token(course, launch_token(course, stub_tool))
    assert claims[c.DEPLOYMENT_ID] == "dep-unknown"

    course.missing_nonce()
    assert "nonce" not in stub_tool.verify_id_token(course, launch_token(course, stub_tool))

    course.unsigned()
    assert jwt.get_unverified_header(launch_token(course, stub_tool))["alg"] == "none"

    course.next_token_override({c.ROLES: [c.ADMIN]}, sub="someone-else")
    claims = stub_tool.verify_id_token(course, launch_token(course, stub_tool))
    assert (claims["sub"], claims[c.ROLES]) == ("someone-else", [c.ADMIN])

    assert stub_tool.verify_id_token(course, launch_token(course, stub_tool))["sub"] == "ada"


def test_a_fault_used_as_a_context_manager_lasts_for_the_block(
        course: TestPlatform, stub_tool: StubTool) -> None:
    with course.wrong_audience():
        for _ in range(2):
            with pytest.raises(jwt.InvalidAudienceError):
                stub_tool.verify_id_token(course, launch_token(course, stub_tool))
    stub_tool.verify_id_token(course, launch_token(course, stub_tool))


def test_a_rotated_key_signs_the_next_launch(course: TestPlatform,
                                             stub_tool: StubTool) -> None:
    new_kid = course.rotate_key(keep_old=False)
    token = launch_token(course, stub_tool)
    assert jwt.get_unverified_header(token)["kid"] == new_kid
    stub_tool.verify_id_token(course, token)
