"""Test-data builders for the class results tests (CTFd-style ``gen_*`` helpers).

Each ``gen_*`` saves one object with sensible defaults, takes any column as a keyword to
override, and returns it. Call them inside ``with app.app_context():``. Attempts are
scored by the real service (:func:`app.services.attempts.submit_attempt`), then placed
on the assignment at the time and lateness the test asks for, so stored verdicts are
exactly what a student's submission would store.

:mod:`tests.web.bulk_builders` builds whole classes at once from these: big classes by
bulk inserts (for the query counts) and classes that mark at set hit and false-alarm rates
(for the discernment recovery test).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.domain import yamllines
from app.domain.lessons import compile_lesson, content_hash
from app.domain.shelf import compile_card
from app.extensions import db
from app.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    GrowthStudy,
    Lesson,
    LessonVersion,
    ReviewItem,
    ShelfCard,
    User,
    utcnow,
)
from app.models.users import password_hasher
from app.services.attempts import submit_attempt
from app.services.seeds import document_texts, load_seeds
from tests.helpers import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_SLUG = "naming-the-january-events"

# Two questions, three points: "gangs" and "terrorists" (1 point each, -0.5 per other
# word marked) and one frame (1 point). Percentages come out in sixths: easy to check.
SMALL_LESSON = """\
slug: two-questions
title: Two questions
summary: A small lesson for the results tests.
level: intro
excerpts:
  - id: astana
    document: astana-times-babich
    quote: >-
      when gangs of presumably foreign-trained terrorists quickly transformed initially
      peaceful demonstrations into dangerous mob attacks.
  - id: blog
    document: quo-vadis-blog
    quote: >-
      This suggests it was a classic people-against-regime stand-off.
questions:
  - id: words
    kind: loaded_terms
    excerpt: astana
    prompt: Mark the words that judge the people.
    phrases:
      - phrase: gangs
        neutral: groups
        why: Brands the people as criminals.
      - phrase: terrorists
        neutral: attackers
        why: The gravest label, with no evidence.
  - id: frame
    kind: framing
    excerpt: blog
    prompt: Which frame?
    options:
      - id: people
        text: People against the regime
        correct: true
        feedback: It says so itself.
      - id: order
        text: Order restored
        feedback: Not here.
      - id: economy
        text: Economic reform
        feedback: Nothing about the economy.
"""
# Word indices in the small lesson's "astana" excerpt.
WHEN, GANGS, TERRORISTS = 0, 1, 5

# A post-test matched to the small lesson (growth studies): the same level, kinds, items
# to find and points (two loaded phrases and one frame: 3 points), on other passages.
POST_LESSON = """\
slug: two-more-questions
title: Two more questions
summary: A post-test matched to the small lesson.
level: intro
excerpts:
  - id: reforms
    document: neighborhood-trouble
    quote: >-
      These political and economic reforms send a positive signal to foreign investors.
  - id: bet
    document: astana-times-babich
    quote: >-
      Tokayev won his bet on introducing democracy to Kazakhstan
questions:
  - id: words
    kind: loaded_terms
    excerpt: reforms
    prompt: Mark the words that judge the reforms.
    phrases:
      - phrase: positive signal
        neutral: sign
        why: Praise, not report.
      - phrase: foreign investors
        neutral: investors
        why: Names an audience to please.
  - id: frame
    kind: framing
    excerpt: bet
    prompt: Which frame?
    options:
      - id: people
        text: A leader's gamble won
        correct: true
        feedback: It says so itself.
      - id: order
        text: Order restored
        feedback: Not here.
      - id: economy
        text: Economic reform
        feedback: Nothing about the economy.
"""
# Word indices in the post lesson's "reforms" excerpt ("positive signal", "foreign investors").
POSITIVE_SIGNAL, FOREIGN_INVESTORS = (7, 8), (10, 11)

class_numbers = itertools.count(1)
_hash_cache: dict[str, str] = {}


def password_hash_for(password: str) -> str:
    # Hashing is the slow part of making users; every builder user shares one hash.
    if password not in _hash_cache:
        _hash_cache[password] = password_hasher().hash(password)
    return _hash_cache[password]


def load_documents() -> None:
    """Load the seed documents (what lessons quote)."""
    load_seeds(ROOT / "seeds")


def load_library() -> Lesson:
    """Load the seed documents and the shipped library lesson; return that lesson."""
    from app.services.lessons import sync_lessons

    load_seeds(ROOT / "seeds")
    report = sync_lessons(ROOT / "lessons")
    assert report.check.ok, report.check.issues
    return db.session.scalar(sa.select(Lesson).where(Lesson.slug == LIBRARY_SLUG))


def gen_card(text: str, owner: User | None = None) -> ShelfCard:
    """A shelf card compiled from card-file ``text``: the library's, or ``owner``'s own."""
    slug = yamllines.load(text)["id"]
    content = compile_card(text, f"{slug}.yaml")
    card = ShelfCard(slug=slug, kind=content["kind"], title=content["title"],
                     owner_id=owner.id if owner else None, source_text=text, content=content,
                     content_hash=content_hash(content))
    db.session.add(card)
    db.session.commit()
    return card


def gen_user(username: str | None = None, role: str = "student",
             password: str = DEFAULT_PASSWORD, **kwargs: Any) -> User:
    user = User(username=username or f"{role}{next(class_numbers)}", role=role,
                password_hash=password_hash_for(password), **kwargs)
    db.session.add(user)
    db.session.commit()
    return user


def gen_class(teacher: User, name: str | None = None, **kwargs: Any) -> Classroom:
    kwargs.setdefault("join_code", secrets.token_hex(4).upper())
    classroom = Classroom(teacher_id=teacher.id, name=name or f"Class {next(class_numbers)}",
                          **kwargs)
    db.session.add(classroom)
    db.session.commit()
    return classroom


def gen_enrollment(classroom: Classroom, student: User, **kwargs: Any) -> Enrollment:
    enrollment = Enrollment(classroom_id=classroom.id, student_id=student.id, **kwargs)
    db.session.add(enrollment)
    db.session.commit()
    return enrollment


def gen_students(classroom: Classroom, *usernames: str) -> list[User]:
    """Students with these names, all enrolled in ``classroom``."""
    students = [gen_user(name) for name in usernames]
    for student in students:
        gen_enrollment(classroom, student)
    return students


def gen_lesson(text: str = SMALL_LESSON, owner: User | None = None,
               shelf: Mapping[str, Mapping[str, Any]] | None = None,
               readings: Mapping[str, Mapping[str, Any]] | None = None,
               **kwargs: Any) -> Lesson:
    """A published lesson compiled from lesson-file ``text`` (seeds must be loaded), its
    verify and omission questions against ``shelf`` (card id -> compiled card), its keys
    from ``readings`` (document slug -> compiled reading) where given."""
    content = compile_lesson(text, "test.yaml", document_texts(), readings, shelf=shelf)
    fields = {"slug": content["slug"], "title": content["title"], "level": content["level"],
              "summary": content["summary"], "status": "published", "version": 1,
              "owner_id": owner.id if owner else None, **kwargs}
    lesson = Lesson(**fields)
    lesson.versions.append(LessonVersion(
        number=1, content=content,
        content_hash=hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()))
    db.session.add(lesson)
    db.session.commit()
    return lesson


def gen_assignment(classroom: Classroom, lesson: Lesson, grading: str = "highest",
                   due_at: datetime | None = None, **kwargs: Any) -> Assignment:
    assignment = Assignment(classroom_id=classroom.id, lesson_id=lesson.id, grading=grading,
                            due_at=due_at, **kwargs)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def current_version(lesson: Lesson) -> LessonVersion:
    return db.session.scalar(sa.select(LessonVersion).where(
        LessonVersion.lesson_id == lesson.id, LessonVersion.number == lesson.version))


def gen_attempt(student: User, assignment: Assignment,
                responses: Mapping[str, Mapping[str, Any]] | None = None,
                submitted_at: datetime | None = None, late: bool = False,
                confidence: Mapping[str, int] | None = None, **kwargs: Any) -> Attempt:
    """Submit ``responses`` (question id -> parsed response) for ``assignment``.

    Scored and stored by the real service, then given ``submitted_at`` (default now) and
    ``late``. Default responses: the small lesson's frame chosen right (one point).
    ``confidence``: question id -> "How sure are you?" rating (1-4), stored by the service.
    """
    lesson = db.session.get(Lesson, assignment.lesson_id)
    version = current_version(lesson)
    attempt = submit_attempt(student, lesson, version, secrets.token_hex(16),
                             dict(responses or {"frame": {"choice": "people"}}),
                             confidence=confidence)
    attempt.assignment_id = assignment.id
    attempt.submitted_at = submitted_at or utcnow()
    attempt.late = late
    for name, value in kwargs.items():
        setattr(attempt, name, value)
    db.session.commit()
    return attempt


def gen_study(classroom: Classroom, pre: Assignment, post: Assignment,
              name: str = "Autumn growth", **kwargs: Any) -> GrowthStudy:
    """A growth study of ``classroom`` from ``pre`` to ``post`` (any other column as a
    keyword: ``delayed_assignment_id``, ``comparison_classroom_id``...)."""
    study = GrowthStudy(classroom_id=classroom.id, name=name, pre_assignment_id=pre.id,
                        post_assignment_id=post.id, **kwargs)
    db.session.add(study)
    db.session.commit()
    return study


def post_responses(words: Iterable[int] = (), choice: str | None = None) -> dict[str, Any]:
    """Responses to :data:`POST_LESSON`: word indices marked, and the frame chosen."""
    return {"words": {"words": sorted(words)}, "frame": {"choice": choice, "words": []}}


def small_responses(words: Iterable[int] = (), choice: str | None = None) -> dict[str, Any]:
    """Responses to the small lesson: word indices marked, and the frame chosen."""
    return {"words": {"words": sorted(words)}, "frame": {"choice": choice, "words": []}}


def perfect_responses(content: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """What a student sends who finds every key item of ``content`` and nothing else."""
    responses: dict[str, dict[str, Any]] = {}
    for q in content["questions"]:
        if q["kind"] == "loaded_terms":
            responses[q["id"]] = {"words": sorted(i for p in q["phrases"] for i in p["words"])}
        elif q["kind"] == "framing":
            responses[q["id"]] = {
                "choice": next(o["id"] for o in q["options"] if o["correct"]),
                "words": sorted(i for p in q.get("signals") or [] for i in p["words"])}
        elif q["kind"] == "sourcing":
            responses[q["id"]] = {"sentences": sorted(g["sentence"] for g in q["gaps"])}
        elif q["kind"] == "verify":
            responses[q["id"]] = {"verdict": q["verdict"],
                                  "cards": [c["id"] for c in q["cards"] if c["decides"]]}
        elif q["kind"] == "omission":
            responses[q["id"]] = {"facts": [f["ref"] for f in q["facts"]
                                            if f["role"] == "omitted"]}
        else:
            responses[q["id"]] = {"sides": [
                {"choice": side["frame"],
                 "words": sorted(i for t in side["terms"] for i in t["words"])}
                for side in q["sides"]]}
    return responses


# --- review of what was missed -----------------------------------------------------------

# One question keyed from the library's reading (load it first: the ``library_readings``
# fixture): the words for the people in the streets in one sentence of the Astana Times.
PEOPLE_LESSON = """\
slug: people-words
title: Words for the people
summary: A one-question lesson for the review tests.
level: intro
excerpts:
  - id: astana
    document: astana-times-babich
    quote: >-
      The year was full of dangers, and they let themselves be felt in the first days of
      2022, when gangs of presumably foreign-trained terrorists quickly transformed
      initially peaceful demonstrations into dangerous mob attacks. Government buildings in
      several important cities were attacked and partially destroyed, hundreds of people
      were killed.
questions:
  - id: words
    kind: loaded_terms
    excerpt: astana
    about: people
"""


def gen_reading_lesson(text: str = PEOPLE_LESSON, owner: User | None = None) -> Lesson:
    """A published lesson keyed from the readings stored in the database (the library's)."""
    from app.services.readings import readings_for

    return gen_lesson(text, owner=owner, readings=readings_for(None))


def submit_for(student: User, assignment: Assignment,
               responses: Mapping[str, Mapping[str, Any]]) -> Attempt:
    """Submit ``responses`` for ``assignment`` as the quiz page does (its rules, and the
    review of what was missed scheduled in the same transaction)."""
    lesson = db.session.get(Lesson, assignment.lesson_id)
    return submit_attempt(student, lesson, current_version(lesson), secrets.token_hex(16),
                          dict(responses), assignment=assignment)


def gen_review_item(student: User, classroom: Classroom, lesson: Lesson,
                    technique: str = "loaded:other", **kwargs: Any) -> ReviewItem:
    """A review item for ``student`` whose content is ``lesson``'s first excerpt and
    question (due now unless ``due_at`` says otherwise)."""
    from app.models import Document

    content = current_version(lesson).content
    question = content["questions"][0]
    excerpt = next(e for e in content["excerpts"] if e["id"] == question["excerpt"])
    document = db.session.scalar(sa.select(Document).where(
        Document.slug == excerpt["document"]))
    fields = {"student_id": student.id, "classroom_id": classroom.id, "technique": technique,
              "document_id": document.id, "passage_start": excerpt["start"],
              "passage_end": excerpt["end"], "step": 0, "due_at": utcnow(),
              "content": {"excerpts": [excerpt], "questions": [question]}, **kwargs}
    item = ReviewItem(**fields)
    db.session.add(item)
    db.session.commit()
    return item
