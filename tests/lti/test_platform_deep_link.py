"""Deep linking on the test LMS: the request launch, the tool's signed response, the links
and line items it creates, and the responses it refuses."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.lti import platform_claims as c
from tests.lti.platform import TestPlatform
from tests.lti.stub_tool import StubTool

ITEM = {"type": "ltiResourceLink", "title": "Framing lesson 3",
        "url": "http://127.0.0.1:9/lti/launch?lesson=3", "custom": {"lesson": "framing-3"},
        "lineItem": {"scoreMaximum": 4, "label": "Lesson 3", "resourceId": "framing-3",
                     "tag": "lesson"}}


def deep_link_request(platform: TestPlatform, tool: StubTool) -> dict[str, Any]:
    _action, fields = tool.launch(platform, "teacher", "c1", deep_link=True)
    return tool.verify_id_token(platform, fields["id_token"])


def post_response(platform: TestPlatform, jwt_value: str) -> requests.Response:
    return requests.post(platform.issuer + "/deep-link-return", data={"JWT": jwt_value},
                         timeout=10)


def test_a_deep_linking_request_carries_its_settings(course: TestPlatform,
                                                     stub_tool: StubTool) -> None:
    claims = deep_link_request(course, stub_tool)
    assert claims[c.MESSAGE_TYPE] == "LtiDeepLinkingRequest"
    assert c.RESOURCE_LINK not in claims
    settings = claims[c.DL_SETTINGS]
    assert settings["deep_link_return_url"] == course.issuer + "/deep-link-return"
    assert settings["accept_types"] == ["ltiResourceLink"]
    assert settings["accept_presentation_document_targets"] == ["iframe", "window"]
    assert settings["accept_multiple"] is False and settings["auto_create"] is True
    assert settings["data"]
    assert "lineitem" not in claims[c.AGS_ENDPOINT]


def test_a_deep_linking_response_creates_a_graded_link(course: TestPlatform,
                                                       stub_tool: StubTool) -> None:
    request_claims = deep_link_request(course, stub_tool)
    response = post_response(course, stub_tool.deep_link_response(course, request_claims,
                                                                   [ITEM]))
    assert response.status_code == 200, response.text
    assert course.deep_link_items == [ITEM]
    [result] = course.deep_link_accepted
    [link_id] = result["link_ids"]
    link = course.link("c1", link_id)
    assert (link.title, link.url, link.custom) == (ITEM["title"], ITEM["url"], ITEM["custom"])
    [item] = [i for i in course.line_items("c1") if i.get("resourceLinkId") == link_id]
    assert (item["label"], item["scoreMaximum"], item["resourceId"], item["tag"]) == (
        "Lesson 3", 4, "framing-3", "lesson")

    _action, fields = stub_tool.launch(course, "ada", "c1", link_id)
    launch = stub_tool.verify_id_token(course, fields["id_token"])
    assert launch[c.TARGET_LINK_URI] == ITEM["url"]
    assert launch[c.RESOURCE_LINK]["id"] == link_id
    assert launch[c.CUSTOM] == {"lesson": "framing-3"}
    assert launch[c.AGS_ENDPOINT]["lineitem"] == item["id"]


@pytest.mark.parametrize(("fault", "reason"), [
    ("unknown key", "no key with kid"), ("wrong data", "data"), ("wrong audience", "Audience"),
    ("wrong issuer", "issuer"), ("no nonce", "nonce"), ("wrong message type", "message_type"),
    ("wrong deployment", "deployment_id"), ("two items", "accept_multiple"),
    ("other type", "'html' not accepted"), ("expired", "expired"),
])
def test_bad_deep_linking_responses_are_refused(course: TestPlatform, stub_tool: StubTool,
                                                fault: str, reason: str) -> None:
    request_claims = deep_link_request(course, stub_tool)
    items, key, changes = [ITEM], None, {}
    if fault == "unknown key":
        key = stub_tool.new_key(publish=False)
    elif fault == "wrong data":
        changes = {c.DL_DATA: "not-the-data"}
    elif fault == "wrong audience":
        changes = {"aud": ["https://lms.example.invalid"]}
    elif fault == "wrong issuer":
        changes = {"iss": "another-tool"}
    elif fault == "no nonce":
        changes = {"nonce": None}
    elif fault == "wrong message type":
        changes = {c.MESSAGE_TYPE: "LtiResourceLinkRequest"}
    elif fault == "wrong deployment":
        changes = {c.DEPLOYMENT_ID: "dep-unknown"}
    elif fault == "two items":
        items = [ITEM, {**ITEM, "title": "Another"}]
    elif fault == "other type":
        items = [{"type": "html", "html": "<p>hi</p>"}]
    else:
        changes = {"iat": 1_000, "exp": 2_000}
    token = stub_tool.deep_link_response(course, request_claims, items, key, **changes)
    response = post_response(course, token)
    assert response.status_code == 400
    assert course.deep_link_items == [] and not course.deep_link_accepted
    assert course.deep_link_results[-1]["accepted"] is False
    assert reason in course.deep_link_results[-1]["reason"]


def test_a_deep_linking_response_is_accepted_once(course: TestPlatform,
                                                  stub_tool: StubTool) -> None:
    request_claims = deep_link_request(course, stub_tool)
    token = stub_tool.deep_link_response(course, request_claims, [ITEM])
    assert post_response(course, token).status_code == 200
    assert post_response(course, token).status_code == 400
    again = stub_tool.deep_link_response(course, request_claims, [ITEM])  # new nonce
    assert post_response(course, again).status_code == 400
    assert len(course.deep_link_accepted) == 1


def test_accept_multiple_lets_several_items_through(course: TestPlatform,
                                                    stub_tool: StubTool) -> None:
    course.deep_link_accept_multiple = True
    request_claims = deep_link_request(course, stub_tool)
    assert request_claims[c.DL_SETTINGS]["accept_multiple"] is True
    items = [ITEM, {"type": "ltiResourceLink", "title": "Ungraded"}]
    response = post_response(course, stub_tool.deep_link_response(course, request_claims,
                                                                   items))
    assert response.status_code == 200
    assert len(course.deep_link_accepted[0]["link_ids"]) == 2
