"""Discernment: does a student mark what is loaded *and* leave what is neutral alone?

Signal-detection theory applied to the marking questions. Every marking answer is counted
once, when it is scored, as *signal* items (what the key asks to be found) and *noise*
items (what should be left alone):

* a **signal item** is one key phrase (a ``loaded_terms`` phrase, a ``compare`` side's
  term, a ``framing`` signal) or one sourcing gap (a sentence). It is a **hit** when the
  student marked at least one of its words (its sentence): partial credit is still a find.
* a **noise item** is one explicit control (a reading's ``neutral`` phrase or ``sourced``
  sentence) or one other word (sentence) the key does not judge. It is a **false alarm**
  when marked. What the key calls debatable, a loaded phrase a narrowed question does not
  ask about, and a single word bridging two judged phrases are neither: they never earn or
  cost points either.

Counts are kept per **technique**: loaded language by what it names (``loaded:people``),
sourcing gaps by reason (``sourcing:vague_attribution``) and framing signals
(``signals``); a question that asks for the words standing in for a source
(``mark: stand_ins``, "some observers say") counts as ``stand_ins``. Noise belongs to
a technique's *family* (``loaded``, ``sourcing``, ``signals``, ``stand_ins``): a word
wrongly marked is a false alarm of loaded language, whatever category the student took it
for. A technique's d′ compares its hit rate with its
family's false-alarm rate.

Rates of 0 and 1 make z infinite, so both rates take the **log-linear correction**
(Hautus, 1995: add 0.5 to each count and 1 to each number of items) before z is taken:
``H = (hits + 0.5) / (signal + 1)``, ``F = (false_alarms + 0.5) / (noise + 1)``,
``d′ = z(H) − z(F)`` and ``c = −(z(H) + z(F)) / 2``. The uncorrected rates are what
pages show as percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from app.domain.questions import SOURCING_REASONS
from app.domain.readings import CATEGORIES
from app.domain.text import sentences, words

Counts = dict[str, dict[str, list[int]]]

FAMILIES: dict[str, str] = {
    "loaded": "Loaded language",
    "sourcing": "Sourcing gaps",
    "signals": "Framing signals",
    "stand_ins": "Words standing in for a source",
}
TECHNIQUE_LABELS: dict[str, str] = {
    **{f"loaded:{key}": f"Loaded words for {label}" for key, label in CATEGORIES.items()},
    "loaded:other": "Other loaded words",
    **{f"sourcing:{key}": f"Sourcing: {label.lower()}" for key, label in SOURCING_REASONS.items()},
    "signals": "Framing signals",
    "stand_ins": "Words standing in for a source",
}
# The correction added to hits and false alarms (and twice to the numbers of items).
CORRECTION = 0.5

_Z = NormalDist().inv_cdf


def family(technique: str) -> str:
    """``loaded:people`` -> ``loaded``; ``signals`` -> ``signals``."""
    return technique.split(":", 1)[0]


def technique_label(technique: str) -> str:
    """What a technique is called on pages ("Loaded words for the events")."""
    return TECHNIQUE_LABELS.get(technique) or FAMILIES.get(family(technique), technique)


# Counting ------------------------------------------------------------------------------


def _new() -> Counts:
    return {"signal": {}, "noise": {}}


def _add(table: dict[str, list[int]], key: str, items: int, marked: int) -> None:
    row = table.setdefault(key, [0, 0])
    row[0] += items
    row[1] += marked


def _count_words(counts: Counts, phrases: Iterable[Mapping[str, Any]], marked: Iterable[int],
                 text: str, *, technique_of: Any, noise_family: str,
                 controls: Iterable[Mapping[str, Any]] = (),
                 free: Iterable[Mapping[str, Any]] = ()) -> None:
    """Signal and noise items of one marked excerpt (see the module's rules)."""
    chosen = set(marked)
    judged: set[int] = set()
    for phrase in phrases:
        phrase_words = set(phrase["words"])
        judged |= phrase_words
        _add(counts["signal"], technique_of(phrase), 1, 1 if phrase_words & chosen else 0)
    free_words: set[int] = set()
    for item in free:
        free_words |= set(item["words"])
    control_words: set[int] = set()
    items = alarms = 0
    for control in controls:
        own = set(control["words"]) - judged - free_words - control_words
        if own:
            control_words |= own
            items += 1
            alarms += 1 if own & chosen else 0
    covered = judged | free_words | control_words
    for index in range(len(words(text))):
        if index in covered:
            continue
        items += 1
        if index in chosen and not _bridges(index, chosen, judged | free_words):
            alarms += 1
    _add(counts["noise"], noise_family, items, alarms)


def _bridges(index: int, chosen: set[int], judged: set[int]) -> bool:
    """One marked word between two marked judged words joins them (it costs nothing)."""
    return {index - 1, index + 1} <= (chosen & judged)


def _loaded_technique(phrase: Mapping[str, Any]) -> str:
    about = phrase.get("about")
    return f"loaded:{about}" if about in CATEGORIES else "loaded:other"


def _count_sentences(counts: Counts, question: Mapping[str, Any], chosen: set[int],
                     text: str) -> None:
    gaps = {gap["sentence"]: gap for gap in question["gaps"]}
    for gap in question["gaps"]:
        reason = gap.get("reason")
        technique = f"sourcing:{reason}" if reason in SOURCING_REASONS else "sourcing"
        _add(counts["signal"], technique, 1, 1 if gap["sentence"] in chosen else 0)
    free = {item["sentence"] for item in question.get("debatable") or []}
    noise = [index for index in range(len(sentences(text)))
             if index not in gaps and index not in free]
    _add(counts["noise"], "sourcing", len(noise), sum(1 for index in noise if index in chosen))


def detection_counts(question: Mapping[str, Any], response: Mapping[str, Any],
                     excerpts: Mapping[str, str]) -> Counts | None:
    """Signal and noise counts of one answer, or None for a kind that marks nothing
    (``verify``, ``omission``) or a framing question without signal phrases."""
    kind = question["kind"]
    counts = _new()
    # Words standing in for a source are a family of their own: their noise is words, where
    # the sourcing questions' noise is sentences.
    stand_ins = question.get("mark") == "stand_ins"
    technique_of = (lambda _: "stand_ins") if stand_ins else _loaded_technique
    word_family = "stand_ins" if stand_ins else "loaded"
    if kind == "loaded_terms":
        _count_words(counts, question["phrases"], response.get("words", []),
                     excerpts[question["excerpt"]], technique_of=technique_of,
                     noise_family=word_family, controls=question.get("controls") or [],
                     free=[*(question.get("debatable") or []), *(question.get("asides") or [])])
    elif kind == "framing":
        if not question.get("signals"):
            return None
        _count_words(counts, question["signals"], response.get("words", []),
                     excerpts[question["excerpt"]], technique_of=lambda _: "signals",
                     noise_family="signals")
    elif kind == "sourcing":
        _count_sentences(counts, question, set(response.get("sentences", [])),
                         excerpts[question["excerpt"]])
    elif kind == "compare":
        answers = list(response.get("sides", []))
        for number, side in enumerate(question["sides"]):
            answer = answers[number] if number < len(answers) else {}
            _count_words(counts, side["terms"], answer.get("words", []),
                         excerpts[side["excerpt"]], technique_of=technique_of,
                         noise_family=word_family, controls=side.get("controls") or [],
                         free=[*(side.get("debatable") or []), *(side.get("asides") or [])])
    else:
        return None
    return counts


# The kinds whose answers mark words or sentences: every stored answer of these kinds has
# counts (possibly empty); None on one of them means it was stored before counts were.
MARKING_KINDS = ("loaded_terms", "framing", "sourcing", "compare")


def stored_detection(question: Mapping[str, Any], response: Mapping[str, Any],
                     excerpts: Mapping[str, str]) -> Counts | None:
    """What an answer stores: :func:`detection_counts`, except that a framing question
    without signal phrases stores empty counts (it was counted: there was nothing to find),
    so that None on a marking kind means only "stored before counts were kept"."""
    counts = detection_counts(question, response, excerpts)
    if counts is None and question["kind"] in MARKING_KINDS:
        return _new()
    return counts


def add_counts(*many: Mapping[str, Mapping[str, list[int]]] | None) -> Counts:
    """The sum of several answers' counts (None, an unmarked kind, adds nothing)."""
    total = _new()
    for counts in many:
        if not counts:
            continue
        for part in ("signal", "noise"):
            for key, (items, marked) in counts.get(part, {}).items():
                _add(total[part], key, int(items), int(marked))
    return total


# Measuring -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Discernment:
    """Hits and false alarms with their rates, d′ and the criterion c."""

    hits: int
    signal: int
    false_alarms: int
    noise: int
    hit_rate: float          # uncorrected, as shown: hits / signal
    false_alarm_rate: float  # uncorrected: false_alarms / noise
    d_prime: float           # z(H) - z(F), corrected rates
    criterion: float         # -(z(H) + z(F)) / 2: above 0 cautious, below 0 marks freely


def corrected_rate(marked: int, items: int) -> float:
    """The log-linear corrected rate: (marked + 0.5) / (items + 1)."""
    return (marked + CORRECTION) / (items + 2 * CORRECTION)


def measure(hits: int, signal: int, false_alarms: int, noise: int) -> Discernment | None:
    """d′ and c from counts; None when there were no signal or no noise items."""
    if signal <= 0 or noise <= 0:
        return None
    if not (0 <= hits <= signal and 0 <= false_alarms <= noise):
        raise ValueError("marked items cannot exceed the items offered")
    z_hit = _Z(corrected_rate(hits, signal))
    z_alarm = _Z(corrected_rate(false_alarms, noise))
    return Discernment(hits, signal, false_alarms, noise, hits / signal, false_alarms / noise,
                       z_hit - z_alarm, -(z_hit + z_alarm) / 2)


def overall(counts: Mapping[str, Mapping[str, list[int]]] | None) -> Discernment | None:
    """All techniques together: every signal item against every noise item."""
    if not counts:
        return None
    signal = [sum(row[i] for row in counts.get("signal", {}).values()) for i in (0, 1)]
    noise = [sum(row[i] for row in counts.get("noise", {}).values()) for i in (0, 1)]
    return measure(signal[1], signal[0], noise[1], noise[0])


def by_family(counts: Mapping[str, Mapping[str, list[int]]] | None) -> dict[str, Discernment]:
    """Per family (loaded, sourcing, signals): its signal items against its noise."""
    result: dict[str, Discernment] = {}
    if not counts:
        return result
    for name in FAMILIES:
        rows = [row for key, row in counts.get("signal", {}).items() if family(key) == name]
        noise = counts.get("noise", {}).get(name)
        if rows and noise:
            found = measure(sum(r[1] for r in rows), sum(r[0] for r in rows), noise[1], noise[0])
            if found is not None:
                result[name] = found
    return result


def by_technique(counts: Mapping[str, Mapping[str, list[int]]] | None
                 ) -> dict[str, Discernment]:
    """Per technique: its hit rate against its family's false-alarm rate, in the order of
    :data:`TECHNIQUE_LABELS` (then any other, alphabetically)."""
    result: dict[str, Discernment] = {}
    if not counts:
        return result
    order = list(TECHNIQUE_LABELS)
    signal = counts.get("signal", {})
    for key in sorted(signal, key=lambda k: (order.index(k) if k in order else len(order), k)):
        noise = counts.get("noise", {}).get(family(key))
        if noise:
            found = measure(signal[key][1], signal[key][0], noise[1], noise[0])
            if found is not None:
                result[key] = found
    return result


# Words ---------------------------------------------------------------------------------

# Below these, a student "finds few" / "marks few words outside the key": plain bands for
# words, not grades. The numbers stay on the page beside them. A word outside the key is
# never called neutral here: only the key's explicit controls are (as on feedback pages).
_FINDS = ((0.8, "you find most of the loaded words and sourcing gaps"),
          (0.5, "you find about half of what the key asks for"),
          (0.0, "you miss most of what the key asks for"))
_ALARMS = ((0.15, "you also mark many words and sentences the key does not count"),
           (0.05, "you also mark some words the key does not count"),
           (0.0, "you rarely mark anything the key does not count"))


def _band(value: float, bands: tuple[tuple[float, str], ...]) -> str:
    return next(text for floor, text in bands if value >= floor)


def describe(found: Discernment) -> str:
    """One plain sentence for a student: what they find, what they mark wrongly, and
    what that means ("you find most of the loaded words and sourcing gaps; you also mark
    many words and sentences the key does not count")."""
    finds = _band(found.hit_rate, _FINDS)
    alarms = _band(found.false_alarm_rate, _ALARMS)
    if found.d_prime < 0.5:
        verdict = ("So far your marks do not yet separate what the key counts from the "
                   "rest: mark only what you could explain.")
    elif found.criterion < -0.5 and found.false_alarm_rate >= 0.05:
        verdict = "You tell them apart, but you mark freely: check each mark before you make it."
    elif found.criterion > 0.5 and found.hit_rate < 0.8:
        verdict = ("You are careful, perhaps too careful: when a word judges, mark it even "
                   "if you are not sure.")
    else:
        verdict = "You mark what the key counts and leave the rest alone: well done."
    return f"{finds[0].upper()}{finds[1:]}; {alarms}. {verdict}"
