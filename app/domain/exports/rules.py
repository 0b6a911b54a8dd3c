"""The app's scoring rules as an export can carry them: one map per response.

A question is scored in parts, one per response a student gives: the words (or sentences)
marked on an excerpt, the frame chosen, the verdict, the cards or facts picked. Each part
here is a *map*: a value for each unit or option, a value for anything else (the penalty
for a wrong mark), and a floor. This is what QTI's ``qti-mapping`` says, so a QTI item
scores a part by ``qti-map-response`` and adds the parts up; the QTI writer adds the one
rule a map cannot hold (:attr:`UnitMap.bridges`). Every value is read from the compiled
question and the constants of :mod:`app.domain.scoring` and :mod:`app.domain.checking`,
the same ones the quiz scores with: nothing here judges a word again.

The rules, as :func:`app.domain.scoring.score_phrases` applies them to marked words: a key
phrase is worth 1 point shared across its words, so each of its words is worth 1/n; a
debatable word, an aside (a loaded phrase the question does not ask about, a frame signal)
is worth 0; a control and any other word cost :data:`~app.domain.scoring.WRONG_WORD_PENALTY`;
one unexplained word between two marked judged words costs nothing (a *bridge*); the part
never drops below 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.checking import CONTROL_CARD_PENALTY, VERDICTS, WRONG_FACT_PENALTY
from app.domain.scoring import WRONG_SENTENCE_PENALTY, WRONG_WORD_PENALTY, accepted_frames
from app.domain.text import words


@dataclass(frozen=True, slots=True)
class UnitMap:
    """A part scored on the words (``unit`` "word") or sentences of one excerpt.

    ``values``: every unit whose value is not ``-penalty`` (key units, free units) and the
    controls (``-penalty``, listed so the key says which neutral units it names);
    ``bridges``: the words that cost nothing when both their neighbours are marked (each
    neighbour is a key or free word); ``max_points``: what the part is worth at most.
    """

    excerpt: str
    unit: str
    values: dict[int, float]
    penalty: float
    bridges: tuple[int, ...]
    max_points: float


@dataclass(frozen=True, slots=True)
class OptionMap:
    """A part scored on the options picked: ``values`` by option id (any option not
    listed is worth ``default``); ``multiple`` when a student may pick several."""

    values: dict[str, float]
    default: float
    multiple: bool
    max_points: float


@dataclass(frozen=True, slots=True)
class Part:
    """One response of a question and how it is scored. ``name`` is unique in the
    question (an NCName: it becomes the QTI response identifier)."""

    name: str
    scoring: UnitMap | OptionMap


@dataclass(frozen=True, slots=True)
class OptionFeedback:
    """What a student who chose ``option_id`` is told, as the feedback page says it."""

    option_id: str
    text: str
    right: bool
    feedback: str


def phrase_map(holder: Mapping[str, Any], key: str, excerpt: str, text: str) -> UnitMap:
    """The map of a word-marking part: ``holder[key]`` are its key phrases (``phrases``,
    ``terms`` or ``signals``), with the holder's controls, debatable items and asides."""
    free: set[int] = set()
    for item in [*(holder.get("debatable") or []), *(holder.get("asides") or [])]:
        free.update(item["words"])
    values: dict[int, float] = {}
    keyed: set[int] = set()
    phrases = holder.get(key) or []
    for phrase in phrases:
        share = 1 / len(phrase["words"])
        keyed.update(phrase["words"])
        for index in phrase["words"]:
            values[index] = 0.0 if index in free else share
    control_words: set[int] = set()
    for control in holder.get("controls") or []:
        control_words.update(control["words"])
    for index in control_words - keyed - free:
        values[index] = -WRONG_WORD_PENALTY
    for index in free - keyed:
        values[index] = 0.0
    judged = keyed | free
    bridges = tuple(index for index in range(len(words(text)))
                    if index not in judged and index not in control_words
                    and index - 1 in judged and index + 1 in judged)
    return UnitMap(excerpt, "word", dict(sorted(values.items())), WRONG_WORD_PENALTY, bridges,
                   float(len(phrases)))


def sentence_map(question: Mapping[str, Any]) -> UnitMap:
    """The map of a sourcing question: each gap's sentence 1 point, a debatable sentence
    nothing, a control and any other sentence cost :data:`WRONG_SENTENCE_PENALTY`."""
    values: dict[int, float] = {}
    for control in question.get("controls") or []:
        values[control["sentence"]] = -WRONG_SENTENCE_PENALTY
    for item in question.get("debatable") or []:
        values[item["sentence"]] = 0.0
    gaps = {gap["sentence"] for gap in question["gaps"]}
    for sentence in gaps:
        values[sentence] = 1.0
    return UnitMap(question["excerpt"], "sentence", dict(sorted(values.items())),
                   WRONG_SENTENCE_PENALTY, (), float(len(gaps)))


def frame_map(question: Mapping[str, Any], side: Mapping[str, Any] | None = None) -> OptionMap:
    """The frame choice of a framing question (or of one compare side): 1 point for any
    frame the key accepts."""
    accepted = {frame["id"]: 1.0 for frame in accepted_frames(question, side)}
    return OptionMap(accepted, 0.0, False, 1.0)


def parts(question: Mapping[str, Any], texts: Mapping[str, str]) -> list[Part]:
    """Every scored response of a question, in the order the student meets them."""
    kind = question["kind"]
    if kind == "loaded_terms":
        ref = question["excerpt"]
        return [Part("WORDS", phrase_map(question, "phrases", ref, texts[ref]))]
    if kind == "sourcing":
        return [Part("SENTENCES", sentence_map(question))]
    if kind == "framing":
        found = [Part("FRAME", frame_map(question))]
        if question.get("signals"):
            ref = question["excerpt"]
            found.append(Part("SIGNALS", phrase_map(question, "signals", ref, texts[ref])))
        return found
    if kind == "compare":
        found = []
        for number, side in enumerate(question["sides"], start=1):
            ref = side["excerpt"]
            found.append(Part(f"TERMS_{number}", phrase_map(side, "terms", ref, texts[ref])))
            found.append(Part(f"FRAME_{number}", frame_map(question, side)))
        return found
    if kind == "verify":
        deciding = [card for card in question["cards"] if card["decides"]]
        cards = {card["id"]: (1 / len(deciding) if card["decides"] else -CONTROL_CARD_PENALTY)
                 for card in question["cards"]}
        return [Part("VERDICT", OptionMap({question["verdict"]: 1.0}, 0.0, False, 1.0)),
                Part("CARDS", OptionMap(cards, 0.0, True, 1.0))]
    if kind == "omission":
        facts = {fact["ref"]: (1.0 if fact["role"] == "omitted" else -WRONG_FACT_PENALTY)
                 for fact in question["facts"]}
        omitted = sum(1 for value in facts.values() if value > 0)
        return [Part("FACTS", OptionMap(facts, 0.0, True, float(omitted)))]
    raise ValueError(f"unknown question kind {kind!r}")


def verdict_options() -> list[tuple[str, str]]:
    """The verdicts a verify question offers, ``(id, label)``, in the quiz's order."""
    return list(VERDICTS.items())


def _frames_line(frames: Sequence[Mapping[str, str]], lead_one: str, lead_two: str) -> str:
    if not frames:
        return ""
    if len(frames) == 1:
        return f"{lead_one} {frames[0]['text']}: {frames[0]['why']}"
    listed = "; ".join(f"{frame['text']}: {frame['why']}" for frame in frames)
    return f"{lead_two} {listed}"


def choice_feedback(question: Mapping[str, Any],
                    side: Mapping[str, Any] | None = None) -> list[OptionFeedback]:
    """Per option of a framing question (or of one compare side), what the feedback page
    tells a student who chose it: a right choice with its evidence and any other
    defensible frame; a wrong one with the option's feedback and the frame(s) the key
    accepts, each with its evidence (``app/templates/student/_verdicts.html``)."""
    accepted = accepted_frames(question, side)
    told = []
    for option in question["options"]:
        mine = next((frame for frame in accepted if frame["id"] == option["id"]), None)
        if mine is not None:
            others = [frame for frame in accepted if frame["id"] != option["id"]]
            text = f"Right: {option['text']}. {mine['why']}"
            rest = _frames_line(others, "The other defensible frame:",
                                "The other defensible frames:")
        else:
            text = option.get("feedback") or f"You chose {option['text']}."
            rest = _frames_line(accepted, "The frame is",
                                "Two frames are defensible here, and either earns the point:")
        told.append(OptionFeedback(option["id"], option["text"], mine is not None,
                                   " ".join(part for part in (text, rest) if part)))
    return told
