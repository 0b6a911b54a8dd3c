"""Chromium: the reference shelf at 390 and 1280 px (axe, nothing wider than a phone, every
control reachable), the shelf and a card reached by keyboard alone, a teacher writing a
source card by keyboard alone, and a quiz's "Who is behind this?" link opening in a new
tab while the quiz keeps its marks.
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
    screenshots,
)

pytestmark = pytest.mark.e2e


def _both_widths(page, name: str) -> None:
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        axe_check(page, f"{name} ({label})")
    no_horizontal_scroll(page, name)
    controls_reachable(page, name)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` (fails after ``limit``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


@pytest.fixture
def teacher_page(server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *TEACHER)
    yield page
    context.close()


def test_the_shelf_and_a_card_read_well_at_both_widths_and_by_keyboard(server, teacher_page,
                                                                       artifacts):
    page = teacher_page
    page.goto(server + "/")
    # The nav leads to the shelf; from there a card, by keyboard alone.
    tab_to(page, "nav a[href='/shelf']")
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/shelf")
    assert page.get_by_role("heading", name="How to check a claim").is_visible()
    _both_widths(page, "the shelf")
    screenshots(page, "shelf", artifacts)
    first_card = page.locator("#facts-title ~ ul a").first
    href = first_card.get_attribute("href")
    tab_to(page, f"main a[href='{href}']")
    page.keyboard.press("Enter")
    page.wait_for_url(server + href)
    assert page.get_by_role("heading", level=2, name="Sources").is_visible()
    links = page.locator(".card-sources a")
    assert links.count() >= 1
    assert links.first.get_attribute("rel") == "noopener"
    _both_widths(page, "a fact card")
    screenshots(page, "shelf-fact-card", artifacts)


def test_a_teacher_writes_a_source_card_by_keyboard(server, teacher_page, artifacts):
    page = teacher_page
    page.goto(server + "/shelf")
    tab_to(page, "main a[href='/shelf/new']")
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/shelf/new")
    _both_widths(page, "the card editor")
    type_into(page, "#slug", "e2e-institute")
    # The kind: one Tab stop for the radio group, the arrow keys choose.
    tab_to(page, "input[name=kind]")
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name=kind][value=source]").is_checked()
    type_into(page, "#title", "An institute for the browser test")
    type_into(page, "#summary", "A card written by the browser test.")
    tab_to(page, "#role")
    page.keyboard.press("ArrowDown")  # Person
    page.keyboard.press("ArrowDown")  # Outlet
    page.keyboard.press("ArrowDown")  # Organisation
    assert page.locator("#role").input_value() == "organisation"
    type_into(page, "#names", "Institute of the Browser Test")
    page.keyboard.press("Enter")
    page.keyboard.type("Browser Institute")
    for field in ("who", "pays", "wants", "record"):
        type_into(page, f"#{field}", f"Test text for {field}.")
    type_into(page, "#sources-0-title", "Test source")
    type_into(page, "#sources-0-publisher", "Framing Lab tests")
    type_into(page, "#sources-0-date", "1 January 2026")
    type_into(page, "#sources-0-url", "example.org/not-a-web-address")
    page.keyboard.press("Enter")  # Enter in a text field presses the first button: Save
    page.wait_for_load_state()
    # Refused at the field, with everything typed still there.
    assert "/shelf/new" in page.url
    error = page.locator("#sources-0-url-error")
    assert "web address" in error.inner_text()
    assert page.locator("#who").input_value() == "Test text for who."
    _both_widths(page, "the card editor with a problem")
    screenshots(page, "shelf-editor-problem", artifacts)
    page.locator("#sources-0-url").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("https://example.org/tests")
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/shelf/e2e-institute")
    headings = page.locator("main h2").all_inner_texts()
    assert headings == ["Who is it?", "Who pays?", "What do they want?",
                        "What record can be checked?", "Sources"]
    _both_widths(page, "a source card")
    screenshots(page, "shelf-source-card", artifacts)
    page.goto(server + "/shelf")
    assert page.locator("#sources-organisation ~ ul a",
                        has_text="An institute for the browser test").count() == 1


def test_a_card_link_under_an_excerpt_opens_a_new_tab_and_the_quiz_keeps_its_marks(
        server, teacher_page, artifacts):
    page = teacher_page
    page.goto(server + "/lessons")
    page.locator(".lesson-list a").first.click()
    page.wait_for_load_state()
    line = page.locator(".source-behind").first
    assert line.inner_text().startswith("Who is behind this?")
    page.locator("label[for$='-w0']").first.click()  # mark the first word
    marked = page.locator("input.mark:checked").count()
    assert marked == 1
    link = line.locator("a").first
    assert link.get_attribute("target") == "_blank"
    assert re.search(r"opens in a new tab", link.inner_text() + link.inner_html())
    with page.context.expect_page() as opened:
        link.click()
    card = opened.value
    card.wait_for_load_state()
    assert "/shelf" in card.url
    assert page.locator("input.mark:checked").count() == marked
    no_horizontal_scroll(page, "a quiz page with its source line")
    screenshots(page, "quiz-source-line", artifacts)
    card.close()
