"""The test LMS's token endpoint and its services (AGS line items, scores, results; NRPS
memberships), driven over HTTP by the stand-in tool."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.lti import platform_claims as c
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform
from tests.lti.stub_tool import StubTool


def call(method: str, url: str, token: str | None, media: str | None = None,
         body: Any = None, accept: str | None = None) -> requests.Response:
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    if media:
        headers["Content-Type"] = media
    if accept:
        headers["Accept"] = accept
    data = json.dumps(body) if body is not None else None
    return requests.request(method, url, headers=headers, data=data, timeout=10)


def score(user: str, given: float | None, when: str, maximum: float = 10) -> dict[str, Any]:
    body = {"userId": user, "scoreMaximum": maximum, "timestamp": when,
            "activityProgress": "Completed", "gradingProgress": "FullyGraded"}
    if given is not None:
        body["scoreGiven"] = given
    return body


def test_a_client_assertion_gets_an_access_token_once(course: TestPlatform,
                                                       stub_tool: StubTool) -> None:
    assertion = stub_tool.client_assertion(course.token_url)
    response = stub_tool.request_token(course, [c.SCOPE_SCORE, c.SCOPE_NRPS], assertion)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == f"{c.SCOPE_SCORE} {c.SCOPE_NRPS}" and body["access_token"]
    assert course.tokens_issued == 1 and stub_tool.jwks_served == 1

    replay = stub_tool.request_token(course, [c.SCOPE_SCORE], assertion)
    assert (replay.status_code, replay.json()["error"]) == (401, "invalid_client")
    assert "jti" in replay.json()["error_description"]
    assert course.tokens_issued == 1


@pytest.mark.parametrize(("fault", "status", "error", "reason"), [
    ("audience", 401, "invalid_client", "Audience"),
    ("issuer", 401, "invalid_client", "issuer"),
    ("subject", 401, "invalid_client", "sub"),
    ("expired", 401, "invalid_client", "expired"),
    ("unknown key", 401, "invalid_client", "no key with kid"),
    ("grant type", 400, "unsupported_grant_type", "client_credentials"),
    ("scope", 400, "invalid_scope", "none of the requested scopes"),
])
def test_bad_token_requests_are_refused(course: TestPlatform, stub_tool: StubTool, fault: str,
                                        status: int, error: str, reason: str) -> None:
    assertion, form, scopes = None, {}, [c.SCOPE_SCORE]
    if fault == "audience":
        assertion = stub_tool.client_assertion(course.issuer)
    elif fault == "issuer":
        assertion = stub_tool.client_assertion(course.token_url, iss="someone")
    elif fault == "subject":
        assertion = stub_tool.client_assertion(course.token_url, sub="someone")
    elif fault == "expired":
        assertion = stub_tool.client_assertion(course.token_url, iat=1_000, exp=2_000)
    elif fault == "unknown key":
        assertion = stub_tool.client_assertion(course.token_url, stub_tool.new_key(False))
    elif fault == "grant type":
        form = {"grant_type": "password"}
    else:
        scopes = ["https://example.invalid/scope/everything"]
    response = stub_tool.request_token(course, scopes, assertion, **form)
    assert (response.status_code, response.json()["error"]) == (status, error)
    assert reason in response.json()["error_description"]
    assert course.tokens_issued == 0


def test_the_tool_key_set_is_cached_and_fetched_again_for_a_new_kid(
        course: TestPlatform, stub_tool: StubTool) -> None:
    stub_tool.token(course, [c.SCOPE_SCORE])
    stub_tool.token(course, [c.SCOPE_SCORE])
    assert stub_tool.jwks_served == 1
    stub_tool.key = stub_tool.new_key(publish=True)  # the tool rotates its key
    stub_tool.token(course, [c.SCOPE_SCORE])
    assert stub_tool.jwks_served == 2 and course.tool_keys.fetches == 2


def test_token_outages_lifetime_and_scopes(course: TestPlatform, stub_tool: StubTool) -> None:
    course.fail_next_tokens(2, status=503)
    assert [stub_tool.request_token(course, [c.SCOPE_SCORE]).status_code
            for _ in range(3)] == [503, 503, 200]

    members_url = f"{course.issuer}/courses/c1/memberships"
    course.token_lifetime = 2
    token = stub_tool.token(course, [c.SCOPE_NRPS])
    assert call("GET", members_url, token).status_code == 200
    course.clock_offset = 3  # two seconds later the token has expired
    expired = call("GET", members_url, token)
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]

    score_only = stub_tool.token(course, [c.SCOPE_SCORE])
    refused = call("GET", members_url, score_only)
    assert refused.status_code == 403
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    assert call("GET", members_url, None).status_code == 401
    course.revoke_tokens()
    assert call("GET", members_url, stub_tool.token(course, [c.SCOPE_NRPS])).status_code == 200


def test_line_items_are_created_listed_read_updated_and_deleted(
        course: TestPlatform, stub_tool: StubTool) -> None:
    items_url = f"{course.issuer}/courses/c1/lineitems"
    token = stub_tool.token(course, list(c.AGS_SCOPES))
    readonly = stub_tool.token(course, [c.SCOPE_LINEITEM_READONLY])
    new = {"label": "Quiz 2", "scoreMaximum": 5, "tag": "quiz-2", "resourceId": "lesson-2"}

    assert call("POST", items_url, None, c.LINEITEM_MEDIA, new).status_code == 401
    assert call("POST", items_url, readonly, c.LINEITEM_MEDIA, new).status_code == 403
    assert call("POST", items_url, token, "application/json", new).status_code == 415
    bad = call("POST", items_url, token, c.LINEITEM_MEDIA, {**new, "scoreMaximum": 0})
    assert bad.status_code == 400
    created = call("POST", items_url, token, c.LINEITEM_MEDIA, new)
    assert created.status_code == 201
    item = created.json()
    assert created.headers["Location"] == item["id"]
    assert item == {**new, "id": item["id"]}

    listed = call("GET", items_url, readonly, accept=c.LINEITEMS_MEDIA)
    assert listed.headers["Content-Type"] == c.LINEITEMS_MEDIA
    assert [i["tag"] for i in listed.json()] == ["lesson-1", "quiz-2"]
    assert call("GET", items_url + "?tag=quiz-2", readonly).json() == [item]
    assert call("GET", items_url + "?resource_link_id=link-1", readonly).json() == [
        course.line_items("c1")[0]]
    assert call("GET", item["id"], readonly, accept=c.LINEITEM_MEDIA).json() == item

    changed = call("PUT", item["id"], token, c.LINEITEM_MEDIA, {**item, "label": "Quiz 2b"})
    assert changed.status_code == 200 and changed.json()["label"] == "Quiz 2b"
    assert call("PUT", item["id"], readonly, c.LINEITEM_MEDIA, item).status_code == 403
    assert call("DELETE", item["id"], token).status_code == 204
    assert call("GET", item["id"], token).status_code == 404


def test_line_items_page_with_a_link_header(course: TestPlatform, stub_tool: StubTool) -> None:
    token = stub_tool.token(course, [c.SCOPE_LINEITEM])
    for number in range(4):
        call("POST", f"{course.issuer}/courses/c1/lineitems", token, c.LINEITEM_MEDIA,
             {"label": f"Extra {number}", "scoreMaximum": 1})
    course.lineitems_page_size = 2
    url: str | None = f"{course.issuer}/courses/c1/lineitems"
    pages = []
    while url:
        response = call("GET", url, token)
        pages.append([item["label"] for item in response.json()])
        url = response.links.get("next", {}).get("url")
    assert pages == [["Framing lesson 1", "Extra 0"], ["Extra 1", "Extra 2"], ["Extra 3"]]


def test_scores_are_checked_recorded_and_the_latest_wins(course: TestPlatform,
                                                         stub_tool: StubTool) -> None:
    item_url = course.line_items("c1")[0]["id"]
    scores_url = item_url + "/scores"
    token = stub_tool.token(course, [c.SCOPE_SCORE, c.SCOPE_RESULT_READONLY])
    readonly = stub_tool.token(course, [c.SCOPE_LINEITEM_READONLY])

    def post(body: Any, bearer: str | None = token, media: str = c.SCORE_MEDIA) -> int:
        return call("POST", scores_url, bearer, media, body).status_code

    first = score("ada", 6, "2026-03-02T09:00:00.000+00:00")
    assert post(first, readonly) == 403
    assert post(first, media="application/json") == 415
    for wrong in ({"userId": "stranger"}, {"timestamp": "2026-03-02T09:00:00"},
                  {"timestamp": "yesterday"}, {"activityProgress": "Done"},
                  {"gradingProgress": "Graded"}, {"scoreGiven": -1},
                  {"scoreMaximum": None}):
        assert post({**first, **wrong}) == 400, wrong
    course.fail_next_scores(1, status=503, retry_after=1)
    failed = call("POST", scores_url, token, c.SCORE_MEDIA, first)
    assert (failed.status_code, failed.headers["Retry-After"]) == (503, "1")
    assert course.scores("c1") == []

    assert post(first) == 204
    assert post(score("ada", 9, "2026-03-02T10:00:00+01:00")) == 204  # same moment: applies
    assert post(score("ada", 4, "2026-03-02T08:30:00Z")) == 204  # older: recorded, ignored
    assert post(score("bo", 12, "2026-03-02T09:00:00+0000")) == 204  # extra credit is allowed
    assert [s["scoreGiven"] for s in course.scores("c1", item_url)] == [6, 9, 4, 12]
    assert [s["scoreGiven"] for s in course.ignored_scores] == [4]
    assert course.gradebook("c1") == {"ada": {"Framing lesson 1": 0.9},
                                      "bo": {"Framing lesson 1": 1.2}}

    results = call("GET", item_url + "/results?user_id=ada", token,
                   accept=c.RESULTS_MEDIA).json()
    assert [(r["userId"], r["resultScore"], r["resultMaximum"]) for r in results] == [
        ("ada", 9, 10)]
    assert post(score("ada", None, "2026-03-02T11:00:00Z")) == 204  # no scoreGiven: cleared
    assert course.gradebook("c1") == {"bo": {"Framing lesson 1": 1.2}}


def test_memberships_list_the_course_in_pages(course: TestPlatform,
                                              stub_tool: StubTool) -> None:
    for sub in ("cy", "di"):
        course.add_user(sub, [], given_name=sub.title(), family_name="Pupil")
        course.enrol("c1", sub, [LEARNER])
    course.set_status("c1", "bo", "Inactive")
    course.page_size = 2
    token = stub_tool.token(course, [c.SCOPE_NRPS])
    url: str | None = f"{course.issuer}/courses/c1/memberships"
    members, pages = [], 0
    while url:
        response = call("GET", url, token, accept=c.MEMBERSHIPS_MEDIA)
        assert response.headers["Content-Type"] == c.MEMBERSHIPS_MEDIA
        body = response.json()
        assert body["context"] == {"id": "c1", "label": "ML1", "title": "Media literacy"}
        members += body["members"]
        pages += 1
        url = response.links.get("next", {}).get("url")
    assert pages == 3
    assert [(m["user_id"], m["status"], m["roles"]) for m in members] == [
        ("teacher", "Active", [INSTRUCTOR]), ("ada", "Active", [LEARNER]),
        ("bo", "Inactive", [LEARNER]), ("cy", "Active", [LEARNER]),
        ("di", "Active", [LEARNER])]
    assert members[1] == {"status": "Active", "user_id": "ada", "roles": [LEARNER],
                          "given_name": "Ada", "family_name": "Lovelace",
                          "name": "Ada Lovelace", "email": "ada@school.example"}

    course.page_size = None
    learners = call("GET", f"{course.issuer}/courses/c1/memberships?role=Learner", token)
    assert len(learners.json()["members"]) == 4 and "Link" not in learners.headers
    wrong_accept = call("GET", f"{course.issuer}/courses/c1/memberships", token,
                        accept="text/html")
    assert wrong_accept.status_code == 406


def test_an_accepted_score_can_answer_200_with_its_result_url(course: TestPlatform,
                                                              stub_tool: StubTool) -> None:
    course.score_success_status = 200
    item_url = course.line_items("c1")[0]["id"]
    token = stub_tool.token(course, [c.SCOPE_SCORE, c.SCOPE_RESULT_READONLY])
    posted = call("POST", item_url + "/scores", token, c.SCORE_MEDIA,
                  score("bo", 7, "2026-03-02T09:00:00Z"))
    assert posted.status_code == 200
    [result] = call("GET", posted.json()["resultUrl"], token).json()
    assert (result["userId"], result["resultScore"], result["scoreOf"]) == ("bo", 7, item_url)
