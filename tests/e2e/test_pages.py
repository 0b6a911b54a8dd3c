"""The walkthrough's pages in Chromium (issue 13, bugs 3, 4, 8–10 and the results pages):
/compare at 390 and 1280 px (its table's values in view, texts in readable columns, the
scrolling table reachable by keyboard), and axe on /compare, the feedback page, My results,
the Lessons page, the dashboard, the gradebook and item analysis.

One module fixture sets the scene through the real forms: a class, the library lesson
assigned to it, a student who joins and submits it.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    TEACHER,
    axe_check,
    controls_reachable,
    log_in,
    no_horizontal_scroll,
    register,
    screenshots,
)

pytestmark = pytest.mark.e2e

PASSWORD = "student-pass-phrase-1"
LESSON_TITLE = re.compile("Naming the January events")
COMPARE = "/compare/?item=d:astana-times-babich&item=d:quo-vadis-blog"


@pytest.fixture(scope="module")
def scene(server, browser, tmp_path_factory):
    """Storage states of the teacher and of a student who submitted the assigned library
    lesson, and the ids the pages need."""
    folder = tmp_path_factory.mktemp("pages")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *TEACHER)
    page.goto(server + "/teach/classes/new")
    page.fill("input[name=name]", "Civics 9A (pages)")
    page.locator("main form[method=post] [type=submit]").first.click()
    class_id = int(re.search(r"/teach/classes/(\d+)", page.url).group(1))
    found = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", page.inner_text("main"))
    assert found, page.url + page.inner_text("main")[:1500]
    code = found.group(0)
    page.goto(f"{server}/teach/classes/{class_id}/assignments/new")
    option = page.locator("#lesson option").filter(has_text=LESSON_TITLE).first
    page.select_option("#lesson", option.get_attribute("value"))
    page.locator("main form[method=post] [type=submit]").first.click()
    page.goto(f"{server}/teach/classes/{class_id}")
    results = page.locator("main a[href*='/assignments/'][href$='/results']").first
    assignment_id = int(re.search(r"/assignments/(\d+)/results",
                                  results.get_attribute("href")).group(1))
    teacher_state = str(folder / "teacher.json")
    context.storage_state(path=teacher_state)
    context.close()

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    register(page, server, "e2e-pages-student", PASSWORD)
    page.goto(server + "/join")
    page.fill("#code", code)
    page.locator("main form[method=post] [type=submit]").first.click()
    page.goto(f"{server}/assignments/{assignment_id}")
    whole = page.get_by_role("button", name="Show all questions on one page")
    if whole.count():
        whole.click()
    first = page.locator("form.quiz .markable").first
    for word in ("gangs", "presumably"):
        first.locator("label").filter(has_text=re.compile(f"^{word}$")).first.click()
    page.get_by_role("button", name="Submit answers").first.click()
    page.wait_for_load_state()  # the new page, before counting on it
    anyway = page.get_by_role("button", name="Submit anyway")
    if anyway.count():
        anyway.first.click()
    attempt = re.search(r"/attempts/(\d+)", page.url)
    assert attempt, page.url + "\n" + page.inner_text("main")[:800]
    student_state = str(folder / "student.json")
    context.storage_state(path=student_state)
    context.close()
    return {"teacher": teacher_state, "student": student_state, "class": class_id,
            "assignment": assignment_id, "attempt": int(attempt.group(1))}


@pytest.fixture
def as_user(browser, server, scene):
    contexts = []

    def opener(who, path, viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, storage_state=scene[who])
        contexts.append(context)
        page = context.new_page()
        page.goto(server + path)
        return page

    yield opener
    for context in contexts:
        context.close()


# Each cell of the naming table: its box inside the viewport and its text not cut off.
_CLIPPED_CELLS = """(cells) => Array.from(document.querySelectorAll(cells))
  .filter(c => c.getClientRects().length)
  .filter(c => { const r = c.getBoundingClientRect();
                 return r.right > window.innerWidth + 0.5 || r.left < -0.5
                        || c.scrollWidth > c.clientWidth + 1 || r.width < 40; })
  .map(c => c.tagName + ' "' + c.innerText.slice(0, 30) + '" ' + Math.round(
        c.getBoundingClientRect().width) + 'px')"""


def test_compare_reads_at_1280_and_390(as_user, artifacts):
    page = as_user("teacher", COMPARE)
    assert page.locator("article.compare-page").count() == 1
    assert page.locator("article.compare").count() == 0
    # 1280: the table needs no scrolling and cuts nothing; each text has a readable column.
    wrap = page.locator(".naming-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    assert page.evaluate(_CLIPPED_CELLS, "table.naming th, table.naming td") == []
    assert "From January to July: Kazakhstan Meets Challenges" in wrap.inner_text()
    shares = page.evaluate("""() => { const all = document.querySelector('.compare-texts');
        return Array.from(all.querySelectorAll('.compare-text')).map(
          t => t.getBoundingClientRect().width / all.getBoundingClientRect().width); }""")
    assert len(shares) == 2 and min(shares) >= 0.4, shares
    bullets = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.compare-choices li')).map(li => getComputedStyle(li).listStyleType)""")
    assert bullets and set(bullets) == {"none"}, set(bullets)
    # The scrolling box takes keyboard focus and names itself.
    wrap.focus()
    assert page.evaluate("document.activeElement.classList.contains('naming-wrap')")
    assert wrap.get_attribute("role") == "region" and wrap.get_attribute("aria-labelledby")
    axe_check(page, "compare (teacher, 1280)")
    screenshots(page, "compare-teacher", artifacts)

    # 390: every value of the table is on screen (rows become cards), nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    # (the column headings are read from each cell's label there)
    assert page.evaluate(_CLIPPED_CELLS, "table.naming tbody th, table.naming td") == []
    cells = page.locator("table.naming td")
    assert cells.count() >= 10
    assert all(box and box["height"] > 0 for box in
               (cells.nth(i).bounding_box() for i in range(cells.count())))
    assert "bandits" in page.locator("#row-people").inner_text()
    axe_check(page, "compare (teacher, 390)")
    no_horizontal_scroll(page, "compare (teacher)")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    controls_reachable(page, "compare (teacher)")


def test_compare_for_a_student_is_plain_and_says_why(as_user, artifacts):
    page = as_user("student", COMPARE)
    main = page.inner_text("main")
    assert page.locator("mark.lens").count() == 0
    assert page.locator("table.naming").count() == 0
    assert "not highlighted yet" in main
    axe_check(page, "compare (student, 1280)")
    page.set_viewport_size(PHONE)
    axe_check(page, "compare (student, 390)")
    no_horizontal_scroll(page, "compare (student)")
    screenshots(page, "compare-student", artifacts)


def test_student_pages_pass_axe_and_fit_a_phone(as_user, scene, artifacts):
    page = as_user("student", f"/attempts/{scene['attempt']}")
    levels = [int(tag[1]) for tag in page.eval_on_selector_all(
        "main h1, main h2, main h3, main h4, main h5, main h6", "hs => hs.map(h => h.tagName)")]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert "From From" not in page.inner_text("main")
    axe_check(page, "feedback")
    no_horizontal_scroll(page, "feedback")

    page.goto(page.url.split("/attempts/")[0] + "/results")
    axe_check(page, "my results (1280)")
    assert "Civics 9A (pages)" in page.inner_text("#assigned-results + *")
    page.set_viewport_size(PHONE)
    axe_check(page, "my results (390)")
    no_horizontal_scroll(page, "my results")
    controls_reachable(page, "my results")
    # The percent and the feedback link of each attempt are on screen, named (the helpers
    # above go back to 1280 px when done).
    page.set_viewport_size(PHONE)
    percent = page.locator(".my-results td[data-label=Percent]").first
    box = percent.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert re.search(r"\d+%", percent.inner_text())
    screenshots(page, "my-results", artifacts)

    page.goto(page.url.replace("/results", "/lessons"))
    page.set_viewport_size(PHONE)
    axe_check(page, "lessons (390)")
    no_horizontal_scroll(page, "lessons")


def test_teacher_pages_pass_axe(as_user, scene, artifacts):
    for name, path in (("dashboard", "/teach/"),
                       ("class page", f"/teach/classes/{scene['class']}"),
                       ("gradebook", f"/teach/classes/{scene['class']}/gradebook"),
                       ("item analysis", f"/teach/assignments/{scene['assignment']}/results")):
        page = as_user("teacher", path)
        assert page.url.endswith(path), page.url
        axe_check(page, f"{name} (1280)")
        page.set_viewport_size(PHONE)
        axe_check(page, f"{name} (390)")
        # A caption never runs past the right edge of the phone's screen.
        for caption in page.locator("main caption").all():
            box = caption.bounding_box()
            assert box is None or box["x"] + box["width"] <= PHONE["width"] + 0.5, \
                (name, caption.inner_text()[:60], box)
        screenshots(page, "teacher-" + name.replace(" ", "-"), artifacts)
    # Row headers are not grey blocks; actions read apart.
    page = as_user("teacher", f"/teach/classes/{scene['class']}")
    shade = page.evaluate("""() => { const th = document.querySelector('tbody th[scope=row]');
        return th ? getComputedStyle(th).backgroundColor : null; }""")
    assert shade in (None, "rgba(0, 0, 0, 0)"), shade
    actions = page.locator("ul.row-actions").first
    assert actions.locator("li").count() >= 2
