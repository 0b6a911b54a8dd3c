"""Helpers shared by the web tests (imported as `tests.helpers`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
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
