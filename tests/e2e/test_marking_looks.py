"""How the excerpt looks while a student marks it, in real Chromium.

The classroom walkthrough review ("Marking jumps" and "Visual", issue 13) found
that each ✓ widened its word and reflowed the text, that a tapped word kept a thick orange
focus ring (the orange that means "missed" in feedback), that sentence targets showed only a
faint grey underline (1.45:1), that radio buttons shrank or misaligned when their label
wrapped, and that the serif excerpt showed gaps before commas ("dangers ,").
"""

from __future__ import annotations

import colorsys
import re

import pytest

from tests.e2e import marking_pages
from tests.e2e.browser import axe_check, contrast_ratio
from tests.e2e.marking_pages import (
    SENTENCES,
    WORDS,
    centre,
    checked,
    focused,
    label,
    middle_word,
)

pytestmark = pytest.mark.e2e

# The fixtures this module uses (one student signed in, the quiz opened with nothing marked).
signed_in = marking_pages.signed_in
open_quiz = marking_pages.open_quiz


# (d) Marking a word changes no word's box: nothing reflows.
_BOXES = """(group) => { const g = group.getBoundingClientRect();
    return Array.from(group.querySelectorAll('label')).map(l => {
      const r = l.getBoundingClientRect();
      return [r.left - g.left, r.top - g.top, r.width, r.height]
        .map(v => Math.round(v * 4) / 4); }); }"""


@pytest.mark.parametrize("phone", [True, False], ids=["390", "1280"])
def test_marking_does_not_reflow(open_quiz, phone):
    page = open_quiz(phone=phone)
    group = page.locator(WORDS)
    group.scroll_into_view_if_needed()
    before = group.evaluate(_BOXES)
    labels = group.locator("label")
    for index in (0, 5, 20, 21, 22, 50, 100, 159):  # 5 is "dangers", before a comma
        labels.nth(index).click()
    assert len(checked(page)) == 8
    after = group.evaluate(_BOXES)
    moved = [(labels.nth(i).inner_text(), b, a)
             for i, (b, a) in enumerate(zip(before, after, strict=True)) if b != a]
    assert not moved, f"marking moved {len(moved)} words, e.g. {moved[:3]}"


# Visual: no gap before commas and full stops ("dangers ,").
def test_no_gap_before_punctuation(open_quiz):
    page = open_quiz(phone=True)
    gaps = page.locator(WORDS).evaluate("""(group) => {
        const out = [];
        for (const l of group.querySelectorAll('label')) {
          const after = l.nextSibling;
          if (!after || after.nodeType !== 3 || !/^[,.;:]/.test(after.data)) continue;
          const word = document.createRange(); word.selectNodeContents(l);
          const mark = document.createRange(); mark.setStart(after, 0); mark.setEnd(after, 1);
          const end = Array.from(word.getClientRects()).pop();
          const dot = mark.getClientRects()[0];
          const box = Array.from(l.getClientRects()).pop();
          if (Math.abs(dot.top - end.top) > 2) continue;  // the mark wrapped (it cannot)
          out.push([l.textContent + after.data[0], dot.left - end.right, box.right - end.right]);
        }
        return out; }""")
    assert len(gaps) > 5, gaps
    wide = [gap for gap in gaps if gap[1] > 0.5 or gap[2] > 0.5]
    assert not wide, f"space between a word and its punctuation (word, gap, padding): {wide}"


# (e) No focus ring after a mouse click or a tap; one after Tab or an arrow key, in a colour
# that is not the orange meaning "missed" in feedback.
_RING = """() => {
    const box = document.activeElement; const l = box.labels && box.labels[0];
    const ring = (e) => { const s = getComputedStyle(e);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineColor : null; };
    return ring(box) || (l && ring(l)); }"""


def is_orange(css_colour):
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
    return saturation > 0.3 and 10 / 360 < hue < 50 / 360


def test_focus_ring_only_for_keyboard(open_quiz):
    page = open_quiz()
    start = middle_word(page)
    page.mouse.click(*centre(label(page, start)))
    assert focused(page)[0] == start
    assert page.evaluate(_RING) is None, "a clicked word keeps a focus ring"
    page.keyboard.press("ArrowRight")
    assert focused(page)[0] == start + 1
    colour = page.evaluate(_RING)
    assert colour, "a word reached with an arrow key shows no focus ring"
    assert not is_orange(colour), f"the focus ring is orange ({colour}), the colour of 'missed'"

    phone = open_quiz(phone=True, touch=True)
    start = middle_word(phone)
    phone.touchscreen.tap(*centre(label(phone, start)))
    assert checked(phone) == [label(phone, start).inner_text()]
    assert phone.evaluate(_RING) is None, "a tapped word keeps a focus ring"


# (h) Sentence targets are visible: their underline has 3:1 contrast against the excerpt.
_INDICATORS = """(l) => {
    const s = getComputedStyle(l);
    const found = [];
    if (s.borderBottomStyle !== 'none' && parseFloat(s.borderBottomWidth) > 0)
      found.push(s.borderBottomColor);
    if (s.textDecorationLine.includes('underline')) found.push(s.textDecorationColor);
    if (s.boxShadow !== 'none') found.push(s.boxShadow.match(/rgba?\\([^)]*\\)/)[0]);
    let bg = 'rgba(0, 0, 0, 0)';
    for (let e = l; e && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg); e = e.parentElement) {
      bg = getComputedStyle(e).backgroundColor;
    }
    return [found, bg]; }"""


def test_sentence_targets_have_three_to_one_contrast(open_quiz):
    page = open_quiz()
    first = page.locator(f"{SENTENCES} label").first
    indicators, background = first.evaluate(_INDICATORS)
    assert indicators, "a sentence target shows no underline or border"
    best = max(contrast_ratio(colour, background) for colour in indicators)
    assert best >= 3, f"sentence underline contrast {best:.2f}:1 ({indicators} on {background})"


# Visual: radio buttons keep their size and sit by the first line of a label that wraps.
def test_radio_buttons_keep_size_when_labels_wrap(open_quiz):
    page = open_quiz(phone=True)
    # A teacher's option can be a whole sentence: make the first one wrap.
    page.locator(".options label").first.evaluate(
        "(l) => { l.textContent = 'Order under threat, as the government tells it: foreign-trained "
        "gangs, not citizens with grievances'; }")
    radios = page.evaluate("""() =>
        Array.from(document.querySelectorAll('.options input[type=radio]')).map(r => {
          const b = r.getBoundingClientRect();
          const l = r.labels[0];
          const range = document.createRange(); range.selectNodeContents(l);
          const first = range.getClientRects()[0];
          return {w: b.width, h: b.height, mid: b.top + b.height / 2,
                  lineMid: first.top + first.height / 2,
                  wraps: range.getClientRects().length > 1 || l.offsetHeight > 40}; })""")
    assert any(r["wraps"] for r in radios), "no option label wraps at 390 px: test is moot"
    sizes = {(round(r["w"]), round(r["h"])) for r in radios}
    assert len(sizes) == 1, f"radio buttons differ in size: {sizes}"
    (width, height), = sizes
    assert width >= 16 and height >= 16, sizes
    off = [r for r in radios if abs(r["mid"] - r["lineMid"]) > 4]
    assert not off, f"radio buttons not level with their label's first line: {off}"


# (i) axe on the quiz at both widths.
@pytest.mark.parametrize("phone", [True, False], ids=["390", "1280"])
def test_quiz_page_axe(open_quiz, phone):
    page = open_quiz(phone=phone)
    axe_check(page, f"quiz at {'390' if phone else '1280'} px")
