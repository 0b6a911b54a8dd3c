"""The frames page (/frames) in Chromium: readable at 390 and 1280 px, every link reachable,
axe clean; and a framing question's "What is a frame?" opens it in a new tab, the quiz kept.

Playwright is imported by the fixtures (tests/e2e/conftest.py) only when the browser tests
run, so this module imports nothing of it.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    axe_check,
    controls_reachable,
    no_horizontal_scroll,
    register,
    screenshots,
)

pytestmark = pytest.mark.e2e

FRAMES = ("Order under threat", "People against the regime", "Democratic reform",
          "Power struggle at the top", "National image under unfair attack",
          "Great-power balancing", "Economic grievance")
PASSWORD = "frames-student-pass-phrase-1"
LESSON = "/lessons/january-as-each-tells-it"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def test_the_frames_page_reads_at_390_and_1280_and_is_axe_clean(page, server, artifacts):
    page.goto(server + "/frames")
    assert page.get_by_role("heading", level=1).inner_text() == "What is a frame?"
    headings = page.locator("section.frame h3").all_inner_texts()
    assert headings == list(FRAMES)
    # The index jumps to a frame.
    page.get_by_role("link", name="Power struggle at the top").click()
    assert page.url.endswith("#frame-power-struggle")
    section = page.locator("#frame-power-struggle")
    assert "Who is blamed or praised?" in section.inner_text()
    for size, name in ((DESKTOP, "frames (1280)"), (PHONE, "frames (390)")):
        page.set_viewport_size(size)
        # Each frame's four answers stay inside its card: no text runs past the edge.
        widths = page.evaluate("""() => Array.from(document.querySelectorAll('.frame'))
            .map(c => c.scrollWidth - c.clientWidth)""")
        assert widths and max(widths) <= 1, (name, widths)
        axe_check(page, name)
    no_horizontal_scroll(page, "frames")
    controls_reachable(page, "frames")
    screenshots(page, "frames", artifacts)


def test_a_framing_question_opens_the_frames_page_in_a_new_tab(page, server, artifacts):
    register(page, server, "e2e-frames-student", PASSWORD)
    page.goto(server + LESSON)
    whole = page.get_by_role("button", name="Show all questions on one page")
    if whole.count():
        whole.click()
        page.wait_for_load_state()  # the new page, before counting on it
    question = page.locator("#q-uprising-or-coup")
    if not question.count():  # one question at a time: go to it
        page.goto(server + LESSON + "?q=2")
        question = page.locator("#q-uprising-or-coup")
    link = question.get_by_role("link", name="What is a frame? (opens in a new tab)")
    with page.context.expect_page() as opened:
        link.click()
    frames = opened.value
    frames.wait_for_load_state()
    assert frames.url == server + "/frames"
    assert "Power struggle at the top" in frames.inner_text("main")
    # The quiz stayed where it was; answer the "both readings" question and submit.
    question.get_by_label("Power struggle at the top").check()
    axe_check(page, "quiz page with frame links")
    screenshots(page, "quiz-frame-link", artifacts)
    review = page.get_by_role("link", name="Review and submit")
    if review.count():
        review.first.click()
    page.get_by_role("button", name="Submit answers").first.click()
    page.wait_for_load_state()  # the new page, before counting on it
    anyway = page.get_by_role("button", name="Submit anyway")
    if anyway.count():
        anyway.first.click()
    assert "/attempts/" in page.url, page.inner_text("main")[:800]
    verdict = page.locator("#q-uprising-or-coup .choice-verdict, .choice-verdict").filter(
        has_text="Right: Power struggle at the top.")
    assert verdict.count() == 1
    verdict.screenshot(path=str(artifacts / "feedback-two-frames-verdict.png"))
    text = verdict.inner_text()
    assert "The other defensible frame:" in text and "People against the regime" in text
    assert "the violence of the crackdown" in text
    verdict.get_by_role("link", name="People against the regime").click()
    assert page.url.endswith("/frames#frame-people")
    page.go_back()
    axe_check(page, "feedback with two defensible frames")
    screenshots(page, "feedback-two-frames", artifacts)
