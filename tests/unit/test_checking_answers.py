"""Answers to a claim to check (verify) and to what an excerpt leaves out (omission): the
form read into responses, what counts as answered, and the marks written back as fields
(app/domain/responses.py, app/domain/progress.py). Plain data, no app."""

from __future__ import annotations

import pytest

from app.domain.progress import as_fields, merge, question_state, unanswered
from app.domain.responses import (
    BadResponse,
    field_names,
    is_blank,
    parse_response,
    parse_submission,
    salvage,
)

TEXTS = {"x": "Over ninety percent of the population is poor, the panel said."}
VERIFY = {"id": "v", "kind": "verify", "prompt": "Check it.", "excerpt": "x",
          "claim": {"text": "Over ninety percent", "start": 0, "end": 19},
          "verdict": "contradicted", "why": "The survey says otherwise.",
          "cards": [{"id": "poverty-survey", "decides": True, "why": "Counts it."},
                    {"id": "dam-history", "decides": False, "why": "About a dam."},
                    {"id": "alliance", "decides": False, "why": "About an alliance."}]}
OMISSION = {"id": "o", "kind": "omission", "prompt": "What is left out?", "excerpt": "x",
            "why": "",
            "facts": [{"ref": f"timeline#{fact}", "card": "timeline", "fact": fact,
                       "role": role, "why": "Because."}
                      for fact, role in (("orders", "omitted"), ("deaths", "omitted"),
                                         ("request", "stated"))]
            + [{"ref": "dam-history#begun", "card": "dam-history", "fact": "begun",
                "role": "unrelated", "why": "Another story."}]}
LESSON = [VERIFY, OMISSION]


def form_of(fields: dict[str, list[str]]):
    return lambda name: fields.get(name, [])


def parse(fields: dict[str, list[str]]):
    return parse_submission(LESSON, TEXTS, list(fields), form_of(fields),
                            frozenset({"csrf_token"}))


def test_their_fields_are_a_verdict_and_cards_or_facts():
    assert field_names(VERIFY) == {"v.verdict", "v.card"}
    assert field_names(OMISSION) == {"o.fact"}


def test_a_verdict_and_picks_become_one_response_each_in_the_offered_order():
    responses = parse({"v.verdict": ["contradicted"], "v.card": ["alliance", "poverty-survey",
                                                                  "alliance"],
                       "o.fact": ["dam-history#begun", "timeline#orders"],
                       "csrf_token": ["t"]})
    assert responses == {"v": {"verdict": "contradicted",
                               "cards": ["poverty-survey", "alliance"]},
                         "o": {"facts": ["timeline#orders", "dam-history#begun"]}}


def test_nothing_chosen_is_a_blank_answer_not_an_error():
    assert parse_response(VERIFY, TEXTS, form_of({"v.verdict": [""]})) == {
        "verdict": None, "cards": []}
    assert parse_response(OMISSION, TEXTS, form_of({})) == {"facts": []}
    assert is_blank({"verdict": None, "cards": []}) and is_blank({"facts": []})
    assert not is_blank({"verdict": None, "cards": ["alliance"]})
    assert not is_blank({"verdict": "supported", "cards": []})
    assert not is_blank({"facts": ["timeline#orders"]})
    with pytest.raises(BadResponse, match="not marked or chosen anything"):
        parse({"v.verdict": [""], "csrf_token": ["t"]})


@pytest.mark.parametrize(("fields", "message"), [
    ({"v.verdict": ["true"]}, "not one of the choices"),
    ({"v.verdict": ["Supported"]}, "not one of the choices"),
    ({"v.verdict": ["supported", "contradicted"]}, "only one verdict"),
    ({"v.card": ["no-such-card"]}, "card you picked is not one"),
    ({"v.card": ["timeline#orders"]}, "card you picked is not one"),
    ({"o.fact": ["timeline#nope"]}, "fact you picked is not one"),
    ({"o.fact": ["timeline"]}, "fact you picked is not one"),
    ({"o.fact": ["poverty-survey"]}, "fact you picked is not one"),
])
def test_a_value_no_honest_form_sends_is_refused(fields, message):
    with pytest.raises(BadResponse, match=message):
        parse(fields)


def test_a_field_of_another_kind_is_refused():
    with pytest.raises(BadResponse, match="not in this lesson"):
        parse({"v.fact": ["timeline#orders"]})
    with pytest.raises(BadResponse, match="not in this lesson"):
        parse({"o.card": ["alliance"]})


def test_a_refused_form_keeps_every_valid_pick():
    fields = {"v.verdict": ["maybe", "supported"], "v.card": ["alliance", "forged"],
              "o.fact": ["timeline#deaths", "timeline#forged"]}
    assert salvage(LESSON, TEXTS, form_of(fields)) == {
        "v": {"verdict": "supported", "cards": ["alliance"]},
        "o": {"facts": ["timeline#deaths"]}}


def test_a_claim_is_answered_by_its_verdict_and_an_omission_by_any_fact():
    assert question_state(VERIFY, {"verdict": "supported", "cards": []}) == ("answered", "")
    assert question_state(VERIFY, {"verdict": None, "cards": ["alliance"]}) == (
        "partial", "no verdict chosen")
    assert question_state(VERIFY, None) == ("blank", "no verdict chosen")
    assert question_state(OMISSION, {"facts": ["timeline#request"]}) == ("answered", "")
    assert question_state(OMISSION, {"facts": []}) == ("blank", "no facts picked")
    missing = unanswered(LESSON, {"v": {"verdict": None, "cards": ["alliance"]}})
    assert [(m.question_id, m.state) for m in missing] == [("v", "partial"), ("o", "blank")]


def test_marks_as_form_fields_read_back_as_the_same_responses():
    marks = {"v": {"verdict": "not_decided", "cards": ["poverty-survey", "dam-history"]},
             "o": {"facts": ["timeline#orders", "dam-history#begun"]}}
    fields = as_fields(LESSON, marks)
    assert fields == [("v.verdict", "not_decided"), ("v.card", "poverty-survey"),
                      ("v.card", "dam-history"), ("o.fact", "timeline#orders"),
                      ("o.fact", "dam-history#begun")]
    values: dict[str, list[str]] = {}
    for name, value in fields:
        values.setdefault(name, []).append(value)
    assert parse_submission(LESSON, TEXTS, list(values), form_of(values)) == marks
    # A saved draft holds the same shape: a page that showed only "o" replaces only it.
    assert merge(marks, {"o": {"facts": []}}, ["o"]) == {**marks, "o": {"facts": []}}
