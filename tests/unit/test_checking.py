"""Verify and omission questions: compiled against the shelf, scored, and never paying for
picking everything (the example cards are in tests/data/shelf/)."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from app.domain.checking import DEFAULT_PROMPTS, mark_everything
from app.domain.lessons import LessonInvalid, compile_lesson
from app.domain.scoring import RULES, score_question

ROOT = Path(__file__).resolve().parents[2]
PATH = "lessons/checking-example.yaml"
CLAIM = "on an invitation of the Kazakh government"

LESSON = (ROOT / "tests" / "data" / "checking-example.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, start: str = "") -> int:
    """The number of the first line holding ``needle`` (after the line holding ``start``)."""
    lines = text.splitlines()
    begin = next(i for i, line in enumerate(lines) if start in line) if start else 0
    return next(i for i, line in enumerate(lines) if i >= begin and needle in line) + 1


@pytest.fixture(scope="module")
def lesson(documents, example_cards):
    return compile_lesson(LESSON, PATH, documents, shelf=example_cards)


def problems(text: str, documents, shelf) -> list[str]:
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, PATH, documents, shelf=shelf)
    return [str(issue) for issue in raised.value.issues]


def texts_of(lesson) -> dict[str, str]:
    return {excerpt["id"]: excerpt["text"] for excerpt in lesson["excerpts"]}


def question(lesson, qid: str):
    return next(q for q in lesson["questions"] if q["id"] == qid)


# --- compiling -------------------------------------------------------------------------------

def test_a_verify_question_locates_its_claim_and_carries_its_cards(lesson, example_cards):
    verify = question(lesson, "invited")
    excerpt = texts_of(lesson)["troops"]
    claim = verify["claim"]
    assert excerpt[claim["start"]:claim["end"]] == claim["text"] == CLAIM
    assert verify["prompt"] == DEFAULT_PROMPTS["verify"]
    assert verify["verdict"] == "supported"
    assert [(card["id"], card["decides"]) for card in verify["cards"]] == [
        ("example-january-2022", True), ("example-csto-treaty", False), ("example-hrw", False)]
    # The lesson embeds exactly the cards its questions use, so it stands alone.
    assert lesson["cards"] == example_cards
    assert json.loads(json.dumps(lesson)) == lesson


def test_an_omission_question_names_each_fact_and_its_role(lesson):
    omission = question(lesson, "left-out")
    assert omission["prompt"] == DEFAULT_PROMPTS["omission"]
    assert omission["facts"][0] == {
        "ref": "example-january-2022#shoot-to-kill", "card": "example-january-2022",
        "fact": "shoot-to-kill", "role": "omitted",
        "why": "What the order was decides whether \"fulfilled\" is good news."}
    assert [fact["role"] for fact in omission["facts"]] == ["omitted", "omitted", "stated",
                                                            "unrelated"]


def test_a_lesson_without_shelf_questions_has_no_cards_key(documents, example_cards):
    plain = LESSON.split("  - id: invited")[0] + """\
  - id: frame
    kind: framing
    excerpt: troops
    options:
      - text: Order restored
        correct: true
        feedback: Yes.
      - text: Unrest
        feedback: No.
      - text: Reform
        feedback: No.
"""
    assert "cards" not in compile_lesson(plain, PATH, documents, shelf=example_cards)


def test_a_card_missing_from_the_shelf_is_named_with_a_hint(documents, example_cards):
    text = LESSON.replace("card: example-hrw", "card: example-hrv").replace(
        "fact: example-csto-treaty#signed-1992", "fact: example-csto-treat#signed-1992")
    assert problems(text, documents, example_cards) == [
        f"{PATH}:{line_of(text, 'example-hrv')}: no card 'example-hrv' on the shelf (did you "
        "mean 'example-hrw'?)",
        f"{PATH}:{line_of(text, 'example-csto-treat#')}: no card 'example-csto-treat' on the "
        "shelf (did you mean 'example-csto-treaty'?)",
    ]


def test_a_lesson_compiled_without_a_shelf_names_every_card(documents):
    messages = problems(LESSON, documents, None)
    assert len(messages) == 3 + 4
    assert messages[0] == (f"{PATH}:{line_of(LESSON, 'card: example-january-2022')}: no card "
                           "'example-january-2022' on the shelf")


def test_facts_must_be_fact_refs_of_facts_the_card_holds(documents, example_cards):
    text = LESSON.replace("example-january-2022#fuel-prices", "example-january-2022#fuel-price")
    text = text.replace("example-csto-treaty#signed-1992", "example-csto-treaty")
    assert problems(text, documents, example_cards) == [
        f"{PATH}:{line_of(text, '#fuel-price')}: the card 'example-january-2022' has no fact "
        "'fuel-price' (did you mean 'fuel-prices'?)",
        f"{PATH}:{line_of(text, 'fact: example-csto-treaty')}: 'example-csto-treaty' is not "
        "a fact ref: write '<card id>#<fact id>', e.g. 'timeline-january-2022#csto-request'",
    ]


def test_a_card_or_fact_offered_twice_is_refused(documents, example_cards):
    text = LESSON.replace("card: example-hrw", "card: example-csto-treaty").replace(
        "example-csto-treaty#signed-1992", "example-january-2022#csto-request")
    first_card = line_of(text, "card: example-csto-treaty")
    first_fact = line_of(text, "example-january-2022#csto-request")
    assert problems(text, documents, example_cards) == [
        f"{PATH}:{first_card + 2}: the card 'example-csto-treaty' is offered twice (first on "
        f"line {first_card})",
        f"{PATH}:{first_fact + 3}: the fact 'example-january-2022#csto-request' is offered "
        f"twice (first on line {first_fact})",
    ]


def test_the_claim_must_be_in_the_excerpt(documents, example_cards):
    text = LESSON.replace(f"claim: {CLAIM}", "claim: at the invitation of the government")
    [message] = problems(text, documents, example_cards)
    assert message.startswith(f"{PATH}:{line_of(text, 'claim:')}: \"at the invitation of the "
                              "government\" is not in the excerpt")
    text = LESSON.replace(f"claim: {CLAIM}", "claim: the")
    [message] = problems(text, documents, example_cards)
    assert message.startswith(f"{PATH}:{line_of(text, 'claim:')}: \"the\" is ambiguous")
    fixed = LESSON.replace(f"claim: {CLAIM}", "claim: the\n    occurrence: 2")
    compiled = compile_lesson(fixed, PATH, documents, shelf=example_cards)
    assert question(compiled, "invited")["claim"]["text"] == "the"


def test_verdicts_roles_and_counts_are_checked(documents, example_cards):
    text = (LESSON.replace("verdict: supported", "verdict: suported")
            .replace("role: unrelated", "role: unrelatd")
            .replace("        decides: true\n", ""))
    assert problems(text, documents, example_cards) == [
        f"{PATH}:{line_of(text, 'verdict:')}: unknown verdict 'suported' — did you mean "
        "'supported'? (expected one of: supported, contradicted, not_decided)",
        f"{PATH}:{line_of(text, 'cards:')}: question 'invited' needs at least one card with "
        "'decides: true': the card or cards that decide the claim",
        f"{PATH}:{line_of(text, 'role: unrelatd')}: unknown role 'unrelatd' — did you mean "
        "'unrelated'? (expected one of: omitted, stated, unrelated)",
    ]


def test_a_question_offers_three_to_six_cards_and_four_to_ten_facts(documents, example_cards):
    cards = LESSON[LESSON.index("      - card: example-hrw"):LESSON.index("  - id: left-out")]
    facts = LESSON[LESSON.index("      - fact: example-csto-treaty"):]
    text = LESSON.replace(cards, "").replace(facts, "")
    assert problems(text, documents, example_cards) == [
        f"{PATH}:{line_of(text, 'cards:')}: question 'invited' offers 2 cards; offer 3 to 6",
        f"{PATH}:{line_of(text, 'facts:')}: question 'left-out' offers 3 facts; offer 4 to 10",
    ]


def test_a_question_where_picking_everything_pays_is_refused(documents, example_cards):
    text = LESSON.replace("      - card: example-csto-treaty\n",
                          "      - card: example-csto-treaty\n        decides: true\n")
    text = text.replace("role: stated", "role: omitted")
    assert problems(text, documents, example_cards) == [
        f"{PATH}:{line_of(text, 'cards:')}: picking every card in question 'invited' would "
        "score 0.5 of 2.0; offer at least two cards that do not decide the claim (each costs "
        "0.5 when picked)",
        f"{PATH}:{line_of(text, 'facts:')}: picking every fact in question 'left-out' would "
        "score 2.0 of 3.0; offer at least as many facts the excerpt states, or that do not "
        "bear on it, as facts it leaves out",
    ]


# --- scoring ---------------------------------------------------------------------------------

def score(lesson, qid: str, response: dict):
    return score_question(question(lesson, qid), response, texts_of(lesson))


def test_verify_full_marks_and_the_verdicts_shown(lesson):
    result = score(lesson, "invited", {"verdict": "supported",
                                       "cards": ["example-january-2022"]})
    assert (result.points, result.max_points) == (2.0, 2.0)
    assert result.verdicts == [
        {"type": "verdict", "chosen": "supported", "correct": "supported", "right": True,
         "why": "The January card records Tokayev's appeal to the CSTO before its troops came."},
        {"type": "found", "card": "example-january-2022", "credit": 1.0,
         "why": "Tokayev appealed to the alliance, which agreed to send troops."},
    ]


def test_verify_the_right_card_earns_its_point_with_the_wrong_verdict(lesson):
    result = score(lesson, "invited", {"verdict": "contradicted",
                                       "cards": ["example-january-2022"]})
    assert result.points == 1.0
    assert result.verdicts[0]["right"] is False and result.verdicts[1]["type"] == "found"


def test_verify_each_control_card_costs_half_and_the_evidence_never_drops_below_zero(lesson):
    one = score(lesson, "invited", {"verdict": "supported",
                                    "cards": ["example-january-2022", "example-hrw"]})
    assert one.points == 1.5
    assert one.verdicts[-1] == {"type": "wrong", "card": "example-hrw", "penalty": 0.5,
                                "why": "Who Human Rights Watch is does not bear on who "
                                       "invited the troops."}
    floor = score(lesson, "invited", {"verdict": "supported",
                                      "cards": ["example-hrw", "example-csto-treaty"]})
    assert floor.points == 1.0  # the verdict's point is kept; the evidence part is 0
    missed = score(lesson, "invited", {"verdict": None, "cards": []})
    assert missed.points == 0.0 and missed.verdicts[1]["type"] == "missed"


def test_verify_two_deciding_cards_share_the_evidence_point(documents, example_cards):
    shelf = {**example_cards, "example-copy": {**example_cards["example-hrw"],
                                               "id": "example-copy"}}
    text = LESSON.replace("      - card: example-csto-treaty\n",
                          "      - card: example-csto-treaty\n        decides: true\n")
    text = text.replace("      - card: example-hrw\n", "      - card: example-copy\n"
                        "        why: A second control.\n      - card: example-hrw\n")
    compiled = compile_lesson(text, PATH, documents, shelf=shelf)
    half = score(compiled, "invited", {"verdict": "supported",
                                       "cards": ["example-csto-treaty"]})
    assert half.points == 1.5
    assert [(v["type"], v["credit"]) for v in half.verdicts[1:]] == [("missed", 0.0),
                                                                     ("found", 0.5)]
    assert_never_pays(question(compiled, "invited"), texts_of(compiled))


def test_omission_scoring(lesson):
    both = score(lesson, "left-out", {"facts": ["example-january-2022#shoot-to-kill",
                                                "example-january-2022#fuel-prices"]})
    assert (both.points, both.max_points) == (2.0, 2.0)
    assert [v["type"] for v in both.verdicts] == ["found", "found"]
    mixed = score(lesson, "left-out", {"facts": ["example-january-2022#shoot-to-kill",
                                                 "example-january-2022#csto-request"]})
    assert mixed.points == 0.0
    assert mixed.verdicts[-1] == {
        "type": "wrong", "ref": "example-january-2022#csto-request",
        "card": "example-january-2022", "role": "stated", "penalty": 1.0,
        "why": "The excerpt says the troops came \"on an invitation of the Kazakh government\"."}
    floor = score(lesson, "left-out", {"facts": ["example-csto-treaty#signed-1992"]})
    assert floor.points == 0.0


def test_the_rules_are_stated_for_both_kinds():
    assert "costs 0.5 points" in RULES["verify"]
    assert "costs 1 point" in RULES["omission"]


# --- picking everything never pays -----------------------------------------------------------

def careful(q) -> dict:
    if q["kind"] == "verify":
        return {"verdict": q["verdict"], "cards": [c["id"] for c in q["cards"] if c["decides"]]}
    return {"facts": [f["ref"] for f in q["facts"] if f["role"] == "omitted"]}


def picks(q, chosen) -> dict:
    return {"verdict": None, "cards": list(chosen)} if q["kind"] == "verify" else {
        "facts": list(chosen)}


def assert_never_pays(q, texts):
    best = score_question(q, careful(q), texts)
    assert best.points == best.max_points
    assert score_question(q, mark_everything(q), texts).points == 0
    offered = mark_everything(q)["cards" if q["kind"] == "verify" else "facts"]
    keyed = careful(q)["cards" if q["kind"] == "verify" else "facts"]
    no_verdict_best = score_question(q, picks(q, keyed), texts).points
    for size in range(len(offered) + 1):
        for chosen in combinations(offered, size):
            assert score_question(q, picks(q, chosen), texts).points <= no_verdict_best


def test_no_pick_of_cards_or_facts_beats_a_careful_answer(lesson):
    for q in lesson["questions"]:
        assert_never_pays(q, texts_of(lesson))


def test_no_shipped_verify_or_omission_question_pays_for_picking_everything(shipped_library):
    checked = 0
    for lesson in shipped_library.lessons.values():
        for q in lesson["questions"]:
            if q["kind"] in ("verify", "omission"):
                assert_never_pays(q, texts_of(lesson))
                assert set(lesson["cards"]) <= set(shipped_library.cards)
                checked += 1
    assert checked >= 20
