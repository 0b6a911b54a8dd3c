"""The library's frame vocabulary in the app: ``lessons/frames.yaml``, read once per change.

The file is part of the code base, like the lessons it serves (``flask lessons check``
validates it, quotes and all). The app reads it to show ``/frames``, to let teachers name
options by ``frame: <id>`` and pick frames from a list, and to compile their lessons.
"""

from __future__ import annotations

import logging
from pathlib import Path
from threading import Lock
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.domain.filereader import LessonInvalid
from app.domain.frames import FILE_NAME, compile_frames
from app.extensions import db
from app.models import Document

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_log = logging.getLogger(__name__)
_lock = Lock()
_cache: dict[tuple[str, int], dict[str, Any] | None] = {}


def frames_file() -> Path:
    """Where the vocabulary is read from (``FRAMES_FILE`` in the config, else the
    project's ``lessons/frames.yaml``)."""
    configured = current_app.config.get("FRAMES_FILE")
    return Path(configured) if configured else PROJECT_ROOT / "lessons" / FILE_NAME


def library_frames() -> dict[str, Any] | None:
    """The compiled vocabulary, or None when the file is missing or invalid (logged; the
    library check names every problem). Recompiled only when the file changes."""
    path = frames_file()
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    with _lock:
        if key not in _cache:
            _cache.clear()
            try:
                _cache[key] = compile_frames(path.read_text(encoding="utf-8"),
                                             f"lessons/{FILE_NAME}")
            except (OSError, LessonInvalid) as problem:
                _log.error("the frame vocabulary %s cannot be used: %s", path, problem)
                _cache[key] = None
        return _cache[key]


def frame_names() -> list[str]:
    """The vocabulary's frame names, in its order ([] without a vocabulary)."""
    vocabulary = library_frames()
    return [frame["name"] for frame in vocabulary["frames"]] if vocabulary else []


def example_sources(vocabulary: dict[str, Any]) -> dict[str, Document]:
    """The library documents the examples come from, by slug (one query)."""
    slugs = {example["document"] for frame in vocabulary["frames"]
             for example in frame["examples"] if example["document"]}
    if not slugs:
        return {}
    rows = db.session.scalars(sa.select(Document).where(Document.slug.in_(slugs),
                                                        Document.owner_id.is_(None)))
    return {document.slug: document for document in rows}
