"""Fixtures for the pure domain tests: the real seed documents, no app, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.documents import decode_document, parse_catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def documents() -> dict[str, str]:
    """Every seed document's exact text, by slug, checked against the catalogue."""
    seeds = ROOT / "seeds"
    catalogue = parse_catalogue((seeds / "documents.yaml").read_text(encoding="utf-8"))
    return {meta.slug: decode_document(meta, (seeds / meta.file).read_bytes())
            for meta in catalogue}


@pytest.fixture(scope="session")
def lesson_files() -> list[tuple[str, str]]:
    """The lesson files shipped in ``lessons/``, as ``(path, text)`` (not the frame
    vocabulary, ``lessons/frames.yaml``)."""
    return [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
            for path in sorted((ROOT / "lessons").glob("*.yaml")) if path.name != "frames.yaml"]


@pytest.fixture(scope="session")
def frames_file() -> tuple[str, str]:
    """The library's frame vocabulary, ``lessons/frames.yaml``, as ``(path, text)``."""
    return "lessons/frames.yaml", (ROOT / "lessons" / "frames.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vocabulary(frames_file, documents) -> dict:
    """The library's frame vocabulary, compiled (every example's quotes checked)."""
    from app.domain.frames import compile_frames
    return compile_frames(frames_file[1], frames_file[0], documents)


@pytest.fixture(scope="session")
def reading_files() -> list[tuple[str, str]]:
    """The readings shipped in ``lessons/readings/``, as ``(path, text)``."""
    return [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
            for path in sorted((ROOT / "lessons" / "readings").glob("*.yaml"))]


@pytest.fixture(scope="session")
def card_files() -> list[tuple[str, str]]:
    """The shelf cards shipped in ``lessons/shelf/``, as ``(path, text)`` (maybe none yet)."""
    return [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
            for path in sorted((ROOT / "lessons" / "shelf").glob("*.yaml"))]


@pytest.fixture(scope="session")
def example_cards() -> dict[str, dict]:
    """The example shelf cards of the tests (``tests/data/shelf/``), compiled, by id.

    The library's own cards live in ``lessons/shelf/``; these few exist so the shelf and
    the verify and omission questions can be tested whatever the library holds.
    """
    from app.domain.shelf import compile_card

    folder = ROOT / "tests" / "data" / "shelf"
    cards = [compile_card(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
             for path in sorted(folder.glob("*.yaml"))]
    return {card["id"]: card for card in cards}


@pytest.fixture(scope="session")
def shipped_library(documents, lesson_files, reading_files, card_files, frames_file):
    """The whole shipped library checked once: lessons, readings (one per document), the
    shelf's cards and the frame vocabulary (every option one of its frames). Tests of the
    library read its compiled lessons from here."""
    from app.domain.library import check_library

    report = check_library(lesson_files, documents, reading_files, documents, card_files,
                           frames=frames_file)
    assert report.ok, "\n".join(map(str, report.issues))
    return report


@pytest.fixture(scope="session")
def shipped_gift(shipped_library) -> dict[str, tuple[dict, str, dict]]:
    """slug -> (compiled lesson, its GIFT file, what gift-pegjs read of it) for every
    shipped lesson, each excerpt credited as "Title of <document>" by "An Author"."""
    from app.domain.exports import LessonExport
    from app.domain.exports.gift import gift_text
    from tests.helpers import parse_gift

    texts = {}
    for slug, content in shipped_library.lessons.items():
        sources = {e["id"]: {"title": f"Title of {e['document']}", "credit": "An Author"}
                   for e in content["excerpts"]}
        texts[slug] = (content, gift_text(LessonExport(content, 2, sources)))
    read = parse_gift({slug: text for slug, (_, text) in texts.items()})
    return {slug: (content, text, read[slug]) for slug, (content, text) in texts.items()}
