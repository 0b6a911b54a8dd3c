"""A lesson exported as a QTI 3.0 package or a GIFT file (issue 16, part 3).

Who may export a lesson is who may read its answer key, since an export holds the key:
a teacher, for the starter library's lessons and their own; an admin, for any. Never a
student, and never another teacher's lesson (for them it does not exist: the caller
answers 404, as the key page does). What is exported is what the key page shows: the
version students get, or, for the owner who asks, their unpublished draft. The keys are
the compiled version's, resolved once from the readings when it was made; the export
reads them and judges nothing again (:mod:`app.domain.exports`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.domain.exports import LessonExport
from app.domain.exports.gift import NothingForGift, gift_questions, gift_text
from app.domain.exports.qti import qti_package
from app.extensions import db
from app.models import Lesson, User
from app.services import authoring
from app.student.present import sources

FORMATS = ("qti", "gift")
LABELS = {"qti": "QTI 3 package (.zip)", "gift": "GIFT (Moodle)"}


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A file to hand over: its name, media type and bytes."""

    filename: str
    mimetype: str
    data: bytes


class NothingToExport(Exception):
    """The lesson has no content in that format (never published, a draft with problems,
    or no question with a GIFT form); ``message`` says which. A 404 for the web."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def may_export(user: User | None, lesson: Lesson) -> bool:
    """The answer key's rule: a teacher for library lessons and their own, an admin for any."""
    if user is None or not user.is_authenticated or not user.has_role("teacher", "admin"):
        return False
    return lesson.owner_id is None or lesson.owner_id == user.id or user.has_role("admin")


def exportable_lesson(user: User | None, lesson_id: int) -> Lesson | None:
    """The lesson ``lesson_id`` if ``user`` may export it, else None (also when missing)."""
    lesson = db.session.get(Lesson, lesson_id)
    return lesson if lesson is not None and may_export(user, lesson) else None


def find_lesson(reference: str) -> Lesson | None:
    """A lesson by slug, or by id when ``reference`` is a number (for the command line)."""
    lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == reference))
    if lesson is None and reference.isdigit():
        lesson = db.session.get(Lesson, int(reference))
    return lesson


def _content(lesson: Lesson, draft: bool) -> tuple[dict[str, Any], int]:
    """The compiled lesson to export and its version number (0 for the draft)."""
    if draft:
        if lesson.owner_id is None or lesson.draft_text is None:
            raise NothingToExport("This lesson has no unpublished draft to export.")
        compiled = authoring.open_workspace(lesson).compiled
        if compiled is None:
            raise NothingToExport("The draft has problems; fix them in the editor, then "
                                  "export it.")
        return compiled, 0
    version = authoring.current_version(lesson)
    if version is None:
        raise NothingToExport("This lesson has not been published yet; export its draft "
                              "instead.")
    return version.content, version.number


def lesson_export(lesson: Lesson, export_format: str, *, draft: bool = False) -> ExportFile:
    """The lesson (its version in force, or the owner's ``draft``) as a QTI 3.0 content
    package (``qti``) or a Moodle GIFT file (``gift``).

    The caller checks :func:`may_export` first. Raises :class:`NothingToExport`, and
    ValueError for an unknown format.
    """
    if export_format not in FORMATS:
        raise ValueError(f"unknown export format {export_format!r} (one of: "
                         f"{', '.join(FORMATS)})")
    content, number = _content(lesson, draft)
    export = LessonExport(content, number, sources(content))
    stem = f"{lesson.slug}-draft" if draft else f"{lesson.slug}-v{number}"
    if export_format == "qti":
        return ExportFile(f"{stem}-qti3.zip", "application/zip", qti_package(export))
    try:
        text = gift_text(export)
    except NothingForGift as nothing:
        raise NothingToExport(str(nothing)) from nothing
    return ExportFile(f"{stem}-gift.txt", "text/plain; charset=utf-8", text.encode("utf-8"))


def formats_for(content: dict[str, Any] | None) -> list[str]:
    """The formats a lesson's compiled content can be exported in, for the download links
    (GIFT when at least one question has a GIFT form: every shipped lesson has)."""
    if content is None:
        return []
    return [name for name in FORMATS if name == "qti"
            or gift_questions(LessonExport(content, 0, {})).questions]
