"""Chromium: axe on the teacher pages the classroom walkthrough names that no other browser
test opens (issue 13: "axe reports no serious or critical violations on every page the
report names"): the lesson import page, the printable answer key, the account page and the
change-password form, at 1280 and 390 px, with nothing wider than a phone.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    TEACHER,
    axe_check,
    eventually,
    log_in,
    no_horizontal_scroll,
)

pytestmark = pytest.mark.e2e


def _both_widths(page, name: str) -> None:
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        axe_check(page, f"{name} ({label})")
    no_horizontal_scroll(page, name)


def test_teacher_pages_the_review_names_pass_axe(server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        log_in(page, server, *TEACHER)
        page.goto(server + "/teach/lessons/import")
        text = page.inner_text("main")
        # Written for teachers: no repository paths or command lines (review, friction).
        assert "lessons/README" not in text and "flask " not in text
        _both_widths(page, "lesson import")

        page.goto(server + "/teach/lessons")
        key_url = page.locator("a.key-link").first.get_attribute("href")
        page.goto(server + key_url + "/print")
        _both_widths(page, "printable answer key")

        page.goto(server + "/auth/account")
        _both_widths(page, "account")
        page.goto(server + "/auth/password")
        _both_widths(page, "change password")
    finally:
        context.close()


def test_the_reading_editor_asks_before_another_form_loses_typed_text(server, browser):
    """Issue 13, item 8: nothing typed is lost when another form on the page is submitted.
    The reading editor keeps one form per judgement, so a teacher who typed a "why" and
    then pressed another entry's Save is asked first, and staying keeps the text."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        log_in(page, server, *TEACHER)
        page.goto(server + "/teach/readings/quo-vadis-blog")
        start = page.get_by_role("button", name="Copy the library's reading to edit")
        if start.count():
            start.click()
            page.wait_for_load_state()  # the new page, before counting on it
        whys = page.locator("#entries form textarea[name=why]")
        assert whys.count() >= 2
        whys.nth(0).fill("Typed and not saved yet.")
        dialogs = []

        def stay(dialog):
            dialogs.append(dialog.type)
            dialog.dismiss()

        page.once("dialog", stay)
        page.locator("#entries form").nth(1).get_by_role(
            "button", name=re.compile("^Save")).click()
        eventually(page, lambda: dialogs == ["beforeunload"], f"another Save asks first: {dialogs}")
        assert whys.nth(0).input_value() == "Typed and not saved yet."
    finally:
        context.close()
