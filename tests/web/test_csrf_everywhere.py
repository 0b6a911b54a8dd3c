"""Every state-changing route refuses a request without a CSRF token; GET changes nothing.

Walks `app.url_map`, so a new route is covered the moment it is registered.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from app.extensions import db

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Form pages: GET only renders the form (or a confirmation), POST does the change. Any
# other rule accepting GET and an unsafe method is a mistake, or must be added here.
FORM_PAGES = {
    "admin.account_delete",
    "admin.users",
    "auth.change_password",
    "auth.login",
    "auth.register",
    "privacy.delete_student",
    "shelf.card_delete",
    "shelf.card_edit",
    "shelf.card_new",
    "student.assignment",
    "student.join",
    "student.join_link",
    "teacher.document_new",
    "teacher.excerpt_edit",
    "teacher.excerpt_new",
    "teacher.lesson_import",
    "teacher.lesson_new",
    "teacher.lesson_preview",
    "teacher.lesson_regrade",
    "teacher.class_new",
    "teacher.roster_import",
    "teacher.student_password_reset",
    "teacher.assignment_new",
    "teacher.assignment_edit",
    "teacher.contest_accept_page",
    "teacher.growth_new",
    "teacher.growth_edit",
    "admin.lti_platform_new",
    "admin.lti_platform_edit",
    "admin.lti_platform_delete",
    # LTI 1.3's login initiation may come as a GET or a form POST from the LMS (LTI Core
    # 1.3, 5.1.1); it changes nothing the user owns and is protected by the OIDC state.
    "lti.login",
}


def _url(app, rule: Rule) -> str:
    # Made-up ids: the CSRF check runs before the view looks anything up.
    converters = dict(rule._converters)  # noqa: SLF001 - werkzeug keeps them only here
    values = {
        name: 1 if isinstance(converters.get(name), NumberConverter) else "x1"
        for name in rule.arguments
    }
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def _unsafe_rules(app) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.methods & UNSAFE]


def _row_count(app) -> int:
    with app.app_context():
        return sum(
            db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        )


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(
    app, client, auth, make_user
) -> None:
    rules = _unsafe_rules(app)
    assert len(rules) > 10
    admin = make_user(role="admin")
    auth.login(admin.username)
    before = _row_count(app)
    # Endpoints with their own CSRF renderer re-show the student's or author's entries on
    # the object's page; for a made-up id that page is a 404. Both refuse the change.
    renderers = app.extensions.get("csrf_error_renderers", {})
    wrong = {}
    for rule in rules:
        allowed = {400, 404} if rule.endpoint in renderers else {400}
        for method in sorted(rule.methods & UNSAFE):
            response = client.open(_url(app, rule), method=method, data={"anything": "1"})
            if response.status_code not in allowed:
                wrong[f"{method} {rule.rule}"] = response.status_code
    assert wrong == {}
    assert _row_count(app) == before


def test_only_listed_form_pages_accept_both_get_and_an_unsafe_method(app) -> None:
    mixed = {rule.endpoint for rule in _unsafe_rules(app) if "GET" in rule.methods}
    assert mixed == FORM_PAGES
