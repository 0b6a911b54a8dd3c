"""One judgement per passage: the review's passages get the same verdict in every lesson.

The library review (issue 12) found passages keyed loaded in one lesson and neutral in
another. Here each of those passages is marked, through the real quiz page, in every
shipped question whose excerpt holds it, and the verdict the student gets back must be the
same everywhere, and the one the document's reading gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.domain.scoring import NOT_A_GAP, NOT_A_TERM, NOT_IN_KEY
from app.domain.text import sentences, words, words_in
from app.extensions import db
from app.models import Attempt, AttemptAnswer, Lesson, LessonVersion
from app.services.lessons import sync_lessons
from app.services.seeds import document_texts, load_seeds
from tests.web.test_student import quiz_fields

ROOT = Path(__file__).resolve().parents[2]

# (review row, document, passage, unit): a word passage is marked word by word, a
# sentence passage selects the sentence it is in.
PASSAGES = [
    ("H1", "neighborhood-trouble", "Russian troops", "word"),
    ("H2", "headwinds-rodehefer", "is now facing a backlash in Kazakhstan", "sentence"),
    ("H3", "headwinds-rodehefer", "A former banker, he is currently based in France", "sentence"),
    ("H4", "quo-vadis-blog", "crimes against humanity", "sentence"),
    ("H5", "astana-times-babich", "presumably foreign-trained", "word"),
    ("H5", "astana-times-babich", "civilized", "word"),
    ("H5", "astana-times-babich", "firmness", "word"),
    ("H6", "astana-times-babich", "both local and foreign ones", "word"),
    ("H7", "quo-vadis-blog", "its weaknesses have been revealed", "word"),
    ("H7", "quo-vadis-blog", "quickly coordinated with Russia and China", "word"),
    ("H7", "headwinds-rodehefer", "into believing", "word"),
    ("H8", "quo-vadis-blog", "sightlessly", "word"),
    ("H8", "astana-times-babich", "killed dozens of people there", "sentence"),
    ("H9", "headwinds-rodehefer", "embroiling", "word"),
]


def _verdict_class(verdicts: list[dict[str, Any]], units: set[int], key: str,
                   side: int | None) -> str:
    """What the student was told about ``units``: loaded, debatable, neutral, ..."""
    told = set()
    for verdict in verdicts:
        if side is not None and verdict.get("side") != side:
            continue
        covered = set(verdict.get(key) or ([verdict["sentence"]] if "sentence" in verdict
                                           and key == "sentences" else []))
        if not covered & units:
            continue
        kind = verdict["type"]
        if kind in ("found", "partial"):
            told.add("keyed")
        elif kind == "aside":
            told.add("keyed" if verdict["why"].startswith("Loaded") else "signal")
        elif kind == "debatable":
            told.add("debatable")
        elif kind == "wrong":
            told.add("unexplained" if verdict["why"] in (NOT_IN_KEY, NOT_A_TERM, NOT_A_GAP)
                     else "explained as neutral")
    return "/".join(sorted(told)) or "nothing"


def _appearances(content: dict[str, Any], document: str, passage: str, unit: str,
                 ) -> Iterator[tuple[dict[str, Any], int | None, set[int]]]:
    """Every marking question of a lesson whose excerpt holds the passage."""
    excerpts = {excerpt["id"]: excerpt for excerpt in content["excerpts"]}
    for question in content["questions"]:
        if unit == "sentence" and question["kind"] != "sourcing":
            continue
        if unit == "word" and (question["kind"] not in ("loaded_terms", "compare")
                               or question.get("mark") == "stand_ins"):
            continue  # a question asking for stand-ins for a source judges sourcing
        parts = ([(n, side["excerpt"]) for n, side in enumerate(question["sides"])]
                 if question["kind"] == "compare" else [(None, question["excerpt"])])
        for side, excerpt_id in parts:
            excerpt = excerpts[excerpt_id]
            at = excerpt["text"].find(passage)
            if excerpt["document"] != document or at < 0:
                continue
            spans = sentences(excerpt["text"]) if unit == "sentence" else words(excerpt["text"])
            yield question, side, set(words_in(spans, at, at + len(passage)))


@pytest.fixture
def shipped(app):
    with app.app_context():
        load_seeds(ROOT / "seeds")
        report = sync_lessons(ROOT / "lessons")
        assert report.check.ok, report.check.issues
        rows = db.session.execute(
            sa.select(Lesson.slug, LessonVersion.content)
            .join(LessonVersion, sa.and_(LessonVersion.lesson_id == Lesson.id,
                                         LessonVersion.number == Lesson.version))).all()
        return {slug: content for slug, content in rows}, report.check.readings


def _reading_says(reading: dict[str, Any], document_text: str, passage: str, unit: str) -> str:
    start = document_text.find(passage)
    end = start + len(passage)
    tiers = {entry["tier"] for entry in reading["entries"]
             if entry["start"] < end and entry["end"] > start
             and (entry["tier"] in ("gaps", "debatable_gaps", "sourced")) == (unit == "sentence")}
    if unit == "sentence":
        tiers = {entry["tier"] for entry in reading["entries"]
                 if entry.get("sentence_start", -1) <= start < entry.get("sentence_end", -1)}
    mapping = {"loaded": "keyed", "gaps": "keyed", "debatable": "debatable",
               "debatable_gaps": "debatable", "neutral": "explained as neutral",
               "sourced": "explained as neutral", "signals": "signal"}
    return "/".join(sorted({mapping[tier] for tier in tiers})) or "unexplained"


@pytest.mark.parametrize(("row", "document", "passage", "unit"), PASSAGES,
                         ids=[f"{row}-{passage[:24]}" for row, _, passage, _ in PASSAGES])
def test_a_reviewed_passage_gets_one_verdict_in_every_lesson(app, client, auth, make_user,
                                                             shipped, row, document, passage,
                                                             unit):
    lessons, readings = shipped
    with app.app_context():
        text = document_texts()[document]
    assert passage in text, (row, passage)
    expected = _reading_says(readings[document], text, passage, unit)
    if row == "H5":  # a careful student who marks an insinuation is never told it is neutral
        assert expected in ("keyed", "debatable"), (passage, expected)
    auth.login(make_user().username)
    told: dict[str, str] = {}
    for slug, content in sorted(lessons.items()):
        for question, side, units in _appearances(content, document, passage, unit):
            url = f"/lessons/{slug}"
            form = quiz_fields(client, url)
            field = (f"{question['id']}.{side}.w" if side is not None
                     else f"{question['id']}.{'s' if unit == 'sentence' else 'w'}")
            form[field] = [str(index) for index in sorted(units)]
            response = client.post(url, data=form)
            assert response.status_code == 303, (slug, response.status_code)
            assert client.get(response.headers["Location"]).status_code == 200
            with app.app_context():
                attempt = db.session.scalar(sa.select(Attempt).order_by(Attempt.id.desc()))
                answer = db.session.scalar(sa.select(AttemptAnswer).where(
                    AttemptAnswer.attempt_id == attempt.id,
                    AttemptAnswer.question_id == question["id"]))
                told[f"{slug}:{question['id']}"] = _verdict_class(
                    answer.verdicts, units, "sentences" if unit == "sentence" else "words",
                    side)
    assert told, f"{row}: no shipped question shows \"{passage}\""
    assert set(told.values()) == {expected}, (row, passage, expected, told)
