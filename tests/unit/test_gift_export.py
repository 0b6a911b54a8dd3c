"""A lesson's frame choices as Moodle GIFT (issue 16, part 3).

Every shipped lesson with a framing or compare question is exported and parsed with
gift-pegjs, the PEG.js grammar of GIFT (https://github.com/fuhrmanator/GIFT-grammar-PEG.js;
npm package pinned in tests/gift/package-lock.json, installed by `make install-dev`). The
parsed questions must say what the app says: the right answers are the frames the key
accepts, and each answer's feedback is what the feedback page tells a student who chose it.
"""

from __future__ import annotations

import copy
import html

import pytest

from app.domain.exports import LessonExport
from app.domain.exports.gift import NoFrameChoices, escape, gift_text
from app.domain.scoring import score_question
from tests.helpers import parse_gift


def frame_lessons(shipped_library) -> dict[str, dict]:
    return {slug: content for slug, content in shipped_library.lessons.items()
            if any(q["kind"] in ("framing", "compare") for q in content["questions"])}


@pytest.fixture(scope="module")
def parsed(shipped_library) -> dict[str, tuple[dict, str, dict]]:
    """slug -> (compiled lesson, GIFT text, what gift-pegjs read) for every lesson with
    frame choices."""
    texts = {}
    for slug, content in frame_lessons(shipped_library).items():
        sources = {e["id"]: {"title": f"Title of {e['document']}", "credit": "An Author"}
                   for e in content["excerpts"]}
        texts[slug] = (content, gift_text(LessonExport(content, 2, sources)))
    read = parse_gift({slug: text for slug, (_, text) in texts.items()})
    return {slug: (content, text, read[slug]) for slug, (content, text) in texts.items()}


def test_every_shipped_lesson_with_frame_choices_parses(parsed):
    assert len(parsed) >= 10
    for slug, (_, _, read) in parsed.items():
        assert "error" not in read, (slug, read)
        assert read["questions"] and all(q["type"] == "MC" for q in read["questions"])


def expected_choices(content):
    """(question, side) for every GIFT question, in the file's order."""
    for question in content["questions"]:
        if question["kind"] == "framing":
            yield question, None
        elif question["kind"] == "compare":
            for number in range(len(question["sides"])):
                yield question, number


def test_right_answers_and_feedback_are_the_apps(parsed):
    for slug, (content, _, read) in parsed.items():
        texts = {e["id"]: e["text"] for e in content["excerpts"]}
        pairs = list(expected_choices(content))
        assert len(read["questions"]) == len(pairs), slug
        for (question, side), gift in zip(pairs, read["questions"], strict=True):
            assert question["id"] in gift["title"]
            assert [html.unescape(c["text"]["text"]) for c in gift["choices"]] == \
                [o["text"] for o in question["options"]]
            for option, choice in zip(question["options"], gift["choices"], strict=True):
                if side is None:
                    response = {"choice": option["id"]}
                else:
                    response = {"sides": [{"choice": option["id"] if n == side else None,
                                           "words": []} for n in range(len(question["sides"]))]}
                said = next(v for v in score_question(question, response, texts).verdicts
                            if v["type"] == "choice" and v.get("side", side) == side)
                assert choice["isCorrect"] is said["right"], (slug, question["id"], option)
                told = html.unescape(choice["feedback"]["text"])  # what Moodle shows
                if said["right"]:
                    why = next(f["why"] for f in said["accepted"] if f["id"] == option["id"])
                    assert told.startswith(f"Right: {option['text']}.") and why in told
                else:
                    assert said["feedback"] in told and said["correct_feedback"] in told


def test_the_question_text_holds_the_excerpt_and_its_credit(parsed):
    content, _, read = parsed["naming-the-january-events"]
    blog = next(q for q in read["questions"] if "blog-frame" in q["title"])
    assert blog["stem"]["format"] == "html"
    assert "The protesters have spoken as the nation" in blog["stem"]["text"]
    assert "Title of quo-vadis-blog — An Author" in blog["stem"]["text"]


def test_the_file_says_which_questions_it_leaves_out(parsed):
    content, text, _ = parsed["naming-the-january-events"]
    comments = [line for line in text.splitlines() if line.startswith("//")]
    assert comments == text.splitlines()[:len(comments)]
    assert any("2 question(s) (loaded terms, sourcing) that GIFT cannot express" in line
               for line in comments)


def test_a_lesson_without_frame_choices_has_no_gift(shipped_library):
    content = shipped_library.lessons["what-is-left-out"]
    with pytest.raises(NoFrameChoices):
        gift_text(LessonExport(content, 1, {}))


def test_special_characters_survive_escaping(shipped_library):
    content = copy.deepcopy(shipped_library.lessons["naming-the-january-events"])
    nasty = "a ~ b = c # d { e } f : g \\ h <i> & %5% //not a comment"
    question = next(q for q in content["questions"] if q["kind"] == "framing")
    question["options"][1]["text"] = nasty
    question["options"][1]["feedback"] = nasty
    question["prompt"] = nasty
    text = gift_text(LessonExport(content, 1, {}))
    read = parse_gift({"nasty": text})["nasty"]
    assert "error" not in read, read
    gift = next(q for q in read["questions"] if question["id"] in q["title"])
    shown = nasty.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert gift["choices"][1]["text"]["text"] == shown
    assert gift["choices"][1]["feedback"]["text"].startswith(shown)
    assert f"<p>{shown}</p>" in gift["stem"]["text"]
    assert escape("~=#{}:\\\n") == "\\~\\=\\#\\{\\}\\:\\\\\\n"
