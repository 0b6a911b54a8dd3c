"""Chromium: the LMS pages of issue 16, with a real LTI 1.3 launch from the test LMS.

The test LMS (tests/lti/platform.py) runs in this process on 127.0.0.1; an admin registers
it through the "LMS connections" form; its teacher adds a lesson from the course (deep
linking: the lesson picker, then the page that hands the choice back to the LMS); two
students open it from the course on a phone and submit while the LMS refuses the tool's
token requests; the teacher sends the waiting scores from "Scores sent to the LMS" and
fills the class's roster from the LMS; a launch the LMS signed too long ago is refused
with a page that says what to do. Every page: axe clean at 1280 and 390 px, nothing
wider than a phone, its controls reachable, the main ones used by keyboard or by touch.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.e2e.browser import (
    ADMIN,
    DESKTOP,
    PHONE,
    axe_check,
    controls_reachable,
    eventually,
    expect,
    log_in,
    no_horizontal_scroll,
    screenshots,
    tab_to,
)
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform, claims

pytestmark = pytest.mark.e2e

COURSE, COURSE_TITLE = "c-e2e", "Civics 10B"
DEPLOYMENT = "dep-e2e"
# The library lessons the teacher adds from the course (by touch, then by keyboard).
FIRST, SECOND = "Naming the January events", "Who gets quoted?"
# What a school's real addresses look like: longer than this server's, with no space.
LONG_URL = "https://framinglab.east-riverside-unified-school-district.example.org/lti/launch"


def _both_widths(page, name: str, folder) -> None:
    """axe at both widths, nothing wider than a phone, every control in reach; and
    screenshots at both widths in ``folder`` (tests/e2e/artifacts) to look at."""
    screenshots(page, "lms-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), folder)
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        axe_check(page, f"{name} ({label})")
    no_horizontal_scroll(page, name)
    controls_reachable(page, name)


def _press(page, key: str) -> None:
    """Press ``key`` on the focused control and wait for the page it leads to (often at the
    same address: a form that redirects back)."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _flash(page) -> str:
    return page.locator(".flashes").inner_text()


@pytest.fixture(scope="module")
def lms(server):
    """The test LMS with the course, its teacher and three students (one never launches)."""
    platform = TestPlatform(client_id="framinglab-e2e", deployment_ids=[DEPLOYMENT])
    with platform:
        platform.configure_tool(login_url=server + "/lti/login",
                                launch_url=server + "/lti/launch",
                                jwks_url=server + "/lti/jwks")
        platform.add_course(COURSE, COURSE_TITLE, "CIV10B")
        platform.add_user("t-1", given_name="Tess", family_name="Teacher")
        platform.add_user("s-1", given_name="Ada", family_name="Lovelace")
        platform.add_user("s-2", given_name="Bo", family_name="Diddley")
        platform.add_user("s-3", given_name="Cy", family_name="Young")
        platform.enrol(COURSE, "t-1", [INSTRUCTOR])
        for student in ("s-1", "s-2", "s-3"):
            platform.enrol(COURSE, student, [LEARNER])
        yield platform
    assert not platform.errors, "the test LMS crashed:\n" + "\n".join(platform.errors)


@pytest.fixture(scope="module")
def admin(server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *ADMIN)
    yield page
    context.close()


def _fill_registration(page, values: dict[str, str]) -> None:
    for field, value in values.items():
        page.fill(f"#{field}", value)


def _registration(platform: TestPlatform, name: str = "Test LMS") -> dict[str, str]:
    values = platform.registration()
    return {"name": name, "issuer": values["issuer"], "client_id": values["client_id"],
            "deployment_ids": "\n".join(values["deployment_ids"]),
            "key_set_url": values["key_set_url"], "auth_login_url": values["auth_login_url"],
            "auth_token_url": values["auth_token_url"]}


@pytest.fixture(scope="module")
def registered(server, admin, lms) -> str:
    """The test LMS registered through the admin's form; the URL of its edit page."""
    admin.goto(server + "/admin/lti")
    admin.get_by_role("link", name="Register an LMS").click()
    admin.wait_for_url(server + "/admin/lti/new")
    _fill_registration(admin, _registration(lms))
    admin.get_by_role("button", name="Save connection").click()
    admin.wait_for_url(server + "/admin/lti")
    assert "Saved the connection “Test LMS”" in _flash(admin)
    return server + admin.get_by_role("link", name="Edit Test LMS").get_attribute("href")


def _launch(page, server: str, platform: TestPlatform, sub: str, **how) -> None:
    """Open Framing Lab from the LMS course as ``sub``: the browser goes to the tool's login
    URL, is sent to the LMS's /auth page, whose script posts the id_token to the tool."""
    login_url, params = platform.login_initiation(sub, COURSE, **how)
    page.goto(f"{login_url}?{urlencode(params)}")
    page.wait_for_url(lambda url: url.startswith(server) and "/lti/login" not in url)
    page.wait_for_load_state()


def _submit_lesson(page) -> None:
    """On the assignment's page: the whole lesson on one page, three words marked by touch,
    sent."""
    whole = page.get_by_role("button", name="Show all questions on one page")
    if whole.count():
        with page.expect_navigation():
            whole.tap()
    labels = page.locator("form.quiz .markable label")
    for index in range(3):
        labels.nth(index).tap()
    # Other questions are left unanswered: the page lists them and asks first.
    page.get_by_role("button", name="Submit answers").tap()
    page.get_by_role("button", name="Submit anyway").tap()
    page.wait_for_url(re.compile(r"/attempts/\d+$"))


def _lms_grants_tokens(platform: TestPlatform, grants: bool) -> None:
    """Whether the LMS's token endpoint gives the tool the scopes it asks for: without them
    every score (and roster) call fails, and the scores wait to be sent again."""
    platform.tool_scopes = set(claims.ALL_SCOPES) if grants else set()


@pytest.fixture(scope="module")
def scene(server, browser, lms, registered):
    """The teacher adds FIRST from the course on a phone, by touch; Ada and Bo open it from
    the course on a phone and submit while the LMS refuses the tool's token requests, so
    both scores wait. Yields the teacher's page (signed in through the LMS), the
    assignment's id and the LMS's link to it.

    (Scores are also sent right after a submission's response, but only when the server
    calls the response's close(): Werkzeug's development server skips that when the browser
    drops the connection after the redirect, so the tests do not count on it.)"""
    phone = {"viewport": PHONE, "has_touch": True, "is_mobile": True}
    teacher_context = browser.new_context(**phone)
    student_context = browser.new_context(**phone)
    try:
        teacher = teacher_context.new_page()
        _launch(teacher, server, lms, "t-1", deep_link=True)
        teacher.get_by_label(FIRST).tap()
        teacher.get_by_role("button", name="Add this lesson").tap()
        teacher.wait_for_url(lms.issuer + "/deep-link-return")
        assert "1 item(s) added" in teacher.inner_text("body")
        added = lms.deep_link_accepted[-1]
        link_id = added["link_ids"][0]
        assignment_id = int(added["items"][0]["custom"]["framinglab_assignment"])

        _lms_grants_tokens(lms, False)
        pupil = student_context.new_page()
        for student in ("s-1", "s-2"):
            pupil.context.clear_cookies()
            _launch(pupil, server, lms, student, link_id=link_id)
            assert pupil.url == f"{server}/assignments/{assignment_id}", pupil.url
            _submit_lesson(pupil)
        yield {"teacher": teacher, "assignment_id": assignment_id, "link_id": link_id}
    finally:
        _lms_grants_tokens(lms, True)
        teacher_context.close()
        student_context.close()


# --- the admin's pages ----------------------------------------------------------------


def test_lms_connections_page_lists_the_lms_and_makes_a_key_by_keyboard(
        server, admin, registered, lms, artifacts):
    admin.goto(server + "/admin/lti")
    urls = admin.locator(".details-list code").all_inner_texts()
    assert f"{server}/lti/launch" in urls and f"{server}/lti/jwks" in urls
    # The table (a scrolling region named by its caption) lists the one connection.
    rows = admin.get_by_role("region", name="1 LMS connection").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(lms.issuer)
    # A screen reader hears which connection each Edit and Delete link is for.
    expect(admin.get_by_role("link", name="Delete Test LMS")).to_be_visible()
    _both_widths(admin, "LMS connections", artifacts)
    # A school's long addresses wrap on a phone rather than widening the page.
    admin.evaluate("(url) => document.querySelectorAll('.details-list code')"
                   ".forEach(code => { code.textContent = url; })", LONG_URL)
    no_horizontal_scroll(admin, "LMS connections with a school's long tool URLs")

    admin.reload()
    keys = admin.locator("main h2:has-text('signing keys') ~ ul > li")
    before = keys.count()
    assert before >= 1
    tab_to(admin, admin.get_by_role("button", name="Make a new signing key"))
    _press(admin, "Enter")
    assert "Made a new signing key" in _flash(admin)
    expect(keys).to_have_count(before + 1)
    expect(keys.filter(has_text="(signs now)")).to_have_count(1)
    expect(keys.filter(has_text="retired")).to_have_count(before)
    _both_widths(admin, "LMS connections after a new key", artifacts)


def test_a_bad_registration_names_each_wrong_field(server, admin, lms, artifacts):
    admin.goto(server + "/admin/lti/new")
    _both_widths(admin, "register an LMS", artifacts)
    values = _registration(lms, name="")
    values.update(client_id="spare-client", key_set_url="ftp://lms.example.org/jwks",
                  auth_token_url="https://user:secret@lms.example.org/token")
    _fill_registration(admin, values)
    with admin.expect_response(lambda r: r.request.method == "POST") as answer:
        admin.get_by_role("button", name="Save connection").click()
    assert answer.value.status == 400
    admin.wait_for_load_state()
    # Said at the top too: on a phone the wrong field may be a screen or two further down.
    expect(admin.get_by_role("alert")).to_have_text(
        "The connection was not saved: correct the marked fields below.")
    # Each wrong field is marked invalid and its message is its accessible description.
    for label, message in (("Name", "Name the connection."),
                           ("Public keyset URL", "Give a full web address starting with"),
                           ("Access token URL", "Leave user names and passwords out")):
        field = admin.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    expect(admin.locator("[aria-invalid=true]")).to_have_count(3)
    # What was typed stays, so only the wrong fields need typing again.
    expect(admin.get_by_label("Issuer (platform ID)")).to_have_value(lms.issuer)
    _both_widths(admin, "register an LMS, with errors", artifacts)


def test_edit_and_delete_a_connection_by_keyboard(server, admin, lms, registered, artifacts):
    admin.goto(registered)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Edit Test LMS")
    expect(admin.get_by_label("Deployment IDs")).to_have_value(DEPLOYMENT)
    _both_widths(admin, "edit an LMS connection", artifacts)

    # A second connection, registered and then deleted from the keyboard alone.
    admin.goto(server + "/admin/lti/new")
    _fill_registration(admin, {**_registration(lms, name="Spare LMS"),
                               "client_id": "spare-client"})
    admin.get_by_label("Token audience (optional)").focus()
    _press(admin, "Enter")
    tab_to(admin, admin.get_by_role("link", name="Delete Spare LMS"))
    _press(admin, "Enter")
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        "Delete the connection “Spare LMS”?")
    _both_widths(admin, "delete an LMS connection", artifacts)
    tab_to(admin, admin.get_by_role("button", name="Delete the connection"))
    _press(admin, "Space")
    assert "Deleted the connection “Spare LMS”" in _flash(admin)
    expect(admin.get_by_role("link", name="Edit Spare LMS")).to_have_count(0)
    expect(admin.get_by_role("link", name="Edit Test LMS")).to_have_count(1)


# --- the launch pages -----------------------------------------------------------------


def test_a_teacher_picks_a_lesson_with_arrow_keys_and_goes_back_to_the_course(
        server, browser, lms, registered, artifacts):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        _launch(page, server, lms, "t-1", deep_link=True)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Choose a lesson for {COURSE_TITLE}")
        expect(page.get_by_role("group", name="The library")).to_be_visible()
        _both_widths(page, "lesson picker", artifacts)
        # On a phone each lesson is a target a finger can hit: 44 px high, the list's width.
        page.set_viewport_size(PHONE)
        sizes = page.locator(".pick-group label").evaluate_all(
            "labels => labels.map(l => [l.getBoundingClientRect().width, "
            "l.getBoundingClientRect().height, l.closest('ul').clientWidth])")
        assert all(height >= 43.5 and width >= whole - 0.5 for width, height, whole in sizes), sizes
        page.set_viewport_size(DESKTOP)

        # The radio group is one Tab stop; arrow keys move through it and choose.
        tab_to(page, "input[name=lesson_id]")
        for _ in range(30):
            if page.get_by_label(SECOND).is_checked():
                break
            page.keyboard.press("ArrowDown")
        expect(page.get_by_label(SECOND)).to_be_focused()
        expect(page.locator("input[name=lesson_id]:checked")).to_have_count(1)

        # The page that hands the lesson back to the LMS posts itself once its script has
        # run: hold the script to look at the page first.
        held = []
        page.route("**/static/js/lti.js*", lambda route: held.append(route))
        page.keyboard.press("Enter")
        page.wait_for_selector("form[data-auto-submit]")
        expect(page.get_by_role("heading", level=1)).to_contain_text(SECOND)
        expect(page.get_by_role("button", name="Back to the course")).to_be_visible()
        _both_widths(page, "deep linking return", artifacts)
        eventually(page, lambda: bool(held), "the page asked for its script")
        held[0].continue_()
        page.wait_for_url(lms.issuer + "/deep-link-return")
        assert "1 item(s) added" in page.inner_text("body")
        assert [item["title"] for item in lms.deep_link_items][-1].startswith("Who gets")
    finally:
        context.close()


def test_a_refused_launch_says_what_to_do(server, browser, lms, registered, artifacts):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        lms.expired()
        with page.expect_response(re.compile(r"/lti/launch$")) as answer:
            _launch(page, server, lms, "s-1", deep_link=True)
        assert answer.value.status == 400
        expect(page.get_by_role("heading", level=1)).to_have_text("The launch has expired")
        details = page.locator("details")
        tab_to(page, "details > summary")
        page.keyboard.press("Enter")
        expect(details).to_have_attribute("open", "")
        expect(details.locator("code")).to_contain_text("expired")
        _both_widths(page, "refused launch", artifacts)
        # A detail that names one of the LMS's long addresses wraps on a phone.
        page.evaluate("(url) => { document.querySelector('details code').textContent = "
                      "'Could not fetch the LMS\\'s public keys from ' + url; }", LONG_URL)
        no_horizontal_scroll(page, "refused launch naming a long address")
    finally:
        context.close()


# --- the teacher's pages for a linked class -------------------------------------------


def test_scores_sent_to_the_lms_show_each_student_and_send_again(server, lms, scene, artifacts):
    page = scene["teacher"]
    # The teacher opens the link from the course: its results, then the LMS page.
    _launch(page, server, lms, "t-1", link_id=scene["link_id"])
    assert page.url == f"{server}/teach/assignments/{scene['assignment_id']}/results", page.url
    page.get_by_role("link", name="Scores sent to the LMS").tap()
    page.wait_for_url(re.compile(r"/lms$"))
    expect(page.locator("#lms-counts")).to_have_text("0 sent · 2 pending · 0 failed")
    rows = page.locator("#lms-table tbody tr")
    for name in ("Ada Lovelace", "Bo Diddley"):
        expect(rows.filter(has_text=name).locator("td").nth(1)).to_have_text("Pending")
    _both_widths(page, "scores sent to the LMS, waiting", artifacts)

    # The LMS answers again; the teacher sends the waiting scores from the keyboard.
    _lms_grants_tokens(lms, True)
    page.set_viewport_size(DESKTOP)
    tab_to(page, page.get_by_role("button", name="Send pending and failed scores now"))
    _press(page, "Enter")
    assert "Sent 2 scores." in _flash(page)
    expect(page.locator("#lms-counts")).to_have_text("2 sent · 0 pending · 0 failed")
    for name in ("Ada Lovelace", "Bo Diddley"):
        expect(rows.filter(has_text=name).locator("td").nth(1)).to_have_text("Sent")
    assert set(lms.gradebook(COURSE)) == {"s-1", "s-2"}
    _both_widths(page, "scores sent to the LMS, all sent", artifacts)


def test_the_class_page_fills_its_roster_from_the_lms(server, lms, scene, artifacts):
    _lms_grants_tokens(lms, True)
    page = scene["teacher"]
    page.goto(f"{server}/teach/assignments/{scene['assignment_id']}/results")
    page.get_by_role("link", name=COURSE_TITLE).first.tap()
    page.wait_for_url(re.compile(r"/teach/classes/\d+$"))
    roster = page.locator("section[aria-labelledby=roster-title]")
    expect(roster).to_contain_text(f"Linked to the LMS course “{COURSE_TITLE}”")
    expect(page.locator("#roster-title")).to_have_text("Students (2)")
    _both_widths(page, "class linked to an LMS", artifacts)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    controls_reachable(page, "class linked to an LMS, every Remove opened")
    page.reload()
    tab_to(page, page.get_by_role("button", name="Fill the roster from the LMS"))
    _press(page, "Enter")
    assert "Added 1 student from the LMS; 2 already in the class." in _flash(page)
    expect(page.locator("#roster-title")).to_have_text("Students (3)")
    expect(roster).to_contain_text("roster last read")
    _both_widths(page, "class linked to an LMS, roster filled", artifacts)
