"""`flask seeds load`, `flask lessons check` and `flask lessons sync`, run as an operator would."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Document, Lesson, LessonVersion

ROOT = Path(__file__).resolve().parents[2]
BROKEN = """\
slug: broken-lesson
title: Broken
summary: A quote that is not in the document.
level: intro
excerpts:
  - id: e
    document: astana-times-babich
    quote: The riots never happened at all.
questions:
  - id: q
    kind: loaded_terms
    excerpt: e
    phrases:
      - phrase: riots
        neutral: unrest
        why: x
"""


@pytest.fixture
def lessons_dir(tmp_path):
    folder = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", folder)
    return folder


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seeds_load_stores_every_document_byte_for_byte_and_is_idempotent(app, runner):
    first = runner.invoke(args=["seeds", "load"])
    assert first.exit_code == 0, first.output
    assert "5 added" in first.output
    second = runner.invoke(args=["seeds", "load"])
    assert "0 added, 0 metadata updated, 5 unchanged" in second.output
    with app.app_context():
        documents = db.session.scalars(sa.select(Document)).all()
        assert len(documents) == 5
        by_file = {path.name: path for path in (ROOT / "seeds").glob("*.txt")}
        for document in documents:
            stored = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
            assert stored == document.sha256
            assert stored in {hashlib.sha256(p.read_bytes()).hexdigest() for p in by_file.values()}
        babich = db.session.scalar(sa.select(Document).where(
            Document.slug == "astana-times-babich"))
        assert (babich.author, babich.outlet) == ("Dmitry Babich", "The Astana Times")
        blog = db.session.scalar(sa.select(Document).where(Document.slug == "quo-vadis-blog"))
        assert (blog.author, blog.outlet) == ("unknown", "unknown")
        assert (babich.genre, blog.genre) == ("opinion", "opinion")
        panel = db.session.scalar(sa.select(Document).where(
            Document.slug == "liberal-international-panel"))
        assert panel.genre == "event_writeup"


def test_seeds_load_corrects_a_documents_genre_without_touching_its_text(app, runner,
                                                                        tmp_path):
    runner.invoke(args=["seeds", "load"])
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    catalogue = seeds / "documents.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "genre: advocacy", "genre: opinion"), encoding="utf-8")
    result = runner.invoke(args=["seeds", "load", "--dir", str(seeds)])
    assert result.exit_code == 0, result.output
    assert "0 added, 1 metadata updated, 4 unchanged" in result.output
    with app.app_context():
        piece = db.session.scalar(sa.select(Document).where(
            Document.slug == "headwinds-rodehefer"))
        assert piece.genre == "opinion"
        assert hashlib.sha256(piece.text.encode("utf-8")).hexdigest() == piece.sha256


def test_seeds_load_refuses_a_genre_the_app_does_not_know(app, runner, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    catalogue = seeds / "documents.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "genre: advocacy", "genre: propaganda"), encoding="utf-8")
    result = runner.invoke(args=["seeds", "load", "--dir", str(seeds)])
    assert result.exit_code != 0
    assert "unknown genre 'propaganda'" in result.output
    assert count(app, Document) == 0


def test_a_seed_file_that_differs_from_its_hash_is_refused_and_nothing_is_stored(app, runner,
                                                                                 tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    path = next(seeds.glob("004_*.txt"))
    path.write_bytes(path.read_bytes().replace(b"bandits", b"protesters"))
    result = runner.invoke(args=["seeds", "load", "--dir", str(seeds)])
    assert result.exit_code != 0
    assert "does not match documents.yaml" in result.output
    assert count(app, Document) == 0


def test_lessons_check_prints_a_summary_and_json(app, runner):
    runner.invoke(args=["seeds", "load"])
    text = runner.invoke(args=["lessons", "check"])
    assert text.exit_code == 0, text.output
    assert "valid lessons" in text.output and "Documents cited:" in text.output
    result = runner.invoke(args=["lessons", "check", "--json"])
    summary = json.loads(result.output)
    assert summary["lessons"] == summary["files"] >= 1
    assert summary["issues"] == []
    assert set(summary["questions_per_kind"]) == {"loaded_terms", "framing", "sourcing",
                                                  "compare", "verify", "omission"}
    assert set(summary["cards_per_kind"]) == {"fact", "source"}
    assert "astana-times-babich" in summary["questions_per_document"]


def test_lessons_check_names_file_line_and_problem(app, runner, lessons_dir):
    runner.invoke(args=["seeds", "load"])
    (lessons_dir / "broken-lesson.yaml").write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(args=["lessons", "check", "--dir", str(lessons_dir)])
    assert result.exit_code == 1
    assert "lessons/broken-lesson.yaml:8:" in result.output
    assert "is not in document 'astana-times-babich'" in result.output


def test_lessons_sync_loads_valid_files_skips_broken_ones_and_is_idempotent(app, runner,
                                                                            lessons_dir):
    runner.invoke(args=["seeds", "load"])
    (lessons_dir / "broken-lesson.yaml").write_text(BROKEN, encoding="utf-8")
    shipped = len([path for path in (ROOT / "lessons").glob("*.yaml")
                   if path.name != "frames.yaml"])  # the frame vocabulary is not a lesson
    first = runner.invoke(args=["lessons", "sync", "--dir", str(lessons_dir)])
    assert first.exit_code == 1
    assert f"Lessons: {shipped} added" in first.output
    assert "Not loaded (fix and sync again): lessons/broken-lesson.yaml" in first.output
    with app.app_context():
        assert db.session.scalar(sa.select(Lesson).where(Lesson.slug == "broken-lesson")) is None
    (lessons_dir / "broken-lesson.yaml").unlink()
    second = runner.invoke(args=["lessons", "sync", "--dir", str(lessons_dir)])
    assert second.exit_code == 0
    assert f"0 added, 0 new versions, {shipped} unchanged" in second.output
    assert count(app, LessonVersion) == shipped


def test_a_lesson_whose_file_is_removed_is_archived_not_deleted(app, runner, lessons_dir):
    runner.invoke(args=["seeds", "load"])
    runner.invoke(args=["lessons", "sync", "--dir", str(lessons_dir)])
    (lessons_dir / "naming-the-january-events.yaml").unlink()
    result = runner.invoke(args=["lessons", "sync", "--dir", str(lessons_dir)])
    assert "1 archived" in result.output
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(
            Lesson.slug == "naming-the-january-events"))
        assert lesson.status == "archived"


def test_lessons_check_without_documents_says_to_load_them(app, runner):
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 1
    assert "run `flask seeds load` first" in result.output


def test_a_library_file_never_adds_versions_to_a_teachers_lesson_with_its_slug(
        app, runner, lessons_dir, make_user):
    runner.invoke(args=["seeds", "load"])
    teacher = make_user(role="teacher")
    runner.invoke(args=["lessons", "sync", "--dir", str(lessons_dir)])
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(
            Lesson.slug == "naming-the-january-events"))
        lesson.owner_id = teacher.id  # as if a teacher had imported it under this slug
        db.session.commit()
    path = lessons_dir / "naming-the-january-events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: intro", "level: core"),
                    encoding="utf-8")
    result = runner.invoke(args=["lessons", "sync", "--dir", str(lessons_dir)])
    assert result.exit_code == 1
    assert "belongs to a lesson a teacher wrote in the browser" in result.output
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(
            Lesson.slug == "naming-the-january-events"))
        assert (lesson.version, lesson.level) == (1, "intro")


CONTRADICTING = """\
slug: contradicting-lesson
title: Contradicting
summary: A question that calls a loaded word neutral.
level: intro
excerpts:
  - id: e
    document: astana-times-babich
    quote: There were institutions in the world at the time who had been calling for
      “concessions” and “understanding” with the mutineers
questions:
  - id: q
    kind: loaded_terms
    excerpt: e
    controls:
      - phrase: mutineers
        why: Just a name for the people involved.
"""


def test_lessons_check_prints_the_balance_of_every_reading(app, runner):
    runner.invoke(args=["seeds", "load"])
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 0, result.output
    assert "Balance (per 1,000 words of each document's reading):" in result.output
    for slug in ("astana-times-babich", "headwinds-rodehefer", "liberal-international-panel",
                 "neighborhood-trouble", "quo-vadis-blog"):
        assert f"  {slug}: " in result.output and "loaded phrases" in result.output


def test_a_question_contradicting_its_reading_fails_the_check_naming_both_places(
        app, runner, lessons_dir):
    runner.invoke(args=["seeds", "load"])
    (lessons_dir / "contradicting-lesson.yaml").write_text(CONTRADICTING, encoding="utf-8")
    result = runner.invoke(args=["lessons", "check", "--dir", str(lessons_dir)])
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if "contradicting-lesson" in line]
    assert "lessons/contradicting-lesson.yaml:13:" in line  # the question's excerpt line
    assert '"mutineers" is keyed neutral (not loaded) here' in line
    assert "lessons/readings/astana-times-babich.yaml:" in line  # the reading's line too


def test_two_lessons_keying_one_passage_two_ways_fail_the_check_naming_both(
        app, runner, tmp_path):
    """Documents without a reading are keyed by their questions: the check still finds a
    passage two questions judge differently, and names both files."""
    runner.invoke(args=["seeds", "load"])
    folder = tmp_path / "lessons"
    folder.mkdir()
    loaded = CONTRADICTING.replace("controls:", "phrases:").replace(
        "        why: Just a name for the people involved.",
        "        neutral: people involved\n        why: Soldiers who revolt.")
    (folder / "one.yaml").write_text(loaded.replace("contradicting-lesson", "one"), "utf-8")
    (folder / "two.yaml").write_text(CONTRADICTING.replace("contradicting-lesson", "two")
                                     .replace("    controls:", "    phrases:\n"
                                              "      - phrase: institutions\n"
                                              "        neutral: organisations\n"
                                              "        why: Unnamed.\n    controls:"),
                                     "utf-8")
    result = runner.invoke(args=["lessons", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    conflict = [line for line in result.output.splitlines() if "keys the word" in line]
    assert len(conflict) == 1, result.output
    assert "lessons/two.yaml" in conflict[0] and "lessons/one.yaml" in conflict[0]
    assert '"mutineers"' in conflict[0]
