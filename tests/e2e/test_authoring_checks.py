"""Chromium: writing a verify and an omission question with the keyboard alone, at 1280
and 390 px, on the library's shelf (synced with the lessons); axe on the question page as
it first shows, after saving, and when the compiler refuses (problems beside the fields).

Every field is reached by Tab from the one before it, each choice made with Space, the
arrow keys or typing, and each save pressed with Enter: nothing here needs a mouse.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    TEACHER,
    axe_check,
    no_horizontal_scroll,
    screenshots,
)
from tests.e2e.test_flows import log_in, submit_in

pytestmark = pytest.mark.e2e

CLAIM = "on an invitation of the Kazakh government"
DECIDES = "timeline-january-2022"
CONTROLS = ("rogun-dam", "tpnw-2022")
FACTS = {"timeline-january-2022#shoot-to-kill": "omitted",
         "timeline-january-2022#fuel-price": "omitted",
         "timeline-january-2022#csto-request": "stated",
         "rogun-dam#begun-1976": "unrelated",
         "tpnw-2022#adopted-2017": "unrelated"}


def dom_id(ref: str) -> str:
    return ref.replace("#", "--")


@pytest.fixture(scope="module")
def lesson_url(server, browser):
    """A lesson of the e2e teacher with one excerpt (the CSTO troops' arrival)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *TEACHER)
    page.goto(server + "/teach/lessons/new")
    page.fill("input[name=title]", "E2E: checking the troops' invitation")
    page.fill("textarea[name=summary]", "A claim checked, and what is left out.")
    submit_in(page, "main form[method=post]")
    url = page.url.split("#")[0]
    page.goto(f"{url}/excerpts/new?document=astana-times-babich")
    page.locator("label[for^=range-s]", has_text="The President’s order was fulfilled").click()
    page.locator("label[for^=range-s]", has_text="came to the country").click()
    submit_in(page, "main form[method=post]")
    context.close()
    return url


@pytest.fixture
def page(server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *TEACHER)
    yield page
    context.close()


def new_question(page, lesson_url: str, kind: str) -> str:
    page.goto(lesson_url)
    page.select_option("#new-kind", kind)
    submit_in(page, "form[action$='/questions/new']")
    return page.url.split("#")[0]


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element ``selector`` has the focus (fail after ``limit``): it
    must come later in the page than the focus, as Tab goes."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focused_is_visible(page) -> bool:
    return page.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 1; }""")


def check_page(page, name: str) -> None:
    axe_check(page, f"{name} (1280)")
    page.set_viewport_size(PHONE)
    axe_check(page, f"{name} (390)")
    no_horizontal_scroll(page, f"{name} (390)")
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_verify_question_is_written_with_the_keyboard(page, lesson_url, width, artifacts):
    url = new_question(page, lesson_url, "verify")
    check_page(page, "verify question, empty")
    page.set_viewport_size(width)
    page.focus("#check-claim")
    page.keyboard.type(CLAIM)
    tab_to(page, "#check-verdict-supported")
    page.keyboard.press("Space")
    tab_to(page, "#check-why-field")
    page.keyboard.type("The timeline records the appeal to the CSTO before its troops came.")
    # The cards are folded under "Add cards from the shelf" until some are offered: open it.
    tab_to(page, "details.shelf-more > summary")
    if page.evaluate("() => !document.querySelector('details.shelf-more').open"):
        page.keyboard.press("Enter")
    shown = page.locator("input[name=check-card]").evaluate_all("els => els.map(e => e.value)")
    for card in sorted((DECIDES, *CONTROLS), key=shown.index):  # forward, as Tab goes
        tab_to(page, f"#offer-card-{card}")
        assert focused_is_visible(page), card
        page.keyboard.press("Space")
        if card == DECIDES:
            tab_to(page, f"#decides-{card}")
            page.keyboard.press("Space")
        tab_to(page, f"#why-card-{card}")
        page.keyboard.type(f"What {card} says about who asked for the troops.")
    tab_to(page, "#check button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.split("#")[0] == url
    assert page.locator(".ready").inner_text() == "No problems in this question."
    assert page.is_checked(f"#offer-card-{DECIDES}") and page.is_checked(f"#decides-{DECIDES}")
    assert page.is_checked("#check-verdict-supported")
    check_page(page, "verify question, saved")

    # A claim that is not in the excerpt: refused, the problem beside the claim, and the
    # rest as typed.
    page.set_viewport_size(width)
    page.focus("#check-claim")
    page.keyboard.press("Control+A")
    page.keyboard.type("an invitation nobody wrote")
    tab_to(page, "#check button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert re.search(r"Not saved", page.locator("#form-error").inner_text())
    assert page.locator("#claim .field-errors").count() == 1
    assert page.input_value("#check-claim") == "an invitation nobody wrote"
    assert page.get_attribute("#check-claim", "aria-invalid") == "true"
    assert page.is_checked(f"#offer-card-{CONTROLS[1]}")
    check_page(page, "verify question, refused")
    screenshots(page, f"verify-question-refused-{width['width']}", artifacts)


def test_an_omission_question_is_written_with_the_keyboard_on_a_phone(page, lesson_url,
                                                                      artifacts):
    url = new_question(page, lesson_url, "omission")
    page.set_viewport_size(PHONE)
    page.focus("#check-why-field")
    page.keyboard.type("The order that was fulfilled was an order to shoot without warning.")
    tab_to(page, "details.shelf-more > summary")
    if page.evaluate("() => !document.querySelector('details.shelf-more').open"):
        page.keyboard.press("Enter")
    # Forward through the page, as Tab goes: the facts in the order the shelf shows them.
    shown = page.locator("input[name=check-fact]").evaluate_all("els => els.map(e => e.value)")
    for ref in sorted(FACTS, key=shown.index):
        role = FACTS[ref]
        tab_to(page, f"#offer-fact-{dom_id(ref)}")
        assert focused_is_visible(page), ref
        page.keyboard.press("Space")
        tab_to(page, f"#role-{dom_id(ref)}")
        # A closed select changes with the arrow keys: down to the role wanted.
        while page.evaluate("() => document.activeElement.value") != role:
            page.keyboard.press("ArrowDown")
        tab_to(page, f"#why-fact-{dom_id(ref)}")
        page.keyboard.type(f"Why {ref} is {role}.")
    tab_to(page, "#check button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.url.split("#")[0] == url
    assert page.locator(".ready").inner_text() == "No problems in this question."
    offered = page.locator("#facts > .check-row input[name=check-fact]").evaluate_all(
        "els => els.map(e => e.value)")
    # Offered first, in the order they stand on the shelf (ticked from there).
    assert sorted(offered) == sorted(FACTS)
    assert page.locator(f"#role-{dom_id('rogun-dam#begun-1976')}").input_value() == "unrelated"
    page.set_viewport_size(DESKTOP)
    check_page(page, "omission question, saved")
    screenshots(page, "omission-question", artifacts)
