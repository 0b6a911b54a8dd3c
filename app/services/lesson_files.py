"""Lessons in and out as files: import a lesson file, export one, copy a lesson.

A lesson file is stored byte for byte (``export(import(file)) == file``); a copy is the
source of a lesson under a new slug, as a new draft. Each function commits what it wrote
or rolls it all back.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.domain.lesson_files import emit_lesson, parse_source, replace_slug
from app.domain.lessons import LessonInvalid, content_hash
from app.extensions import db
from app.models import Lesson, LessonVersion, User
from app.services.authoring import (
    AuthoringError,
    EditConflict,
    check,
    commit_or_conflict,
    current_version,
    unique_slug,
    version_text,
)


class SlugTaken(EditConflict):
    """An imported file's slug is used by another lesson; ``suggestion`` is free."""

    def __init__(self, slug: str, suggestion: str):
        super().__init__(f"A lesson with the slug '{slug}' already exists. Import this file "
                         "under a new slug, or change the slug in the file.")
        self.slug = slug
        self.suggestion = suggestion


def _source_of(lesson: Lesson) -> str | None:
    return version_text(lesson, current_version(lesson)) or lesson.draft_text


def _with_slug(text: str, slug: str) -> str:
    changed = replace_slug(text, slug)
    if changed is not None:
        return changed
    source = parse_source(text)
    source["slug"] = slug
    return emit_lesson(source)


def copy_lesson(lesson: Lesson, owner: User) -> Lesson:
    """A new draft owned by ``owner`` with the source of ``lesson`` under a new slug."""
    text = _source_of(lesson)
    if text is None:
        raise AuthoringError("This lesson has nothing to copy yet.")
    slug = unique_slug(Lesson, lesson.title, "lesson")
    copy = Lesson(slug=slug, title=lesson.title, summary=lesson.summary, level=lesson.level,
                  status="draft", version=0, owner_id=owner.id, copied_from_id=lesson.id,
                  draft_text=_with_slug(text, slug))
    db.session.add(copy)
    commit_or_conflict("That lesson could not be copied; please try again.")
    return copy


def import_lesson(owner: User, text: str, *, path: str = "import.yaml",
                  new_slug: str | None = None) -> Lesson:
    """Create a lesson owned by ``owner`` from a lesson file, stored byte for byte.

    The text is compiled exactly as ``flask lessons sync`` would; on a problem
    :class:`~app.domain.lessons.LessonInvalid` lists them all and nothing is written. A
    slug already in use raises :class:`SlugTaken` (409) with a free suggestion; with
    ``new_slug`` the file's ``slug:`` line is changed to it and nothing else.
    """
    if new_slug:
        changed = replace_slug(text, new_slug)
        if changed is None:
            raise AuthoringError("The file's slug line could not be changed; edit the slug "
                                 "in the file instead.")
        text = changed
    compiled, issues = check(text, path, owner.id)
    if compiled is None:
        raise LessonInvalid(issues)
    slug = compiled["slug"]  # the compiler checked every length against its column
    if db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == slug)) is not None:
        raise SlugTaken(slug, unique_slug(Lesson, compiled["title"], "lesson"))
    lesson = Lesson(slug=slug, title=compiled["title"][:200], summary=compiled["summary"],
                    level=compiled["level"], status=compiled["status"], version=1,
                    owner_id=owner.id)
    lesson.versions.append(LessonVersion(number=1, content=compiled,
                                         content_hash=content_hash(compiled), source_text=text))
    db.session.add(lesson)
    try:
        db.session.commit()
    except IntegrityError as error:  # the same slug was taken a moment ago
        db.session.rollback()
        raise SlugTaken(slug, unique_slug(Lesson, compiled["title"], "lesson")) from error
    return lesson


def export_text(lesson: Lesson, *, draft: bool = False) -> str | None:
    """The lesson file: the current version's source (or the draft). None if there is none."""
    if draft:
        return lesson.draft_text
    return version_text(lesson, current_version(lesson))
