"""Whole classes at once, built on :mod:`tests.web.results_builders` (its ``gen_*``).

:func:`bulk_class` builds big classes fast with bulk inserts (for the query counts).
:func:`simulated_class` builds a class whose students mark at set hit and false-alarm
rates (for the discernment recovery test). Call them inside ``with app.app_context():``.
"""

from __future__ import annotations

import itertools
import random
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from app.domain.discernment import stored_detection
from app.domain.scoring import score_question
from app.domain.text import sentences, words
from app.extensions import db
from app.models import (
    Attempt,
    AttemptAnswer,
    Classroom,
    Enrollment,
    Lesson,
    LessonVersion,
    User,
    utcnow,
)
from app.services.attempts import excerpt_texts
from tests.helpers import DEFAULT_PASSWORD
from tests.web.results_builders import (
    class_numbers,
    current_version,
    gen_assignment,
    gen_attempt,
    gen_class,
    gen_students,
    password_hash_for,
    perfect_responses,
)

# --- big classes, fast -----------------------------------------------------------------


def _scored_answers(version: LessonVersion,
                    responses: Mapping[str, Mapping[str, Any]]) -> tuple[float, float, list]:
    content = version.content
    texts = excerpt_texts(content)
    answers, total, maximum = [], 0.0, 0.0
    for position, question in enumerate(content["questions"]):
        response = dict(responses.get(question["id"], {}))
        result = score_question(question, response, texts)
        total += result.points
        maximum += result.max_points
        answers.append({"position": position, "question_id": question["id"],
                        "kind": question["kind"], "response": response,
                        "points": result.points, "max_points": result.max_points,
                        "verdicts": result.verdicts,
                        "detection": stored_detection(question, response, texts)})
    return round(total, 2), round(maximum, 2), answers


def bulk_class(teacher: User, lessons: list[Lesson], size: int,
               attempts_each: int = 2) -> Classroom:
    """A class of ``size`` students, one assignment per lesson, ``attempts_each`` attempts
    per student per assignment, inserted in a handful of bulk statements.

    Students' answers cycle through a few patterns (perfect, half, wrong marks), scored
    once by the real scorers, so the pages have varied, realistic verdicts to analyse.
    """
    classroom = gen_class(teacher, name=f"Class of {size} ({next(class_numbers)})")
    now = utcnow()
    assignments = [gen_assignment(classroom, lesson, grading=grading,
                                  due_at=now - timedelta(days=1))
                   for lesson, grading in zip(lessons, itertools.cycle(
                       ("highest", "average", "first", "last")), strict=False)]
    tag = secrets.token_hex(3)
    user_ids = db.session.scalars(
        sa.insert(User).returning(User.id, sort_by_parameter_order=True),
        [{"username": f"s{tag}-{n:04d}", "role": "student",
          "password_hash": password_hash_for(DEFAULT_PASSWORD)} for n in range(size)]).all()
    db.session.execute(sa.insert(Enrollment), [
        {"classroom_id": classroom.id, "student_id": uid} for uid in user_ids])
    attempt_rows, answer_sets = [], []
    for assignment, lesson in zip(assignments, lessons, strict=True):
        version = current_version(lesson)
        perfect = perfect_responses(version.content)
        patterns = [_scored_answers(version, perfect),
                    _scored_answers(version, {qid: r for n, (qid, r) in
                                              enumerate(perfect.items()) if n % 2}),
                    _scored_answers(version, {qid: ({"words": list(range(6))}
                                                   if "words" in r else r)
                                              for qid, r in perfect.items()})]
        for n, uid in enumerate(user_ids):
            for k in range(attempts_each):
                score, maximum, answers = patterns[(n + k) % len(patterns)]
                attempt_rows.append({
                    "user_id": uid, "lesson_id": lesson.id, "lesson_version_id": version.id,
                    "assignment_id": assignment.id, "submission_token": secrets.token_hex(16),
                    "score": score, "max_score": maximum,
                    "submitted_at": now - timedelta(hours=2 * attempts_each - k),
                    "late": k == attempts_each - 1 and n % 5 == 0})
                answer_sets.append(answers)
    attempt_ids = db.session.scalars(
        sa.insert(Attempt).returning(Attempt.id, sort_by_parameter_order=True),
        attempt_rows).all()
    db.session.execute(sa.insert(AttemptAnswer), [
        {"attempt_id": attempt_id, **answer}
        for attempt_id, answers in zip(attempt_ids, answer_sets, strict=True)
        for answer in answers])
    db.session.commit()
    return classroom


# --- a class that marks at set rates ----------------------------------------------------


def _word_items(text: str, phrases: Iterable[Mapping[str, Any]],
                controls: Iterable[Mapping[str, Any]] = (),
                free: Iterable[Mapping[str, Any]] = ()) -> tuple[list[list[int]],
                                                                 list[list[int]]]:
    """(signal items, noise items) of a marked excerpt, each item its word indices, by the
    rules of app.domain.discernment: every key phrase; every control's own words, then
    every other word the key does not judge (debatable words and asides are neither)."""
    signal = [list(phrase["words"]) for phrase in phrases]
    judged = {index for item in signal for index in item}
    loose = {index for item in free for index in item["words"]}
    noise, taken = [], set()
    for control in controls:
        own = set(control["words"]) - judged - loose - taken
        if own:
            taken |= own
            noise.append(sorted(own))
    covered = judged | loose | taken
    noise += [[index] for index in range(len(words(text))) if index not in covered]
    return signal, noise


def _marked(signal: list[list[int]], noise: list[list[int]], hit_rate: float,
            false_alarm_rate: float, rng: random.Random) -> list[int]:
    chosen: set[int] = set()
    for item in signal:
        if rng.random() < hit_rate:
            chosen.update(item)
    for item in noise:
        if rng.random() < false_alarm_rate:
            chosen.update(item)
    return sorted(chosen)


def simulated_responses(content: Mapping[str, Any], hit_rate: float,
                        false_alarm_rate: float, rng: random.Random) -> dict[str, Any]:
    """A student's answers to ``content`` marking each signal item (all its words, or its
    sentence) with probability ``hit_rate`` and each noise item (a control, another word or
    sentence) with ``false_alarm_rate``; frames chosen right, checks answered perfectly."""
    texts = excerpt_texts(content)
    responses = perfect_responses(content)
    for q in content["questions"]:
        kind = q["kind"]
        if kind == "loaded_terms":
            items = _word_items(texts[q["excerpt"]], q["phrases"], q.get("controls") or [],
                                [*(q.get("debatable") or []), *(q.get("asides") or [])])
            responses[q["id"]] = {"words": _marked(*items, hit_rate, false_alarm_rate, rng)}
        elif kind == "framing" and q.get("signals"):
            items = _word_items(texts[q["excerpt"]], q["signals"])
            responses[q["id"]]["words"] = _marked(*items, hit_rate, false_alarm_rate, rng)
        elif kind == "sourcing":
            gaps = {gap["sentence"] for gap in q["gaps"]}
            loose = {item["sentence"] for item in q.get("debatable") or []}
            others = [[n] for n in range(len(sentences(texts[q["excerpt"]])))
                      if n not in gaps and n not in loose]
            marks = _marked([[n] for n in sorted(gaps)], others, hit_rate, false_alarm_rate,
                            rng)
            responses[q["id"]] = {"sentences": marks}
        elif kind == "compare":
            for side, answer in zip(q["sides"], responses[q["id"]]["sides"], strict=True):
                items = _word_items(texts[side["excerpt"]], side["terms"],
                                    side.get("controls") or [],
                                    [*(side.get("debatable") or []),
                                     *(side.get("asides") or [])])
                answer["words"] = _marked(*items, hit_rate, false_alarm_rate, rng)
    return responses


def simulated_class(teacher: User, lessons: Iterable[Lesson], size: int, hit_rate: float,
                    false_alarm_rate: float, seed: int) -> Classroom:
    """A class of ``size`` students, one assignment per lesson, each student submitting
    once through the real scoring (:func:`gen_attempt`), marking every signal item with
    probability ``hit_rate`` and every noise item with ``false_alarm_rate``, drawn from
    ``random.Random(seed)`` (the same class on every run)."""
    rng = random.Random(seed)
    classroom = gen_class(teacher, name=f"Simulated h={hit_rate} f={false_alarm_rate}")
    assignments = [(gen_assignment(classroom, lesson), current_version(lesson).content)
                   for lesson in lessons]
    tag = secrets.token_hex(3)
    for student in gen_students(classroom, *(f"sim{tag}-{n:02d}" for n in range(size))):
        for assignment, content in assignments:
            gen_attempt(student, assignment,
                        simulated_responses(content, hit_rate, false_alarm_rate, rng))
    return classroom
