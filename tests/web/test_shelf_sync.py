"""The shelf's cards through `flask lessons check` and `flask lessons sync`, and the shelf a
teacher's lessons are compiled against (the library's cards plus their own)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.shelf import compile_card
from app.extensions import db
from app.models import Lesson, LessonVersion, ShelfCard
from app.services import authoring
from app.services.shelf import shelf_for
from tests.helpers import EXAMPLE_CHECKING as EXAMPLE_LESSON
from tests.helpers import checking_folder


@pytest.fixture
def folder(app, runner, tmp_path) -> Path:
    """The seeds loaded; a lessons folder with the library's readings and cards, the
    example cards and the example lesson citing them."""
    runner.invoke(args=["seeds", "load"])
    return checking_folder(tmp_path / "lessons")


def card_kinds(folder: Path) -> dict[str, int]:
    kinds = [compile_card(path.read_text(encoding="utf-8"), path.name)["kind"]
             for path in (folder / "shelf").glob("*.yaml")]
    return {"fact": kinds.count("fact"), "source": kinds.count("source")}


def test_check_counts_the_cards_and_the_new_kinds(runner, folder):
    kinds = card_kinds(folder)
    assert kinds["fact"] >= 2 and kinds["source"] >= 1
    text = runner.invoke(args=["lessons", "check", "--dir", str(folder)])
    assert text.exit_code == 0, text.output
    assert f"Shelf: {kinds['fact']} fact cards, {kinds['source']} source cards." in text.output
    assert "1 verify, 1 omission" in text.output
    summary = json.loads(runner.invoke(args=["lessons", "check", "--dir", str(folder),
                                             "--json"]).output)
    assert summary["cards_per_kind"] == kinds
    assert summary["questions_per_kind"]["verify"] == 1
    assert summary["questions_per_kind"]["omission"] == 1


def test_a_lesson_citing_a_missing_card_fails_the_check_with_its_line(runner, folder):
    (folder / "shelf" / "example-hrw.yaml").unlink()
    result = runner.invoke(args=["lessons", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    line = next(number for number, text in enumerate(
        EXAMPLE_LESSON.read_text(encoding="utf-8").splitlines(), start=1)
        if "card: example-hrw" in text)
    assert (f"lessons/checking-example.yaml:{line}: no card 'example-hrw' on the shelf"
            in result.output)


def test_a_broken_card_is_reported_and_the_lessons_citing_it_fail_too(runner, folder):
    card = folder / "shelf" / "example-csto-treaty.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("kind: fact", "kind: fakt"),
                    encoding="utf-8")
    result = runner.invoke(args=["lessons", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    assert "lessons/shelf/example-csto-treaty.yaml:3: unknown kind 'fakt'" in result.output
    assert "no card 'example-csto-treaty' on the shelf" in result.output


def stored_cards(app) -> dict[str, ShelfCard]:
    with app.app_context():
        return {card.slug: card for card in db.session.scalars(sa.select(ShelfCard))}


def example_version(app) -> LessonVersion:
    with app.app_context():
        return db.session.scalar(
            sa.select(LessonVersion).join(Lesson).where(Lesson.slug == "checking-example")
            .order_by(LessonVersion.number.desc()).limit(1))


def test_sync_stores_the_library_cards_and_the_lessons_embed_them(app, runner, folder):
    total = sum(card_kinds(folder).values())
    first = runner.invoke(args=["lessons", "sync", "--dir", str(folder)])
    assert first.exit_code == 0, first.output
    assert f"Cards: {total} valid, {total} added, 0 updated, 0 unchanged." in first.output
    cards = stored_cards(app)
    assert len(cards) == total
    hrw = cards["example-hrw"]
    assert hrw.owner_id is None and hrw.kind == "source" and hrw.title == "Human Rights Watch"
    path = folder / "shelf" / "example-hrw.yaml"
    assert hrw.content == compile_card(path.read_text(encoding="utf-8"), path.name)
    assert hrw.source_text == path.read_text(encoding="utf-8")
    version = example_version(app)
    assert version.content["cards"]["example-hrw"] == hrw.content

    again = runner.invoke(args=["lessons", "sync", "--dir", str(folder)])
    assert f"0 added, 0 updated, {total} unchanged." in again.output
    assert example_version(app).number == 1


def test_a_changed_card_is_updated_and_makes_a_new_version_of_the_lessons_using_it(
        app, runner, folder):
    runner.invoke(args=["lessons", "sync", "--dir", str(folder)])
    before = stored_cards(app)["example-csto-treaty"].content_hash
    card = folder / "shelf" / "example-csto-treaty.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace(
        "title: How the CSTO began", "title: How the CSTO alliance began"), encoding="utf-8")
    result = runner.invoke(args=["lessons", "sync", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output and "1 new versions" in result.output
    stored = stored_cards(app)["example-csto-treaty"]
    assert stored.title == "How the CSTO alliance began" and stored.content_hash != before
    version = example_version(app)
    assert version.number == 2
    assert version.content["cards"]["example-csto-treaty"]["title"] == stored.title


def test_a_teacher_sees_the_library_cards_and_their_own_which_win(app, runner, folder,
                                                                  make_user):
    runner.invoke(args=["lessons", "sync", "--dir", str(folder)])
    teacher = make_user("teacher-a", role="teacher")
    other = make_user("teacher-b", role="teacher")
    with app.app_context():
        library = shelf_for(None)["example-hrw"]
        own = {**library, "summary": "My own summary."}
        db.session.add(ShelfCard(slug="example-hrw", kind="source", title=own["title"],
                                 owner_id=teacher.id, source_text="", content=own,
                                 content_hash="x"))
        mine = {**library, "id": "my-card", "title": "My card"}
        db.session.add(ShelfCard(slug="my-card", kind="source", title="My card",
                                 owner_id=teacher.id, source_text="", content=mine,
                                 content_hash="y"))
        db.session.commit()
        assert shelf_for(teacher.id)["example-hrw"]["summary"] == "My own summary."
        assert shelf_for(other.id)["example-hrw"] == library
        assert "my-card" in shelf_for(teacher.id) and "my-card" not in shelf_for(other.id)

        # A lesson written in the browser is compiled against its owner's shelf.
        text = EXAMPLE_LESSON.read_text(encoding="utf-8").replace("card: example-hrw",
                                                                 "card: my-card")
        compiled, issues = authoring.check(text, "mine.yaml", teacher.id)
        assert issues == [] and compiled is not None
        assert compiled["cards"]["my-card"]["title"] == "My card"
        compiled, issues = authoring.check(text, "mine.yaml", other.id)
        assert compiled is None
        assert [issue.message for issue in issues] == ["no card 'my-card' on the shelf"]
