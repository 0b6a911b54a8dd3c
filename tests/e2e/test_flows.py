"""The whole round trip in real Chromium: a teacher writes and assigns a lesson, a student
takes it with the mouse and with the keyboard alone, the teacher reads the results.

Every page on the way is checked with axe-core and photographed at 390 px and 1280 px.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.e2e.browser import (
    DESKTOP,
    TEACHER,
    axe_check,
    controls_reachable,
    no_horizontal_scroll,
    screenshots,
)

pytestmark = pytest.mark.e2e

STUDENT_PASSWORD = "student-pass-phrase-1"
DOCUMENT = "astana-times-babich"


def log_in(page, base, username, password, check=False):
    page.goto(base + "/auth/login")
    if check:
        axe_check(page, "log in")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main [type=submit]")
    assert "/auth/login" not in page.url, page.inner_text("main")


def register(page, base, username, check=False):
    page.goto(base + "/auth/register")
    if check:
        axe_check(page, "register")
    page.fill("#username", username)
    page.fill("#password", STUDENT_PASSWORD)
    page.fill("#password2", STUDENT_PASSWORD)
    page.click("main [type=submit]")
    assert "/auth/register" not in page.url, page.inner_text("main")


def submit_in(page, form_selector):
    page.locator(f"{form_selector} [type=submit]").first.click()


@pytest.fixture(scope="module")
def lesson(server, browser, artifacts):
    """A teacher writes a lesson in the authoring UI, publishes it and assigns it to a new
    class. Returns the class join code, the assignment URL and the class id."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *TEACHER, check=True)

    page.goto(server + "/teach/classes/new")
    axe_check(page, "new class")
    page.fill("input[name=name]", "Media 10B")
    submit_in(page, "main form[method=post]")
    class_id = int(re.search(r"/teach/classes/(\d+)", page.url).group(1))
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", page.inner_text("main")).group(0)
    axe_check(page, "class page")

    page.goto(server + "/teach/lessons/new")
    axe_check(page, "new lesson")
    page.fill("input[name=title]", "E2E: mobs and sources")
    page.fill("textarea[name=summary]", "Loaded words and a missing source.")
    submit_in(page, "main form[method=post]")
    lesson_url = page.url.split("#")[0]
    lesson_id = int(lesson_url.rsplit("/", 1)[1])

    # Excerpt: sentences 2 to 4 of the seed document, ticked as a range.
    page.goto(f"{lesson_url}/excerpts/new?document={DOCUMENT}")
    axe_check(page, "excerpt picker")
    page.click("label[for=range-s2]")
    page.click("label[for=range-s4]")
    submit_in(page, "main form[method=post]")
    assert "Excerpt e1" in page.inner_text("#excerpts")

    def write_question(kind, key, marks, rows):
        """Add a question of `kind`, mark its key by clicking `marks` in the `key` list, then
        fill the explanation row fields: rows = [{field: value}] in marking order."""
        page.goto(lesson_url)
        page.select_option("#new-kind", label=kind)
        submit_in(page, "form[action$='/questions/new']")
        for mark in marks:
            page.click(f"#key-{key} label{mark}")
        submit_in(page, f"form[action$='/marks/{key}']")
        for number, row in enumerate(rows):
            for field, value in row.items():
                element = page.locator(f"#{key}-rows-{number}-{field}")
                if field == "reason":
                    element.select_option(value)
                else:
                    element.fill(value)
        submit_in(page, f"form[action$='/key/{key}']")
        assert "Explanations saved" in page.inner_text(".flashes")

    # q1, loaded terms: the key is made by clicking words.
    write_question("Loaded terms", "phrases", [":text-is('terrorists')", ":text-is('mob')"], [
        {"neutral": "armed protesters", "why": "A verdict on who they were, before any court."},
        {"neutral": "crowd", "why": "Makes the crowd sound lawless."}])
    assert "2 words marked" in page.inner_text("#key-phrases")
    axe_check(page, "question editor")
    screenshots(page, "authoring-question", artifacts)

    # q2, sourcing: the key is made by selecting a sentence.
    write_question("Sourcing", "gaps", [":has-text('Government buildings')"], [
        {"reason": "no_source", "why": "Who counted the dead? No source is given."}])
    axe_check(page, "sourcing question editor")

    # q3, loaded terms again (the student answers this one by keyboard).
    write_question("Loaded terms", "phrases", [":text-is('terrorists')"], [
        {"neutral": "armed protesters", "why": "A verdict before any court."}])

    page.goto(lesson_url)
    assert "No problems" in page.inner_text(".editor"), page.inner_text(".editor")[:2000]
    submit_in(page, "form[action$='/publish']")
    assert "Published" in page.inner_text(".status-line")
    axe_check(page, "lesson editor")
    screenshots(page, "authoring-editor", artifacts)
    no_horizontal_scroll(page, "lesson editor")

    page.goto(f"{server}/teach/classes/{class_id}/assignments/new")
    axe_check(page, "assign a lesson")
    page.select_option("#lesson", str(lesson_id))
    submit_in(page, "main form[method=post]")
    assert "E2E: mobs and sources" in page.inner_text("main")
    context.close()
    return {"code": code, "class_id": class_id, "lesson_id": lesson_id}


def join_and_open(page, server, lesson, artifacts=None):
    page.goto(server + "/join")
    if artifacts:
        axe_check(page, "join a class")
    page.fill("#code", lesson["code"].lower())
    submit_in(page, "main form[method=post]")
    page.goto(server + "/lessons")
    if artifacts:
        axe_check(page, "student lesson list")
        screenshots(page, "student-lessons", artifacts)
        no_horizontal_scroll(page, "student lesson list")
    page.get_by_role("link", name=re.compile("E2E: mobs and sources")).first.click()
    assert page.locator("form.quiz").count() == 1, page.inner_text("main")[:1000]


def question(page, number):
    """The quiz section of the n-th question (1-based)."""
    return page.locator("form.quiz .question, form.quiz section").nth(number - 1)


def mark_by_mouse(page):
    """q1: two words and q2: one sentence, clicked with the mouse."""
    first, second = question(page, 1), question(page, 2)
    first.locator(".markable label").filter(has_text=re.compile("^terrorists$")).click()
    first.locator(".markable label").filter(has_text=re.compile("^mob$")).click()
    second.locator(".markable label").filter(has_text="Government buildings").click()


def score_of(page):
    text = page.inner_text("main")
    found = re.search(r"(\d+(?:\.\d+)?)\s*(?:/|out of)\s*(\d+(?:\.\d+)?)", text)
    assert found, text[:1500]
    return found.group(0)


def test_teacher_writes_student_answers_teacher_reads(server, browser, artifacts, lesson):
    student = browser.new_context(viewport=DESKTOP)
    page = student.new_page()
    register(page, server, "e2e-student", check=True)
    join_and_open(page, server, lesson, artifacts)
    axe_check(page, "quiz")
    screenshots(page, "quiz", artifacts)
    no_horizontal_scroll(page, "quiz")
    controls_reachable(page, "quiz")
    page.reload()  # the check above focused every word; start marking from a fresh page

    mark_by_mouse(page)
    q1 = question(page, 1)
    assert q1.locator("input.mark:checked").count() == 2
    assert q1.locator(".mark-count").inner_text() == "2 words marked"

    # q3 by keyboard alone: Tab into the excerpt (one Tab stop), arrows, Space.
    third = question(page, 3)
    boxes = third.locator("input.mark")
    terrorists = boxes.evaluate_all(
        "(bs) => bs.findIndex(b => b.labels[0].textContent.trim() === 'terrorists')")
    page.locator("form.quiz").evaluate("(f) => f.ownerDocument.activeElement.blur()")
    previous = question(page, 2).locator("input.mark").last
    previous.focus()
    # From the previous excerpt, Tab past the source link(s) until focus enters this one:
    # with the roving tabindex the excerpt is one Tab stop, whatever its length.
    first_id = boxes.first.get_attribute("id")
    stops = []
    for _ in range(6):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(
            "document.activeElement.id || document.activeElement.outerHTML.slice(0, 60)"))
        if stops[-1] == first_id:
            break
    assert stops[-1] == first_id, f"Tab never reached the third excerpt: {stops}"
    for _ in range(terrorists):
        page.keyboard.press("ArrowRight")
    target = boxes.nth(terrorists)
    assert page.evaluate("document.activeElement.id") == target.get_attribute("id")
    ring = target.evaluate("""(box) => {
        const show = (e) => { const s = getComputedStyle(e);
          return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
              || s.boxShadow !== 'none'; };
        return show(box) || (box.labels[0] && show(box.labels[0])); }""")
    assert ring, "the focused word shows no outline or box-shadow"
    page.keyboard.press("Space")
    assert target.is_checked()
    assert target.evaluate("(b) => b.matches(':checked')")
    assert third.locator(".mark-count").inner_text() == "1 word marked"
    assert third.locator(".mark-count").get_attribute("aria-live") == "polite"
    screenshots(page, "quiz-marked", artifacts)

    page.click("form.quiz .submit-bar [type=submit]")
    assert score_of(page) == "4 out of 4"  # every key phrase and the gap, nothing extra
    axe_check(page, "feedback")
    screenshots(page, "feedback", artifacts)
    no_horizontal_scroll(page, "feedback")
    feedback = page.inner_text("main")
    assert "Who counted the dead?" in feedback
    assert "armed protesters" in feedback
    student.close()

    teacher = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = teacher.new_page()
    log_in(page, server, *TEACHER)
    page.goto(server + "/teach/")
    assert "e2e-student" in page.inner_text("main")
    axe_check(page, "teacher dashboard")
    screenshots(page, "teacher-dashboard", artifacts)
    no_horizontal_scroll(page, "teacher dashboard")

    page.goto(f"{server}/teach/classes/{lesson['class_id']}/gradebook")
    gradebook = page.inner_text("main")
    assert "e2e-student" in gradebook
    axe_check(page, "gradebook")
    screenshots(page, "gradebook", artifacts)
    no_horizontal_scroll(page, "gradebook")

    with page.expect_download() as download_info:
        page.locator("a[href$='gradebook.csv']").first.click()
    download = download_info.value
    content = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert any("e2e-student" in row for row in rows), rows
    assert any("E2E: mobs and sources" in cell for cell in rows[0]), rows[0]

    page.locator("a[href*='/teach/assignments/'][href$='/results']").first.click()
    analysis = page.inner_text("main")
    assert "q1" in analysis or "terrorists" in analysis
    axe_check(page, "item analysis")
    screenshots(page, "item-analysis", artifacts)
    no_horizontal_scroll(page, "item analysis")

    page.goto(server + "/teach/lessons")
    axe_check(page, "teacher lesson list")
    screenshots(page, "teacher-lessons", artifacts)
    teacher.close()


def test_same_quiz_without_javascript_scores_the_same(server, browser, lesson):
    scores = {}
    for javascript in (True, False):
        context = browser.new_context(viewport=DESKTOP, java_script_enabled=javascript)
        page = context.new_page()
        register(page, server, f"e2e-nojs-{'on' if javascript else 'off'}")
        join_and_open(page, server, lesson)
        mark_by_mouse(page)
        question(page, 3).locator(".markable label").filter(
            has_text=re.compile("^terrorists$")).click()
        assert question(page, 1).locator("input.mark:checked").count() == 2
        # The live count comes from marking.js: empty proves the script really did not run.
        count = question(page, 1).locator(".mark-count").inner_text()
        assert count == ("2 words marked" if javascript else ""), count
        page.click("form.quiz .submit-bar [type=submit]")
        scores[javascript] = score_of(page)
        assert "Who counted the dead?" in page.inner_text("main")
        context.close()
    assert scores[True] == scores[False], scores
