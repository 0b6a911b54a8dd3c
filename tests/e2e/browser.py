"""Helpers the browser tests share: accessibility checks, screenshots, phone-layout checks.

Each helper fails the test with a readable message that names the page and the problem.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # playwright is only installed by `make e2e`
    from playwright.sync_api import Locator, Page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = ("serious", "critical")
TEACHER = ("e2e-teacher", "teacher-pass-phrase-1")
ADMIN = ("e2e-admin", "admin-pass-phrase-1")

_axe = None


def eventually(page: Page, check: Callable[[], bool], what: str, seconds: float = 5.0) -> None:
    """Wait until ``check()`` holds (the browser's own events, e.g. a dialog or a touch
    handler, may run late on a busy machine); fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} (waited {seconds:.0f} s)")
        page.wait_for_timeout(50)


def axe_check(page: Page, name: str) -> None:
    """Run axe-core (bundled by axe-playwright-python, no CDN) and fail on serious or critical
    violations, listing each rule, its impact and the offending elements."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    results = _axe.run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
        problems.append(f"  - [{violation['impact']}] {violation['id']}: {violation['help']}\n"
                        + "".join(f"      at {target}\n" for target in targets))
    assert not problems, (f"axe found serious/critical problems on {name} ({page.url}):\n"
                          + "".join(problems))


def screenshots(page: Page, name: str, folder: Path) -> None:
    """Save full-page screenshots at phone (390 px) and desktop (1280 px) width."""
    for label, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


# The outermost elements whose right edge is past the 390px viewport, with their widths.
_TOO_WIDE = """() => {
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                 && (!clipped(e) || getComputedStyle(e).position === 'absolute'))
    .slice(0, 12)
    .map(e => e.tagName.toLowerCase()
      + (typeof e.className === 'string' && e.className
         ? '.' + e.className.split(' ').join('.') : '')
      + (e.id ? '#' + e.id : '')
      + ' right=' + Math.round(e.getBoundingClientRect().right)
      + ' width=' + Math.round(e.getBoundingClientRect().width));
}"""


def no_horizontal_scroll(page: Page, name: str) -> None:
    """At 390 px nothing (the page, any excerpt) needs scrolling sideways."""
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(_TOO_WIDE)
            raise AssertionError(f"{name}: the page is {width}px wide at 390px; outermost "
                                 "elements reaching past the right edge:\n  "
                                 + "\n  ".join(culprits))
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('.excerpt'))
            .filter(e => e.scrollWidth > e.clientWidth)
            .map(e => (e.id || e.className) + ': ' + e.scrollWidth + ' > ' + e.clientWidth)""")
        assert not wide, f"{name}: excerpts scroll sideways at 390px: {wide}"
    finally:
        page.set_viewport_size(DESKTOP)


# Every interactive element: scrolled into view, its centre must be inside the 390px
# viewport and the topmost element there must be it, its label, or something inside it.
_UNREACHABLE = """(sel) => {
  const bad = [];
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.name ? '[name=' + e.name + ']' : '')
      + ' "' + (e.textContent || e.value || '').trim().slice(0, 30) + '"';
  for (const el of document.querySelectorAll(sel)) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    // Inside a closed <details> only its summary can be reached (until it is opened).
    const closed = el.closest('details:not([open])');
    if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) continue;
    // Focus first: a skip link, for one, only shows itself when focused.
    el.focus({preventScroll: true});
    let target = el;
    let rect = el.getBoundingClientRect();
    // Visually hidden checkboxes (each word of an excerpt) are operated through their label.
    const tiny = rect.width <= 1 || rect.height <= 1 || style.opacity === '0';
    if (tiny && el.labels && el.labels[0]) {
      target = el.labels[0];
    }
    target.scrollIntoView({block: 'center', inline: 'nearest'});
    const whole = target.getBoundingClientRect();
    if (whole.width === 0 && whole.height === 0) continue;
    if (whole.left < -0.5 || whole.right > window.innerWidth + 0.5) {
      bad.push(describe(el) + ' sticks out of the viewport ('
               + Math.round(whole.left) + '..' + Math.round(whole.right) + ')');
      continue;
    }
    // A link or label that wraps onto two lines: aim at its first line box.
    rect = target.getClientRects()[0] || whole;
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    const ok = hit && (hit === target || target.contains(hit)
        || (el.labels && Array.from(el.labels).some(l => l === hit || l.contains(hit))));
    if (!ok) bad.push(describe(el) + ' is covered by ' + (hit ? describe(hit) : 'nothing'));
  }
  document.activeElement && document.activeElement.blur();
  return bad;
}"""


INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, summary"


def controls_reachable(page: Page, name: str) -> None:
    """At 390 px every control is inside the viewport width and not covered by anything."""
    page.set_viewport_size(PHONE)
    try:
        bad = page.evaluate(_UNREACHABLE, INTERACTIVE)
        assert not bad, f"{name}: controls not reachable at 390px:\n  " + "\n  ".join(bad)
    finally:
        page.set_viewport_size(DESKTOP)


def _luminance(css_colour: str) -> float:
    """Relative luminance (WCAG 2) of a computed CSS colour such as 'rgb(201, 206, 214)'."""
    import re

    channels = [int(value) / 255 for value in re.findall(r"[\d.]+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed CSS colours (opaque 'rgb(...)' strings)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def log_in(page: Page, base: str, username: str, password: str) -> None:
    """Log in through the real form; fail with the page's text if it is refused."""
    page.goto(base + "/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main [type=submit]")
    assert "/auth/login" not in page.url, page.inner_text("main")


def register(page: Page, base: str, username: str, password: str) -> None:
    """Make a student account through the real form (and stay logged in as it); fail with
    the page's text if it is refused."""
    page.goto(base + "/auth/register")
    page.fill("#username", username)
    page.fill("#password", password)
    page.fill("#password2", password)
    page.click("main [type=submit]")
    assert "/auth/register" not in page.url, page.inner_text("main")


def tab_to(page: Page, target: str | Locator, limit: int = 80) -> None:
    """Press Tab until the focus is on ``target`` (a selector or a locator, which may match
    several elements), as a keyboard user would; fail naming it after ``limit`` presses."""
    wanted = page.locator(target) if isinstance(target, str) else target
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted.evaluate_all("(found) => found.includes(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {target} on {page.url}")


def expect(target):
    """Playwright's expect, imported when a test runs: a plain `pytest` run (no `make e2e`
    packages) must still collect the modules that use it and skip them."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)
