"""Sync the lesson files in ``lessons/`` into lessons and their immutable versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.domain.frames import FILE_NAME as FRAMES_FILE
from app.domain.lessons import LessonIssue, content_hash
from app.domain.library import LibraryReport, check_library
from app.extensions import db
from app.models import Lesson, LessonVersion
from app.services.readings import sync_library_readings
from app.services.seeds import document_texts, library_document_slugs
from app.services.shelf import CardSync, sync_library_cards


@dataclass(slots=True)
class SyncReport:
    """What a sync did; ``check`` holds the validation result of every file."""

    check: LibraryReport
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    # Documents whose library reading was stored or changed.
    readings: list[str] = field(default_factory=list)
    # The library's shelf cards added, updated and unchanged.
    cards: CardSync = field(default_factory=CardSync)


def read_library(lesson_dir: Path, root: Path | None = None) -> list[tuple[str, str]]:
    """Every ``*.yaml`` lesson file as ``(display path, text)``, in name order (the frame
    vocabulary, ``frames.yaml``, is not a lesson)."""
    base = root or lesson_dir.parent
    files = []
    for path in sorted(lesson_dir.glob("*.yaml")):
        if path.name == FRAMES_FILE and path.parent == lesson_dir and root is None:
            continue
        try:
            shown = str(path.relative_to(base))
        except ValueError:
            shown = str(path)
        files.append((shown, path.read_text(encoding="utf-8")))
    return files


def read_readings(lesson_dir: Path) -> list[tuple[str, str]]:
    """Every reading file (``lessons/readings/*.yaml``) as ``(display path, text)``."""
    readings = lesson_dir / "readings"
    return read_library(readings, lesson_dir.parent) if readings.is_dir() else []


def read_cards(lesson_dir: Path) -> list[tuple[str, str]]:
    """Every shelf card file (``lessons/shelf/*.yaml``) as ``(display path, text)``."""
    shelf = lesson_dir / "shelf"
    return read_library(shelf, lesson_dir.parent) if shelf.is_dir() else []


def read_frames(lesson_dir: Path) -> tuple[str, str] | None:
    """The frame vocabulary file (``lessons/frames.yaml``) as ``(display path, text)``, or
    None when the folder has none (then options are not checked against it)."""
    path = lesson_dir / FRAMES_FILE
    if not path.is_file():
        return None
    return str(path.relative_to(lesson_dir.parent)), path.read_text(encoding="utf-8")


def check_lessons(lesson_dir: Path) -> LibraryReport:
    """Validate every card, reading and lesson file against the stored documents (nothing
    is written); every library document must have a reading."""
    return check_library(read_library(lesson_dir), document_texts(),
                         read_readings(lesson_dir), library_document_slugs(),
                         read_cards(lesson_dir), frames=read_frames(lesson_dir))


def sync_lessons(lesson_dir: Path) -> SyncReport:
    """Load every valid lesson file; a file with any problem is not loaded at all.

    Idempotent: an unchanged file changes nothing. A changed file adds a new
    :class:`LessonVersion` (past attempts keep the version they were scored with). A
    lesson whose file is gone is archived, never deleted, so its attempts stay readable.
    Each new version keeps the file's text (``source_text``: what export and "copy to
    edit" use); a current version stored before sources were kept gets its file's text
    when the file still compiles to the same content. Every valid reading file is stored
    as the library's reading of its document (a changed one gets a new ``version``), and
    every valid card file as the library's card of its id. All changes are committed
    together.
    """
    files = read_library(lesson_dir)
    reading_files = read_readings(lesson_dir)
    card_files = read_cards(lesson_dir)
    report = SyncReport(check=check_library(files, document_texts(), reading_files,
                                            library_document_slugs(), card_files,
                                            frames=read_frames(lesson_dir)))
    texts = dict(files)
    lessons = {lesson.slug: lesson for lesson in db.session.scalars(sa.select(Lesson))}
    current = db.session.execute(
        sa.select(Lesson.slug, LessonVersion)
        .join(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                     LessonVersion.number == Lesson.version)))
    versions = {slug: version for slug, version in current}
    try:
        # The cards and readings are stored with the lessons compiled from them, in one
        # transaction.
        report.cards = sync_library_cards(report.check.cards, report.check.card_paths,
                                          card_files)
        report.readings = sync_library_readings(report.check.readings, reading_files)
        for slug, compiled in report.check.lessons.items():
            path = report.check.paths[slug]
            existing = lessons.get(slug)
            if existing is not None and existing.owner_id is not None:
                # A teacher's own lesson (written or imported in the browser) has this
                # slug: a library file must never add versions to it.
                report.check.issues.append(LessonIssue(
                    path, 1, f"the slug '{slug}' belongs to a lesson a teacher wrote in the "
                             "browser; give this file another slug"))
                continue
            _sync_one(report, lessons.get(slug), compiled, path, versions.get(slug),
                      texts[path])
        present = set(texts)
        for lesson in lessons.values():
            file_gone = lesson.source_path is not None and lesson.source_path not in present
            if file_gone and lesson.slug not in report.check.lessons \
                    and lesson.status != "archived":
                lesson.status = "archived"
                report.archived.append(lesson.slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _sync_one(report: SyncReport, lesson: Lesson | None, compiled: dict[str, Any], path: str,
              current: LessonVersion | None, source_text: str) -> None:
    digest = content_hash(compiled)
    fields = {"title": compiled["title"], "summary": compiled["summary"],
              "level": compiled["level"], "status": compiled["status"], "source_path": path}
    if lesson is None:
        lesson = Lesson(slug=compiled["slug"], version=1, **fields)
        lesson.versions.append(LessonVersion(number=1, content=compiled, content_hash=digest,
                                             source_text=source_text))
        db.session.add(lesson)
        report.created.append(compiled["slug"])
        return
    for name, value in fields.items():
        setattr(lesson, name, value)
    if current is not None and digest == current.content_hash:
        if current.source_text is None:
            current.source_text = source_text
        report.unchanged.append(lesson.slug)
        return
    lesson.version += 1
    db.session.add(LessonVersion(lesson=lesson, number=lesson.version, content=compiled,
                                 content_hash=digest, source_text=source_text))
    report.new_versions.append(lesson.slug)
