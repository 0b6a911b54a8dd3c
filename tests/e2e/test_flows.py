"""The whole round trip in real Chromium: a teacher pastes a document, annotates it once in
its reading editor (partly by keyboard), writes a lesson whose questions take their keys from
that reading and assigns it; a student takes it with the mouse and with the keyboard alone,
the teacher reads the results.

Every page on the way is checked with axe-core and photographed at 390 px and 1280 px.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from app.domain.text import sentences
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
# The passage the teacher pastes comes from this library document (astana-times-babich).
SEED = Path(__file__).resolve().parents[2] / "seeds" / "004_2d6e0c6b88b7ca38.txt"
PASTED_TITLE = "E2E: the first days of 2022"


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


def babich_passage() -> str:
    """Sentences 2 to 4 of the library document astana-times-babich, exactly as its seed
    file has them: the passage the teacher pastes as a document of their own."""
    text = SEED.read_text(encoding="utf-8")
    spans = sentences(text)
    passage = text[spans[2].start:spans[4].end]
    assert passage.startswith("The year was full of dangers"), passage[:80]
    assert passage.endswith("Kassym-Jomart Tokayev."), passage[-80:]
    return passage


def tab_into(page, group, limit=12):
    """Press Tab until focus lands on a word or sentence of ``group`` (a .markable locator);
    with the roving tabindex the group is one Tab stop. Returns the focused box's id."""
    first = group.locator("input.mark").first.get_attribute("id")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(
            "document.activeElement.id || document.activeElement.outerHTML.slice(0, 60)"))
        if stops[-1] == first:
            return first
    raise AssertionError(f"Tab never reached the marking group: {stops}")


def focus_ring(box) -> bool:
    """True when the focused checkbox, or its label, shows an outline or a box-shadow."""
    return box.evaluate("""(box) => {
        const show = (e) => { const s = getComputedStyle(e);
          return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
              || s.boxShadow !== 'none'; };
        return show(box) || (box.labels[0] && show(box.labels[0])); }""")


def index_of(boxes, word) -> int:
    return boxes.evaluate_all(
        "(bs, word) => bs.findIndex(b => b.labels[0].textContent.trim() === word)", word)


def annotate(page, artifacts):
    """On the reading editor of the teacher's pasted document: start a reading, mark two
    loaded words (the first by keyboard alone) and one sentence as a sourcing gap."""
    page.get_by_role("button", name="Start a reading of this document").click()
    assert "This reading is now yours to edit" in page.inner_text(".flashes")

    words = page.locator("#judge-word .markable")
    boxes = words.locator("input.mark")
    # "terrorists" by keyboard: from the breadcrumb link, Tab into the words (one Tab stop),
    # arrows to the word, Space marks it.
    page.locator("main .meta a").first.focus()
    tab_into(page, words)
    for _ in range(index_of(boxes, "terrorists")):
        page.keyboard.press("ArrowRight")
    target = boxes.nth(index_of(boxes, "terrorists"))
    assert page.evaluate("document.activeElement.id") == target.get_attribute("id")
    assert focus_ring(target), "the focused word in the reading editor shows no focus ring"
    page.keyboard.press("Space")
    assert target.is_checked()
    assert page.locator("#judge-word .mark-count").inner_text() == "1 word marked"

    def judge(unit, judgement, fields):
        page.select_option(f"#judgement-{unit}", judgement)
        for name, value in fields.items():
            element = page.locator(f"#judge-{unit}-{name}")
            if name in ("about", "reason"):
                element.select_option(value)
            else:
                element.fill(value)
        submit_in(page, f"#judge-{unit} form")
        assert "Saved in your reading." in page.inner_text(".flashes"), \
            page.inner_text("main")[:1500]

    judge("word", "loaded", {"about": "people", "neutral": "armed protesters",
                             "why": "A verdict on who they were, before any court."})
    words.locator("label").filter(has_text=re.compile("^mob$")).click()
    judge("word", "loaded", {"about": "people", "neutral": "crowd",
                             "why": "Makes the crowd sound lawless."})
    page.locator("#judge-sentence .markable label").filter(
        has_text="Government buildings").click()
    assert page.locator("#judge-sentence .mark-count").inner_text() == "1 sentence marked"
    judge("sentence", "gaps", {"reason": "no_source",
                               "why": "Who counted the dead? No source is given."})

    loaded = page.locator("#tier-loaded q").all_inner_texts()
    assert loaded == ["terrorists", "mob"], loaded
    gaps = page.locator("#tier-gaps q").all_inner_texts()
    assert len(gaps) == 1 and gaps[0].startswith("Government buildings"), gaps
    axe_check(page, "reading editor")
    screenshots(page, "reading-editor", artifacts)
    no_horizontal_scroll(page, "reading editor")


@pytest.fixture(scope="module")
def lesson(server, browser, artifacts):
    """A teacher pastes a document, annotates it once in its reading editor, writes a
    lesson on it whose questions take their keys from that reading, publishes it and
    assigns it to a new class. Returns the class join code, the class id and lesson id."""
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

    # (1) Teach -> Add a document: the passage, pasted as the teacher's own document.
    page.goto(server + "/teach/lessons")
    page.get_by_role("link", name="Add a document").click()
    axe_check(page, "add a document")
    page.fill("#title", PASTED_TITLE)
    page.fill("#author", "Dmitry Babich")
    page.fill("#outlet", "The Astana Times")
    page.fill("#text", babich_passage())
    submit_in(page, "main form[method=post]")
    assert f"Document “{PASTED_TITLE}” added." in page.inner_text(".flashes")

    # (2) Its reading editor: every judgement made once, here.
    found = re.search(r"/teach/readings/([^/?#]+)$", page.url.split("#")[0])
    assert found, f"pasting a document did not open its reading editor: {page.url}"
    slug = found.group(1)
    annotate(page, artifacts)

    # (3) The lesson: one excerpt (the whole pasted passage) and three questions, each one
    # submit (kind and excerpt): the key comes from the reading.
    page.goto(server + "/teach/lessons/new")
    axe_check(page, "new lesson")
    page.fill("input[name=title]", "E2E: mobs and sources")
    page.fill("textarea[name=summary]", "Loaded words and a missing source.")
    submit_in(page, "main form[method=post]")
    lesson_url = page.url.split("#")[0]
    lesson_id = int(lesson_url.rsplit("/", 1)[1])

    page.goto(f"{lesson_url}/excerpts/new")
    page.select_option("#document", slug)
    page.get_by_role("button", name="Show this document").click()
    axe_check(page, "excerpt picker")
    reading_link = page.get_by_role("link", name="The reading of this document")
    assert reading_link.get_attribute("href") == f"/teach/readings/{slug}"
    page.click("label[for=range-s0]")
    page.click("label[for=range-s2]")
    submit_in(page, "main form[method=post]")
    assert "Excerpt e1" in page.inner_text("#excerpts")

    def write_question(kind):
        """Add a question of `kind` on e1 in one submit; return its key as the page shows
        it (the text of the "from the reading" section)."""
        page.goto(lesson_url)
        page.select_option("#new-kind", label=kind)
        page.select_option("#new-excerpt", "e1")
        submit_in(page, "form[action$='/questions/new']")
        assert "keyed from the reading of its document" in page.inner_text(".flashes")
        assert page.locator("form[action*='/marks/'], form[action*='/key/']").count() == 0, \
            "a question keyed from the reading still shows key-marking widgets"
        assert "No problems in this question." in page.inner_text("main")
        return page.inner_text("#reading-key")

    loaded_key = [("terrorists", "armed protesters",
                   "A verdict on who they were, before any court."),
                  ("mob", "crowd", "Makes the crowd sound lawless.")]

    def assert_loaded_key(key):
        assert "Loaded words and phrases (in the key) (2)" in key, key
        for phrase, neutral, why in loaded_key:
            assert f"{phrase} · people → {neutral}: {why}" in key, key

    # q1, loaded terms.
    assert_loaded_key(write_question("Loaded terms"))
    axe_check(page, "question editor")
    screenshots(page, "authoring-question", artifacts)

    # q2, sourcing: the gap from the reading.
    key = write_question("Sourcing")
    assert "Sentences with a sourcing gap (in the key) (1)" in key, key
    assert "Government buildings in several important cities" in key, key
    assert "Who counted the dead? No source is given." in key, key
    assert "terrorists" not in key
    axe_check(page, "sourcing question editor")

    # q3, loaded terms again (the student answers this one by keyboard): the same key as
    # q1, since both read the same reading.
    assert_loaded_key(write_question("Loaded terms"))

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
    # These tests mark several questions on one page: the student chooses that layout.
    whole = page.get_by_role("button", name="Show all questions on one page")
    if whole.count():
        whole.click()
        page.wait_for_load_state()  # the new page, before counting on it
    assert page.locator("form.quiz").count() == 1, page.inner_text("main")[:1000]
    open_excerpts(page)


def open_excerpts(page):
    """On the whole page the excerpt is printed once; the later questions on it mark it in a
    closed disclosure, which the student opens."""
    for details in page.locator("details.excerpt-again").all():
        if details.get_attribute("open") is None:
            details.locator("summary").click()


def question(page, number):
    """The quiz section of the n-th question (1-based)."""
    return page.locator("form.quiz .question, form.quiz section").nth(number - 1)


def mark_by_mouse(page):
    """q1: two words and q2: one sentence, clicked with the mouse."""
    open_excerpts(page)
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
    terrorists = index_of(boxes, "terrorists")
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
    assert focus_ring(target), "the focused word shows no outline or box-shadow"
    page.keyboard.press("Space")
    assert target.is_checked()
    assert target.evaluate("(b) => b.matches(':checked')")
    assert third.locator(".mark-count").inner_text() == "1 word marked"
    assert third.locator(".mark-count").get_attribute("aria-live") == "polite"
    screenshots(page, "quiz-marked", artifacts)

    page.click("form.quiz .submit-bar [type=submit]")
    # q1 both phrases (2), q2 the gap (1), q3 "terrorists" of its two phrases (1): nothing
    # marked wrongly, "mob" missed in q3.
    assert score_of(page) == "4 out of 5"
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
