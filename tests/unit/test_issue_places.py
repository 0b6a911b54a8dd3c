"""A draft's problems in the editor's words, each placed in the part it concerns."""

from __future__ import annotations

import pytest

from app.domain import yamllines
from app.domain.issue_places import lesson_part, locate_line, place, plain, question_part
from app.domain.lesson_files import emit_lesson
from app.domain.lessons import LessonInvalid, compile_lesson

TEXT = "Officials said the gangs attacked. Witnesses saw a crowd. The gangs fled."
SOURCE = {
    "slug": "s", "title": "T", "summary": "S", "level": "intro",
    "excerpts": [{"id": "e1", "document": "doc", "quote": TEXT}],
    "questions": [
        {"id": "q1", "kind": "loaded_terms", "excerpt": "e1",
         "phrases": [{"phrase": "gangs", "occurrence": 1, "neutral": "", "why": "Criminals."},
                     {"phrase": "gangs", "occurrence": 2, "neutral": "groups", "why": ""}]},
        {"id": "q2", "kind": "framing", "excerpt": "e1",
         "options": [{"id": "a", "text": "Order", "correct": False, "feedback": "No."}]},
    ],
}


def problems_of(source):
    text = emit_lesson(source)
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, "draft.yaml", {"doc": TEXT})
    return text, raised.value.issues


def test_each_problem_is_placed_in_its_field_and_said_in_words():
    text, issues = problems_of(SOURCE)
    placed = place(text, issues)
    by_path: dict[tuple, set[str]] = {}
    for issue in placed:
        by_path.setdefault(issue.path, set()).add(issue.message)
    assert by_path[("questions", 0, "phrases", 0, "neutral")] == {
        "“gangs”: write its neutral wording."}
    assert by_path[("questions", 0, "phrases", 1, "why")] == {"“gangs”: write why it is keyed."}
    assert by_path[("questions", 1, "options")] == {
        "Give 3 to 5 options (now 1).",
        "Mark the right answer among the options, or two when both frames are defensible "
        "(now 0)."}
    for issue in placed:
        assert "line" not in issue.message.lower() and ".yaml" not in issue.message
        assert "'" not in issue.message  # no file fields in quotes


def test_a_problem_on_a_questions_first_line_goes_to_the_list_it_names():
    source = {**SOURCE, "questions": [{"id": "q1", "kind": "loaded_terms", "excerpt": "e1"}]}
    text, issues = problems_of(source)
    (issue,) = place(text, issues)
    assert issue.path == ("questions", 0, "phrases")
    assert issue.message == "Mark at least one loaded word or phrase."
    assert question_part(issue.path[2:]) == ("phrases", None)


def test_the_same_problem_twice_at_one_place_is_given_once():
    text, issues = problems_of(SOURCE)
    assert len(place(text, issues + issues)) == len(place(text, issues))


@pytest.mark.parametrize(("path", "part"), [
    ((), ("settings", None)),
    (("prompt",), ("settings", None)),
    (("phrases", 2, "neutral"), ("phrases", 2)),
    (("controls", 0), ("controls", 0)),
    (("options", 1, "text"), ("options", None)),
    (("sides", 1, "frame"), ("sides", None)),
    (("sides", 1, "terms", 3, "why"), ("terms-1", 3)),
    (("about",), ("reading-key", None)),
])
def test_question_parts(path, part):
    assert question_part(path) == part


def test_lesson_parts():
    assert lesson_part(("title",)) == ("details", None)
    assert lesson_part(("excerpts",)) == ("excerpts", None)
    assert lesson_part(("excerpts", 2, "quote")) == ("excerpts", 2)
    assert lesson_part(("questions", 0, "phrases", 1)) == ("questions", 0)


def test_a_line_is_located_in_the_innermost_field():
    root = yamllines.load("a: 1\nb:\n  - x: 1\n    y: 2\n  - x: 3\nc: 4\n")
    assert locate_line(root, 1) == ("a",)
    assert locate_line(root, 4) == ("b", 0, "y")
    assert locate_line(root, 5) == ("b", 1, "x")
    assert locate_line(root, 6) == ("c",)


@pytest.mark.parametrize(("message", "words"), [
    ("'excerpts' in the lesson is empty", "Add at least one excerpt."),
    ("marking everything in question 'q1' would score 1.5 of 3; add neutral sentences to the "
     "excerpt (controls) or key fewer items",
     "A student who marked every word would score 1.5 of 3. Mark some neutral words as "
     "controls (marking them costs), or key fewer items."),
    ('"bandits" is ambiguous: it appears 2 times in the excerpt; add \'occurrence: N\' '
     "(1 = first) or quote more words",
     "“bandits” appears 2 times in the excerpt: mark it again so the editor knows which one "
     "you mean."),
    ("question 'q2' must have one option with 'correct: true', or two when both frames are "
     "defensible (it has 0)",
     "Mark the right answer among the options, or two when both frames are defensible "
     "(now 0)."),
    ("'id' in a question is 65 characters long; it may be at most 64",
     "The id of a question is 65 characters long; keep it to 64 or fewer."),
    ("unknown field 'colour' in a question (did you mean 'kind'?)",
     "The lesson holds a field the editor does not know (“colour”): discard the draft, or "
     "import a corrected lesson file."),
])
def test_plain_words(message, words):
    assert plain(message) == words


def test_a_message_the_table_does_not_know_loses_its_file_words():
    assert plain("the slug must stay 'x'") == "The slug must stay “x”."
    assert "YAML" not in plain("YAML read it as true — put it in quotes")
