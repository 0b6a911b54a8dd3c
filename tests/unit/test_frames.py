"""The frame vocabulary (lessons/frames.yaml): its file's problems with their lines, and
framing and compare options named from it (by id or exact name, only from it in the library).
"""

from __future__ import annotations

import pytest

from app.domain.frames import compile_frames
from app.domain.lessons import LessonInvalid, compile_lesson
from app.domain.library import check_library

FRAME = """\
  - id: {id}
    name: {name}
    problem: A problem.
    cause: A cause.
    blame: Someone.
    remedy: Something.
    examples:
      - document: astana-times-babich
        text: The article asks whether he will “stand up to the mob”.
"""
NAMES = ("Order under threat", "People against the regime", "Democratic reform",
         "Power struggle at the top", "Economic grievance", "Great-power balancing")
IDS = ("order", "people", "reform", "power-struggle", "economy", "powers")
HEAD = """\
definition: A frame is the story a piece tells about events.
questions:
  problem: What is the problem?
  cause: Who or what caused it?
  blame: Who is blamed or praised?
  remedy: What should be done?
frames:
"""
VOCABULARY = HEAD + "".join(FRAME.format(id=i, name=n) for i, n in zip(IDS, NAMES, strict=True))


def problems(text: str, documents) -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_frames(text, "lessons/frames.yaml", documents)
    return [str(issue) for issue in raised.value.issues]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


def test_the_shipped_vocabulary_defines_frame_once_with_six_to_eight_frames(vocabulary):
    assert "story a piece tells" in vocabulary["definition"]
    assert list(vocabulary["questions"]) == ["problem", "cause", "blame", "remedy"]
    assert 6 <= len(vocabulary["frames"]) <= 8
    for frame in vocabulary["frames"]:
        assert all(frame[part] for part in ("problem", "cause", "blame", "remedy")), frame["id"]
        assert 1 <= len(frame["examples"]) <= 3, frame["id"]
    struggle = next(f for f in vocabulary["frames"] if f["id"] == "power-struggle")
    assert struggle["name"] == "Power struggle at the top"


def test_a_small_valid_vocabulary_compiles(documents):
    compiled = compile_frames(VOCABULARY, "lessons/frames.yaml", documents)
    assert [frame["id"] for frame in compiled["frames"]] == list(IDS)
    assert compiled["frames"][0]["examples"] == [{
        "document": "astana-times-babich",
        "text": "The article asks whether he will “stand up to the mob”."}]


def test_a_frame_missing_a_part_is_named_with_its_line(documents):
    text = VOCABULARY.replace("    remedy: Something.\n", "", 1)
    [message] = problems(text, documents)
    assert message == f"lessons/frames.yaml:{line_of(text, '- id: order')}: frame 'order' needs " \
                      "'remedy'"


def test_a_quote_not_in_its_document_is_refused(documents):
    text = VOCABULARY.replace("“stand up to the mob”", "“stand up to the rabble”", 1)
    [message] = problems(text, documents)
    assert message.startswith(f"lessons/frames.yaml:{line_of(text, 'rabble')}: the example "
                              'quotes "stand up to the rabble", which is not in '
                              "'astana-times-babich' word for word")


def test_an_unknown_document_duplicate_ids_and_too_few_frames(documents):
    text = VOCABULARY.replace("document: astana-times-babich", "document: astana-times", 1)
    [message] = problems(text, documents)
    assert "unknown document 'astana-times' — did you mean 'astana-times-babich'?" in message
    twice = VOCABULARY.replace("id: people", "id: order")
    [message] = problems(twice, documents)
    assert f":{line_of(twice, 'id: order', 2)}: the frame id 'order' is used twice (first on " \
           f"line {line_of(twice, 'id: order')})" in message
    few = HEAD + FRAME.format(id="order", name="Order under threat")
    [message] = problems(few, documents)
    assert ":7: the vocabulary has 1 frames; keep 6 to 8" in message


def test_the_four_questions_must_all_be_there(documents):
    text = VOCABULARY.replace("  blame: Who is blamed or praised?\n", "")
    [message] = problems(text, documents)
    assert message == "lessons/frames.yaml:3: 'questions' needs 'blame'"  # its first line


# --- options named from the vocabulary -----------------------------------------------------

LESSON = """\
slug: frames-test
title: Frames
summary: Options named from the vocabulary.
level: intro
excerpts:
  - id: mob
    document: astana-times-babich
    quote: >-
      In January the question was: “Will he have the will and the firmness to stand up to
      the mob?”
  - id: nation
    document: quo-vadis-blog
    quote: The protesters have spoken as the nation
questions:
  - id: frame
    kind: framing
    excerpt: mob
    options:
      - frame: order
        correct: true
        feedback: A firm leader against the mob.
      - text: Power struggle at the top
        correct: true
        feedback: Whose firmness? The question is about who holds power.
      - text: {third}
        feedback: Nothing here about money.
  - id: both
    kind: compare
    options:
      - frame: order
        feedback: Order.
      - frame: people
        feedback: People.
      - frame: economy
        feedback: Economy.
    sides:
      - excerpt: mob
        frame: order
        frame_why: “stand up to the mob”
        terms:
          - phrase: mob
            neutral: crowd
            why: A crowd made dangerous by its name.
      - excerpt: nation
        frame: people
        frame_why: “spoken as the nation”
        also_frame: {also}
        also_why: The nation against those in power.
        terms:
          - phrase: spoken as the nation
            neutral: protested
            why: Some protesters stand for everyone.
"""


def lesson_problems(text: str, documents, vocabulary, **options) -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, "lessons/t.yaml", documents, frames=vocabulary, **options)
    return [str(issue) for issue in raised.value.issues]


def test_options_take_their_names_from_the_vocabulary(documents, vocabulary):
    text = LESSON.format(third="Economic grievance", also="order")
    framing, compare = compile_lesson(text, "t.yaml", documents, frames=vocabulary,
                                      frames_only=True)["questions"]
    assert [(o["id"], o["text"], o["frame"], o["correct"]) for o in framing["options"]] == [
        ("a", "Order under threat", "order", True),
        ("b", "Power struggle at the top", "power-struggle", True),
        ("c", "Economic grievance", "economy", False)]
    assert [o["id"] for o in compare["options"]] == ["order", "people", "economy"]
    assert compare["sides"][1]["also_frame"] == "order"


def test_the_library_offers_only_frames_of_the_vocabulary(documents, vocabulary):
    text = LESSON.format(third="Economic hardship", also="order")
    [message] = lesson_problems(text, documents, vocabulary, frames_only=True)
    assert message.startswith(f"lessons/t.yaml:{line_of(text, 'Economic hardship')}: "
                              "'Economic hardship' is not a frame of lessons/frames.yaml "
                              "(did you mean 'Economic grievance'?)")
    # A teacher's own lesson may name a frame of its own.
    own = compile_lesson(text, "t.yaml", documents, frames=vocabulary)
    assert "frame" not in own["questions"][0]["options"][2]


def test_an_unknown_frame_id_and_an_also_frame_that_is_no_option(documents, vocabulary):
    text = LESSON.format(third="Economic grievance", also="reform").replace(
        "- frame: economy", "- frame: econmy")
    found = lesson_problems(text, documents, vocabulary, frames_only=True)
    assert any(f":{line_of(text, 'frame: econmy')}: no frame 'econmy' in lessons/frames.yaml "
               "(did you mean 'economy'?)" in message for message in found)
    assert any(f":{line_of(text, 'also_frame: reform')}: frame 'reform' is not an option id"
               in message for message in found)


def test_a_frame_id_needs_the_vocabulary(documents):
    text = LESSON.format(third="Economic grievance", also="order")
    found = lesson_problems(text, documents, None)
    assert f"lessons/t.yaml:{line_of(text, '- frame: order')}: 'frame: order' needs the " \
           "library's frame vocabulary (lessons/frames.yaml)" in found[0]


def test_check_library_fails_with_path_and_line_on_a_frame_outside_the_vocabulary(
        documents, frames_file):
    text = LESSON.format(third="Chaos", also="order")
    report = check_library([("lessons/t.yaml", text)], documents, (), (), frames=frames_file)
    [issue] = report.issues
    assert (issue.path, issue.line) == ("lessons/t.yaml", line_of(text, "text: Chaos"))
    assert "is not a frame of lessons/frames.yaml" in issue.message
    broken = frames_file[1].replace("  - id: order\n", "  - id: Order\n", 1)
    report = check_library([], documents, (), (),
                           frames=("lessons/frames.yaml", broken))
    assert [str(issue) for issue in report.issues] == [
        f"lessons/frames.yaml:{line_of(broken, 'id: Order')}: frame ids use only lower-case "
        "letters, digits and single hyphens"]
