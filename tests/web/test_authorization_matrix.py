"""Every route, for every kind of visitor: anonymous, a student, the owning teacher,
another teacher and an admin.

The test walks ``app.url_map``, so a new route is covered the moment it exists: its URL
arguments must be known below (else the test fails and asks for them), and its area
decides what each visitor must get. GETs are checked for every role; POSTs are sent with
a valid CSRF token and no other data, so what is checked is who may act at all (the
owner's POST may fail validation, but never with 403, 404 or 500).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from app.models import LtiPlatform
from app.services import contests
from tests.helpers import csrf_token
from tests.web.classes_builders import browser
from tests.web.results_builders import (
    SMALL_LESSON,
    gen_assignment,
    gen_attempt,
    gen_card,
    gen_class,
    gen_enrollment,
    gen_lesson,
    gen_review_item,
    gen_study,
    gen_user,
    load_documents,
)

# The owner acts before the admin: an owner's POST (remove, delete) may take the object
# away, so an admin's POST afterwards may also find it gone (404) or changed (409).
ROLES = ("anonymous", "student", "other_student", "teacher_b", "teacher_a", "admin")
# Endpoints anyone may use, logged in or not (/frames defines "frame": no one's data).
PUBLIC = {"main.index", "main.healthz", "main.frames", "auth.login", "auth.register",
          "auth.logout", "static"}
# LTI: the key set is public; the login and launch come from the LMS and carry no session
# (without a valid login or id_token they are refused, 400); the picker needs a launch.
LTI = {"lti.jwks": {200}, "lti.login": {400}, "lti.launch": {400},
       "lti.pick": {400, 403, 404}}
HIDDEN_FROM_OTHER_TEACHERS = {"teacher.answer_key", "teacher.answer_key_print",
                              "teacher.class_review", "teacher.class_review_switch",
                              "teacher.assignment_calibration",
                              # Growth studies: not even a class's studies are shown.
                              "teacher.growth_studies", "teacher.growth_new",
                              "teacher.growth_results", "teacher.growth_edit",
                              "teacher.growth_delete", "teacher.growth_csv",
                              # A lesson's QTI or GIFT export holds its key.
                              "teacher.lesson_download",
                              # A class's LMS scores and roster.
                              "teacher.lms_scores", "teacher.lms_send_again",
                              "teacher.lms_roster"}
# Teacher A's own shelf card (test data), which no lesson of the world carries.
CARD_SLUG = "a-card"
A_CARD = f"""\
id: {CARD_SLUG}
kind: fact
title: Teacher A's card
summary: A card written for the tests.
body: A card written for the tests.
facts:
  - id: one
    text: Written for the tests.
sources:
  - title: Test source
    publisher: Framing Lab tests
    date: "1 January 2026"
    url: https://example.org/tests
"""


# Parts of teacher A's lesson the editor's URLs name (see SMALL_LESSON).
EDITOR_ARGUMENTS = {"excerpt_id": "astana", "question_id": "words", "name": "phrases",
                    "change": "archive", "direction": "up",
                    # The reading editor: a judgement of words, the first loaded entry.
                    "unit": "word", "tier": "loaded", "position": 0}


@dataclass
class World:
    """Teacher A's class, lesson, assignment and an enrolled student's attempt."""

    ids: dict[str, int]
    lesson_slug: str
    document_slug: str
    users: dict[str, str]
    join_code: str


def build_world(app: Flask) -> World:
    with app.app_context():
        load_documents()
        teacher_a = gen_user("teacher-a", role="teacher")
        gen_user("teacher-b", role="teacher")
        gen_user("admin-1", role="admin")
        student = gen_user("student-a")
        other_student = gen_user("student-b")  # the account the admin's actions act on
        library = gen_lesson()  # the shared library: no owner
        own = gen_lesson(SMALL_LESSON.replace("slug: two-questions", "slug: a-own"),
                         owner=teacher_a)
        classroom = gen_class(teacher_a, join_code="K7QXM2PD",  # a code a link can hold
                              review_enabled=True)
        gen_enrollment(classroom, student)
        assignment = gen_assignment(classroom, own)
        attempt = gen_attempt(student, assignment)
        # The student disagrees with a missed item ("gangs") of that attempt.
        contest = contests.send(student, attempt, "words", ":w1", "It names a fact.")
        study = gen_study(classroom, assignment, gen_assignment(classroom, own))
        gen_card(A_CARD, owner=teacher_a)
        item = gen_review_item(student, classroom, own)  # the student's review question
        platform = LtiPlatform(name="LMS", issuer="https://lms.example", client_id="c",
                               auth_login_url="https://lms.example/auth",
                               auth_token_url="https://lms.example/token",
                               key_set_url="https://lms.example/jwks")
        db.session.add(platform)
        db.session.commit()
        return World(
            ids={"class_id": classroom.id, "assignment_id": assignment.id,
                 "lesson_id": own.id, "student_id": student.id, "attempt_id": attempt.id,
                 "contest_id": contest.id, "user_id": other_student.id,
                 "item_id": item.id, "study_id": study.id, "platform_id": platform.id},
            lesson_slug=library.slug, document_slug="astana-times-babich",
            join_code=classroom.join_code,
            users={"student": "student-a", "other_student": "student-b",
                   "teacher_a": "teacher-a", "teacher_b": "teacher-b", "admin": "admin-1"})


def url_arguments(endpoint: str, arguments: set[str], world: World) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in arguments:
        if name in world.ids:
            values[name] = world.ids[name]
        elif name in EDITOR_ARGUMENTS:
            values[name] = EDITOR_ARGUMENTS[name]
        elif name == "card_slug":  # teacher A's own shelf card
            values[name] = CARD_SLUG
        elif name == "code":  # the class's join link
            values[name] = world.join_code
        elif name == "document_slug":  # a library document: every teacher may read it
            values[name] = world.document_slug
        elif name == "export_format":  # a lesson's download: the QTI package
            values[name] = "qti"
        elif name == "slug":
            values[name] = (world.document_slug if endpoint == "student.document"
                            else world.lesson_slug)
        else:
            pytest.fail(f"{endpoint}: teach this test a value for the URL argument {name!r}")
    return values


def expected(role: str, endpoint: str, method: str, owned_object: bool) -> set[int]:
    """The statuses ``role`` may get from ``endpoint``; anything else fails the test."""
    area = endpoint.split(".")[0]
    ok = {200, 302, 303} if method == "GET" else {200, 302, 303, 400, 409}
    if endpoint in PUBLIC:
        return {200, 302, 303, 400, 405}
    if endpoint in LTI:
        return LTI[endpoint]
    if role == "anonymous":
        return {302}  # to the login page
    if area == "admin":
        return ok if role == "admin" else {403}
    if area == "teacher":
        if role in ("student", "other_student"):
            return {403}
        if role == "teacher_b" and owned_object:
            # Another teacher's answer key: not even its existence is shown.
            return {404} if endpoint in HIDDEN_FROM_OTHER_TEACHERS else {403}
        if role == "admin" and method == "POST":
            return ok | {404}
        return ok
    if endpoint == "privacy.delete_student":  # teachers of the student, and admins
        if role in ("student", "other_student", "teacher_b"):
            return {403}
        return ok
    if endpoint == "privacy.remove_from_my_classes":  # teachers of the student only
        return ok if role == "teacher_a" else {403}
    if area == "compare":  # any logged-in user compares what they may see
        return ok
    if area == "shelf":
        return _shelf(role, endpoint, ok)
    # student area
    if endpoint in ("student.attempt", "student.contest", "student.again"):  # their own attempt
        return ok if role == "student" else {403}
    if endpoint.startswith("student.review_"):  # a student's own review, in their class
        return ok if role == "student" else {404}
    if endpoint in ("student.assignment", "student.save_assignment",
                    "student.discard_assignment"):  # only students enrolled in the class
        return ok if role == "student" else {403}
    if endpoint in ("student.join", "student.join_link"):  # students join classes; teachers
        # are told they cannot
        if role in ("teacher_a", "teacher_b", "admin"):
            return {403}
        return ok if method == "GET" else {200, 302, 303, 400, 404, 409}
    return ok


def _shelf(role: str, endpoint: str, ok: set[int]) -> set[int]:
    """The shelf: read by everyone logged in; teachers write their own cards. Teacher A's
    card is theirs alone (no lesson carries it): anyone else is told it does not exist."""
    if endpoint == "shelf.index":
        return ok
    if endpoint == "shelf.card_new":
        return ok if role in ("teacher_a", "teacher_b", "admin") else {403}
    if role == "teacher_a":
        return ok
    if endpoint != "shelf.card" and role in ("student", "other_student"):
        return {403}  # students write no cards
    return {404}


def routes(app: Flask) -> list[tuple[str, str, str, set[str]]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, rule.rule, method, set(rule.arguments)))
    return sorted(found)


ROUTES = routes(create_app({"TESTING": True, "SECRET_KEY": "x",
                            "SQLALCHEMY_DATABASE_URI": "sqlite://"}))


@pytest.mark.parametrize(("endpoint", "rule", "method", "arguments"), ROUTES,
                         ids=[f"{m} {r}" for _, r, m, _ in ROUTES])
def test_every_route_for_every_role(app, endpoint, rule, method, arguments):
    world = build_world(app)
    values = url_arguments(endpoint, arguments, world)
    owned_object = bool(arguments & set(world.ids))
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **values)
    for role in ROLES:
        client = browser(app, world.users.get(role))
        if method == "GET":
            response = client.get(url)
        else:
            token = csrf_token(client, "/auth/login" if role == "anonymous" else "/")
            response = client.open(url, method=method, data={"csrf_token": token})
        allowed = expected(role, endpoint, method, owned_object)
        assert response.status_code in allowed, (
            f"{method} {url} as {role}: {response.status_code}, expected one of "
            f"{sorted(allowed)}")
        if role == "anonymous" and response.status_code == 302 and endpoint not in PUBLIC:
            assert "/auth/login" in response.headers["Location"]
