"""Helpers shared by the web tests (imported as `tests.helpers`)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.domain.lessons import content_hash
from app.domain.shelf import compile_card
from app.extensions import db
from app.models import Document, ShelfCard, User

DEFAULT_PASSWORD = "correct-horse-battery"

# A fixed moment for tests that stop the clock, and two documentation addresses (RFC 5737):
# a school's shared one and a student's home.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SCHOOL = "203.0.113.7"
HOME = "198.51.100.9"

ROOT = Path(__file__).resolve().parents[1]
# Example shelf cards for tests (real, cited facts; not part of the library's shelf).
EXAMPLE_SHELF = ROOT / "tests" / "data" / "shelf"
# An example lesson on those cards: one verify and one omission question on one excerpt.
EXAMPLE_CHECKING = ROOT / "tests" / "data" / "checking-example.yaml"


def library_folder(destination: Path, *lessons: str) -> Path:
    """A lessons folder for a test: the shipped readings, shelf cards and frames, and the
    named shipped lessons.

    Every library document has a reading (``lessons/readings/``), and the library check
    wants one, so a test that syncs a few lessons copies all the readings with them; the
    shelf's cards (``lessons/shelf/``) come too, since lessons may cite them, and the frame
    vocabulary (``lessons/frames.yaml``), since lessons name their frames from it.
    """
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "lessons" / "readings", destination / "readings",
                    dirs_exist_ok=True)
    if (ROOT / "lessons" / "shelf").is_dir():
        shutil.copytree(ROOT / "lessons" / "shelf", destination / "shelf", dirs_exist_ok=True)
    if (ROOT / "lessons" / "frames.yaml").is_file():
        shutil.copy(ROOT / "lessons" / "frames.yaml", destination)
    for slug in lessons:
        shutil.copy(ROOT / "lessons" / f"{slug}.yaml", destination)
    return destination


def checking_folder(destination: Path) -> Path:
    """:func:`library_folder` with the example cards on its shelf and the example lesson
    that cites them (slug ``checking-example``)."""
    library_folder(destination)
    (destination / "shelf").mkdir(exist_ok=True)
    for card in EXAMPLE_SHELF.glob("*.yaml"):
        shutil.copy(card, destination / "shelf")
    shutil.copy(EXAMPLE_CHECKING, destination)
    return destination


GIFT_PARSER = ROOT / "tests" / "gift"


def parse_gift(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Parse GIFT texts with gift-pegjs, the PEG.js grammar of GIFT
    (https://github.com/fuhrmanator/GIFT-grammar-PEG.js; the npm package is pinned in
    tests/gift/package-lock.json and installed by `make install-dev`): name ->
    ``{"questions": [...]}`` or ``{"error": ..., "location": ...}``."""
    import pytest

    node = shutil.which("node")
    if node is None or not (GIFT_PARSER / "node_modules" / "gift-pegjs").is_dir():
        message = ("The GIFT parser is not installed: run `make install-dev` (it runs "
                   "`npm ci --prefix tests/gift`; needs Node.js and npm).")
        if os.environ.get("CI"):  # CI has Node.js: a missing parser is a failure there
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([node, str(GIFT_PARSER / "parse.js")],  # noqa: S603
                          input=json.dumps(files), capture_output=True, text=True, check=True,
                          timeout=120)
    return json.loads(done.stdout)


def moodle_grade(choices: list[dict[str, Any]], picked: set[int]) -> float:
    """The share of its mark Moodle gives a multiple-answer question parsed by gift-pegjs
    when the choices at ``picked`` are chosen: their weights added, kept between 0 and 1
    (``qtype_multichoice_multi_question::grade_response``)."""
    total = sum(choices[index]["weight"] for index in picked) / 100
    return min(max(0.0, total), 1.0)


def gift_titled(read: dict[str, Any], title: str) -> dict[str, Any]:
    """The one question gift-pegjs read whose title is ``title``."""
    found = [question for question in read["questions"] if question["title"] == title]
    assert len(found) == 1, (title, [question["title"] for question in read["questions"]])
    return found[0]


_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """GET `url` and return the CSRF token from its form, as a browser would have it.

    CSRF protection stays on in tests, so every POST needs one of these.
    """
    response = client.get(url)
    match = _CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no csrf_token field on {url} (status {response.status_code})"
    return match.group(1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(base: str, process: subprocess.Popen, explain: Callable[[], str],
                       seconds: float = 30) -> None:
    """Poll ``base``/healthz until it answers 200. Raises RuntimeError with ``explain()``
    (e.g. the server's log) when ``process`` exits first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the app did not start:\n" + explain())
        time.sleep(0.2)


def paste_document(app: Flask, owner: User, slug: str, text: str) -> None:
    """A document ``owner`` pasted, stored as the editor stores one (no reading yet)."""
    with app.app_context():
        db.session.add(Document(slug=slug, title=slug.capitalize(), author="x", outlet="y",
                                text=text, owner_id=owner.id, sha256="0" * 64))
        db.session.commit()


def example_cards(folder: Path = EXAMPLE_SHELF) -> dict[str, dict]:
    """The example shelf cards (or those in ``folder``) compiled, by id (the unit tests'
    ``example_cards`` fixture holds the same, without the app)."""
    cards = [compile_card(path.read_text(encoding="utf-8"), path.name)
             for path in sorted(folder.glob("*.yaml"))]
    return {card["id"]: card for card in cards}


def store_cards(app: Flask, cards: dict[str, dict] | None = None,
                owner: User | None = None) -> dict[str, dict]:
    """Store compiled shelf cards (by default :func:`example_cards`) as the library's
    (``owner`` None) or as ``owner``'s own, as the sync and the card editor store them.
    Returns the cards stored, by id."""
    cards = example_cards() if cards is None else cards
    with app.app_context():
        for card_id, card in cards.items():
            db.session.add(ShelfCard(slug=card_id, kind=card["kind"], title=card["title"],
                                     owner_id=owner.id if owner else None,
                                     source_text=f"id: {card_id}\n", content=card,
                                     content_hash=content_hash(card)))
        db.session.commit()
    return cards


# --- OneRoster 1.2 CSV bundles (app/domain/oneroster*.py) -------------------------------

# The columns of each file as the 1.2 binding orders them (users.csv has no role column
# in 1.2: roles.csv gives roles). Files are written with every column, most left blank.
ONEROSTER_COLUMNS = {
    "users.csv": ("sourcedId", "status", "dateLastModified", "enabledUser", "username",
                  "userIds", "givenName", "familyName", "middleName", "identifier", "email",
                  "sms", "phone", "agentSourcedIds", "grades", "password",
                  "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName",
                  "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId",
                  "pronouns"),
    "roles.csv": ("sourcedId", "status", "dateLastModified", "userSourcedId", "roleType",
                  "role", "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"),
    "classes.csv": ("sourcedId", "status", "dateLastModified", "title", "grades",
                    "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId",
                    "termSourcedIds", "subjects", "subjectCodes", "periods"),
    "enrollments.csv": ("sourcedId", "status", "dateLastModified", "classSourcedId",
                        "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                        "endDate"),
}


def oneroster_csv(columns: tuple[str, ...] | list[str], rows: list[dict[str, str]]) -> bytes:
    """A CSV file with ``columns`` as its header and a line per row (missing cells blank)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode("utf-8")


def oneroster_school() -> dict[str, list[dict[str, str]]]:
    """A small school, as rows of each file: two teachers, three students, a guardian and
    an administrator; two classes with the same title (two sections of Media 10), each
    with a primary teacher; a co-teacher; the guardian's and administrator's roles."""
    def user(sid: str, username: str, given: str, family: str) -> dict[str, str]:
        return {"sourcedId": sid, "enabledUser": "true", "username": username,
                "givenName": given, "familyName": family, "primaryOrgSourcedId": "org-1"}

    def role(sid: str, name: str, kind: str = "primary") -> dict[str, str]:
        return {"sourcedId": f"r-{sid}-{name}", "userSourcedId": sid, "roleType": kind,
                "role": name, "orgSourcedId": "org-1"}

    def enrol(sid: str, klass: str, who: str, role_name: str, primary: str = "false") -> dict:
        return {"sourcedId": sid, "classSourcedId": klass, "schoolSourcedId": "org-1",
                "userSourcedId": who, "role": role_name, "primary": primary}

    return {
        "users.csv": [user("t-1", "Ms.Lee@school.example", "Ada", "Lee"),
                      user("t-2", "mr.kay", "Ben", "Kay"),
                      user("s-1", "alice", "Alice", "Smith"),
                      user("s-2", "Bob Jones", "Bob", "Jones"),
                      user("s-3", "zoë", "Zoë", "Martin"),
                      user("g-1", "parent.smith", "Carol", "Smith"),
                      user("a-1", "principal", "Dan", "Ode")],
        "roles.csv": [role("t-1", "teacher"), role("t-2", "teacher"),
                      role("s-1", "student"), role("s-2", "student"), role("s-3", "student"),
                      role("g-1", "guardian"), role("a-1", "principal"),
                      role("a-1", "teacher", "secondary")],
        "classes.csv": [{"sourcedId": "c-1", "title": "Media 10", "classCode": "M10-A",
                         "classType": "scheduled", "schoolSourcedId": "org-1"},
                        {"sourcedId": "c-2", "title": "Media 10", "classCode": "M10-B",
                         "classType": "scheduled", "schoolSourcedId": "org-1"}],
        "enrollments.csv": [enrol("e-1", "c-1", "t-2", "teacher"),
                            enrol("e-2", "c-1", "t-1", "teacher", "true"),
                            enrol("e-3", "c-1", "s-1", "student"),
                            enrol("e-4", "c-1", "s-2", "student"),
                            enrol("e-5", "c-2", "t-1", "teacher", "true"),
                            enrol("e-6", "c-2", "s-2", "student"),
                            enrol("e-7", "c-2", "s-3", "student")],
    }


def oneroster_files(tables: dict[str, list[dict[str, str]]] | None = None, *,
                    modes: dict[str, str] | None = None, version: str = "1.2",
                    columns: dict[str, tuple[str, ...]] | None = None) -> dict[str, bytes]:
    """The CSV files of a bundle (``tables``: :func:`oneroster_school` by default), with a
    manifest saying ``bulk`` for each file given (``modes`` overrides) and absent for the
    rest; ``columns`` replaces a file's header."""
    tables = oneroster_school() if tables is None else tables
    columns = {**ONEROSTER_COLUMNS, **(columns or {})}
    files = {name: oneroster_csv(columns[name], rows) for name, rows in tables.items()}
    manifest = [{"propertyName": "manifest.version", "value": "1.0"},
                {"propertyName": "oneroster.version", "value": version}]
    for name in ("academicSessions", "categories", "classes", "classResources", "courses",
                 "courseResources", "demographics", "enrollments", "lineItems", "orgs",
                 "resources", "results", "roles", "users", "userProfiles"):
        given = f"{name}.csv" in files
        mode = (modes or {}).get(f"{name}.csv", "bulk" if given else "absent")
        manifest.append({"propertyName": f"file.{name}", "value": mode})
    manifest.append({"propertyName": "source.systemName", "value": "Test SIS"})
    return {"manifest.csv": oneroster_csv(("propertyName", "value"), manifest), **files}


def oneroster_zip(files: dict[str, bytes] | None = None) -> bytes:
    """A zip of ``files`` (by default :func:`oneroster_files`), in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (oneroster_files() if files is None else files).items():
            archive.writestr(name, content)
    return buffer.getvalue()
