"""Fixtures for LTI tests: a running test LMS (tests/lti/platform.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import Assignment
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform
from tests.lti.stub_tool import StubTool
from tests.lti.tool_builders import Browser, ToolServer, library, register


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


# --- Framing Lab itself, served beside the test LMS (tests/lti/test_lti_*.py) ---------


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # Scores are sent by `_send` below, so each test knows when; one test checks the
    # sending after the response on its own.
    return {"LTI_SEND_AFTER_RESPONSE": False}


@pytest.fixture
def tool(app: Flask) -> Iterator[str]:
    server = ToolServer(app)
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def lms(tool: str) -> Iterator[TestPlatform]:
    platform = TestPlatform(client_id="framinglab-test", deployment_ids=["dep-1"])
    with platform:
        platform.configure_tool(login_url=tool + "/lti/login", launch_url=tool + "/lti/launch",
                                jwks_url=tool + "/lti/jwks")
        platform.add_course("c1", "Civics 10B", "CIV10B")
        platform.add_user("t-1", [], given_name="Tess", family_name="Teacher",
                          email="tess@school.example")
        platform.add_user("s-1", [], given_name="Ada", family_name="Lovelace",
                          email="ada@school.example")
        platform.add_user("s-2", [], name="Bo Diddley")
        platform.enrol("c1", "t-1", [INSTRUCTOR])
        platform.enrol("c1", "s-1", [LEARNER])
        platform.enrol("c1", "s-2", [LEARNER])
        yield platform
    assert not platform.errors, "\n".join(platform.errors)


@pytest.fixture
def linked(app: Flask, tool: str, lms: TestPlatform) -> dict[str, Any]:
    """The LMS registered, a library lesson, and the teacher's deep link done: the
    course has a link (with a gradebook column) that opens the new assignment."""
    register(app, lms)
    lesson_id = library(app)
    teacher = Browser(tool, lms)
    picker = teacher.launch("t-1", "c1", deep_link=True)
    assert picker.status_code == 200, picker.text[:1000]
    assert "Choose a lesson for Civics 10B" in picker.text
    back = teacher.submit_form(picker.text, "/lti/pick", lesson_id=lesson_id)
    assert back.status_code == 200, back.text[:1000]
    assert "Two questions" in back.text and 'name="JWT"' in back.text
    returned = teacher.submit_form(back.text, "/deep-link-return")
    assert returned.status_code == 200, returned.text
    accepted = lms.deep_link_accepted
    assert len(accepted) == 1
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
        assignment_id = assignment.id
    return {"lesson_id": lesson_id, "assignment_id": assignment_id,
            "link_id": accepted[0]["link_ids"][0], "teacher": teacher}
