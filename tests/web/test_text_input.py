"""F8: one rule for text input, on every form, path and query string (app/forms.py,
app/urlinput.py, app/domain/textinput.py).

A NUL (or any other control character) in a form field is refused with a message saying
where it is, the form comes back with the text as typed, and nothing is stored; on
PostgreSQL this used to be a server error that lost the teacher's text. Every text field
has a maximum length, no larger than the column it is stored in. The walkers below find
every form and every route themselves, so a new one is covered the moment it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from flask_wtf import FlaskForm
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from wtforms import Form as PlainForm
from wtforms import StringField

from app import create_app
from app.extensions import db
from app.forms import Form, SubForm, is_text_field, leaf_fields, max_length
from app.models import Document
from tests.helpers import DEFAULT_PASSWORD, csrf_token
from tests.web.classes_builders import browser
from tests.web.results_builders import SMALL_LESSON
from tests.web.test_authorization_matrix import EDITOR_ARGUMENTS, World, build_world

# Rows a request may touch without storing anything a visitor sent (login bookkeeping).
VOLATILE = {"user_sessions", "login_failures"}
NUL_TEXT = "before\x00after"
NUL_MESSAGE = "This contains a control character (U+0000, NUL) at position 7."
MULTILINE_NUL_TEXT = "first line\nbefore\x00after"
MULTILINE_NUL_MESSAGE = ("This contains a control character (U+0000, NUL) at position 18 "
                         "(line 2, column 7).")


def snapshot(app: Flask) -> dict[str, list[Any]]:
    """Every stored row, to show that a refused form stored nothing."""
    with app.app_context():
        return {table.name: [tuple(row) for row in db.session.execute(
                    sa.select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables if table.name not in VOLATILE}


# --- every form ------------------------------------------------------------------------


def _subclasses(root: type) -> set[type]:
    found: set[type] = set()
    stack = [root]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                stack.append(sub)
    return found


def app_forms() -> list[type[FlaskForm]]:
    """Every FlaskForm the app defines, the key-row forms it builds included."""
    create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    from app.domain.key_phrases import key_lists
    from app.teacher.forms_authoring import key_rows_form

    for kind in ("loaded_terms", "framing", "sourcing"):
        for key in key_lists({"kind": kind}):
            key_rows_form(key.fields)
    key_rows_form(key_lists({"kind": "compare", "sides": [{}]})[0].fields)
    forms = [cls for cls in _subclasses(FlaskForm)
             if cls.__module__.startswith("app.") and cls.__module__ != "app.forms"]
    return sorted(forms, key=lambda cls: (cls.__module__, cls.__qualname__, id(cls)))


FORMS = app_forms()


def test_every_form_and_sub_form_derives_from_the_base_that_carries_the_rule():
    assert len(FORMS) >= 20
    assert [cls for cls in FORMS if not issubclass(cls, Form)] == []
    sub_forms = [cls for cls in _subclasses(PlainForm)
                 if cls.__module__.startswith("app.") and cls.__module__ != "app.forms"
                 and not issubclass(cls, FlaskForm)]
    assert sub_forms and [cls for cls in sub_forms if not issubclass(cls, SubForm)] == []


def _text_names(app: Flask, cls: type[FlaskForm]) -> list[str]:
    """The names of ``cls``'s text fields, with one entry in each list of rows."""
    with app.test_request_context(method="POST"):
        form = cls(formdata=None, meta={"csrf": False})
        for name in list(form._fields):
            if hasattr(form[name], "append_entry") and not form[name].entries:
                form[name].append_entry()
        return [f.name for f in leaf_fields(form) if is_text_field(f)]


def _validated(app: Flask, cls: type[FlaskForm], data: dict[str, str]) -> dict[str, Any]:
    with app.test_request_context(method="POST"):
        form = cls(formdata=MultiDict(data), meta={"csrf": False})
        form.validate()
        return {f.name: f for f in leaf_fields(form)}


@pytest.mark.parametrize("cls", FORMS, ids=[f"{c.__module__}.{c.__qualname__}" for c in FORMS])
def test_every_text_field_refuses_a_control_character_and_keeps_the_text(app, cls):
    names = _text_names(app, cls)
    fields = _validated(app, cls, {name: NUL_TEXT for name in names})
    for name in names:
        assert any(error.startswith(NUL_MESSAGE) for error in fields[name].errors), (
            f"{cls.__qualname__}.{name}: {fields[name].errors}")
        if isinstance(fields[name], StringField):
            assert fields[name].data == NUL_TEXT, f"{cls.__qualname__}.{name} lost the text"


@pytest.mark.parametrize("cls", FORMS, ids=[f"{c.__module__}.{c.__qualname__}" for c in FORMS])
def test_every_text_field_has_a_maximum_and_refuses_one_character_more(app, cls):
    names = _text_names(app, cls)
    # Free text: numbers, dates and choices are bounded by what they parse to.
    limits = {name: max_length(f) for name, f in _validated(app, cls, {}).items()
              if name in names and isinstance(f, StringField)}
    assert all(limit is not None for limit in limits.values()), limits
    fields = _validated(app, cls, {name: "x" * (limit + 1) for name, limit in limits.items()})
    for name in limits:
        assert fields[name].errors, f"{cls.__qualname__}.{name} took {limits[name] + 1} chars"


# --- every form, through its page --------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A form as its page sends it: who, where, the field under test and the others."""

    role: str
    url: str
    field: str
    others: dict[str, str] = field(default_factory=dict)
    multiline: bool = False
    status: int = 400


REGISTRATION = {"password": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD}
CASES = [
    Case("anonymous", "/auth/register", "username", REGISTRATION),
    Case("anonymous", "/auth/login", "username", {"password": DEFAULT_PASSWORD}),
    Case("student", "/join", "code"),
    Case("teacher_a", "/teach/classes/new", "name"),
    Case("teacher_a", "/teach/classes/{class_id}/rename", "name"),
    Case("teacher_a", "/teach/lessons/new", "title", {"summary": "Sum.", "level": "intro"}),
    Case("teacher_a", "/teach/lessons/new", "summary", {"title": "T", "level": "intro"},
         multiline=True),
    Case("teacher_a", "/teach/lessons/{lesson_id}/details", "lesson-title",
         {"lesson-summary": "Sum.", "lesson-level": "intro"}),
    Case("teacher_a", "/teach/documents/new", "title", {"text": "Body."}),
    Case("teacher_a", "/teach/documents/new", "text", {"title": "T"}, multiline=True),
    Case("teacher_a", "/teach/documents/new?lesson={lesson_id}", "publisher_note",
         {"title": "T", "text": "Body."}, multiline=True),
    Case("teacher_a", "/teach/lessons/import", "text", multiline=True),
    Case("teacher_a", "/teach/lessons/{lesson_id}/questions/words/settings", "question-prompt",
         {"question-excerpt": "astana"}, multiline=True),
    Case("teacher_a", "/teach/lessons/{lesson_id}/questions/frame/options",
         "opts-options-0-text"),
    Case("teacher_a", "/teach/lessons/{lesson_id}/questions/words/key/phrases",
         "phrases-rows-0-why", {"phrases-rows-0-phrase": "gangs"}, multiline=True),
    Case("teacher_a", "/students/{student_id}/delete", "confirm"),
    Case("admin", "/admin/users", "username", {**REGISTRATION, "role": "teacher"}),
]


def post_case(app: Flask, world: World, case: Case, value: str):
    client = browser(app, world.users.get(case.role))
    token = csrf_token(client, "/auth/login" if case.role == "anonymous" else "/")
    url = case.url.format(**world.ids)
    return client.post(url, data={"csrf_token": token, **case.others, case.field: value})


@pytest.mark.parametrize("case", CASES, ids=[f"{c.url} {c.field}" for c in CASES])
def test_a_nul_is_refused_with_where_it_is_and_the_text_kept(app, case):
    world = build_world(app)
    before = snapshot(app)
    value, message = ((MULTILINE_NUL_TEXT, MULTILINE_NUL_MESSAGE) if case.multiline
                      else (NUL_TEXT, NUL_MESSAGE))
    response = post_case(app, world, case, value)
    page = response.get_data(as_text=True)
    assert response.status_code == case.status
    assert message in page
    assert str(escape(value)) in page  # in the field, to be fixed and sent again
    assert snapshot(app) == before


def test_a_pasted_document_with_a_nul_is_kept_whole_and_one_without_is_stored(app):
    world = build_world(app)
    article = "Headline\r\n\r\nFirst paragraph.\tTabbed.\r\nSecond\x00 paragraph.\r\n" * 50
    case = Case("teacher_a", "/teach/documents/new", "text", {"title": "Pasted"})
    response = post_case(app, world, case, article)
    assert response.status_code == 400
    assert str(escape(article)) in response.get_data(as_text=True)
    response = post_case(app, world, case, article.replace("\x00", ""))
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(sa.select(Document.text).where(Document.title == "Pasted"))
    assert stored == article.replace("\x00", "").replace("\r\n", "\n")


def test_an_uploaded_lesson_file_with_a_control_character_is_refused_and_shown(app):
    import io

    world = build_world(app)
    before = snapshot(app)
    lesson = SMALL_LESSON.replace("slug: two-questions", "slug: uploaded").replace(
        "title: Two questions", 'title: "Two\\0 questions"')
    client = browser(app, world.users["teacher_a"])
    response = client.post("/teach/lessons/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/"),
        "file": (io.BytesIO(lesson.encode()), "uploaded.yaml")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "holds a control character (U+0000, NUL)" in page
    assert str(escape(lesson)) in page  # the file's text, to fix and import again
    assert snapshot(app) == before


@pytest.mark.parametrize(("old", "new", "message"), [
    ("title: Two questions", 'title: "Two\\0 questions"',
     "the text holds a control character (U+0000, NUL); a lesson cannot store it"),
    ("prompt: Mark the words that judge the people.", 'prompt: "Mark\\x1b the words"',
     "the text holds a control character (U+001B, escape)"),
    ("level: intro", 'level: intro\ngoals:\n  - "Spot\\x07 loaded words"',
     "the text holds a control character (U+0007)"),
])
def test_a_control_character_written_as_a_yaml_escape_is_refused_on_import(app, old, new,
                                                                            message):
    world = build_world(app)
    before = snapshot(app)
    lesson = SMALL_LESSON.replace("slug: two-questions", "slug: escaped").replace(old, new)
    case = Case("teacher_a", "/teach/lessons/import", "text")
    response = post_case(app, world, case, lesson)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert str(escape(message)) in page
    assert str(escape(lesson)) in page
    assert snapshot(app) == before


def test_a_json_body_is_read_as_text_fields_only(app):
    world = build_world(app)
    before = snapshot(app)
    client = browser(app, world.users["teacher_a"])
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    for body in ({"title": 5, "summary": "S", "level": "intro"},
                 {"title": ["a", {"b": 1}], "summary": None, "level": "intro"},
                 {"title": "a\ud800b", "summary": "S", "level": "intro"}, [1, 2], "text", 7):
        response = client.post("/teach/lessons/new", json=body, headers=headers)
        assert response.status_code == 400, body
    assert snapshot(app) == before


# --- every route: control characters in paths and query strings -------------------------


def _get_routes() -> list[tuple[str, str, frozenset[str]]]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted((rule.endpoint, rule.rule, frozenset(rule.arguments))
                  for rule in app.url_map.iter_rules()
                  if "GET" in (rule.methods or ()) and rule.endpoint != "static")


GET_ROUTES = _get_routes()
# URL arguments whose route accepts only listed words (werkzeug's `any` converter).
CLOSED_ARGUMENTS = {"export_format": "qti"}
ROLES_SEEN = ("student", "teacher_a", "admin")


def _url(app: Flask, endpoint: str, arguments: frozenset[str], world: World,
         text: str | None = None) -> str:
    values: dict[str, Any] = {}
    for name in arguments:
        if name in world.ids:
            values[name] = world.ids[name]
        elif name in CLOSED_ARGUMENTS:  # a fixed list in the route: no text gets there
            values[name] = CLOSED_ARGUMENTS[name]
        elif text is not None:
            values[name] = text
        else:
            values[name] = EDITOR_ARGUMENTS.get(name, world.lesson_slug)
    with app.test_request_context():
        return url_for(endpoint, **values)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_any_address_is_400_or_404_never_500(app, char):
    world = build_world(app)
    clients = {role: browser(app, world.users[role]) for role in ROLES_SEEN}
    for endpoint, _rule, arguments in GET_ROUTES:
        texts = [f"a{char}b"] if arguments - set(world.ids) - set(CLOSED_ARGUMENTS) else []
        for url in [_url(app, endpoint, arguments, world, text) for text in texts] + [
                _url(app, endpoint, arguments, world) + f"?sort=a{char}b&page=1"]:
            for role, client in clients.items():
                status = client.get(url).status_code
                assert status in (400, 404), f"GET {url!r} as {role}: {status}"


@pytest.mark.parametrize("url", ["/lessons/%00", "/documents/%00x",
                                 "/teach/lessons/1/questions/%01", "/lessons?sort=%00",
                                 "/?%00=1"])
def test_the_reviewed_addresses_are_refused_with_a_page(app, url):
    world = build_world(app)
    response = browser(app, world.users["student"]).get(url)
    assert response.status_code in (400, 404)
    assert "Framing Lab" in response.get_data(as_text=True)


@pytest.mark.parametrize("segment", ["a\x00b", "a\x1bb", "a\tb", "a\x7fb", "a\x85b"])
def test_a_text_segment_with_a_control_character_matches_no_route(segment):
    from werkzeug.exceptions import NotFound

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    urls = app.url_map.bind("localhost")
    assert urls.match("/lessons/a-b") == ("student.lesson", {"slug": "a-b"})
    with pytest.raises(NotFound):
        urls.match(f"/lessons/{segment}")
