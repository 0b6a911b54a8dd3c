"""A lesson's answer key as the teacher reads it (app/domain/answer_keys.py)."""

from __future__ import annotations

import copy

from app.domain.answer_keys import answer_key, total_points
from app.domain.text import sentences, words

A = "Gangs and terrorists attacked. Peaceful people marched. Critics say it was planned."
B = "Protesters marched for fair prices. The crowd was calm."


def word_indices(text, phrase):
    start = text.index(phrase)
    return [i for i, w in enumerate(words(text)) if start <= w.start < start + len(phrase)]


def sentence_of(text, phrase):
    start = text.index(phrase)
    return next(i for i, s in enumerate(sentences(text)) if s.start <= start < s.end)


CONTENT = {
    "slug": "k", "title": "Key", "summary": "", "level": "intro",
    "excerpts": [{"id": "a", "document": "d", "start": 0, "end": len(A), "text": A},
                 {"id": "b", "document": "e", "start": 0, "end": len(B), "text": B}],
    "questions": [
        {"id": "q1", "kind": "loaded_terms", "prompt": "Mark.", "excerpt": "a",
         "phrases": [{"text": "Gangs", "words": word_indices(A, "Gangs"), "neutral": "groups",
                      "why": "Criminals.", "about": "people", "sources": ["A source, 2022"]}],
         "controls": [{"text": "Peaceful people", "words": word_indices(A, "Peaceful people"),
                       "why": "Describes."}],
         "debatable": [{"text": "terrorists", "words": word_indices(A, "terrorists"),
                        "for": "A label.", "against": "The court's word."}],
         "asides": [{"text": "planned", "words": word_indices(A, "planned"),
                     "why": "Not asked here."}]},
        {"id": "q2", "kind": "sourcing", "prompt": "Select.", "excerpt": "a",
         "gaps": [{"text": "Critics say", "sentence": sentence_of(A, "Critics say"),
                   "reason": "unnamed_group", "why": "Which critics?"}],
         "controls": [{"text": "Peaceful people", "sentence": sentence_of(A, "Peaceful"),
                       "why": "Seen."}]},
        {"id": "q3", "kind": "framing", "prompt": "Frame?", "excerpt": "b",
         "options": [{"id": "x", "text": "Order", "correct": False, "feedback": "No."},
                     {"id": "y", "text": "Economy", "correct": True, "feedback": "Prices."}],
         "signals": [{"text": "fair prices", "words": word_indices(B, "fair prices"),
                      "why": "Money."}]},
        {"id": "q4", "kind": "compare", "prompt": "Both?",
         "options": [{"id": "x", "text": "Order", "feedback": "Threat."},
                     {"id": "y", "text": "People", "feedback": "Nation."}],
         "sides": [{"excerpt": "a", "frame": "x", "frame_why": "Gangs attack.",
                    "terms": [{"text": "Gangs", "words": word_indices(A, "Gangs"),
                               "neutral": "groups", "why": "Label."}]},
                   {"excerpt": "b", "frame": "y", "frame_why": "They march.",
                    "terms": [{"text": "Protesters", "words": word_indices(B, "Protesters"),
                               "neutral": "protesters", "why": "Plain."}]}]},
    ],
}
SOURCES = {"a": {"title": "Doc A", "credit": "X"}, "b": {"title": "Doc B", "credit": "Y"}}


def test_every_part_of_a_loaded_terms_key_is_numbered_and_drawn():
    q1 = answer_key(CONTENT, SOURCES)[0]
    (excerpt,) = q1.excerpts
    items = [item for group in ("keyed", "controls", "debatable", "asides")
             for item in excerpt.items[group]]
    assert [(i.number, i.group, i.text) for i in items] == [
        (1, "keyed", "Gangs"), (2, "controls", "Peaceful people"),
        (3, "debatable", "terrorists"), (4, "asides", "planned")]
    gangs = excerpt.items["keyed"][0]
    assert (gangs.neutral, gangs.why, gangs.sources, gangs.category) == (
        "groups", "Criminals.", ("A source, 2022",), "about the people in the streets")
    assert excerpt.items["debatable"][0].case_for == "A label."
    drawn = [(group, number, text) for group, number, text in excerpt.runs if group]
    assert drawn == [("keyed", 1, "Gangs"), ("debatable", 3, "terrorists"),
                     ("controls", 2, "Peaceful people"), ("asides", 4, "planned")]
    assert "".join(text for _, _, text in excerpt.runs) == A  # the text, exactly
    assert q1.max_points == 1
    assert gangs.worth == "1 point, shared across its words"
    assert excerpt.items["controls"][0].worth == "marking it costs 0.5 points a word"
    assert excerpt.items["debatable"][0].worth == "no points either way"


def test_a_sourcing_key_draws_whole_sentences_and_names_the_reason():
    q2 = answer_key(CONTENT, SOURCES)[1]
    (excerpt,) = q2.excerpts
    gap = excerpt.items["keyed"][0]
    assert gap.category == "Unnamed group" and gap.worth == "1 point"
    assert ("keyed", 1, "Critics say it was planned.") in excerpt.runs
    assert excerpt.items["controls"][0].worth == "marking it costs 1 point a sentence"


def test_framing_and_compare_name_the_right_frame_and_its_reason():
    q3, q4 = answer_key(CONTENT, SOURCES)[2:]
    assert q3.excerpts[0].frames == [{"id": "y", "text": "Economy", "frame": "",
                                      "why": "Prices."}]
    assert [o["correct"] for o in q3.options] == [False, True]
    assert q3.max_points == 2  # the frame and one signal
    assert [(e.letter, [(f["text"], f["why"]) for f in e.frames]) for e in q4.excerpts] == [
        ("A", [("Order", "Gangs attack.")]), ("B", [("People", "They march.")])]
    assert [o["right_for"] for o in q4.options] == [["A"], ["B"]]
    # One numbering across both sides, so "3" means one passage on the whole question.
    assert [i.number for e in q4.excerpts for i in e.items["keyed"]] == [1, 2]
    assert q4.max_points == 4
    assert total_points(answer_key(CONTENT, SOURCES)) == 1 + 1 + 2 + 4


def test_the_key_lists_both_defensible_frames_with_their_evidence():
    content = copy.deepcopy(CONTENT)
    q3, q4 = content["questions"][2:]
    q3["options"][0]["correct"] = True
    q4["sides"][1].update(also_frame="x", also_why="The march was broken up.")
    framing, compare = answer_key(content, SOURCES)[2:]
    assert [(f["text"], f["why"]) for f in framing.excerpts[0].frames] == [
        ("Order", "No."), ("Economy", "Prices.")]
    assert [o["correct"] for o in framing.options] == [True, True]
    assert [(f["text"], f["why"]) for f in compare.excerpts[1].frames] == [
        ("People", "They march."), ("Order", "The march was broken up.")]
    assert [o["right_for"] for o in compare.options] == [["A", "B"], ["B"]]
    assert framing.max_points == 2 and compare.max_points == 4  # still one point a frame
