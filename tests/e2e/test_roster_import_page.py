"""Chromium: the admin's OneRoster import (issue 16), at 1280 and 390 px.

The admin reaches the page from the site's menu and the admin tabs, sends it nothing, then
a roster whose users.csv header is wrong (the page lists the problem by file, line and
column), checks a good roster with a dry run and imports it from the report page with the
keyboard alone, choosing the file again through the file picker. Every page: axe clean at
both widths, nothing wider than a phone (the report's tables scroll inside their own box),
every control in reach.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import (
    ADMIN,
    DESKTOP,
    PHONE,
    axe_check,
    controls_reachable,
    expect,
    log_in,
    no_horizontal_scroll,
    screenshots,
    tab_to,
)
from tests.helpers import ONEROSTER_COLUMNS, oneroster_files, oneroster_zip

pytestmark = pytest.mark.e2e

DRY_RUN = "Check only (dry run: changes nothing)"


def _both_widths(page, name: str, folder) -> None:
    screenshots(page, "roster-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), folder)
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        axe_check(page, f"{name} ({label})")
    no_horizontal_scroll(page, name)
    controls_reachable(page, name)


@pytest.fixture(scope="module")
def rosters(tmp_path_factory):
    """A good roster zip (the small school of tests/helpers.py) and one whose users.csv
    header spells sourcedId in lower case."""
    folder = tmp_path_factory.mktemp("rosters")
    good, bad = folder / "school-roster.zip", folder / "roster-bad-header.zip"
    good.write_bytes(oneroster_zip())
    header = tuple("sourcedid" if column == "sourcedId" else column
                   for column in ONEROSTER_COLUMNS["users.csv"])
    bad.write_bytes(oneroster_zip(oneroster_files(columns={"users.csv": header})))
    return {"good": good, "bad": bad}


@pytest.fixture
def admin(server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, server, *ADMIN)
    yield page
    context.close()


def _send(page, button: str) -> int:
    """Press ``button`` of the roster form; the answer's HTTP status."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    return answer.value.status


def test_a_missing_file_and_a_bad_header_are_explained(server, admin, rosters, artifacts):
    admin.goto(server + "/")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    admin.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Roster import").click()
    admin.wait_for_url(server + "/admin/roster-import")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Roster import (OneRoster)")
    _both_widths(admin, "roster import", artifacts)

    assert _send(admin, DRY_RUN) == 400
    files = admin.get_by_label("Roster files")
    expect(files).to_have_attribute("aria-invalid", "true")
    expect(files).to_have_accessible_description(
        re.compile(re.escape("Choose the roster zip, or its CSV files.")))
    _both_widths(admin, "roster import, no file", artifacts)

    files.set_input_files(rosters["bad"])
    assert _send(admin, DRY_RUN) == 400
    expect(admin.get_by_role("alert")).to_have_text(
        "The roster cannot be read, so nothing was imported.")
    problems = admin.get_by_role("region", name="Problems with the files")
    expect(problems).to_contain_text("users.csv")
    expect(problems).to_contain_text("column names are case-sensitive, write it “sourcedId”")
    _both_widths(admin, "roster import, unreadable roster", artifacts)


def test_a_dry_run_then_an_import_by_keyboard(server, admin, rosters, artifacts):
    admin.goto(server + "/admin/roster-import")
    admin.get_by_label("Roster files").set_input_files(rosters["good"])
    assert _send(admin, DRY_RUN) == 200
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        "Roster checked: nothing was changed")
    said = admin.get_by_role("status").filter(has_text="Dry run").inner_text()
    changes = int(re.search(r"an import would make (\d+) changes?", said).group(1))
    assert changes > 0, said
    counts = admin.get_by_role("region", name=re.compile("What an import would do"))
    expect(counts.get_by_role("row", name=re.compile("^Accounts"))).to_be_visible()
    # A guardian and a class's second teacher are listed as not imported, with the reason.
    skipped = admin.get_by_role("region", name=re.compile(r"^Not imported \(\d+\)$"))
    expect(skipped).to_contain_text("parents and guardians have no accounts")
    expect(skipped).to_contain_text("a class has one teacher in Framing Lab")
    _both_widths(admin, "roster dry run report", artifacts)

    # Import from the report's own form, with the keyboard alone: the file input opens the
    # file picker from the keyboard (browsers do not keep a chosen file across pages).
    admin.set_viewport_size(DESKTOP)
    tab_to(admin, "input[type=file]")
    with admin.expect_file_chooser() as chooser:
        admin.keyboard.press("Space")
    chooser.value.set_files(rosters["good"])
    tab_to(admin, admin.get_by_role("button", name="Import", exact=True))
    with admin.expect_navigation():
        admin.keyboard.press("Enter")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Roster imported")
    expect(admin.get_by_role("status").filter(has_text="Imported")).to_contain_text(
        f"Imported: {changes} change{'s' if changes != 1 else ''} stored")
    created = admin.get_by_role("region", name=re.compile(r"^Created \(\d+\)$"))
    expect(created).to_contain_text("alice")
    _both_widths(admin, "roster import report", artifacts)

    # The imported class is on the admin's class list.
    admin.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Classes").click()
    expect(admin.get_by_role("main")).to_contain_text("Media 10")
