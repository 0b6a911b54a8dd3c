"""A lesson on a 390 px phone, one question at a time, in Chromium: the progress indicator,
Next and the question list, a tab closed mid-lesson and opened again (marks and place kept,
saved by the page's script without pressing anything), the warning before submitting with
unanswered questions, and axe on every step."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import (
    PHONE,
    axe_check,
    controls_reachable,
    eventually,
    no_horizontal_scroll,
    register,
)

LESSON = "/lessons/naming-the-january-events"
PASSWORD = "student-pass-phrase-1"
QUESTIONS = 4


def expect(locator):
    """Playwright's expect, imported when a test runs: a plain `pytest` run (no `make e2e`
    packages) must still collect this module and skip it."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def phone_student(server, browser, tmp_path_factory):
    """Storage state of a student registered on a touch phone (one sign-up per module)."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    register(page, server, "e2e-lesson-flow", PASSWORD)
    path = tmp_path_factory.mktemp("flow") / "state.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


def phone(browser, state, javascript=True):
    return browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                               storage_state=state, java_script_enabled=javascript)


def tap_word(page, word):
    page.locator("form.quiz .markable label").filter(
        has_text=re.compile(f"^{word}$")).first.tap()


def test_one_question_at_a_time_on_a_phone_survives_a_closed_tab(server, browser,
                                                                 phone_student):
    context = phone(browser, phone_student)
    page = context.new_page()
    page.goto(server + LESSON)
    assert "Question 1 of 4" in page.inner_text(".step-count")
    assert page.locator("form.quiz [data-question]").count() == 1
    axe_check(page, "lesson step 1 (phone)")
    no_horizontal_scroll(page, "lesson step 1")
    controls_reachable(page, "lesson step 1")
    page.reload()

    tap_word(page, "gangs")
    tap_word(page, "mutineers")
    assert page.locator("form.quiz input.mark:checked").count() == 2
    # The question list says question 1 is answered as soon as it is.
    assert "answered" in page.locator(".steps button[value='1']").inner_text()
    page.get_by_role("button", name=re.compile("^Next")).click()
    page.wait_for_url(re.compile(r"\?q=2$"))
    assert "Question 2 of 4" in page.inner_text(".step-count")
    assert "1 of 4 answered" in page.inner_text(".step-count")
    axe_check(page, "lesson step 2 (phone)")

    # On question 2 the frame is chosen; the page's script saves it (watch for "Saved"),
    # then the tab is closed without pressing anything.
    page.locator("form.quiz fieldset.options label").first.tap()
    expect(page.locator("[data-save-status]")).to_have_text("Saved", timeout=5000)
    chosen = page.locator("form.quiz fieldset.options input:checked").get_attribute("value")
    context.close()

    again = phone(browser, phone_student)
    page = again.new_page()
    page.goto(server + LESSON)
    assert "Question 2 of 4" in page.inner_text(".step-count")  # the place is kept
    assert page.locator("form.quiz fieldset.options input:checked").get_attribute(
        "value") == chosen
    page.locator(".steps button[value='1']").click()
    page.wait_for_url(re.compile(r"\?q=1$"))
    boxes = page.locator("form.quiz input.mark:checked")
    assert boxes.count() == 2  # the marks on question 1 are kept too

    # Jump to the review: two questions unanswered, listed before Submit.
    page.locator(".steps button[value='review']").click()
    page.wait_for_url(re.compile(r"\?q=review$"))
    text = page.inner_text("main")
    assert "2 questions are not answered yet" in text
    assert "Question 3" in text and "Question 4" in text
    axe_check(page, "lesson review (phone)")
    no_horizontal_scroll(page, "lesson review")
    page.get_by_role("button", name="Submit anyway").click()
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    assert "Try again from my answers" in page.inner_text("main")
    again.close()


def test_the_other_steps_pass_axe_and_leaving_with_unsaved_marks_warns(server, browser,
                                                                       phone_student):
    context = phone(browser, phone_student)
    page = context.new_page()
    for step in range(3, QUESTIONS + 1):
        page.goto(f"{server}{LESSON}?q={step}")
        assert f"Question {step} of 4" in page.inner_text(".step-count")
        axe_check(page, f"lesson step {step} (phone)")
    # A mark not yet saved: leaving asks first (the save is held back by a failing network).
    page.route("**/progress", lambda route: route.abort())
    page.goto(f"{server}{LESSON}?q=1")
    tap_word(page, "gangs")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    expect(page.locator("[data-save-status]")).to_contain_text("Trying again", timeout=5000)
    page.evaluate("window.location.href = '/lessons'")
    eventually(page, lambda: dialogs == ["beforeunload"], f"leaving asks first: {dialogs}")
    context.close()


def test_without_javascript_next_still_saves_and_the_whole_page_asks_before_submitting(
        server, browser, phone_student):
    context = phone(browser, phone_student, javascript=False)
    page = context.new_page()
    page.goto(f"{server}{LESSON}?q=1")
    if page.locator("details.start-over").count():  # whatever an earlier test left saved
        page.locator("details.start-over summary").click()
        page.get_by_role("button", name="Clear my answers and start again").click()
    page.locator("form.quiz .markable label").filter(has_text=re.compile("^gangs$")).first \
        .click()
    page.get_by_role("button", name=re.compile("^Next")).click()
    assert page.url.endswith("?q=2") and "1 of 4 answered" in page.inner_text(".step-count")
    page.get_by_role("button", name="Show all questions on one page").click()
    page.wait_for_load_state()  # the new page, before counting on it
    assert page.locator("form.quiz [data-question]").count() == QUESTIONS
    # Each excerpt printed once: the compare question's copies start closed.
    assert page.locator("details.excerpt-again").count() == 2
    assert page.locator("details.excerpt-again[open]").count() == 0
    page.get_by_role("button", name="Submit answers").click()
    assert "questions are not answered yet" in page.inner_text("main")
    assert "/attempts/" not in page.url
    context.close()

    # The same whole page with JavaScript: axe, and the same list before submitting.
    context = phone(browser, phone_student)
    page = context.new_page()
    page.goto(server + LESSON)
    assert page.locator("form.quiz [data-question]").count() == QUESTIONS
    axe_check(page, "whole lesson (phone)")
    page.get_by_role("button", name="Submit answers").click()
    warning = page.locator("#unanswered-warning")
    expect(warning).to_be_visible()
    assert warning.locator("li").count() == 3  # questions 2, 3 and 4
    axe_check(page, "unanswered questions before submitting (phone)")
    assert "/attempts/" not in page.url
    context.close()
