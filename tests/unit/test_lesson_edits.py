"""The lesson editor's question changes (app/domain/lesson_edits.py): no app, no database."""

from __future__ import annotations

import pytest

from app.domain.lesson_edits import (
    EditRefused,
    QuestionMissing,
    add_question,
    move_question,
    remove_question,
    set_about,
    set_mark,
)
from app.domain.lesson_files import emit_lesson, parse_source

SOURCE = {"slug": "l", "title": "T", "summary": "S", "level": "intro",
          "excerpts": [{"id": "e1", "document": "d", "quote": "q"},
                       {"id": "e2", "document": "d", "quote": "r"},
                       {"id": "e3", "document": "pasted", "quote": "s"}],
          "questions": []}
READ = {"e1", "e2"}  # excerpts whose document has a reading


def test_a_question_on_a_read_document_has_no_key_of_its_own():
    changed, question_id = add_question(SOURCE, "loaded_terms", ["e1"], READ)
    assert question_id == "q1"
    assert changed["questions"] == [{"id": "q1", "kind": "loaded_terms", "excerpt": "e1"}]
    assert SOURCE["questions"] == []  # the input is left as it was
    changed, _ = add_question(changed, "sourcing", ["e2"], READ)
    assert changed["questions"][1] == {"id": "q2", "kind": "sourcing", "excerpt": "e2"}
    changed, _ = add_question(changed, "compare", ["e1", "e2"], READ)
    assert changed["questions"][2]["sides"] == [
        {"excerpt": "e1", "frame": "", "frame_why": ""},
        {"excerpt": "e2", "frame": "", "frame_why": ""}]
    assert parse_source(emit_lesson(changed)) == changed


def test_elsewhere_a_new_question_gets_empty_key_lists_to_mark():
    changed, _ = add_question(SOURCE, "loaded_terms", ["e3"], READ)
    assert changed["questions"][0]["phrases"] == []
    changed, _ = add_question(changed, "compare", ["e1", "e3"], READ)
    assert all(side["terms"] == [] for side in changed["questions"][1]["sides"])
    changed, _ = add_question(changed, "framing", ["e1"], READ)
    assert changed["questions"][2]["options"] == []


@pytest.mark.parametrize(("kind", "refs", "message"), [
    ("loaded_terms", [""], "Choose the excerpt"),
    ("compare", ["e1"], "two excerpts"),
    ("compare", ["e1", "e1"], "two different"),
    ("sourcing", ["e9"], "no excerpt 'e9'"),
    ("essay", ["e1"], "Unknown question kind"),
])
def test_a_question_needs_the_right_excerpts(kind, refs, message):
    with pytest.raises(EditRefused, match=message):
        add_question(SOURCE, kind, refs, READ)


def test_removing_and_moving_questions():
    changed, _ = add_question(SOURCE, "loaded_terms", ["e1"], READ)
    changed, _ = add_question(changed, "sourcing", ["e2"], READ)
    assert [q["id"] for q in move_question(changed, "q2", -1)["questions"]] == ["q2", "q1"]
    assert [q["id"] for q in remove_question(changed, "q1")["questions"]] == ["q2"]
    assert len(changed["questions"]) == 2
    with pytest.raises(QuestionMissing):
        remove_question(changed, "q7")


def test_about_narrows_by_category_in_the_reading_order():
    changed, _ = add_question(SOURCE, "loaded_terms", ["e1"], READ)
    narrowed = set_about(changed, "q1", ["events", "people", "events"])
    assert narrowed["questions"][0]["about"] == ["people", "events"]
    assert "about" not in set_about(narrowed, "q1", [])["questions"][0]
    with pytest.raises(EditRefused, match="Unknown category 'crowds'"):
        set_about(changed, "q1", ["crowds"])
    sourcing, _ = add_question(SOURCE, "sourcing", ["e1"], READ)
    with pytest.raises(EditRefused, match="Only loaded-terms and compare"):
        set_about(sourcing, "q1", ["people"])


def test_a_compare_question_marks_loaded_words_or_stand_ins():
    changed, _ = add_question(SOURCE, "compare", ["e1", "e2"], READ)
    changed = set_about(changed, "q1", ["people"])
    stand_ins = set_mark(changed, "q1", "stand_ins")
    assert stand_ins["questions"][0]["mark"] == "stand_ins"
    assert "about" not in stand_ins["questions"][0]
    assert "mark" not in set_mark(stand_ins, "q1", "loaded")["questions"][0]
    with pytest.raises(EditRefused, match="'mark' is one of"):
        set_mark(changed, "q1", "everything")
    loaded, _ = add_question(SOURCE, "loaded_terms", ["e1"], READ)
    with pytest.raises(EditRefused, match="Only compare"):
        set_mark(loaded, "q1", "stand_ins")
