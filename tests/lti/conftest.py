"""Fixtures for LTI tests: a running test LMS (tests/lti/platform.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform
from tests.lti.stub_tool import StubTool


@pytest.fixture
def lti_platform() -> Iterator[TestPlatform]:
    """A started test platform (client_id framinglab-test, deployment dep-1), stopped after
    the test. The test fails if the platform itself crashed while answering a request."""
    platform = TestPlatform(client_id="framinglab-test", deployment_ids=["dep-1"])
    with platform:
        yield platform
    assert not platform.errors, "the test platform crashed:\n" + "\n".join(platform.errors)


@pytest.fixture
def stub_tool(lti_platform: TestPlatform) -> Iterator[StubTool]:
    """A stand-in tool registered on the platform, serving its own key set."""
    with StubTool(lti_platform.client_id) as tool:
        tool.register(lti_platform)
        yield tool


@pytest.fixture
def course(lti_platform: TestPlatform) -> TestPlatform:
    """Course c1 with a teacher, two students and a graded link."""
    lti_platform.add_course("c1", "Media literacy", "ML1")
    lti_platform.add_user("teacher", [], given_name="Tess", family_name="Teacher",
                          email="tess@school.example")
    lti_platform.add_user("ada", [], given_name="Ada", family_name="Lovelace",
                          email="ada@school.example")
    lti_platform.add_user("bo", [], given_name="Bo", family_name="Diddley")
    lti_platform.enrol("c1", "teacher", [INSTRUCTOR])
    lti_platform.enrol("c1", "ada", [LEARNER])
    lti_platform.enrol("c1", "bo", [LEARNER])
    lti_platform.add_resource_link("c1", "link-1", "Framing lesson 1",
                                   custom={"lesson": "framing-1", "who": "$User.id"},
                                   line_item={"scoreMaximum": 10, "tag": "lesson-1"})
    return lti_platform
