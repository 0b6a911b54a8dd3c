"""Marking words in real Chromium by touch, mouse and keyboard.

The classroom walkthrough review (issue 13) found that on a phone a scroll swipe
starting on a word marked it and the next tap was ignored, that a touch-scroll followed by
moving the mouse with no button pressed marked 8 words (bug 1), that Down did what Right
does and reaching a word took 140 presses ("Marking jumps"), and that keyboard focus hid
under the sticky "Submit answers" bar (bug 5). Each test drives the library lesson
"Naming the January events" the way a student would.
"""

from __future__ import annotations

import pytest

from app.domain.text import sentences, words
from tests.e2e import marking_pages
from tests.e2e.browser import eventually
from tests.e2e.marking_pages import (
    SENTENCES,
    STICKY_BOTTOM,
    WORDS,
    cancelled_touch,
    centre,
    checked,
    focused,
    label,
    middle_word,
    swipe,
    touch,
)

pytestmark = pytest.mark.e2e

# The fixtures this module uses (one student signed in, the quiz opened with nothing marked).
signed_in = marking_pages.signed_in
open_quiz = marking_pages.open_quiz


# (a) Bug 1 on a 390 px phone: a scroll that starts on a word marks nothing; the next tap marks
# exactly the tapped word.
def test_phone_scroll_over_words_marks_nothing_and_next_tap_marks(open_quiz):
    page = open_quiz(phone=True, touch=True)
    start = middle_word(page)
    before = page.evaluate("scrollY")
    swipe(page, centre(label(page, start)))
    assert page.evaluate("scrollY") > before + 100, "the swipe did not scroll the page"
    assert checked(page) == [], "a scroll swipe that started on a word marked it"

    target = middle_word(page) + 3
    page.touchscreen.tap(*centre(label(page, target)))
    word = label(page, target).inner_text()
    assert checked(page) == [word], f"the tap after a scroll should mark exactly {word!r}"
    # A second swipe over the marked word leaves it marked, and a tap on it unmarks it.
    swipe(page, centre(label(page, target)), distance=-200)
    assert checked(page) == [word]
    middle_word(page, target)
    page.touchscreen.tap(*centre(label(page, target)))
    assert checked(page) == []


# (b) Bug 1 on a touchscreen laptop: a touch-scroll, then the mouse moved with no button
# pressed, marks nothing.
def test_cancelled_touch_then_hover_marks_nothing(open_quiz):
    page = open_quiz(touch=True)
    start = middle_word(page)
    cancelled_touch(page, start)
    assert checked(page) == []
    first, last = centre(label(page, start)), centre(label(page, start + 20))
    page.mouse.move(*first)
    page.mouse.move(*last, steps=25)
    page.mouse.move(first[0], first[1] + 30, steps=25)
    assert checked(page) == [], "moving the mouse with no button pressed marked words"
    # and the next click marks exactly one word
    page.mouse.click(*centre(label(page, start + 2)))
    assert checked(page) == [label(page, start + 2).inner_text()]


# (c) A tap marks one word; a press-and-drag with the mouse button held marks a run; a long
# press then a drag marks a run on a touch screen.
def test_tap_marks_and_drag_marks_a_run(open_quiz):
    page = open_quiz(phone=True, touch=True)
    start = middle_word(page)
    page.touchscreen.tap(*centre(label(page, start)))
    assert checked(page) == [label(page, start).inner_text()]

    # Long press on the next line's first words, then drag along it.
    line = same_line_run(page, start + 8, 3)
    cdp = page.context.new_cdp_session(page)
    x0, y0 = centre(label(page, line[0]))
    x1, _ = centre(label(page, line[-1]))
    touch(cdp, "touchStart", x0, y0)
    page.wait_for_timeout(700)
    for step in range(1, 9):
        touch(cdp, "touchMove", x0 + (x1 - x0) * step / 8, y0)
    touch(cdp, "touchEnd")
    expected = [label(page, start).inner_text()] + [label(page, i).inner_text() for i in line]
    eventually(page, lambda: checked(page) == expected,
               "a long press then a drag should mark the words passed")


def same_line_run(page, first, length):
    """Indices first.. of `length` words of the first excerpt that share one visual line."""
    return page.locator(WORDS).evaluate("""(group, [first, length]) => {
        const labels = Array.from(group.querySelectorAll('label'));
        for (let i = first; i + length <= labels.length; i++) {
          const tops = labels.slice(i, i + length).map(l => l.getClientRects());
          if (tops.every(r => r.length === 1 && Math.abs(r[0].top - tops[0][0].top) < 2)) {
            return Array.from({length}, (_, k) => i + k);
          }
        }
        return null; }""", [first, length])


def test_mouse_click_toggles_once_and_drag_marks_a_run(open_quiz):
    page = open_quiz()
    start = middle_word(page)
    page.mouse.click(*centre(label(page, start)))
    assert checked(page) == [label(page, start).inner_text()]
    page.mouse.click(*centre(label(page, start)))
    assert checked(page) == [], "a second click should unmark the word"

    run = same_line_run(page, start + 2, 4)
    page.mouse.move(*centre(label(page, run[0])))
    page.mouse.down()
    page.mouse.move(*centre(label(page, run[-1])), steps=12)
    page.mouse.up()
    assert checked(page) == [label(page, i).inner_text() for i in run]
    # The button is up now: moving on marks nothing more.
    page.mouse.move(*centre(label(page, run[-1] + 6)), steps=12)
    assert len(checked(page)) == len(run)
    assert page.locator(".mark-count").first.inner_text() == f"{len(run)} words marked"


# (f) Keyboard: arrows by word, Up/Down by visual line, Ctrl+arrows by sentence, Home/End.
_LINE_STEP = """([group, goal, down]) => {
    // The focused unit must sit on the next line down (or up) and be, of that line's units,
    // the nearest to the x where the Up/Down run began.
    const labels = Array.from(document.querySelectorAll(group + ' label'));
    const box = document.activeElement;
    const rects = (l) => Array.from(l.getClientRects());
    const before = window.__from;
    const fromRects = rects(labels[before]);
    const edge = down ? fromRects[fromRects.length - 1] : fromRects[0];
    const all = labels.flatMap((l, i) => rects(l).map(r => ({i, r})));
    const beyond = all.filter(({r}) => down ? r.top >= edge.bottom - 2 : r.bottom <= edge.top + 2);
    if (!beyond.length) return 'no line there';
    const tops = beyond.map(x => x.r.top);
    const lineTop = down ? Math.min(...tops) : Math.max(...tops);
    const line = beyond.filter(x => Math.abs(x.r.top - lineTop) < 3);
    const dist = (r) => r.left > goal ? r.left - goal : (r.right < goal ? goal - r.right : 0);
    const best = Math.min(...line.map(x => dist(x.r)));
    const now = labels.indexOf(box.labels[0]);
    const mine = line.filter(x => x.i === now);
    const word = 'moved to ' + box.labels[0].textContent;
    if (!mine.length) return word + ', not on the next line';
    if (Math.min(...mine.map(x => dist(x.r))) > best + 1) return word + ', not the nearest';
    return null; }"""


def test_arrow_keys_move_by_word_line_and_sentence(open_quiz):
    page = open_quiz()
    group = page.locator(WORDS)
    text = group.evaluate("(g) => g.textContent")
    spans = words(text)
    assert len(spans) == 160
    starts = sorted({next(i for i, w in enumerate(spans) if w.start >= s.start)
                     for s in sentences(text)})

    start = middle_word(page)
    page.mouse.click(*centre(label(page, start)))
    page.mouse.click(*centre(label(page, start)))  # marked and unmarked: focus is on it
    assert focused(page)[0] == start
    page.keyboard.press("ArrowRight")
    assert focused(page)[0] == start + 1
    page.keyboard.press("ArrowLeft")
    assert focused(page)[0] == start

    goal = centre(label(page, start))[0]
    for down in (True, True, True, False, False, False):
        page.evaluate("(i) => { window.__from = i; }", focused(page)[0])
        page.keyboard.press("ArrowDown" if down else "ArrowUp")
        problem = page.evaluate(_LINE_STEP, [WORDS, goal, down])
        assert problem is None, f"{'Down' if down else 'Up'} from word {start}: {problem}"
    assert focused(page)[0] == start, "three lines down and three up should come back"

    # Ctrl+Right: the next sentence's first word; Ctrl+Left: this sentence's first word, or
    # the one before when already there; Home/End (with or without Ctrl): first/last word.
    steps([("Home", 0), ("Control+ArrowRight", starts[1]), ("Control+ArrowRight", starts[2]),
           ("ArrowRight", starts[2] + 1), ("ArrowRight", starts[2] + 2),
           ("Control+ArrowLeft", starts[2]), ("Control+ArrowLeft", starts[1]), ("End", 159),
           ("Control+Home", 0), ("Control+End", 159)], page)
    page.keyboard.press("Space")
    assert checked(page) == [spans[159].text]
    # Enter marks too, and never submits the lesson from a word.
    url = page.url
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    assert checked(page) == [spans[158].text, spans[159].text]
    assert page.url == url and page.locator(WORDS).count() == 1

    # Sentence units: every arrow moves one sentence.
    sentence_boxes = page.locator(f"{SENTENCES} input.mark")
    sentence_boxes.first.focus()
    steps([("ArrowDown", 1), ("ArrowRight", 2), ("ArrowUp", 1), ("ArrowLeft", 0),
           ("End", sentence_boxes.count() - 1)], page)


def steps(keys_and_places, page):
    """Press each key in turn; after each, focus must be on the unit with the given index."""
    trail = []
    for key, expected in keys_and_places:
        page.keyboard.press(key)
        trail.append(f"{key} -> {focused(page)}")
        assert focused(page)[0] == expected, f"expected unit {expected}; keys so far: {trail}"


# (g) Bug 5: the focused word is never under the sticky "Submit answers" bar.
_HIDDEN = """(bars) => {
    const box = document.activeElement;
    const l = box && box.labels && box.labels[0];
    if (!l) return 'focus left the words';
    const covers = Array.from(document.querySelectorAll(bars))
      .filter(b => b.getClientRects().length).map(b => b.getBoundingClientRect());
    for (const r of l.getClientRects()) {
      if (r.top < 0 || r.bottom > innerHeight) return l.textContent + ' is off screen';
      for (const b of covers) {
        const overlap = r.bottom > b.top + 0.5 && r.top < b.bottom - 0.5
                        && r.right > b.left && r.left < b.right;
        if (overlap)
          return l.textContent + ' is under the bar (' + Math.round(r.bottom - b.top) + 'px)';
      }
    }
    return null; }"""


@pytest.mark.parametrize("phone", [True, False], ids=["390", "1280"])
def test_focus_never_hidden_under_sticky_bar(open_quiz, phone):
    page = open_quiz(phone=phone)
    assert page.locator(STICKY_BOTTOM).count() >= 1
    boxes = page.locator(f"{WORDS} input.mark")
    total = boxes.count()
    # Tab into the excerpt from the top of the page (one Tab stop for all its words), past
    # the source line's links (the article, and a card per author, outlet and name quoted).
    page.locator(WORDS).evaluate(
        "(g) => g.closest('section, .question, form').querySelector('a, h2').focus()")
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page):
            break
    assert focused(page), "Tab never reached the excerpt"
    page.keyboard.press("Home")  # the Tab stop is the last word marked, if any
    assert focused(page)[0] == 0
    hidden = []
    for key in ["ArrowRight"] * (total - 1) + ["Home"] + ["ArrowDown"] * 30:
        problem = page.evaluate(_HIDDEN, STICKY_BOTTOM)
        if problem:
            hidden.append(f"{focused(page)}: {problem}")
        page.keyboard.press(key)
    assert not hidden, f"{len(hidden)} focused words hidden:\n  " + "\n  ".join(hidden[:8])


def test_focus_never_hidden_under_sticky_bar_without_javascript(open_quiz):
    """Without JavaScript every word is its own Tab stop, and the stylesheet alone (its
    scroll-padding) keeps each one clear of the bar."""
    page = open_quiz(phone=True, javascript=False)
    assert page.locator(".mark-count").first.inner_text() == ""  # marking.js did not run
    page.locator(f"{WORDS} input.mark").first.focus()
    hidden = []
    for _ in range(page.locator(f"{WORDS} input.mark").count() - 1):
        page.keyboard.press("Tab")
        problem = page.evaluate(_HIDDEN, STICKY_BOTTOM)
        if problem:
            hidden.append(f"{focused(page)}: {problem}")
    assert not hidden, f"{len(hidden)} focused words hidden:\n  " + "\n  ".join(hidden[:8])
