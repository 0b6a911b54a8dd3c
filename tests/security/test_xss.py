"""Authored content is shown as text, never run: 50+ XSS payloads through every field.

Every payload goes through every authored field: lesson title, summary, goals, prompts,
option text and feedback, loaded-term neutral wording and "why" (compiled from lesson
files as a teacher's import would be), document title, author, outlet, note and text
(through the add-document service) and class names. Usernames cannot carry them
(3-32 of a-z, 0-9, ".", "_", "-"). Then every page that shows them is rendered: the
student's quiz, feedback, results, lesson list and document page, the teacher's class,
gradebook, item analysis, per-student page, lesson editor and preview, and the CSV, JSON
and YAML exports; no payload may come out active.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import yaml
from markupsafe import escape

from app.domain.lessons import compile_lesson
from app.extensions import db
from app.models import Lesson, LessonVersion
from app.services.authoring import add_document
from app.services.seeds import document_texts
from tests.web.classes_builders import browser
from tests.web.results_builders import (
    SMALL_LESSON,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_enrollment,
    gen_user,
    load_documents,
    small_responses,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)//",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<a href=javascript:alert(1)>click</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=//evil.example/>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" autofocus onfocus=alert(1) x=\"",
    "`><svg onload=alert(1)>",
    "{{7*7}}",
    "{{ config }}",
    "{% for x in range(3) %}{{ x }}{% endfor %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<scr\u0131pt>alert(1)</scr\u0131pt>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\u202e<script>alert(1)</script>",
]
N = len(PAYLOADS)

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
OWN_SCRIPT = re.compile(r"/static/js/[a-z]+\.js")
SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data):", re.IGNORECASE)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would parse them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(page: str, where: str) -> None:
    """No script but our own, no event handler, no script URL, no raw payload."""
    for tag, attrs in Tags(page).tags:
        values = dict(attrs)
        if tag == "script":
            assert OWN_SCRIPT.fullmatch(values.get("src") or ""), f"{where}: <script {attrs}>"
        for name, value in attrs:
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES or name == "srcdoc":
                assert not SCRIPT_URL.match(value or ""), f"{where}: <{tag} {name}={value!r}>"
        assert tag not in ("iframe", "object", "embed", "base", "marquee"), f"{where}: <{tag}>"
    for payload in PAYLOADS:
        # Raw means unescaped when the payload has a character escaping must change (an
        # entity-only payload such as "&lt;script&gt;" is what escaping others produces).
        if any(char in payload for char in "<>\"'"):
            assert payload not in page, f"{where}: raw {payload!r}"
    assert ">49<" not in page and "test-only-secret-key" not in page, where
    assert "&lt;Config" not in page, f"{where}: template injection"


def payload(k: int, field: int) -> str:
    """Lesson ``k`` carries payload k+field in field number ``field``: over all lessons,
    every payload passes through every field."""
    return PAYLOADS[(k + field) % N]


def lesson_file(k: int, document_slug: str, document_text: str) -> str:
    spec = yaml.safe_load(SMALL_LESSON)
    spec["slug"] = f"xss-{k}"
    spec["title"], spec["summary"] = payload(k, 0), payload(k, 1)
    spec["goals"] = [payload(k, 2)]
    spec["excerpts"][1] = {"id": "blog", "document": document_slug, "quote": document_text}
    words, frame = spec["questions"]
    words["prompt"], frame["prompt"] = payload(k, 3), payload(k, 4)
    for n, phrase in enumerate(words["phrases"]):
        phrase["neutral"], phrase["why"] = payload(k, 5 + n), payload(k, 7 + n)
    for n, option in enumerate(frame["options"]):
        option["text"], option["feedback"] = payload(k, 9 + n), payload(k, 12 + n)
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


def build(app) -> dict:
    with app.app_context():
        load_documents()
        teacher = gen_user("teacher-x", role="teacher")
        student = gen_user("student-x")
        classes = [gen_class(teacher, name=payload(k, 0)) for k in range(N)]
        for classroom in classes:
            gen_enrollment(classroom, student)
        main = classes[0]
        assignments, attempts, documents, lessons = [], [], [], []
        for k in range(N):
            body = f"Plain words open this piece. {payload(k, 19)} Plain words close it."
            document = add_document(teacher, title=payload(k, 15), author=payload(k, 16),
                                    outlet=payload(k, 17), publisher_note=payload(k, 18),
                                    text=body)
            content = compile_lesson(lesson_file(k, document.slug, body), f"xss-{k}.yaml",
                                     document_texts())
            lesson = Lesson(slug=content["slug"], title=content["title"],
                            summary=content["summary"], level="intro", status="published",
                            owner_id=teacher.id)
            lesson.versions.append(LessonVersion(number=1, content=content,
                                                 content_hash=f"{k:064d}"))
            db.session.add(lesson)
            db.session.commit()
            assignment = gen_assignment(main, lesson)
            attempt = gen_attempt(student, assignment,
                                  small_responses(words=[0, 1], choice="order"))
            documents.append(document.slug)
            lessons.append(lesson.id)
            assignments.append(assignment.id)
            attempts.append(attempt.id)
        return {"class": main.id, "classes": [c.id for c in classes], "student": student.id,
                "assignments": assignments, "attempts": attempts, "documents": documents,
                "lessons": lessons}


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


def test_no_payload_comes_out_active_anywhere(app):
    assert N >= 50
    world = build(app)
    student, teacher = browser(app, "student-x"), browser(app, "teacher-x")
    shown_literally = set()

    for url in ("/lessons", "/results", "/me/data"):
        assert_inert(get(student, url), url)
    for k in range(N):
        for url in (f"/assignments/{world['assignments'][k]}",
                    f"/attempts/{world['attempts'][k]}",
                    f"/documents/{world['documents'][k]}"):
            page = get(student, url)
            assert_inert(page, url)
            if "{{7*7}}" in page:
                shown_literally.add(url)
        for url in (f"/teach/assignments/{world['assignments'][k]}/results",
                    f"/teach/lessons/{world['lessons'][k]}",
                    f"/teach/lessons/{world['lessons'][k]}/preview",
                    f"/teach/lessons/{world['lessons'][k]}/questions/frame"):
            assert_inert(get(teacher, url), url)
        # The title payload reached the quiz page, escaped: the check above is not vacuous.
        quiz = get(student, f"/assignments/{world['assignments'][k]}")
        assert str(escape(payload(k, 0))) in quiz
    class_id = world["class"]
    for url in ("/teach/", "/teach/classes", "/teach/lessons", f"/teach/classes/{class_id}",
                f"/teach/classes/{class_id}/gradebook",
                f"/teach/classes/{class_id}/students/{world['student']}"):
        assert_inert(get(teacher, url), url)
    assert shown_literally, "{{7*7}} was never shown as typed"

    for url in (f"/teach/classes/{class_id}/gradebook.csv",
                f"/teach/classes/{class_id}/responses.csv"):
        response = teacher.get(url)
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        for line in response.get_data(as_text=True).splitlines():
            for cell in line.split(","):
                assert not cell.strip('"').startswith(("=", "+", "@")), f"{url}: {cell!r}"
    export = student.get("/me/data.json")
    assert export.mimetype == "application/json" and "<" not in export.get_data(as_text=True)
    titles = {a["lesson"]["title"] for a in json.loads(export.get_data(as_text=True))["attempts"]}
    assert titles == set(PAYLOADS)
    yaml_export = teacher.get(f"/teach/lessons/{world['lessons'][0]}/export.yaml")
    assert yaml_export.status_code == 200 and "html" not in yaml_export.mimetype
