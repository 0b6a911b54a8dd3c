"""Browser tests: the real app in a subprocess, driven by Debian's Chromium through Playwright.

Run with `make e2e` (it sets FRAMINGLAB_E2E=1). A plain `pytest` run skips every test here
and says why; so does `make e2e` when Chromium or Playwright is missing.
Never `playwright install`: the browser is the system's `/usr/bin/chromium`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.app_server import running_app

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Without these flags Chromium phones home (updates, sync, QUIC) and the closed network
# refuses, which slows or breaks start-up.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    no_chromium = not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK))
    if os.environ.get("FRAMINGLAB_E2E") != "1":
        return ("browser tests (tests/e2e) skipped: they run with `make e2e`, not in the plain "
                "test run" + (f"; Chromium is not installed at {CHROMIUM}" if no_chromium else ""))
    if no_chromium:
        return (f"browser tests skipped: Chromium not found at {CHROMIUM} "
                "(apt-get install chromium)")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return (f"browser tests skipped: {error.name} is not installed "
                "(`make e2e` installs requirements-e2e.txt)")
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    reason = _missing()
    if reason and any(here_in(report) for report in terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(f"NOTE: {reason}.")


def here_in(report) -> bool:
    return "tests/e2e/" in str(getattr(report, "nodeid", ""))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Base URL of a freshly migrated and seeded app with the library's lessons."""
    if _missing():
        pytest.skip(_missing())
    with running_app(tmp_path_factory.mktemp("e2e-app")) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if _missing():
        pytest.skip(_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives Chromium a new, empty temporary user-data-dir each run (Playwright
        # refuses a --user-data-dir flag here), so nothing from another profile leaks in.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session", autouse=True)
def _clean_artifacts():
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
    yield
