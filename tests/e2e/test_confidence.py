"""Chromium: "How sure are you?" on an assignment that asks it (issue 15, part 2).

A teacher ticks the box when assigning; a student picks a rating with the keyboard alone
(Tab into the group, Space, arrow keys) on a 390 px phone and at 1280 px, the ratings are
saved with the marks, and axe finds nothing on the quiz page with the fieldset; the
feedback says what the student said, and the teacher's calibration page counts it.
"""

from __future__ import annotations

import re
import secrets

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
)

pytestmark = pytest.mark.e2e

LIBRARY_SLUG = "naming-the-january-events"
PASSWORD = "student-pass-phrase-1"
Q1, Q2 = "astana-loaded", "blog-frame"


def assign_asking(page, base) -> str:
    """A new class with the library lesson assigned, "How sure are you?" ticked; returns
    the class's join code."""
    page.goto(base + "/teach/classes/new")
    page.fill("#name", f"Sure {secrets.token_hex(3)}")
    page.click("main [type=submit]")
    class_url = page.url
    assert re.search(r"/teach/classes/\d+$", class_url), page.inner_text("main")
    code = page.locator("code.join-code").first.inner_text()
    class_id = class_url.rsplit("/", 1)[1]
    page.goto(base + f"/teach/assign?lesson={LIBRARY_SLUG}")
    if "/assignments/new" not in page.url:
        page.check(f"#class-{class_id}")
        page.click("main [type=submit]")
    page.check("#ask_confidence")
    page.click("main [type=submit]")
    assert page.url == class_url, page.inner_text("main")
    assert "Asked" in page.inner_text("main table")
    return code


def no_violations_in_the_fieldsets(page, name: str) -> None:
    """Stricter than axe_check for what this part adds: no axe violation at all, of any
    impact, inside a "How sure are you?" fieldset."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context={"include": [[".confidence"]]}).response["violations"]
    assert not violations, f"{name}: " + "; ".join(
        f"{v['id']} ({v.get('impact')}): {v['help']}" for v in violations)


def rate_by_keyboard(page, question_id: str, presses_right: int) -> None:
    """From the question's last control before the group, Tab into "How sure are you?",
    Space picks the focused step, each ArrowRight the next one."""
    page.locator(f"#q-{question_id} input:not([type=hidden]):not([name$='.confidence'])"
                 ).last.focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == f"{question_id}.confidence":
            break
    assert page.evaluate("document.activeElement.name") == f"{question_id}.confidence"
    page.keyboard.press("Space")
    for _ in range(presses_right):
        page.keyboard.press("ArrowRight")


def test_a_student_rates_answers_by_keyboard_on_a_phone_and_a_desktop(server, browser):
    teacher = browser.new_context(viewport=DESKTOP)
    student = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = teacher.new_page()
        log_in(page, server, *TEACHER)
        code = assign_asking(page, server)

        pupil = student.new_page()
        register(pupil, server, f"sure-{secrets.token_hex(3)}", PASSWORD)
        pupil.goto(server + "/join")
        pupil.fill("input[name=code]", code)
        pupil.click("main [type=submit]")
        pupil.goto(server + "/lessons")
        pupil.locator("main a", has_text=re.compile("^Start")).first.click()
        assert "/assignments/" in pupil.url
        quiz_url = pupil.url.split("?")[0]

        # 390 px: question 1, rated "Fairly sure" (Space on Guessing, then two steps right).
        legend = pupil.locator(f"#q-{Q1} fieldset.confidence legend")
        assert legend.inner_text() == "How sure are you?"
        assert pupil.locator(f"#q-{Q1} .confidence input:checked").count() == 0
        pupil.locator(f"#q-{Q1} .markable label", has_text=re.compile("^gangs$")).first.tap()
        rate_by_keyboard(pupil, Q1, 2)
        assert pupil.is_checked(f"#q-{Q1}-sure3")
        assert pupil.locator(f"label[for=q-{Q1}-sure3]").inner_text() == "Fairly sure"
        axe_check(pupil, "quiz step with How sure are you? (390 px)")
        no_violations_in_the_fieldsets(pupil, "390 px")
        no_horizontal_scroll(pupil, "quiz step with How sure are you?")
        controls_reachable(pupil, "quiz step with How sure are you?")
        pupil.get_by_role("button", name=re.compile("^Next")).click()
        pupil.wait_for_url(re.compile(r"\?q=2$"))

        # 1280 px: question 2, a frame chosen and rated "Certain" (three steps right).
        pupil.set_viewport_size(DESKTOP)
        pupil.locator(f"#q-{Q2} fieldset.options label").first.click()
        rate_by_keyboard(pupil, Q2, 3)
        assert pupil.is_checked(f"#q-{Q2}-sure4")
        axe_check(pupil, "quiz step with How sure are you? (1280 px)")
        no_violations_in_the_fieldsets(pupil, "1280 px")
        pupil.get_by_role("button", name=re.compile("^Next")).click()
        pupil.wait_for_url(re.compile(r"\?q=3$"))

        # Saved with the marks: question 1 opens with its rating.
        pupil.goto(quiz_url + "?q=1")
        assert pupil.is_checked(f"#q-{Q1}-sure3")

        pupil.goto(quiz_url + "?q=review")
        pupil.get_by_role("button", name=re.compile("Submit")).first.click()
        pupil.wait_for_url(re.compile(r"/attempts/\d+$"))
        feedback = pupil.inner_text("main")
        assert "You said: Fairly sure" in feedback and "You said: Certain" in feedback
        axe_check(pupil, "feedback with the ratings")

        # The teacher's calibration page, reached from the assignment's results.
        assignment_id = quiz_url.rsplit("/", 1)[1]
        page.goto(server + f"/teach/assignments/{assignment_id}/results")
        page.get_by_role("link", name="How sure were they?").click()
        page.wait_for_url(re.compile(r"/calibration$"))
        counts = page.evaluate("""() => Array.from(
            document.querySelectorAll('#calibration-table tbody tr'),
            row => [row.cells[0], row.cells[1], row.cells[2]]
                .map(cell => cell.textContent.trim()).join(' '))""")
        assert counts == ["Guessing 0 0", "Unsure 0 0", "Fairly sure 1 1", "Certain 1 1"]
        axe_check(page, "calibration page")
    finally:
        teacher.close()
        student.close()
