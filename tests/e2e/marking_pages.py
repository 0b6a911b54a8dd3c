"""The quiz page as the marking tests (test_marking*.py) drive it: one student signed in once
per module, the library lesson "Naming the January events" (its first question: 160 words in
two paragraphs; its third: 4 sentences) opened at phone or desktop size with nothing marked,
and ways to find, tap, swipe over and read its words."""

from __future__ import annotations

import pytest

from tests.e2e.browser import DESKTOP, PHONE, register

LESSON = "/lessons/naming-the-january-events"
WORDS = "[aria-labelledby=q-astana-loaded-units]"
SENTENCES = "[aria-labelledby=q-referendum-sources-units]"
STICKY_BOTTOM = ".submit-bar, [data-sticky-bottom]"
PASSWORD = "student-pass-phrase-1"


@pytest.fixture(scope="module")
def signed_in(server, browser, tmp_path_factory, request):
    """Storage state (cookies) of one student, registered once per test module (sign-ups
    from one address are rationed)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    module = request.module.__name__.rsplit(".", 1)[-1]  # test_marking_looks: e2e-marking-looks
    register(page, server, "e2e-" + module.removeprefix("test_").replace("_", "-"), PASSWORD)
    # These tests want every question on one page (the longest page: the sticky bar's worst
    # case): a student who may take a lesson one question at a time chooses this once.
    page.goto(server + LESSON)
    whole = page.get_by_role("button", name="Show all questions on one page")
    if whole.count():
        whole.click()
    path = tmp_path_factory.mktemp("marking") / "state.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


@pytest.fixture
def open_quiz(server, browser, signed_in):
    """open_quiz(phone=False, touch=False, javascript=True) -> page on the lesson, nothing
    marked."""
    contexts = []

    def opener(phone=False, touch=False, javascript=True):
        options = {"viewport": PHONE if phone else DESKTOP, "storage_state": signed_in,
                   "java_script_enabled": javascript}
        if touch:
            options.update(has_touch=True, is_mobile=True)
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.goto(server + LESSON)
        assert page.locator(WORDS).count() == 1, page.inner_text("main")[:800]
        # Whatever an earlier test (or saved progress) left ticked starts unticked.
        page.locator("form.quiz").evaluate("""(form) => form.querySelectorAll('input.mark:checked')
                                 .forEach(b => { b.checked = false; })""")
        return page

    yield opener
    for context in contexts:
        context.close()


def checked(page, group=WORDS):
    return page.evaluate(
        "(sel) => Array.from(document.querySelectorAll(sel + ' input.mark:checked'))"
        ".map(b => b.labels[0].textContent)", group)


def label(page, index, group=WORDS):
    box = page.locator(f"{group} input.mark").nth(index)
    return box.locator("xpath=following-sibling::label[1]")


def centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def focused(page):
    """Index and text of the focused unit in its group, or None."""
    return page.evaluate("""() => { const b = document.activeElement;
        if (!b || !b.matches('input.mark')) return null;
        const all = Array.from(b.closest('.markable').querySelectorAll('input.mark'));
        return [all.indexOf(b), b.labels[0].textContent]; }""")


def middle_word(page, index=40):
    """Scroll word ``index`` of the first excerpt to the middle of the screen; returns it."""
    page.locator(WORDS).evaluate(
        "(g, i) => g.querySelectorAll('label')[i].scrollIntoView({block: 'center'})", index)
    return index


def swipe(page, start, distance=300, steps=10):
    """A real finger swipe upwards (the page scrolls down) through Chromium's input pipeline."""
    cdp = page.context.new_cdp_session(page)
    x, y = start
    touch(cdp, "touchStart", x, y)
    for step in range(1, steps + 1):
        touch(cdp, "touchMove", x, y - distance * step / steps)
    touch(cdp, "touchEnd")
    settle(page)


def touch(cdp, kind, x=None, y=None):
    """One touch event through Chromium's input pipeline (gestures, scrolling, clicks)."""
    points = [] if x is None else [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def settle(page):
    """Wait until the page has stopped scrolling (a tap during a fling only stops the fling,
    on a real phone as here)."""
    page.evaluate("""() => new Promise((done) => {
        let last = scrollY, still = 0;
        const tick = () => { still = scrollY === last ? still + 1 : 0; last = scrollY;
                             if (still >= 6) done(); else requestAnimationFrame(tick); };
        requestAnimationFrame(tick); })""")


def cancelled_touch(page, index):
    """What Chromium sends when a scroll starts on a word: pointerdown and touchstart, a
    pointermove, then pointercancel (never pointerup); the page then scrolls."""
    page.locator(WORDS).evaluate("""(group, index) => {
        const target = group.querySelectorAll('label')[index];
        const r = target.getBoundingClientRect();
        const at = (dy) => ({bubbles: true, cancelable: true, composed: true, pointerId: 7,
          pointerType: 'touch', isPrimary: true, button: 0, buttons: 1,
          clientX: r.left + 3, clientY: r.top + 3 + dy});
        target.dispatchEvent(new PointerEvent('pointerdown', at(0)));
        target.dispatchEvent(new PointerEvent('pointermove', at(-40)));
        target.dispatchEvent(new PointerEvent('pointercancel', {...at(-40), buttons: 0}));
        target.dispatchEvent(new PointerEvent('lostpointercapture', {...at(-40), buttons: 0}));
        window.scrollBy(0, 120);
    }""", index)
