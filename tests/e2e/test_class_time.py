"""Chromium: a class takes the teacher's own time zone, dates are typed and read on its
clock, safer assignment defaults, and the gradebook on a phone (issue 13, items 4 and 5).
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
STUDENT_PASSWORD = "student-pass-phrase-1"


def new_class(page, base, name):
    page.goto(base + "/teach/classes/new")
    page.fill("#name", name)
    page.click("main [type=submit]")
    assert re.search(r"/teach/classes/\d+$", page.url), page.inner_text("main")
    return page.url


def test_a_class_made_in_almaty_gets_almatys_clock(server, browser):
    context = browser.new_context(viewport=DESKTOP, timezone_id="Asia/Almaty")
    page = context.new_page()
    try:
        log_in(page, server, *TEACHER)
        page.goto(server + "/teach/classes/new")
        # classes.js picked the browser's zone; without it the site's (UTC) would be chosen.
        assert page.input_value("#timezone") == "Asia/Almaty"
        axe_check(page, "new class")
        class_url = new_class(page, server, f"Almaty {secrets.token_hex(3)}")
        assert page.input_value("#timezone") == "Asia/Almaty"  # the class settings
        # Assign from the library: straight to the form with the lesson chosen (this
        # teacher may have other classes from other tests: then pick this one).
        page.goto(server + f"/teach/assign?lesson={LIBRARY_SLUG}")
        if "/assignments/new" not in page.url:
            class_id = class_url.rsplit("/", 1)[1]
            page.check(f"#class-{class_id}")
            page.click("main [type=submit]")
        assert "/assignments/new" in page.url
        assert page.locator("#lesson option:checked").inner_text().strip()
        assert page.input_value("#max_attempts") == "1"
        assert page.is_checked("#feedback-0")  # immediately: safe with one attempt
        page.select_option("#max_attempts", "3")
        assert page.is_checked("#feedback-1")  # after the due date, proposed by the script
        assert "in Asia/Almaty time" in page.inner_text("label[for=due_at]")
        axe_check(page, "assign a lesson")
        controls_reachable(page, "assign a lesson")
        page.fill("#due_at", "2031-05-01T15:00")
        page.click("main [type=submit]")
        assert page.url == class_url, page.inner_text("main")
        assert "2031-05-01 15:00 Almaty time" in page.inner_text("main")
    finally:
        context.close()


def test_the_gradebook_caption_fits_a_phone(server, browser):
    name = f"Phone {secrets.token_hex(3)}"
    teacher = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = teacher.new_page()
    student = browser.new_context(viewport=DESKTOP)
    pupil = student.new_page()
    try:
        log_in(page, server, *TEACHER)
        class_url = new_class(page, server, name)
        code = page.locator("code.join-code").first.inner_text()
        username = f"pupil-{secrets.token_hex(3)}"
        register(pupil, server, username, STUDENT_PASSWORD)
        pupil.goto(server + "/join")
        pupil.fill("input[name=code]", code)
        pupil.click("main [type=submit]")
        page.goto(class_url + "/gradebook")
        caption = page.locator("#gradebook-caption")
        box = caption.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
        assert "1 student by assignment" in caption.inner_text()
        no_horizontal_scroll(page, "gradebook")
        axe_check(page, "gradebook")
        page.click(f"text={username}")
        axe_check(page, "a student's results")
    finally:
        teacher.close()
        student.close()
