"""Scoring for every question kind: plain data in, points and explained verdicts out.

A scorer receives the compiled question (see :mod:`app.domain.lessons`), the student's
response (see :mod:`app.domain.responses`) and the texts of the lesson's excerpts. It
returns points, the maximum, and one verdict per key item or wrong mark; the feedback
page renders the verdicts, and attempts store them as they were.

The rules, stated to students on every question and in ``lessons/README.md``:

* a loaded phrase is worth 1 point, shared across its words (2 of 3 words = 0.67);
* every marked word that is in no loaded phrase costs 0.5 points;
* a frame choice is worth 1 point, whichever of the frames the key accepts it names (a
  question may accept two frames as defensible, each with its evidence);
* an unsourced sentence found is worth 1 point; selecting a sentence that is not a
  sourcing gap costs 1 point;
* what the key calls debatable never earns or costs, and neither does a loaded phrase the
  question does not ask about, a frame signal, or one word joining two judged phrases;
* a question never scores below 0.

Because wrong marks cost and lessons contain neutral controls, marking everything never
pays: the lesson validator refuses a question where it would earn anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.domain import checking
from app.domain.question_result import QuestionResult
from app.domain.question_result import round_points as _round
from app.domain.text import sentences, words

WRONG_WORD_PENALTY = 0.5
WRONG_SENTENCE_PENALTY = 1.0

# What a wrong mark is told when the key has no explanation for it. It never claims the
# words are neutral: only an explicit control (a reading's ``neutral`` or ``sourced``
# entry) can say that, and then the student sees its why instead.
NOT_IN_KEY = (
    "Not in this lesson's key. That does not make these words neutral: the lesson does not "
    "count them as loaded, and it explains only the words it does count. If you think they "
    "judge the people or events, say why."
)
BRIDGE = (
    "Joins two phrases you marked that the key judges; a word marked only to join them "
    "neither earns nor costs."
)
NOT_A_SIGNAL = (
    "Not one of the phrases this question counts as signalling the frame (which does not "
    "make it neutral)."
)
NOT_A_TERM = (
    "Not one of the words this question asks for in this excerpt. That does not make them "
    "neutral: the lesson does not count them here."
)
NOT_A_STAND_IN = (
    "Not one of the phrases this lesson counts as standing in for a source in this excerpt."
)
NOT_A_GAP = (
    "Not a sourcing gap in this lesson's key. The lesson does not explain this sentence; if "
    "you think it makes a claim without a checkable source, say why."
)

RULES = {
    "loaded_terms": (
        "Each loaded phrase is worth 1 point, shared across its words. Each word you mark "
        "that is not loaded costs 0.5 points. Words the key calls debatable never earn or "
        "cost points. The score never drops below 0."
    ),
    "framing": (
        "The frame is worth 1 point. Any signal phrases are worth 1 point each, shared "
        "across their words; each word marked that is not a signal costs 0.5 points."
    ),
    "sourcing": (
        "Each sentence that makes a claim without a named, checkable source is worth 1 "
        "point. Each sentence you select that is not a sourcing gap costs 1 point. Sentences "
        "the key calls debatable never earn or cost points. The score never drops below 0."
    ),
    "compare": (
        "For each excerpt: the right frame is worth 1 point, and the term it uses is worth "
        "1 point, shared across its words. Each word marked that is not that term costs "
        "0.5 points; debatable words never earn or cost. The score never drops below 0."
    ),
    **checking.RULES,
}

Question = Mapping[str, Any]
Response = Mapping[str, Any]


def cited(item: Mapping[str, Any]) -> dict[str, list[str]]:
    """The public sources a key item's explanation cites, as verdict fields (none: {})."""
    return {"sources": list(item["sources"])} if item.get("sources") else {}


def _runs(indices: Iterable[int]) -> list[list[int]]:
    """Group sorted indices into runs of consecutive numbers: 1,2,5 -> [1,2],[5]."""
    runs: list[list[int]] = []
    for index in sorted(set(indices)):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def score_phrases(
    phrases: list[Mapping[str, Any]],
    marked: Iterable[int],
    excerpt_text: str,
    controls: list[Mapping[str, Any]] | None = None,
    not_keyed: str = NOT_IN_KEY,
    *,
    debatable: list[Mapping[str, Any]] | None = None,
    asides: list[Mapping[str, Any]] | None = None,
) -> QuestionResult:
    """Score marked words against key phrases with partial credit and wrong-mark costs.

    Each phrase is worth 1 point times the share of its words that were marked. Each
    marked word outside every phrase costs :data:`WRONG_WORD_PENALTY`. Wrong words inside
    a control phrase are reported with that control's explanation; other wrong words are
    reported in runs of consecutive words with ``not_keyed``. Words of a ``debatable``
    phrase or an ``aside`` (a loaded phrase the question does not ask about, a frame
    signal) neither earn nor cost: a debatable phrase is always reported with both cases,
    an aside only when marked. The total is floored at 0.
    """
    marked_set = set(marked)
    free: set[int] = set()
    extra: list[dict[str, Any]] = []
    for item in debatable or []:
        free.update(item["words"])
        extra.append({"type": "debatable", "text": item["text"], "words": list(item["words"]),
                      "marked": [i for i in item["words"] if i in marked_set],
                      "for": item["for"], "against": item["against"],
                      "neutral": item.get("neutral", ""),
                      **cited(item)})
    for item in asides or []:
        free.update(item["words"])
        hit = [i for i in item["words"] if i in marked_set]
        if hit:
            extra.append({"type": "aside", "text": item["text"], "words": list(item["words"]),
                          "marked": hit, "penalty": 0.0, "why": item["why"]})
    everything_marked = set(marked_set)
    marked_set -= free
    spans = words(excerpt_text)
    verdicts: list[dict[str, Any]] = []
    earned = 0.0
    keyed: set[int] = set()
    for phrase in phrases:
        phrase_words = list(phrase["words"])
        keyed.update(phrase_words)
        hit = [i for i in phrase_words if i in marked_set]
        credit = len(hit) / len(phrase_words)
        earned += credit
        verdict = "found" if credit == 1 else "partial" if hit else "missed"
        verdicts.append(
            {
                "type": verdict,
                "text": phrase["text"],
                "words": phrase_words,
                "marked": hit,
                "credit": _round(credit),
                "neutral": phrase.get("neutral", ""),
                "why": phrase.get("why", ""),
                **cited(phrase),
            }
        )
    wrong = marked_set - keyed
    unexplained = set(wrong)
    groups: list[tuple[list[int], str]] = []
    for control in controls or []:
        covered = sorted(unexplained & set(control["words"]))
        if covered:
            groups.append((covered, str(control["why"])))
            unexplained -= set(covered)
    # One unexplained word joining two marked phrases of the key ("gangs of presumably
    # foreign-trained terrorists") is how people mark a run of words; it costs nothing.
    judged = keyed | free
    for run in _runs(unexplained):
        index = run[0]
        if len(run) == 1 and {index - 1, index + 1} <= everything_marked & judged:
            unexplained.discard(index)
            wrong.discard(index)
            extra.append({"type": "aside", "text": spans[index].text, "words": run,
                          "marked": run, "penalty": 0.0, "why": BRIDGE})
    groups.extend((run, not_keyed) for run in _runs(unexplained))
    groups.sort(key=lambda group: group[0][0])
    for group, why in groups:
        verdicts.append(
            {
                "type": "wrong",
                "text": " … ".join(excerpt_text[spans[run[0]].start:spans[run[-1]].end]
                                   for run in _runs(group)),
                "words": group,
                "penalty": _round(WRONG_WORD_PENALTY * len(group)),
                "why": why,
            }
        )
    verdicts.extend(extra)
    points = max(0.0, earned - WRONG_WORD_PENALTY * len(wrong))
    return QuestionResult(_round(points), float(len(phrases)), verdicts)


def _control_reason(controls: list[Mapping[str, Any]], sentence: int) -> str | None:
    for control in controls:
        if control["sentence"] == sentence:
            return str(control["why"])
    return None


def accepted_frames(question: Question,
                    side: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """The frames the key accepts for a framing question (or one side of a compare
    question), each with its evidence: ``[{"id", "text", "frame", "why"}]``, the main one
    first. A framing question may accept two options (``correct: true``), a compare side a
    second frame (``also_frame``); ``frame`` is the vocabulary id ("" if none)."""
    by_id = {option["id"]: option for option in question["options"]}
    if side is None:
        pairs = [(option["id"], option["feedback"]) for option in question["options"]
                 if option["correct"]]
    else:
        pairs = [(side[key], side.get(why) or by_id.get(side[key], {}).get("feedback", ""))
                 for key, why in (("frame", "frame_why"), ("also_frame", "also_why"))
                 if side.get(key)]
    return [{"id": option_id, "text": by_id[option_id]["text"],
             "frame": by_id[option_id].get("frame", ""), "why": why}
            for option_id, why in pairs if option_id in by_id]


def _score_choice(options: list[Mapping[str, Any]], chosen: str | None,
                  accepted: list[dict[str, str]]) -> tuple[float, dict[str, Any]]:
    """1 point for any accepted frame; the verdict lists every accepted frame with its
    evidence (``correct`` and ``correct_text`` name the main one)."""
    by_id = {option["id"]: option for option in options}
    right = chosen in {frame["id"] for frame in accepted}
    verdict = {
        "type": "choice",
        "chosen": chosen,
        "chosen_text": by_id[chosen]["text"] if chosen in by_id else None,
        "correct": accepted[0]["id"],
        "correct_text": accepted[0]["text"],
        "right": right,
        "feedback": by_id[chosen]["feedback"] if chosen in by_id else "",
        "correct_feedback": accepted[0]["why"],
        "accepted": accepted,
    }
    return (1.0 if right else 0.0), verdict


def score_loaded_terms(question: Question, response: Response,
                       excerpts: Mapping[str, str]) -> QuestionResult:
    """Score a ``loaded_terms`` question: key phrases found in the student's marked words."""
    return score_phrases(question["phrases"], response.get("words", []),
                         excerpts[question["excerpt"]], question.get("controls"),
                         not_keyed_message(question), debatable=question.get("debatable"),
                         asides=question.get("asides"))


def not_keyed_message(question: Question) -> str:
    """What a wrong mark with no control to explain it is told, fitted to the prompt."""
    if question["kind"] == "framing":
        return NOT_A_SIGNAL
    if question.get("mark") == "stand_ins":
        return NOT_A_STAND_IN
    if question["kind"] == "compare" or question.get("about"):
        return NOT_A_TERM
    return NOT_IN_KEY


def score_framing(question: Question, response: Response,
                  excerpts: Mapping[str, str]) -> QuestionResult:
    """Score a ``framing`` question: the frame chosen (any option marked correct earns it),
    plus signal words if the key has any."""
    points, verdict = _score_choice(question["options"], response.get("choice"),
                                    accepted_frames(question))
    verdicts = [verdict]
    max_points = 1.0
    if question.get("signals"):
        signals = score_phrases(question["signals"], response.get("words", []),
                                excerpts[question["excerpt"]],
                                not_keyed=not_keyed_message(question))
        points += signals.points
        max_points += signals.max_points
        verdicts.extend(signals.verdicts)
    return QuestionResult(_round(points), max_points, verdicts)


def score_sourcing(question: Question, response: Response,
                   excerpts: Mapping[str, str]) -> QuestionResult:
    """Score a ``sourcing`` question: unsourced sentences found, other selections cost."""
    selected = set(response.get("sentences", []))
    spans = sentences(excerpts[question["excerpt"]])
    verdicts: list[dict[str, Any]] = []
    gap_sentences = {gap["sentence"] for gap in question["gaps"]}
    for gap in question["gaps"]:
        verdicts.append(
            {
                "type": "found" if gap["sentence"] in selected else "missed",
                "text": spans[gap["sentence"]].text,
                "phrase": gap["text"],
                "sentence": gap["sentence"],
                "reason": gap["reason"],
                "why": gap["why"],
                **cited(gap),
            }
        )
    free = {item["sentence"] for item in question.get("debatable") or []}
    found = len(selected & gap_sentences)
    wrong = sorted(selected - gap_sentences - free)
    controls = question.get("controls") or []
    for index in wrong:
        verdicts.append(
            {
                "type": "wrong",
                "text": spans[index].text,
                "sentence": index,
                "penalty": WRONG_SENTENCE_PENALTY,
                "why": _control_reason(controls, index) or NOT_A_GAP,
            }
        )
    for item in question.get("debatable") or []:
        verdicts.append({"type": "debatable", "text": spans[item["sentence"]].text,
                         "phrase": item["text"], "sentence": item["sentence"],
                         "marked": [item["sentence"]] if item["sentence"] in selected else [],
                         "for": item["for"], "against": item["against"],
                         **cited(item)})
    points = max(0.0, found - WRONG_SENTENCE_PENALTY * len(wrong))
    return QuestionResult(_round(points), float(len(gap_sentences)), verdicts)


def score_compare(question: Question, response: Response,
                  excerpts: Mapping[str, str]) -> QuestionResult:
    """Score a ``compare`` question: per excerpt, its frame and the term it uses."""
    sides_response = list(response.get("sides", []))
    points = 0.0
    max_points = 0.0
    verdicts: list[dict[str, Any]] = []
    for number, side in enumerate(question["sides"]):
        answer = sides_response[number] if number < len(sides_response) else {}
        choice_points, choice = _score_choice(question["options"], answer.get("choice"),
                                              accepted_frames(question, side))
        choice["side"] = number
        terms = score_phrases(side["terms"], answer.get("words", []), excerpts[side["excerpt"]],
                              side.get("controls"), not_keyed_message(question),
                              debatable=side.get("debatable"), asides=side.get("asides"))
        for verdict in terms.verdicts:
            verdict["side"] = number
        points += choice_points + terms.points
        max_points += 1.0 + terms.max_points
        verdicts.append(choice)
        verdicts.extend(terms.verdicts)
    return QuestionResult(_round(points), max_points, verdicts)


Scorer = Callable[[Question, Response, Mapping[str, str]], QuestionResult]

SCORERS: dict[str, Scorer] = {
    "loaded_terms": score_loaded_terms,
    "framing": score_framing,
    "sourcing": score_sourcing,
    "compare": score_compare,
    **checking.SCORERS,
}


def score_question(question: Question, response: Response,
                   excerpts: Mapping[str, str]) -> QuestionResult:
    """Score any question by its kind (the registry is :data:`SCORERS`)."""
    return SCORERS[question["kind"]](question, response, excerpts)


def mark_everything(question: Question, excerpts: Mapping[str, str]) -> dict[str, Any]:
    """The response of a student who ticks every box (and picks nothing).

    The validator scores it to prove that marking everything never pays.
    """
    kind = question["kind"]
    if kind in checking.SCORERS:
        return checking.mark_everything(question)
    if kind == "sourcing":
        return {"sentences": list(range(len(sentences(excerpts[question["excerpt"]]))))}
    if kind == "compare":
        return {"sides": [{"choice": None, "words": list(range(len(words(excerpts[s["excerpt"]]))))}
                          for s in question["sides"]]}
    return {"choice": None, "words": list(range(len(words(excerpts[question["excerpt"]]))))}
