"""Checking a claim and what is left out, as Moodle GIFT (issue 16, part 3).

A verify question becomes two GIFT questions: its verdict (one right answer) and the
cards that decide the claim (several); an omission question one: the facts left out.
What gift-pegjs reads of the shipped lessons must be the app's key (the verdict, every
card's and fact's why and role, in the order the quiz shows them), and Moodle's grade
of every possible choice of cards or facts (weights added, kept between 0 and 100 %)
must be the app's score of the same picks, as a share of the part's points.
"""

from __future__ import annotations

import html
from itertools import chain, combinations

from app.domain.check_keys import check_key
from app.domain.checking import FACT_ROLES, VERDICTS
from app.domain.scoring import score_question
from app.student.present_checking import quiz_view
from tests.helpers import gift_titled, moodle_grade


def questions_of(shipped_gift, kind):
    """(slug, number, question, content, read) for every shipped question of ``kind``."""
    for slug, (content, _, read) in shipped_gift.items():
        for number, question in enumerate(content["questions"], start=1):
            if question["kind"] == kind:
                yield slug, number, question, content, read


def every_pick(options):
    return chain.from_iterable(combinations(range(len(options)), size)
                               for size in range(len(options) + 1))


def text(part) -> str:
    return html.unescape((part or {}).get("text", ""))


def test_the_verdict_is_one_right_answer_with_the_keys_why(shipped_gift):
    found = 0
    for slug, number, question, content, read in questions_of(shipped_gift, "verify"):
        gift = gift_titled(read, f"{slug} {number}. {question['id']} (verdict)")
        assert [text(c["text"]) for c in gift["choices"]] == list(VERDICTS.values())
        assert [c["isCorrect"] for c in gift["choices"]] == \
            [verdict == question["verdict"] for verdict in VERDICTS]
        right = VERDICTS[question["verdict"]].lower()
        for verdict, choice in zip(VERDICTS, gift["choices"], strict=True):
            told = text(choice["feedback"])
            assert told.endswith(question["why"])
            if verdict == question["verdict"]:
                assert told.startswith(f"Right: {right}.")
            else:
                assert f"Not so: the claim is {right}." in told
        assert question["claim"]["text"] in text(gift["stem"])
        for card in question["cards"]:  # every card offered can be read in the question
            assert content["cards"][card["id"]]["title"] in text(gift["stem"])
        found += 1
    assert found >= 15


def test_the_cards_score_as_the_app_scores_them(shipped_gift):
    found = 0
    for slug, number, question, content, read in questions_of(shipped_gift, "verify"):
        gift = gift_titled(read, f"{slug} {number}. {question['id']} (cards)")
        shown = quiz_view({}, question, {}, content, "", number)["cards"]
        assert [text(c["text"]) for c in gift["choices"]] == [c["title"] for c in shown]
        key = check_key(question, content["cards"])
        why = {entry["id"]: entry["why"] for _, _, group in key["groups"] for entry in group}
        weights = [choice["weight"] for choice in gift["choices"]]
        assert abs(sum(w for w in weights if w > 0) - 100) < 0.001
        for card, choice in zip(shown, gift["choices"], strict=True):
            decides = next(c["decides"] for c in question["cards"] if c["id"] == card["id"])
            assert (choice["weight"] > 0) is decides
            assert text(choice["feedback"]) == \
                f"{'Decides the claim' if decides else 'Does not decide it'}: {why[card['id']]}"
        for picked in every_pick(shown):
            # a wrong verdict: the points are the cards' alone, out of their 1 point
            response = {"verdict": None, "cards": [shown[index]["id"] for index in picked]}
            points = score_question(question, response, {}).points
            assert round(moodle_grade(gift["choices"], set(picked)), 2) == points, picked
        found += 1
    assert found >= 15


def test_the_facts_score_as_the_app_scores_them(shipped_gift):
    found = 0
    for slug, number, question, content, read in questions_of(shipped_gift, "omission"):
        gift = gift_titled(read, f"{slug} {number}. {question['id']}")
        shown = quiz_view({}, question, {}, content, "", number)["facts"]
        assert len(gift["choices"]) == len(shown)
        roles = {fact["ref"]: fact for fact in question["facts"]}
        for fact, choice in zip(shown, gift["choices"], strict=True):
            told = roles[fact["ref"]]
            assert (choice["weight"] > 0) is (told["role"] == "omitted")
            assert text(choice["feedback"]) == f"{FACT_ROLES[told['role']]}: {told['why']}"
            assert text(choice["text"]).startswith(fact["text"])  # in the quiz's order
            assert text(choice["text"]).endswith(f"from the card “{fact['card']['title']}”)")
        assert text(gift["globalFeedback"]) == f"<p>{question['why']}</p>"
        most = score_question(question, {}, {}).max_points
        for picked in every_pick(shown):
            response = {"facts": [shown[index]["ref"] for index in picked]}
            points = score_question(question, response, {}).points
            assert round(moodle_grade(gift["choices"], set(picked)) * most, 2) == points
        found += 1
    assert found >= 8


def test_choosing_everything_earns_nothing(shipped_gift):
    for kind in ("verify", "omission"):
        for slug, number, question, _, read in questions_of(shipped_gift, kind):
            title = f"{slug} {number}. {question['id']}{' (cards)' if kind == 'verify' else ''}"
            gift = gift_titled(read, title)
            assert moodle_grade(gift["choices"], set(range(len(gift["choices"])))) == 0
