"""Accepting a student's contest into the key: the teacher's reading changes.

The owner of a reading (a teacher's own reading of a document) accepts a contest by
judging its span anew: the reading is loaded, changed by the pure functions of
:mod:`app.domain.reading_edits`, compiled again and saved as a new version; every lesson
of that teacher quoting the document is compiled again with it, and one whose key changed
gets a new version (then the regrade review shows whose scores change).

The library's reading changes only through its file. A teacher who accepts a contest on
a library reading gets their own copy of it with the change applied; from then on their
own lessons on the document use the copy, and library lessons keep the library's reading.
Everything is one transaction: a lesson that no longer compiles refuses the whole change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app.domain import reading_edits
from app.domain.lessons import SOURCING_REASONS, LessonInvalid, content_hash
from app.domain.readings import compile_reading, reading_path
from app.extensions import db
from app.models import Contest, Document, Lesson, LessonVersion, Reading, User
from app.services import authoring, contests, locking
from app.services.readings import reading_in_force, save_own_reading


class AcceptRefused(Exception):
    """The change cannot be made; ``message`` is for the teacher. Nothing was saved."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(slots=True)
class AcceptPlan:
    """What accepting a contest would change, as the accept page explains it."""

    contest: Contest
    document: Document
    reading: Reading | None
    unit: str
    judgements: dict[str, str]
    current: list[dict[str, Any]] = field(default_factory=list)

    @property
    def copies_library(self) -> bool:
        """True when the reading in force is the library's: accepting makes the teacher's
        own copy of it."""
        return self.reading is not None and self.reading.owner_id is None


@dataclass(slots=True)
class Accepted:
    """What accepting did: the reading saved and the lessons given a new version."""

    reading: Reading
    lessons: list[Lesson] = field(default_factory=list)


def _unit(contest: Contest) -> str:
    content = db.session.scalar(sa.select(LessonVersion.content).where(
        LessonVersion.lesson_id == contest.lesson_id,
        LessonVersion.number == contest.lesson_version))
    question = next((q for q in (content or {}).get("questions", [])
                     if q["id"] == contest.question_id), None)
    return "sentence" if question is not None and question["kind"] == "sourcing" else "word"


def plan(contest: Contest, teacher: User) -> AcceptPlan:
    """The reading that keys ``teacher``'s lessons on the contested document, and what it
    says now about the contested span."""
    document = db.session.get(Document, contest.document_id)
    assert document is not None  # the foreign key cascades
    reading = reading_in_force(teacher.id, document.id)
    unit = _unit(contest)
    result = AcceptPlan(contest, document, reading, unit, reading_edits.judgements_for(unit))
    if reading is not None:
        tiers = reading_edits.tiers_of(unit)
        positions = set(reading_edits.entries_at(reading.content, contest.span_start,
                                                 contest.span_end, tiers))
        for tier in tiers:
            ranked = sorted((e for e in reading.content["entries"] if e["tier"] == tier),
                            key=lambda e: e["line"])
            result.current.extend(e for n, e in enumerate(ranked) if (tier, n) in positions)
    return result


def _changed_reading(accept: AcceptPlan, tier: str,
                     fields: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    reading, document, contest = accept.reading, accept.document, accept.contest
    assert reading is not None
    path = reading_path(document.slug)
    # The form offers every field; the judgement keeps those its tier has.
    fields = {name: value for name, value in fields.items()
              if name in reading_edits.tier_fields(tier)}
    try:
        source = reading_edits.parse_reading(reading.source_text, path)
        changed = reading_edits.set_judgement(
            source, reading_edits.phrase_for_span(document.text, contest.span_start,
                                                  contest.span_end),
            tier, fields, reading_edits.entries_at(reading.content, contest.span_start,
                                                   contest.span_end,
                                                   reading_edits.tiers_of(accept.unit)))
        text = reading_edits.emit_reading(changed)
        return text, compile_reading(text, path, {document.slug: document.text},
                                     SOURCING_REASONS)
    except reading_edits.JudgementProblem as problem:
        raise AcceptRefused(f"That judgement is incomplete: {problem}.") from problem
    except LessonInvalid as invalid:
        raise AcceptRefused("The reading would not be valid with this change: "
                            + "; ".join(str(issue) for issue in invalid.issues)) from invalid


def _republish(owner: User, document_slug: str) -> list[Lesson]:
    """New versions of ``owner``'s published lessons quoting the document whose key changed.

    Compiled from each current version's file with the owner's readings (as publishing
    does); a draft in progress is left as it is. Raises :class:`AcceptRefused` when a
    lesson no longer compiles.
    """
    changed = []
    lessons = db.session.scalars(sa.select(Lesson).where(
        Lesson.owner_id == owner.id, Lesson.version >= 1).order_by(Lesson.id))
    for lesson in lessons:
        version = authoring.current_version(lesson)
        if version is None or not any(e["document"] == document_slug
                                      for e in version.content["excerpts"]):
            continue
        text = authoring.version_text(lesson, version) or ""
        compiled, issues = authoring.check(text, authoring.file_name(lesson), owner.id)
        if compiled is None:
            raise AcceptRefused(
                f"Your lesson “{lesson.title}” would not compile with this change, so nothing "
                "was changed: " + "; ".join(str(issue) for issue in issues[:3]), 409)
        digest = content_hash(compiled)
        if digest == version.content_hash:
            continue
        lesson.version += 1
        db.session.add(LessonVersion(lesson=lesson, number=lesson.version, content=compiled,
                                     content_hash=digest, source_text=text))
        changed.append(lesson)
    return changed


def accept(contest: Contest, teacher: User, tier: str, fields: Mapping[str, str],
           seen_version: int | None = None) -> Accepted:
    """Judge the contested span ``tier`` in ``teacher``'s reading and accept the contest.

    The teacher's own reading gets a new version; a library reading is copied into a new
    reading of the teacher's with the change (the library's is never changed here). The
    teacher's lessons quoting the document get new versions where their key changed.
    ``seen_version`` is the reading's ``version`` the form was drawn with: a reading
    changed since is refused (409). Commits everything, or nothing.
    """
    accept_plan = plan(contest, teacher)
    if accept_plan.reading is None:
        raise AcceptRefused("This document has no reading to change: change the key of the "
                            "lesson in the editor instead.", 409)
    if seen_version is not None and accept_plan.reading.owner_id == teacher.id \
            and seen_version != accept_plan.reading.version:
        raise AcceptRefused("This reading changed since you opened this page; look at it "
                            "again before you change it.", 409)
    text, compiled = _changed_reading(accept_plan, tier, fields)
    try:
        reading = save_own_reading(teacher.id, accept_plan.document.id, text, compiled)
        db.session.flush()
        lessons = _republish(teacher, accept_plan.document.slug)
        contests.decide([contest], teacher, "accepted")
        locking.commit("reading")
    except AcceptRefused:
        db.session.rollback()
        raise
    return Accepted(reading, lessons)
