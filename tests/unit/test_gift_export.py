"""A lesson as Moodle GIFT (issue 16, part 3): every shipped lesson, the frame choices, the
header, the weights Moodle accepts and text that needs escaping.

Every GIFT file is parsed with gift-pegjs, the PEG.js grammar of GIFT
(https://github.com/fuhrmanator/GIFT-grammar-PEG.js; npm package pinned in
tests/gift/package-lock.json, installed by `make install-dev`), and what it reads must
say what the app says. The other kinds are tested in test_gift_checking.py (verify,
omission) and test_gift_marking.py (loaded terms, sourcing, compare words).
"""

from __future__ import annotations

import copy
import html
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.exports import LessonExport
from app.domain.exports.gift import NothingForGift, gift_questions, gift_text
from app.domain.exports.gift_text import MOODLE_GRADES, escape, percent
from app.domain.scoring import score_question
from app.services.lesson_exports import formats_for
from tests.helpers import gift_titled, parse_gift


def test_every_shipped_lesson_has_a_gift_file_that_parses(shipped_gift, lesson_files):
    assert len(shipped_gift) == len(lesson_files) == 15
    for slug, (content, text, read) in shipped_gift.items():
        assert "error" not in read, (slug, read)
        questions = read["questions"]
        assert questions, slug
        assert all(question["type"] == "MC" for question in questions)
        titles = [question["title"] for question in questions]
        assert len(set(titles)) == len(titles), slug
        assert all(title.startswith(f"{slug} ") for title in titles)
        # one GIFT question or more for every question of the lesson, in its order
        numbers = [int(title.split(" ", 1)[1].split(".")[0]) for title in titles]
        assert numbers == sorted(numbers)
        assert f"{len(questions)} question(s) from the lesson's {len(content['questions'])}" \
            in text


def test_check_and_left_out_lessons_now_have_gift(shipped_gift):
    for slug in ("check-the-numbers", "check-the-record", "six-moves", "what-is-left-out",
                 "who-is-behind-it"):
        content, _, read = shipped_gift[slug]
        kinds = {question["kind"] for question in content["questions"]}
        assert kinds & {"verify", "omission"}
        assert len(read["questions"]) >= len(content["questions"]), slug


def expected_choices(content):
    """(number, question, side) for every frame choice, in the lesson's order."""
    for number, question in enumerate(content["questions"], start=1):
        if question["kind"] == "framing":
            yield number, question, None
        elif question["kind"] == "compare":
            for side in range(len(question["sides"])):
                yield number, question, side


def test_frame_choices_keep_the_apps_right_answers_and_feedback(shipped_gift):
    checked = 0
    for slug, (content, _, read) in shipped_gift.items():
        texts = {e["id"]: e["text"] for e in content["excerpts"]}
        for number, question, side in expected_choices(content):
            letter = "" if side is None else f" (excerpt {chr(ord('A') + side)})"
            gift = gift_titled(read, f"{slug} {number}. {question['id']}{letter}")
            assert [html.unescape(c["text"]["text"]) for c in gift["choices"]] == \
                [o["text"] for o in question["options"]]
            assert all(choice["weight"] is None for choice in gift["choices"])
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
                checked += 1
    assert checked > 100


def test_the_question_text_holds_the_excerpt_and_its_credit(shipped_gift):
    _, _, read = shipped_gift["naming-the-january-events"]
    blog = gift_titled(read, "naming-the-january-events 2. blog-frame")
    assert blog["stem"]["format"] == "html"
    assert "The protesters have spoken as the nation" in blog["stem"]["text"]
    assert "Title of quo-vadis-blog — An Author" in blog["stem"]["text"]


def test_the_header_says_what_each_kind_becomes_and_what_is_left_out(shipped_gift):
    for slug, (_, text, _) in shipped_gift.items():
        lines = text.splitlines()
        comments = [line for line in lines if line.startswith("//")]
        assert comments == lines[:len(comments)], slug  # the header, then the questions
    _, text, _ = shipped_gift["naming-the-january-events"]
    header = " ".join(line for line in text.splitlines() if line.startswith("//"))
    assert "AN ADAPTATION" in header
    assert "Moodle scores are not comparable with Framing Lab's" in header
    assert "Not in this file (1):" in header
    assert ("naming-the-january-events 2. blog-frame: marking the phrases that signal the "
            "frame (the key names no controls for them") in header
    _, text, _ = shipped_gift["what-is-left-out"]
    assert "weighted as Framing Lab scores them" in text and "Not in this file" not in text


def only_question(content, kind):
    lesson = copy.deepcopy(content)
    lesson["questions"] = [q for q in lesson["questions"] if q["kind"] == kind][:1]
    return lesson


def test_a_lesson_with_no_question_gift_can_hold_has_no_gift(shipped_library):
    lesson = only_question(shipped_library.lessons["six-moves"], "loaded_terms")
    assert gift_questions(LessonExport(lesson, 1, {})).questions
    assert formats_for(lesson) == ["qti", "gift"]
    lesson["questions"][0]["controls"] = []  # nothing to choose against: nothing honest
    with pytest.raises(NothingForGift):
        gift_text(LessonExport(lesson, 1, {}))
    assert formats_for(lesson) == ["qti"]


def test_weights_are_moodle_grades():
    assert percent(1) == "100" and percent(-1) == "-100" and percent(-0.5) == "-50"
    assert percent(1 / 3) == "33.33333" and percent(1 / 7) == "14.28571"
    assert percent(2 / 3) == "66.66667" and percent(1 / 20) == "5"
    assert percent(1 / 11) is None and percent(0.375) is None and percent(1.5) is None
    # Moodle's own list, as question/engine/bank.php writes it (and its negatives, and 0)
    moodle = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3,
              0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)
    assert len(MOODLE_GRADES) == 2 * len(moodle) + 1
    for grade in moodle:
        assert percent(grade) is not None and percent(-grade) is not None


NASTY = "a ~ b = c # d { e } f : g \\ h <i> & %5% //not a comment [html] ####"


def test_special_characters_survive_escaping(shipped_library):
    content = copy.deepcopy(shipped_library.lessons["naming-the-january-events"])
    question = next(q for q in content["questions"] if q["kind"] == "framing")
    question["options"][1]["text"] = NASTY
    question["options"][1]["feedback"] = NASTY
    question["prompt"] = NASTY
    text = gift_text(LessonExport(content, 1, {}))
    read = parse_gift({"nasty": text})["nasty"]
    assert "error" not in read, read
    gift = next(q for q in read["questions"] if q["title"].endswith(question["id"]))
    shown = html.escape(NASTY, quote=False)
    assert gift["choices"][1]["text"]["text"] == shown
    assert gift["choices"][1]["feedback"]["text"].startswith(shown)
    assert f"<p>{shown}</p>" in gift["stem"]["text"]
    assert escape("~=#{}:\\\n") == "\\~\\=\\#\\{\\}\\:\\\\\\n"


def _plant(content, said):
    """Put the strings ``said`` into every kind of text a GIFT file carries."""
    lesson = copy.deepcopy(content)
    lesson["title"] = said[0]
    for question in lesson["questions"]:
        question["prompt"] = said[1]
        for holder in question.get("sides") or [question]:
            for name in ("phrases", "terms", "gaps", "controls"):
                for item in holder.get(name) or []:
                    item["why"] = said[2]
            for item in holder.get("debatable") or []:
                item["for"] = said[3]
        for option in question.get("options") or []:
            option["feedback"] = said[4]
        for item in [*(question.get("cards") or []), *(question.get("facts") or [])]:
            item["why"] = said[5]
        if question.get("why"):
            question["why"] = said[6]
    for card in (lesson.get("cards") or {}).values():
        card["title"] = said[7]
        card["body"] = said[1]
    return lesson


_AWKWARD = st.text(alphabet=st.sampled_from(list("~=#{}:\\%[]<>&\"'/ \n\r\taé—“”")) |
                   st.characters(codec="utf-8"), min_size=1, max_size=40)


def seen(text: str) -> str:
    """What a reader sees of ``text`` in HTML: one line, no control characters."""
    return " ".join("".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")
                    .split())


def test_awkward_text_anywhere_still_parses_and_reads_back(shipped_library):
    slugs = ("six-moves", "naming-the-january-events", "who-is-behind-it")
    clean = {slug: len(gift_questions(LessonExport(shipped_library.lessons[slug], 1, {}))
                       .questions) for slug in slugs}

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(said=st.lists(_AWKWARD.filter(lambda s: s.strip()), min_size=8, max_size=8))
    def check(said):
        lessons = {slug: _plant(shipped_library.lessons[slug], said) for slug in slugs}
        read = parse_gift({slug: gift_text(LessonExport(lesson, 1, {}))
                           for slug, lesson in lessons.items()})
        for slug in slugs:
            assert "error" not in read[slug], (said, read[slug])
            questions = read[slug]["questions"]
            assert len(questions) == clean[slug]
            feedback = " ".join(html.unescape((c["feedback"] or {}).get("text", ""))
                                for q in questions for c in q["choices"])
            stems = " ".join(html.unescape(q["stem"]["text"]) for q in questions)
            # the key's why of phrases and controls (2), of cards and facts (5), a verdict (6)
            planted = {"six-moves": (2, 5, 6), "naming-the-january-events": (2,),
                       "who-is-behind-it": (5, 6)}[slug]
            for text in (said[number] for number in planted):
                assert seen(text) in feedback, (slug, text)
            assert seen(said[1]) in stems

    check()
