"""The GIFT questions that are choices in the app too: frames, verdicts, cards and facts.

* A frame choice (a framing question; each excerpt of a compare question, as a question of
  its own) is a multiple-choice question: the frames the key accepts are right (``=``;
  where two are defensible, both are, as in the app), every other option wrong, each with
  what the feedback page tells a student who chose it (:func:`.rules.choice_feedback`).
* A verify question is two: the verdict (multiple choice, one right answer, each answer
  with the feedback page's words and the key's why) and the cards that decide the claim
  (multiple answer). An omission question is one: the facts the excerpt leaves out
  (multiple answer).
* A multiple-answer question is weighted exactly as the app scores that part
  (:func:`.rules.parts`, the maps the QTI items score with): each weight is the option's
  value as a share of the part's points, so a deciding card earns its share of the point
  and another card costs 50 %; a fact left out earns 1/k of k points and another fact
  costs as much. Moodle adds the weights of the options chosen and keeps the sum between 0
  and 100 % (``qtype_multichoice_multi_question::grade_response``), as the app floors the
  part at 0. When a share is not one of Moodle's grades the part is left out and said so.

The key's words (verdict, why, each card's and fact's why and role) are read from
:mod:`app.domain.check_keys` (``verify_key``, ``omission_key``), the arrangement the
answer key page shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.check_keys import omission_key, verify_key
from app.domain.check_shares import ROLE_LABELS
from app.domain.exports import LessonExport
from app.domain.exports.gift_text import (
    Answer,
    cards,
    excerpt,
    h,
    one_line,
    percent,
    write_question,
)
from app.domain.exports.rules import OptionMap, choice_feedback, parts, verdict_options


@dataclass(slots=True)
class Written:
    """GIFT questions written for a lesson, and what was left out with why (one sentence
    each, for the file's opening comment lines)."""

    questions: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def quiz_order(question_id: str, items: Sequence[Mapping[str, Any]],
               key: str) -> list[Mapping[str, Any]]:
    """Cards or facts in the fixed mixed order the quiz shows them in (not the author's,
    who tends to list the right ones first): ``app/student/present_checking._shuffled``."""
    return sorted(items, key=lambda item: hashlib.sha256(
        f"{question_id}:{item[key]}".encode()).hexdigest())


def weights(scoring: OptionMap, option_ids: Sequence[str]) -> dict[str, str] | None:
    """Each option's GIFT weight: its value as a share of the part's points. None when a
    share is not one of Moodle's grades, or the right ones do not add up to the part."""
    shares = {option: scoring.values.get(option, scoring.default) / scoring.max_points
              for option in option_ids}
    shown = {option: percent(share) for option, share in shares.items()}
    if any(weight is None for weight in shown.values()) or \
            abs(sum(share for share in shares.values() if share > 0) - 1) > 1e-6:
        return None
    return {option: str(weight) for option, weight in shown.items()}


def frame_question(export: LessonExport, name: str, question: Mapping[str, Any],
                   side: Mapping[str, Any] | None = None, letter: str = "") -> str:
    """A frame choice: the question's own, or that of excerpt ``letter`` of a compare."""
    if side is None:
        stem = f"<p>{h(question['prompt'])}</p>" + excerpt(export, question["excerpt"])
    else:
        prompt = (f"Which frame fits excerpt {letter}? (From the lesson's question: "
                  f"{question['prompt']})")
        stem = f"<p>{h(prompt)}</p>" + excerpt(export, side["excerpt"], f"Excerpt {letter}")
    return write_question(name, stem, [Answer(option.text, option.feedback, option.right)
                                       for option in choice_feedback(question, side)])


def _worth(offered: Sequence[Mapping[str, Any]], shares: Mapping[str, str], key: str) -> str:
    """What the weights do, in words: "Each right choice earns 50 % of the mark; each
    wrong one costs 50 % (never below 0)." """
    right = sorted({shares[item[key]] for item in offered if float(shares[item[key]]) > 0})
    wrong = sorted({shares[item[key]].lstrip("-") for item in offered
                    if float(shares[item[key]]) < 0})
    return (f"Each right choice earns {' or '.join(right)} % of the mark; each wrong one "
            f"costs {' or '.join(wrong) or '0'} % (never below 0).")


def _picks(export: LessonExport, question: Mapping[str, Any], name: str) -> OptionMap:
    """How the app scores the part ``name`` of a question (the cards, the facts)."""
    scoring = next(part.scoring for part in parts(question, export.texts) if part.name == name)
    if not isinstance(scoring, OptionMap):
        raise TypeError(f"{name} of {question['id']} is not scored on options picked")
    return scoring


def _claim_context(export: LessonExport, question: Mapping[str, Any]) -> str:
    offered = [card["id"] for card in question["cards"]]
    return (f"<p>The claim to check: <strong>“{h(question['claim']['text'])}”</strong></p>"
            + excerpt(export, question["excerpt"], claim=question["claim"])
            + cards(export.content.get("cards") or {}, offered, "The cards"))


def verify_questions(export: LessonExport, name: str, question: Mapping[str, Any]) -> Written:
    """A verify question: its verdict, then the cards that decide the claim."""
    shelf = export.content.get("cards") or {}
    key = verify_key(question, shelf)
    context = _claim_context(export, question)
    written = Written()
    told = []
    for verdict, label in verdict_options():
        if verdict == key["verdict"]:
            told.append(Answer(label, f"Right: {label.lower()}. {key['why']}", right=True))
        else:
            told.append(Answer(label, f"You chose: {label.lower()}. Not so: the claim is "
                                      f"{key['verdict_label'].lower()}. {key['why']}"))
    written.questions.append(write_question(
        f"{name} (verdict)", f"<p>{h(question['prompt'])}</p><p>First, your verdict: do the "
        "cards support the claim, contradict it, or leave it undecided? (The next question "
        "asks for the cards that decide it.)</p>" + context, told))
    offered = quiz_order(question["id"], question["cards"], "id")
    shares = weights(_picks(export, question, "CARDS"), [card["id"] for card in offered])
    if shares is None:
        written.left_out.append(f"{name}: the cards that decide the claim (their shares of "
                                "the point are not grades Moodle accepts)")
        return written
    why = {entry["id"]: (group, entry) for group, _, entries in key["groups"]
           for entry in entries}
    answers = []
    for card in offered:
        group, entry = why[card["id"]]
        answers.append(Answer(one_line(entry["title"]) or card["id"],
                              f"{ROLE_LABELS[group]}: {entry['why']}",
                              weight=shares[card["id"]]))
    written.questions.append(write_question(
        f"{name} (cards)", f"<p>{h(question['prompt'])}</p><p>Now pick the card or cards "
        f"that decide the claim, whatever your verdict. {_worth(offered, shares, 'id')}</p>"
        + context, answers))
    return written


def omission_questions(export: LessonExport, name: str,
                       question: Mapping[str, Any]) -> Written:
    """An omission question: the facts the excerpt leaves out, as multiple answer."""
    shelf = export.content.get("cards") or {}
    key = omission_key(question, shelf)
    offered = quiz_order(question["id"], question["facts"], "ref")
    shares = weights(_picks(export, question, "FACTS"), [fact["ref"] for fact in offered])
    if shares is None:
        return Written(left_out=[f"{name}: its facts (their shares of the mark are not "
                                 "grades Moodle accepts)"])
    facts = {entry["ref"]: entry for _, _, entries in key["groups"] for entry in entries}
    answers = []
    for fact in offered:
        entry = facts[fact["ref"]]
        shown = f"{entry['text']} ({entry['date'] + ', ' if entry['date'] else ''}from the " \
                f"card “{entry['title']}”)"
        answers.append(Answer(shown, f"{entry['role_label']}: {entry['why']}",
                              weight=shares[fact["ref"]]))
    stem = (f"<p>{h(question['prompt'])}</p>" + excerpt(export, question["excerpt"])
            + f"<p>{_worth(offered, shares, 'ref')}</p>"
            + cards(shelf, [card["id"] for card in key["cards"]],
                    "The cards these facts come from"))
    general = f"<p>{h(key['why'])}</p>" if key.get("why") else ""
    return Written([write_question(name, stem, answers, general)])
