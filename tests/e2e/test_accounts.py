"""Accounts in real Chromium: a teacher imports a class list and prints its first-time
passwords, a new student follows the class's join link through sign-up and joins, an
imported student changes their first-time password, the admin reads the accounts page.

Each page is checked with axe-core, and at 390 px for sideways scrolling and reachable
controls.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import (
    ADMIN,
    DESKTOP,
    TEACHER,
    axe_check,
    controls_reachable,
    no_horizontal_scroll,
)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "violet harbour lantern"


def log_in(page, base, username, password):
    page.goto(base + "/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main [type=submit]")


def check_page(page, name):
    axe_check(page, name)
    no_horizontal_scroll(page, name)
    controls_reachable(page, name)


def test_roster_import_join_link_and_accounts_page(server, browser):
    teacher = browser.new_context(viewport=DESKTOP).new_page()
    log_in(teacher, server, *TEACHER)
    assert teacher.url.endswith("/teach/"), teacher.url  # a teacher lands on Teach
    teacher.goto(server + "/teach/classes/new")
    teacher.fill("input[name=name]", "Accounts 9C")
    teacher.click("main form[method=post] [type=submit]")
    class_id = int(re.search(r"/teach/classes/(\d+)", teacher.url).group(1))
    link = teacher.locator(".join-link a").first.get_attribute("href")
    assert re.fullmatch(r"/join/[A-Z2-9]{8}", link), link
    # The QR code is an image of its own: wait for it (CI runs this beside the PostgreSQL
    # suite, so the server may answer it after the page's load event has fired).
    teacher.wait_for_function("""() => { const img = document.querySelector('img.join-qr');
        return img !== null && img.complete && img.naturalWidth > 0; }""", timeout=15_000)

    teacher.click("text=Import a class list (CSV)")
    teacher.fill("textarea[name=names]", "username,name\ne2e-kid1,Kid One\ne2e-kid2,Kid Two\n")
    teacher.click("main [type=submit]")
    assert "2 new accounts" in teacher.inner_text("main")
    check_page(teacher, "roster import result")
    password = teacher.locator(".slip code.password").first.inner_text()

    # A new student opens the join link logged out, signs up from the login page, and is
    # brought back to the link to confirm.
    student = browser.new_context(viewport=DESKTOP).new_page()
    student.goto(server + link)
    student.click("text=Create a student account")
    student.fill("#username", "e2e-joiner")
    student.fill("#password", NEW_PASSWORD)
    student.fill("#password2", NEW_PASSWORD)
    student.click("main [type=submit]")
    assert student.url.endswith(link), student.url
    assert "Join Accounts 9C?" in student.inner_text("main")
    check_page(student, "join link")
    student.click("main [type=submit]")
    assert "Your classes: Accounts 9C (e2e-teacher)" in student.inner_text("main")

    # An imported student logs in with the slip's password and must choose their own.
    kid = browser.new_context(viewport=DESKTOP).new_page()
    log_in(kid, server, "e2e-kid1", password)
    assert kid.url.endswith("/auth/password"), kid.url
    kid.fill("#password", NEW_PASSWORD)
    kid.fill("#password2", NEW_PASSWORD)
    kid.click("main [type=submit]")
    assert kid.url.endswith("/lessons") and "Accounts 9C" in kid.inner_text("main")

    admin = browser.new_context(viewport=DESKTOP).new_page()
    log_in(admin, server, *ADMIN)
    assert admin.url.endswith("/admin/users"), admin.url  # an admin lands on the accounts
    assert "e2e-kid2" in admin.inner_text("main")
    check_page(admin, "admin accounts")
    admin.click("text=e2e-kid2")
    assert "Reset password" in admin.inner_text("main")
    check_page(admin, "admin account page")
    admin.goto(server + "/admin/classes")
    assert "Accounts 9C" in admin.inner_text("main")
    axe_check(admin, "admin classes")
    admin.goto(server + "/admin/log")
    assert "Roster imported" in admin.inner_text("main")
    axe_check(admin, "admin log")
    teacher.goto(f"{server}/teach/classes/{class_id}")
    axe_check(teacher, "class page with roster actions")
