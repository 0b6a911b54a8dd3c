"""Class results on verify and omission questions: the share choosing each verdict and
picking each card or fact, the answers left out for picking everything, the responses in
words for the CSV, and the teacher's answer key. Answers are scored by the real scorers on
the example lesson of tests/data/checking-example.yaml (cards in tests/data/shelf/)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from app.domain.analysis import (
    Submission,
    check_questions,
    marked_everything,
    phrase_shares,
    picks,
    response_text,
)
from app.domain.answer_keys import answer_key
from app.domain.lessons import compile_lesson
from app.domain.rescoring import NotRegradable, rescore
from app.domain.scoring import score_question
from tests.unit.stored_answers import Answer

ROOT = Path(__file__).resolve().parents[2]
LESSON = (ROOT / "tests" / "data" / "checking-example.yaml").read_text(encoding="utf-8")
JANUARY, TREATY, HRW = "example-january-2022", "example-csto-treaty", "example-hrw"
SHOOT, FUEL = f"{JANUARY}#shoot-to-kill", f"{JANUARY}#fuel-prices"
REQUEST, SIGNED = f"{JANUARY}#csto-request", f"{TREATY}#signed-1992"


@pytest.fixture(scope="module")
def content(documents, example_cards):
    return compile_lesson(LESSON, "lessons/checking-example.yaml", documents,
                          shelf=example_cards)


def answered(content, student, responses):
    """A submission whose answers are scored and stored as an attempt stores them."""
    texts = {e["id"]: e["text"] for e in content["excerpts"]}
    answers = []
    for question in content["questions"]:
        result = score_question(question, responses.get(question["id"], {}), texts)
        answers.append(Answer(question["id"], result.points, result.max_points,
                              question["kind"], result.verdicts))
    return Submission(student, answers, content)


@pytest.fixture(scope="module")
def class_of_four(content):
    return [
        # Right verdict, the deciding card; two of the omitted facts.
        answered(content, "ann", {"invited": {"verdict": "supported", "cards": [JANUARY]},
                                  "left-out": {"facts": [SHOOT, FUEL]}}),
        # Wrong verdict, a control card; a stated fact.
        answered(content, "ben", {"invited": {"verdict": "contradicted", "cards": [TREATY]},
                                  "left-out": {"facts": [SHOOT, REQUEST]}}),
        # Right verdict, every card; every fact: left out of the picks.
        answered(content, "cat", {"invited": {"verdict": "supported",
                                              "cards": [JANUARY, TREATY, HRW]},
                                  "left-out": {"facts": [SHOOT, FUEL, REQUEST, SIGNED]}}),
        # Left the verify question blank.
        answered(content, "dan", {"left-out": {"facts": [FUEL]}}),
    ]


def test_verdict_shares_count_every_answer_and_name_the_keys_verdict(class_of_four):
    verify = next(q for q in check_questions(class_of_four) if q.kind == "verify")
    assert verify.claim == "on an invitation of the Kazakh government"
    assert verify.students == 4
    shares = {v.verdict: (v.chosen, v.students, v.correct) for v in verify.verdicts}
    # cat picked every card, but her verdict is a judgement of its own: it counts.
    assert shares == {"supported": (2, 4, True), "contradicted": (1, 4, False),
                      "not_decided": (0, 4, False), None: (1, 4, False)}
    assert [v.label for v in verify.verdicts][:3] == [
        "Supported by these sources", "Contradicted by these sources",
        "Not decided by these sources"]
    assert verify.verdicts[0].percent == pytest.approx(50.0)


def test_card_shares_cover_deciding_cards_and_controls_without_the_blanket_answer(
        class_of_four, example_cards):
    verify = next(q for q in check_questions(class_of_four) if q.kind == "verify")
    assert verify.left_out == 1
    rows = {p.item: (p.picked, p.students, p.role, p.keyed) for p in verify.picks}
    # ann, ben and dan count; a control nobody picked still shows, at 0.
    assert rows == {JANUARY: (1, 3, "decides", True), TREATY: (1, 3, "control", False),
                    HRW: (0, 3, "control", False)}
    assert [p.text for p in verify.picks] == [example_cards[card]["title"]
                                              for card in (JANUARY, TREATY, HRW)]
    assert verify.picks[0].percent == pytest.approx(100 / 3)


def test_fact_shares_give_each_fact_its_card_and_role(class_of_four, example_cards):
    omission = next(q for q in check_questions(class_of_four) if q.kind == "omission")
    assert (omission.students, omission.left_out, omission.verdicts) == (4, 1, [])
    rows = {p.item: (p.picked, p.students, p.role) for p in omission.picks}
    assert rows == {SHOOT: (2, 3, "omitted"), FUEL: (2, 3, "omitted"),
                    REQUEST: (1, 3, "stated"), SIGNED: (0, 3, "unrelated")}
    signed = next(p for p in omission.picks if p.item == SIGNED)
    assert signed.card == example_cards[TREATY]["title"]
    assert signed.text == example_cards[TREATY]["facts"][0]["text"]
    assert signed.role_label == "Does not bear on these events" and not signed.keyed


def test_picking_every_card_or_fact_is_named_with_the_answers_left_out(class_of_four):
    left = [(m.student, m.question_id, m.marked, m.outside, m.unit)
            for m in marked_everything(class_of_four)]
    assert left == [("cat", "invited", 3, 3, "cards"), ("cat", "left-out", 4, 4, "facts")]


def test_key_phrase_shares_leave_cards_and_facts_to_their_own_table(class_of_four):
    assert phrase_shares(class_of_four) == []


def test_a_verify_response_in_words_is_the_cards_titles_and_the_verdicts_label(
        content, example_cards):
    verify, omission = content["questions"]
    texts = {e["id"]: e["text"] for e in content["excerpts"]}
    cards = content["cards"]
    response = {"verdict": "not_decided", "cards": [HRW, JANUARY]}
    marked, choice = response_text(verify, response, texts, cards)
    # In the order the question offers them, whatever order they were stored in.
    assert marked == f"{example_cards[JANUARY]['title']} | {example_cards[HRW]['title']}"
    assert choice == "Not decided by these sources"
    assert picks(verify, response) == [JANUARY, HRW]
    assert response_text(verify, {}, texts, cards) == ("", "")
    marked, choice = response_text(omission, {"facts": [SIGNED, SHOOT]}, texts, cards)
    shoot = next(f["text"] for f in example_cards[JANUARY]["facts"] if f["id"] == "shoot-to-kill")
    signed = next(f["text"] for f in example_cards[TREATY]["facts"] if f["id"] == "signed-1992")
    assert marked == f"{shoot} | {signed}"
    assert choice == ""


def test_the_answer_key_shows_the_claim_the_verdict_and_every_card_and_fact(content):
    verify, omission = answer_key(content, {})
    assert [run for run in verify.excerpts[0].runs if run[0]] == [
        ("claim", None, "on an invitation of the Kazakh government")]
    check = verify.check
    assert (check["verdict"], check["verdict_label"]) == ("supported",
                                                          "Supported by these sources")
    assert check["why"].startswith("The January card records")
    groups = {name: [(c["id"], c["worth"]) for c in items]
              for name, _, items in check["groups"]}
    assert groups == {"decides": [(JANUARY, "finding it earns 1 point")],
                      "control": [(TREATY, "picking it costs 0.5 points"),
                                  (HRW, "picking it costs 0.5 points")]}
    first = check["groups"][0][2][0]
    assert first["why"] == "Tokayev appealed to the alliance, which agreed to send troops."
    assert first["sources"] and all(source["url"] for source in first["sources"])
    assert verify.max_points == 2.0
    facts = {name: [f["ref"] for f in items] for name, _, items in omission.check["groups"]}
    assert facts == {"omitted": [SHOOT, FUEL], "stated": [REQUEST], "unrelated": [SIGNED]}
    stated = omission.check["groups"][1][2][0]
    assert stated["worth"] == "picking it costs 1 point"
    assert stated["why"].startswith("The excerpt says the troops came")
    assert omission.max_points == 2.0
    # The cards the facts come from, each once, with the sources they cite.
    assert [c["id"] for c in omission.check["cards"]] == [JANUARY, TREATY]
    assert omission.check["cards"][1]["sources"][0]["publisher"]


def test_a_regrade_rescores_a_new_verdict_but_not_new_cards(content):
    answers = {"invited": {"verdict": "supported", "cards": [JANUARY]},
               "left-out": {"facts": [SHOOT, REQUEST]}}
    # The key changes its mind: the claim is not decided, and the request is left out.
    changed = copy.deepcopy(content)
    changed["questions"][0]["verdict"] = "not_decided"
    changed["questions"][1]["facts"][2]["role"] = "omitted"
    again = rescore(content, changed, answers)
    assert again.answers["invited"][0] == 1.0  # the card found, the verdict now wrong
    assert again.answers["left-out"][0:2] == (2.0, 3.0)
    # A card the student was never offered: not fair to rescore.
    offered = copy.deepcopy(content)
    offered["questions"][0]["cards"][2]["id"] = "another-card"
    with pytest.raises(NotRegradable, match="cards or facts offered in question 'invited'"):
        rescore(content, offered, answers)
    fewer = copy.deepcopy(content)
    del fewer["questions"][1]["facts"][3]
    with pytest.raises(NotRegradable, match="'left-out'"):
        rescore(content, fewer, answers)
