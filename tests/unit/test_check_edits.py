"""Verify and omission questions in the lesson editor, as pure functions: the page's fields
read into the question's fields, written into the lesson source, the shelf arranged as
rows, problems placed beside their field, and a compiled question turned back into its
lesson file (export, and versions stored without their file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import check_edits
from app.domain.issue_places import place, question_part
from app.domain.lesson_edits import EditRefused, QuestionMissing
from app.domain.lesson_files import emit_lesson, parse_source, source_from_content
from app.domain.lessons import LessonInvalid, compile_lesson

ROOT = Path(__file__).resolve().parents[2]
PATH = "lessons/checking-example.yaml"
LESSON = (ROOT / "tests" / "data" / "checking-example.yaml").read_text(encoding="utf-8")
JANUARY, TREATY, HRW = "example-january-2022", "example-csto-treaty", "example-hrw"


def verify_page(**changes):
    """The fields a verify question's page sends: three cards offered of the shelf's rows."""
    pairs = [("csrf_token", "x"), ("check", "1"),
             ("check-claim", changes.get("claim", " on an invitation of the Kazakh government ")),
             ("check-occurrence", changes.get("occurrence", "")),
             ("check-verdict", changes.get("verdict", "supported")),
             ("check-why", "Because the January card says so. ")]
    for card, offered, decides in changes.get("cards", ((JANUARY, True, True),
                                                        (TREATY, True, False),
                                                        (HRW, True, False),
                                                        ("another-card", False, True))):
        if offered:
            pairs.append(("check-card", card))
        if decides:
            pairs.append(("check-decides", card))
        pairs.append((f"check-card-why-{card}", f"Why {card}."))
    return pairs


def test_the_verify_page_reads_as_the_fields_a_lesson_file_writes():
    typed = check_edits.read_check("verify", verify_page())
    assert [row["card"] for row in typed["rows"]] == [JANUARY, TREATY, HRW, "another-card"]
    assert typed["rows"][3] == {"card": "another-card", "offered": False, "decides": True,
                                "why": "Why another-card."}
    fields = check_edits.check_fields("verify", typed)
    assert fields == {
        "claim": "on an invitation of the Kazakh government", "verdict": "supported",
        "why": "Because the January card says so.",
        "cards": [{"card": JANUARY, "decides": True, "why": f"Why {JANUARY}."},
                  {"card": TREATY, "why": f"Why {TREATY}."},
                  {"card": HRW, "why": f"Why {HRW}."}]}
    assert check_edits.check_fields(
        "verify", check_edits.read_check("verify", verify_page(occurrence="2")))["occurrence"] == 2
    # Not a number: kept as typed, for the compiler to refuse in its own words.
    assert check_edits.check_fields(
        "verify", check_edits.read_check("verify", verify_page(occurrence="two"))
    )["occurrence"] == "two"


def test_the_omission_page_reads_each_facts_role_and_why():
    pairs = [("check-why", ""), ("check-fact", f"{JANUARY}#shoot-to-kill"),
             (f"check-role-{JANUARY}#shoot-to-kill", "omitted"),
             (f"check-fact-why-{JANUARY}#shoot-to-kill", "It matters. "),
             (f"check-role-{TREATY}#signed-1992", "unrelated"),
             (f"check-fact-why-{TREATY}#signed-1992", "Typed, then unticked.")]
    typed = check_edits.read_check("omission", pairs)
    assert typed["rows"][1] == {"fact": f"{TREATY}#signed-1992", "offered": False,
                                "role": "unrelated", "why": "Typed, then unticked."}
    # No overall why: left out (it is optional).
    assert check_edits.check_fields("omission", typed) == {"facts": [
        {"fact": f"{JANUARY}#shoot-to-kill", "role": "omitted", "why": "It matters."}]}


def test_setting_the_check_part_replaces_it_and_nothing_else():
    source = parse_source(LESSON, PATH)
    fields = check_edits.check_fields("verify", check_edits.read_check(
        "verify", verify_page(verdict="not_decided")))
    changed = check_edits.set_check(source, "invited", fields)
    question = changed["questions"][0]
    assert question["verdict"] == "not_decided" and question["id"] == "invited"
    assert question["excerpt"] == "troops" and "occurrence" not in question
    assert source["questions"][0]["verdict"] == "supported"  # the argument is untouched
    assert changed["questions"][1] == source["questions"][1]
    assert not check_edits.same_check(source["questions"][0], fields)
    assert check_edits.same_check(changed["questions"][0], fields)
    with pytest.raises(QuestionMissing):
        check_edits.set_check(source, "nope", fields)
    framing = {"excerpts": [], "questions": [{"id": "f", "kind": "framing"}]}
    with pytest.raises(EditRefused):
        check_edits.set_check(framing, "f", fields)


def test_a_stored_question_reads_back_as_its_page():
    source = parse_source(LESSON, PATH)
    for question in source["questions"]:
        kind = question["kind"]
        typed = check_edits.typed_from_question(question)
        fields = check_edits.check_fields(kind, typed)
        assert check_edits.set_check(source, question["id"], fields) == source


def test_the_shelf_is_shown_offered_cards_first_then_the_rest_by_kind_and_title(
        example_cards):
    typed = check_edits.typed_from_question(parse_source(LESSON, PATH)["questions"][0])
    typed["rows"].insert(1, {"card": "gone-card", "offered": True, "decides": False,
                             "why": "Was here."})
    offered, others = check_edits.card_rows(typed, example_cards)
    assert [(row["card_id"], row["card"] is None) for row in offered] == [
        (JANUARY, False), ("gone-card", True), (TREATY, False), (HRW, False)]
    assert others == []
    offered, others = check_edits.card_rows({"rows": []}, example_cards)
    kinds = [(row["card"]["kind"], row["card"]["title"].casefold()) for row in others]
    assert kinds == sorted(kinds, key=lambda pair: (pair[0] != "fact", pair[1]))
    assert {row["card_id"] for row in others} == set(example_cards)


def test_the_shelfs_facts_are_grouped_by_card_after_the_offered_ones(example_cards):
    omission = parse_source(LESSON, PATH)["questions"][1]
    offered, groups = check_edits.fact_rows(check_edits.typed_from_question(omission),
                                            example_cards)
    assert [row["ref"] for row in offered] == [fact["fact"] for fact in omission["facts"]]
    assert all(row["fact"] is not None for row in offered)
    shown = {row["ref"] for group in groups for row in group["rows"]}
    every = {f"{card_id}#{fact['id']}" for card_id, card in example_cards.items()
             for fact in card["facts"]}
    assert shown == every - {row["ref"] for row in offered}


def test_a_compiler_problem_is_placed_beside_its_field(documents, example_cards):
    source = parse_source(LESSON, PATH)
    source["questions"][0]["claim"] = "an invitation nobody wrote"
    source["questions"][0]["cards"][1]["card"] = "no-such-card"
    text = emit_lesson(source)
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, PATH, documents, shelf=example_cards)
    placed = place(text, raised.value.issues)
    parts = {question_part(issue.path[2:]) for issue in placed}
    assert ("claim", None) in parts and ("cards", 1) in parts
    # A claim is typed, not marked: the advice says so.
    claim = next(issue.message for issue in placed if issue.path[2:] == ("claim",))
    assert claim.startswith("“an invitation nobody wrote” is not in the excerpt")
    assert "mark it again" not in claim
    assert question_part(("facts", 3, "role")) == ("facts", 3)
    assert question_part(("verdict",)) == ("verdict", None)
    assert question_part(("why",)) == ("check-why", None)


def test_a_compiled_lesson_turns_back_into_its_file(documents, example_cards):
    compiled = compile_lesson(LESSON, PATH, documents, shelf=example_cards)
    source = source_from_content(compiled, documents)
    text = emit_lesson(source)
    assert compile_lesson(text, PATH, documents, shelf=example_cards) == compiled
    assert parse_source(text, PATH) == source
    verify = source["questions"][0]
    assert list(verify) == ["id", "kind", "prompt", "excerpt", "claim", "verdict", "why",
                            "cards"]
    assert verify["cards"][1] == {"card": TREATY, "why": compiled["questions"][0]["cards"][1][
        "why"]}


def test_a_claim_that_appears_twice_keeps_its_occurrence(documents, example_cards):
    source = parse_source(LESSON, PATH)
    source["excerpts"][0]["quote"] = (
        "The President’s order was fulfilled, and indeed in a few days the riots subsided. "
        "But now a new problem was on the agenda.")
    source["questions"] = [source["questions"][0]]
    source["questions"][0].update(claim="the", occurrence=2)
    compiled = compile_lesson(emit_lesson(source), PATH, documents, shelf=example_cards)
    back = source_from_content(compiled, documents)
    assert back["questions"][0]["occurrence"] == 2
    assert compile_lesson(emit_lesson(back), PATH, documents, shelf=example_cards) == compiled


def test_the_problems_of_an_unwritten_question_say_what_to_choose(documents, example_cards):
    source = parse_source(LESSON, PATH)
    source["questions"][0].update(verdict="", why="", cards=[
        {"card": JANUARY, "why": ""}, {"card": TREATY, "why": "Not this."}])
    source["questions"][1]["facts"] = [{"fact": f"{JANUARY}#shoot-to-kill", "role": "",
                                        "why": "It matters."}]
    text = emit_lesson(source)
    with pytest.raises(LessonInvalid) as raised:
        compile_lesson(text, PATH, documents, shelf=example_cards)
    messages = {issue.message for issue in place(text, raised.value.issues)}
    assert {"Choose the verdict.", "Choose its role.",
            "Write why: the explanation students read after answering.",
            "Write why: what this card has to do with it.",
            "Offer 3 to 6 cards (now 2).", "Offer 4 to 10 facts (now 1).",
            "Give at least one fact the role “Left out of the excerpt”.",
            "Tick “It decides the claim” for at least one card."} <= messages
