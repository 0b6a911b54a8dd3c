"""Chromium: the answer key and the question editor (issue 13, items 6 and 8).

axe on the answer key and the question editor at 1280 and 390 px; text typed in the
question editor survives pressing another button (review bug 7) and leaving the page with
it unsaved asks first; accepting a suggestion happens in place, without a reload.
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
    no_horizontal_scroll,
)
from tests.e2e.test_flows import log_in, submit_in

pytestmark = pytest.mark.e2e

TEXT = ("Bandits? No. The bandits attacked the city hall at noon. It was a stupid plan, said "
        "the mayor. Later the bandits fled to the hills. Officials said calm had returned.")


@pytest.fixture(scope="module")
def question_url(server, browser):
    """A loaded-terms question on a pasted article (no reading: keyed in the lesson)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *TEACHER)
    page.goto(server + "/teach/documents/new")
    page.fill("input[name=title]", "E2E: the city hall")
    page.fill("textarea[name=text]", TEXT)
    submit_in(page, "main form[method=post]")
    slug = re.search(r"/teach/readings/([^/?#]+)", page.url).group(1)
    page.goto(server + "/teach/lessons/new")
    page.fill("input[name=title]", "E2E: who attacked the city hall")
    page.fill("textarea[name=summary]", "Loaded words, one by one.")
    submit_in(page, "main form[method=post]")
    lesson_url = page.url.split("#")[0]
    page.goto(f"{lesson_url}/excerpts/new?document={slug}")
    page.click("label[for=range-s0]")
    page.click("label[for=range-s5]")
    submit_in(page, "main form[method=post]")
    page.select_option("#new-kind", "loaded_terms")
    page.select_option("#new-excerpt", "e1")
    submit_in(page, "form[action$='/questions/new']")
    url = page.url.split("#")[0]
    context.close()
    return url


@pytest.fixture
def page(server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *TEACHER)
    yield page
    context.close()


def test_the_answer_key_passes_axe_and_fits_a_phone(server, page):
    page.goto(server + "/teach/lessons")
    page.get_by_role("link", name=re.compile(r"^Answer key of Mob, mutineers")).click()
    assert page.locator("h1").inner_text().startswith("Answer key:")
    axe_check(page, "answer key (1280)")
    page.set_viewport_size(PHONE)
    axe_check(page, "answer key (390)")
    no_horizontal_scroll(page, "answer key (390)")
    page.get_by_role("link", name="Printable version").click()
    page.wait_for_load_state()  # the new page, before counting on it
    assert page.locator(".site-nav").count() == 0
    page.emulate_media(media="print")
    assert page.locator(".key-question").nth(1).evaluate(
        "e => getComputedStyle(e).breakBefore") == "page"
    assert page.get_by_role("link", name="Back to the answer key").is_hidden()


def test_the_question_editor_passes_axe_at_both_widths(page, question_url):
    page.goto(question_url)
    axe_check(page, "question editor (1280)")
    page.set_viewport_size(PHONE)
    axe_check(page, "question editor (390)")
    no_horizontal_scroll(page, "question editor (390)")


def test_typed_text_survives_another_button_and_leaving_asks_first(page, question_url):
    page.goto(question_url)
    page.click("label[for=phrases-w0]")  # "Bandits"
    # Each Save loads a new page: wait for it (its script notes what is saved when it
    # starts, so typing before it runs would count as saved on a busy machine).
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Save marks for Loaded")).click()
    page.fill("input[name=phrases-rows-0-neutral]", "Attackers")
    page.click("label[for=phrases-w9]")  # "noon", then another form's button
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Save marks for Loaded")).click()
    assert page.input_value("input[name=phrases-rows-0-neutral]") == "Attackers"
    assert page.locator("input[name=phrases-rows-1-phrase]").count() == 1

    page.fill("textarea[name=question-prompt]", "Which words judge?")
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto(question_url.rsplit("/questions/", 1)[0])
    eventually(page, lambda: dialogs == ["beforeunload"], f"leaving asks first: {dialogs}")


def test_a_suggestion_is_accepted_in_place_and_an_empty_neutral_is_pointed_out(
        page, question_url):
    page.goto(question_url)
    page.evaluate("window.notReloaded = true")
    stupid = page.locator("li.suggestion", has_text="stupid")
    stupid.get_by_role("button", name=re.compile("^Accept")).click()
    field = stupid.get_by_role("textbox")
    assert field.evaluate("e => e === document.activeElement")
    assert page.evaluate("window.notReloaded === true")
    field.fill("a plan he rejected")
    stupid.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_selector("text=Added “stupid” to the key")
    assert page.evaluate("window.notReloaded === true")  # no full page load
    values = page.locator("input[name$='-neutral'][name^='phrases-rows']").evaluate_all(
        "els => els.map(e => e.value)")
    assert "a plan he rejected" in values
