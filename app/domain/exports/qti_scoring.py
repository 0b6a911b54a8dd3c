"""The scoring half of a QTI item: declarations and response processing from the parts of
:mod:`app.domain.exports.rules`.

Each part becomes a response declaration whose ``qti-mapping`` holds the part's map (key
units and controls as map entries, everything else the default value, the floor as
``lower-bound``), and a rule adding ``qti-map-response`` of it to ``SCORE``. A word part
with bridges (one word between two marked judged words costs nothing) cannot put its floor
in the mapping, since a bridge gives its penalty back after the sum: it is summed into its
own outcome, each bridge whose three words are all marked adds the penalty back, and the
floor is applied before the part joins ``SCORE``. The result is the score
:func:`app.domain.scoring.score_question` gives, to rounding (the app rounds to two
decimals; a player keeps the float).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 (builds XML only)

from app.domain.exports.qti_xml import el, ident, number
from app.domain.exports.rules import OptionMap, Part, UnitMap

KEY_FEEDBACK = "KEY"  # the modal feedback that shows the key after an attempt


def unit_id(part: Part, index: int) -> str:
    """The identifier of unit ``index`` (a word or a sentence) of a word or sentence part:
    ``W12``, ``S3``; on a compare side, ``W1_12`` (side 1)."""
    assert isinstance(part.scoring, UnitMap)  # noqa: S101
    letter = "W" if part.scoring.unit == "word" else "S"
    side = part.name.rsplit("_", 1)[1] + "_" if "_" in part.name else ""
    return f"{letter}{side}{index}"


def option_id(part: Part, raw: str) -> str:
    """The identifier of an option (a frame, a verdict, a card, a fact) of a choice part."""
    side = part.name.rsplit("_", 1)[1] if "_" in part.name else ""
    prefix = {"VERDICT": "V_", "CARDS": "C_", "FACTS": "F_"}.get(part.name, f"O{side}_")
    return ident(prefix, raw.replace("#", "."))


def feedback_outcome(part: Part) -> str:
    """The outcome a choice part's inline feedback is shown by (the options chosen)."""
    return f"FB_{part.name}"


def _value(base_type: str, value: str) -> ET.Element:
    return el("qti-base-value", {"base-type": base_type}, value)


def _var(name: str) -> ET.Element:
    return el("qti-variable", {"identifier": name})


def _set(name: str, expression: ET.Element) -> ET.Element:
    return el("qti-set-outcome-value", {"identifier": name}, expression)


def _when(condition: ET.Element, *rules: ET.Element) -> ET.Element:
    return el("qti-response-condition", {}, el("qti-response-if", {}, condition, *rules))


def _keys(part: Part) -> list[tuple[str, float]]:
    """The map entries of a part: ``(identifier, value)`` in a stable order."""
    if isinstance(part.scoring, UnitMap):
        return [(unit_id(part, index), value) for index, value in part.scoring.values.items()]
    return [(option_id(part, raw), value) for raw, value in part.scoring.values.items()]


def response_declaration(part: Part) -> ET.Element:
    """The part's response: its cardinality, the full-credit answer and its mapping."""
    scoring = part.scoring
    multiple = isinstance(scoring, UnitMap) or scoring.multiple
    entries = _keys(part)
    best = [key for key, value in entries if value > 0]
    if not multiple:
        best = sorted(best, key=lambda key: -dict(entries)[key])[:1]
    declaration = el("qti-response-declaration", {
        "identifier": part.name, "cardinality": "multiple" if multiple else "single",
        "base-type": "identifier"})
    if best:
        declaration.append(el("qti-correct-response", {},
                              *(el("qti-value", {}, key) for key in best)))
    if entries:
        default = -scoring.penalty if isinstance(scoring, UnitMap) else scoring.default
        bridged = isinstance(scoring, UnitMap) and bool(scoring.bridges)
        declaration.append(el("qti-mapping", {
            "default-value": number(default),
            "lower-bound": None if bridged else "0",
            "upper-bound": number(scoring.max_points)},
            *(el("qti-map-entry", {"map-key": key, "mapped-value": number(value),
                                   "case-sensitive": "true"}) for key, value in entries)))
    return declaration


def outcome_declarations(parts: list[Part], max_points: float) -> list[ET.Element]:
    """SCORE and MAXSCORE, the key's modal feedback, the inline feedback of each choice
    part and the running sum of each bridged word part."""
    def declare(name: str, cardinality: str, base_type: str, default: str | None = None,
                **extra: str) -> ET.Element:
        node = el("qti-outcome-declaration", {"identifier": name, "cardinality": cardinality,
                                              "base-type": base_type, **extra})
        if default is not None:
            node.append(el("qti-default-value", {}, el("qti-value", {}, default)))
        return node

    found = [declare("SCORE", "single", "float", "0",
                     **({"normal-maximum": number(max_points)} if max_points > 0 else {})),
             declare("MAXSCORE", "single", "float", number(max_points)),
             declare("FEEDBACK", "single", "identifier")]
    for part in parts:
        if isinstance(part.scoring, OptionMap):
            found.append(declare(feedback_outcome(part),
                                 "multiple" if part.scoring.multiple else "single",
                                 "identifier"))
        elif part.scoring.bridges:
            found.append(declare(f"RAW_{part.name}", "single", "float", "0"))
    return found


def _scored(part: Part) -> list[ET.Element]:
    """The rules that add one part's points to SCORE (nothing when nothing was given)."""
    scoring = part.scoring
    given = el("qti-not", {}, el("qti-is-null", {}, _var(part.name)))
    add_to_score = _set("SCORE", el("qti-sum", {}, _var("SCORE"),
                                    el("qti-map-response", {"identifier": part.name})))
    if not (isinstance(scoring, UnitMap) and scoring.bridges):
        return [_when(given, add_to_score)]
    raw = f"RAW_{part.name}"
    rules = [_set(raw, el("qti-map-response", {"identifier": part.name}))]
    for index in scoring.bridges:
        trio = el("qti-multiple", {}, *(_value("identifier", unit_id(part, i))
                                       for i in (index - 1, index, index + 1)))
        rules.append(_when(el("qti-contains", {}, _var(part.name), trio),
                           _set(raw, el("qti-sum", {}, _var(raw),
                                        _value("float", number(scoring.penalty))))))
    rules.append(_when(el("qti-lt", {}, _var(raw), _value("float", "0")),
                       _set(raw, _value("float", "0"))))
    rules.append(_set("SCORE", el("qti-sum", {}, _var("SCORE"), _var(raw))))
    return [_when(given, *rules)]


def response_processing(parts: list[Part]) -> ET.Element:
    """Show each choice's feedback, add up the parts, then show the key."""
    rules: list[ET.Element] = []
    for part in parts:
        if isinstance(part.scoring, OptionMap):
            rules.append(_set(feedback_outcome(part), _var(part.name)))
    rules.append(_set("SCORE", _value("float", "0")))
    for part in parts:
        if _keys(part):
            rules.extend(_scored(part))
    rules.append(_set("FEEDBACK", _value("identifier", KEY_FEEDBACK)))
    return el("qti-response-processing", {}, *rules)
