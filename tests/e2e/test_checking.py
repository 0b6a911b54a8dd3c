"""A claim to check and what an excerpt leaves out, in Chromium at 390 and 1280 px: answered
with the keyboard alone, every card, fact, verdict and "Read the card" a 44 px target that a
tap ticks, nothing wider than a phone, and axe clean on the quiz and the feedback.

The app runs on its own lessons folder: the library plus the example cards and the example
lesson citing them (tests/data/checking-example.yaml).
"""

from __future__ import annotations

import itertools

import pytest

from tests.e2e.app_server import running_app
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    axe_check,
    controls_reachable,
    no_horizontal_scroll,
    register,
)
from tests.helpers import checking_folder

LESSON = "/lessons/checking-example"
PASSWORD = "student-pass-phrase-1"
JANUARY = "example-january-2022"
SHOOT, FUEL = f"{JANUARY}#shoot-to-kill", f"{JANUARY}#fuel-prices"
TARGETS = (".verdict-options label", ".pick > label", ".shelf-card > summary")
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])
_names = itertools.count(1)


@pytest.fixture(scope="module")
def checking_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("checking-app")
    with running_app(data, checking_folder(data / "lessons")) as base:
        yield base


@pytest.fixture
def student(checking_server, browser):
    """A new page of a newly registered student (one question at a time), by viewport."""
    contexts = []

    def open_page(size, touch=False):
        context = browser.new_context(viewport=size, has_touch=touch, is_mobile=touch)
        contexts.append(context)
        page = context.new_page()
        register(page, checking_server, f"e2e-checking-{next(_names)}", PASSWORD)
        return page

    yield open_page
    for context in contexts:
        context.close()


def focused(page, selector):
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def tab_to(page, selector, limit=120):
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def whole_page(page, base):
    page.goto(base + LESSON)
    page.click("button[name=layout][value=all]")
    page.wait_for_selector("#q-left-out")


def open_every_card(page):
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")


def small_targets(page):
    """Targets shorter or narrower than 44 px, as "selector: width x height"."""
    return page.evaluate("""(selectors) => selectors.flatMap(s =>
        Array.from(document.querySelectorAll(s)).filter(e => e.getClientRects().length)
          .map(e => e.getBoundingClientRect())
          .filter(r => r.height < 43.5 || r.width < 43.5)
          .map(r => s + ': ' + Math.round(r.width) + 'x' + Math.round(r.height)))""",
                         list(TARGETS))


@SIZES
def test_a_keyboard_alone_answers_both_questions_and_submits(checking_server, student, size):
    page = student(size)
    page.goto(checking_server + LESSON)
    step = page.locator(".steps button[value='1']")
    tab_to(page, "input[name='invited.verdict']")
    page.keyboard.press("Space")  # the first verdict: supported
    # The page's script counts a verdict as an answer, as the server does.
    assert "step-answered" in step.get_attribute("class")
    tab_to(page, f"input[name='invited.card'][value='{JANUARY}']")
    page.keyboard.press("Space")
    # Its card opens from the keyboard, in place.
    tab_to(page, ".pick:has(input:checked) summary")
    page.keyboard.press("Enter")
    assert page.locator(".pick:has(input:checked) details").get_attribute("open") == ""
    assert page.locator("input[name='invited.verdict'][value=supported]").is_checked()
    tab_to(page, "button[name=go][value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**?q=2")
    step = page.locator(".steps button[value='2']")
    assert "step-blank" in step.get_attribute("class")
    for ref in (SHOOT, FUEL):
        tab_to(page, f"input[name='left-out.fact'][value='{ref}']")
        page.keyboard.press("Space")
        assert "step-answered" in step.get_attribute("class")  # any fact picked answers it
    tab_to(page, "button[name=go][value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**?q=review")
    tab_to(page, ".review-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/attempts/*")
    assert "4 out of 4" in page.inner_text(".total")


@SIZES
def test_the_whole_page_has_big_targets_fits_and_passes_axe(checking_server, student, size):
    touch = size == PHONE
    page = student(size, touch)
    whole_page(page, checking_server)
    assert small_targets(page) == []
    box = page.locator("#q-left-out .pick-box").first
    label = page.locator("#q-left-out .pick > label").first
    (label.tap if touch else label.click)()
    assert box.is_checked()  # the whole label ticks the box
    axe_check(page, f"the checking quiz at {size['width']} px")
    open_every_card(page)
    assert small_targets(page) == []
    axe_check(page, f"the checking quiz with every card open at {size['width']} px")
    no_horizontal_scroll(page, "the checking quiz with every card open")
    controls_reachable(page, "the checking quiz with every card open")


@SIZES
def test_the_feedback_fits_and_passes_axe(checking_server, student, size):
    page = student(size)
    whole_page(page, checking_server)
    page.check("#q-invited input[value=contradicted]")
    page.locator("#q-invited .pick-box").nth(0).check()
    page.locator("#q-invited .pick-box").nth(1).check()
    page.check(f"#q-left-out input[value='{FUEL}']")
    page.click("[data-submit]")  # both answered: no warning before submitting
    page.wait_for_url("**/attempts/*")
    assert "Deciding cards you" in page.inner_text("main")
    assert small_targets(page) == []
    axe_check(page, f"the checking feedback at {size['width']} px")
    open_every_card(page)
    axe_check(page, f"the checking feedback with every card open at {size['width']} px")
    no_horizontal_scroll(page, "the checking feedback with every card open")
