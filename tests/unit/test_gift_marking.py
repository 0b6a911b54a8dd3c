"""Marking questions as Moodle GIFT (issue 16, part 3): an adaptation.

GIFT cannot show a passage to mark, so each loaded terms and sourcing question, and the
words of each compare excerpt, becomes a multiple-answer choice among the key's judged
items: its key phrases or gap sentences (right) and its controls (wrong), in text order,
each with the key's own why. What gift-pegjs reads of every shipped lesson is checked
against the compiled key here: the options, their feedback, the weights (right ones equal
and adding up to 100 %, wrong ones equal and at least as heavy, every weight a grade
Moodle accepts, choosing everything worth nothing), and, for a sourcing question with at
least as many controls as gaps, Moodle's grade of every choice against the app's score.
"""

from __future__ import annotations

import html
import re
from itertools import chain, combinations

from app.domain.exports.gift_text import percent
from app.domain.scoring import score_question
from app.domain.text import sentences
from tests.helpers import moodle_grade

KEYED = {"loaded_terms": "phrases", "sourcing": "gaps", "compare": "terms"}


def text(part) -> str:
    return html.unescape((part or {}).get("text", ""))


def expected(kind, holder, excerpt_text):
    """The options the key gives, in text order: (units, text, right, the key's entry)."""
    sentence = kind == "sourcing"
    spans = sentences(excerpt_text)

    def units(entry):
        return (entry["sentence"],) if sentence else tuple(sorted(entry["words"]))

    def shown(entry):
        return " ".join((spans[entry["sentence"]].text if sentence else entry["text"]).split())

    free = {u for e in [*(holder.get("debatable") or []), *(holder.get("asides") or [])]
            for u in units(e)}
    keyed = holder.get(KEYED[kind]) or []
    judged = free | {u for e in keyed for u in units(e)}
    found = [(units(e), shown(e), True, e) for e in keyed]
    found += [(units(c), shown(c), False, c) for c in holder.get("controls") or []
              if not set(units(c)) <= judged]
    return sorted(found, key=lambda option: option[0])


def marking_parts(shipped_gift):
    """(title, kind, question, holder, excerpt text, GIFT questions) for every marking
    part of the shipped lessons that has a GIFT form (the others are in the header)."""
    for slug, (content, gift_file, read) in shipped_gift.items():
        texts = {e["id"]: e["text"] for e in content["excerpts"]}
        for number, question in enumerate(content["questions"], start=1):
            kind = question["kind"]
            if kind not in KEYED:
                continue
            sides = question["sides"] if kind == "compare" else [question]
            for side_number, holder in enumerate(sides):
                label = f" (excerpt {chr(ord('A') + side_number)}, words" if kind == "compare" \
                    else ""
                title = f"{slug} {number}. {question['id']}{label}"
                found = [q for q in read["questions"]
                         if q["title"] == title + (")" if label else "")
                         or q["title"].startswith(title + (", part" if label else " (part"))]
                if not found:
                    assert f"// - {title}{')' if label else ''}: choosing its" in gift_file
                    continue
                yield (title, kind, question, holder, texts[holder["excerpt"]], found)


def test_the_options_are_the_keys_items_in_text_order_with_the_keys_why(shipped_gift):
    checked = 0
    for title, kind, _question, holder, excerpt_text, found in marking_parts(shipped_gift):
        choices = [choice for gift in found for choice in gift["choices"]]
        options = expected(kind, holder, excerpt_text)
        assert len(choices) == len(options), title
        for (_, shown, right, entry), choice in zip(options, choices, strict=True):
            assert text(choice["text"]).startswith(shown), (title, shown)
            assert (choice["weight"] > 0) is right
            told = text(choice["feedback"])
            if right:
                assert entry["why"] in told
                if entry.get("neutral"):
                    assert f"Neutral wording: {entry['neutral']}." in told
            else:
                lead = "Not a sourcing gap" if kind == "sourcing" else "Not one to mark here"
                assert told == f"{lead}: {entry['why']}"
        for gift in found:  # the excerpt is quoted, and the adaptation said
            stem = text(gift["stem"])
            shown = " ".join(re.sub(r"<[^>]+>", " ", stem).split())
            assert " ".join(excerpt_text.split()[:6]) in shown
            assert "so the scores are not comparable" in stem
        checked += 1
    assert checked >= 50


def test_debatable_items_are_not_offered_but_explained(shipped_gift):
    for title, _kind, _question, holder, _, found in marking_parts(shipped_gift):
        for gift in found:
            general = text(gift["globalFeedback"])
            for item in holder.get("debatable") or []:
                assert f"“{item['text']}”" in general and item["for"] in general, title
                assert not any(text(c["text"]) == item["text"] and c["weight"] > 0
                               for c in gift["choices"])
            if not holder.get("debatable"):
                assert gift["globalFeedback"] is None


def test_the_weights_are_moodle_grades_and_choosing_everything_earns_nothing(shipped_gift):
    for title, _kind, _question, _holder, _, found in marking_parts(shipped_gift):
        for gift in found:
            weights = [choice["weight"] for choice in gift["choices"]]
            gains = [w for w in weights if w > 0]
            costs = [w for w in weights if w < 0]
            assert gains and costs and len(gains) + len(costs) == len(weights), title
            assert len(set(gains)) == 1 and len(set(costs)) == 1
            assert abs(sum(gains) - 100) < 0.001 and len(gains) <= 10
            assert abs(costs[0] + 100 / min(len(gains), len(costs))) < 0.001
            assert -costs[0] >= gains[0]  # a wrong choice costs at least a right one's share
            assert all(percent(w / 100) is not None for w in weights)
            # Moodle counts a grade under 0.000001 as wrong (question_state::
            # graded_state_for_fraction, question/engine/states.php): 3 x 33.33333
            # leaves 0.0000001 over 100, which is still nothing
            assert moodle_grade(gift["choices"], set(range(len(weights)))) < 1e-6


def test_sourcing_with_enough_controls_scores_as_the_app_does(shipped_gift):
    checked = 0
    for title, kind, question, holder, excerpt_text, found in marking_parts(shipped_gift):
        options = expected(kind, holder, excerpt_text)
        right = sum(option[2] for option in options)
        if kind != "sourcing" or len(options) - right < right or len(options) > 12:
            continue
        (gift,) = found
        picks = chain.from_iterable(combinations(range(len(options)), size)
                                    for size in range(len(options) + 1))
        for picked in picks:
            response = {"sentences": [options[index][0][0] for index in picked]}
            points = score_question(question, response, {holder["excerpt"]: excerpt_text})
            assert round(moodle_grade(gift["choices"], set(picked)) * right, 2) == \
                points.points, (title, picked)
        checked += 1
    assert checked >= 10


def test_a_key_of_more_than_ten_items_is_shared_between_questions(shipped_gift):
    content, _, read = shipped_gift["naming-the-january-events"]
    question = content["questions"][0]
    assert len(question["phrases"]) == 11
    parts = [q for q in read["questions"] if q["title"].startswith(
        "naming-the-january-events 1. astana-loaded (part ")]
    assert [q["title"][-13:] for q in parts] == ["(part 1 of 2)", "(part 2 of 2)"]
    rights = [sum(c["weight"] > 0 for c in q["choices"]) for q in parts]
    assert rights == [6, 5]
    offered = [text(c["text"]) for q in parts for c in q["choices"] if c["weight"] > 0]
    assert offered == [p["text"] for p in sorted(question["phrases"],
                                                 key=lambda p: min(p["words"]))]


def test_a_word_keyed_twice_is_shown_in_its_place(shipped_gift):
    content, _, read = shipped_gift["quo-vadis-protest"]
    number, question = next((n, q) for n, q in enumerate(content["questions"], start=1)
                            if q["id"] == "met-with-loaded")
    gift = next(q for q in read["questions"]
                if q["title"].startswith(f"quo-vadis-protest {number}. met-with-loaded"))
    regimes = [text(c["text"]) for c in gift["choices"] if text(c["text"]).startswith("regime")]
    assert len(regimes) == 2 and len(set(regimes)) == 2  # told apart by the words around
    excerpt = " ".join(next(e["text"] for e in content["excerpts"]
                            if e["id"] == question["excerpt"]).split())
    for shown in regimes:
        assert shown.startswith("regime (in “…") and shown.endswith("…”)")
        assert "regime" in shown[len("regime (in “…"):-3] and shown[len("regime (in “…"):-3] \
            in excerpt


def test_what_has_no_honest_list_is_left_out_and_said(shipped_gift):
    for slug, (content, gift_file, _) in shipped_gift.items():
        for number, question in enumerate(content["questions"], start=1):
            note = f"// - {slug} {number}. {question['id']}: marking the phrases that signal"
            assert (note in gift_file) is bool(question["kind"] == "framing"
                                               and question.get("signals")), (slug, number)
    _, gift_file, _ = shipped_gift["who-gets-quoted"]
    assert "nameless-voices (excerpt A, words): choosing its words (the key names no " \
           "controls among them" in gift_file
