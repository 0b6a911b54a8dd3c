"""Chromium: the pages that measure learning (issue 15), at 1280 and 390 px, axe-clean, with
nothing wider than a phone, reached by the links a teacher and a student would follow.

A teacher sets up a class with a pre-test and a post-test and switches review on; two
students take both on a phone (one marks carefully, one marks freely); the teacher then
opens the class's discernment page, a growth study's results, the review overview and
the assignment's results, and a student opens their own results and the review list.
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
    log_in,
    no_horizontal_scroll,
    register,
)

pytestmark = pytest.mark.e2e

PRE, POST = "naming-the-january-events", "who-gets-quoted"
PASSWORD = "student-pass-phrase-2"


def _both_widths(page, name: str) -> None:
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        axe_check(page, f"{name} ({label})")
        no_horizontal_scroll(page, f"{name} ({label})")
    page.set_viewport_size(DESKTOP)


def _assign(page, base: str, class_url: str, slug: str) -> None:
    class_id = class_url.rsplit("/", 1)[1]
    page.goto(base + f"/teach/assign?lesson={slug}")
    if "/assignments/new" not in page.url:
        page.check(f"#class-{class_id}")
        page.click("main [type=submit]")
    page.click("main [type=submit]")
    assert page.url == class_url, page.inner_text("main")


def _take(pupil, base: str, title_start: str, marks: int) -> None:
    """Open the assignment whose row starts with its lesson's title, on the whole-page
    layout mark the first ``marks`` words of the first excerpt, submit anyway."""
    pupil.goto(base + "/lessons")
    row = pupil.locator("main li, main tr").filter(has_text=re.compile(title_start, re.I))
    row.locator("a", has_text=re.compile("^Start")).first.click()
    assert "/assignments/" in pupil.url
    whole = pupil.get_by_role("button", name="Show all questions on one page")
    if whole.count():
        whole.click()
        pupil.wait_for_load_state()  # the new page, before counting on it
    labels = pupil.locator("form.quiz .markable label")
    for index in range(marks):
        labels.nth(index).click()
    pupil.get_by_role("button", name="Submit answers").click()
    pupil.wait_for_load_state()  # the new page, before counting on it
    anyway = pupil.get_by_role("button", name="Submit anyway")
    if anyway.count():
        anyway.click()
    pupil.wait_for_url(re.compile(r"/attempts/\d+$"))


def test_the_pages_that_measure_learning_pass_axe_at_both_widths(server, browser):
    teacher = browser.new_context(viewport=DESKTOP)
    student = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = teacher.new_page()
        log_in(page, server, *TEACHER)
        page.goto(server + "/teach/classes/new")
        page.fill("#name", f"Growth {secrets.token_hex(3)}")
        page.click("main [type=submit]")
        class_url = page.url
        code = page.locator("code.join-code").first.inner_text()
        _assign(page, server, class_url, PRE)
        _assign(page, server, class_url, POST)
        page.goto(class_url)
        page.get_by_role("button", name="Switch review on").click()
        assert "Review is on" in page.inner_text("main")

        pupil = student.new_page()
        for number, marks in ((1, 3), (2, 40)):
            pupil.context.clear_cookies()
            register(pupil, server, f"grow-{number}-{secrets.token_hex(3)}", PASSWORD)
            pupil.goto(server + "/join")
            pupil.fill("input[name=code]", code)
            pupil.click("main [type=submit]")
            _take(pupil, server, "Naming", marks)
            _take(pupil, server, "Who gets quoted", marks + 2)

        # The student's own measures, in words, and the review list.
        pupil.goto(server + "/results")
        assert "neutral" in pupil.inner_text("main")
        _both_widths(pupil, "student's own results with discernment")
        pupil.goto(server + "/review")
        _both_widths(pupil, "student's review list")

        # The teacher's pages, by the class page's links.
        page.goto(class_url)
        page.get_by_role("link", name=re.compile("discernment", re.I)).first.click()
        page.wait_for_url(re.compile(r"/discernment$"))
        assert page.locator("svg.chart").count() >= 1
        _both_widths(page, "class discernment")

        page.goto(class_url)
        page.get_by_role("link", name="Growth studies").click()
        page.goto(page.url.rsplit("/growth", 1)[0] + "/growth/new")
        page.fill("#name", "January unit")
        for field, title in (("#pre_assignment_id", "Naming"),
                             ("#post_assignment_id", "Who gets quoted")):
            value = page.locator(f"{field} option").filter(
                has_text=re.compile(title, re.I)).first.get_attribute("value")
            page.select_option(field, value)
        _both_widths(page, "new growth study")
        page.get_by_role("button", name="Save study").click()
        assert re.search(r"/growth/\d+$", page.url), page.inner_text("main")
        text = page.inner_text("main")
        assert "post-test" in text.lower() and "95%" in text
        _both_widths(page, "growth results")

        page.goto(class_url)
        page.get_by_role("link", name="See each student's review").click()
        _both_widths(page, "class review overview")
    finally:
        teacher.close()
        student.close()
