"""Marking questions in GIFT: an adaptation, choosing among the key's phrases.

In the app a student finds the loaded words (or the sentences without a source) in the
excerpt itself; GIFT cannot show a passage to mark. So each marking question (loaded
terms, sourcing, the words of each compare excerpt) becomes a multiple-answer question
that quotes the excerpt and asks which of a list of its words and phrases (or sentences)
are the ones the question is about. The options are exactly the key's judged items, in
text order: its key phrases or gap sentences (right) and its explicit controls (wrong),
each with the key's own explanation as feedback. Debatable items and asides score nothing
either way in the app, so they are not offered; the debatable ones, with the case for and
against, are the general feedback. A control every unit of which is keyed, debatable or
an aside costs nothing in the app, so it is not offered either.

Choosing among listed phrases is easier than finding them in free text, so Moodle's scores
are not comparable with Framing Lab's. The weights: each right option an equal share of
the mark; each control costs ``1/min(k, c)`` of it (``k`` right options, ``c`` controls),
so a wrong choice costs at least what a right one earns and choosing every option never
earns anything, as marking every word never does in the app. For a sourcing question with
at least as many controls as gaps that is the app's own rule on the listed sentences (a
gap 1 point, a wrong sentence -1, never below 0). Moodle's grades give at most ten answers
equal shares (see :func:`.gift_text.percent`): a key with more items is split, in text
order, into questions of at most ten ("part 1 of 2"). A list with no control would hold
only right answers, which teaches nothing: it is left out, and the file says so.

The items and their words are read from :func:`app.domain.answer_keys.answer_key`, the
arrangement the answer key page shows, joined to the compiled key for their positions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.answer_keys import KeyedExcerpt, KeyItem
from app.domain.exports import LessonExport
from app.domain.exports.gift_choices import Written
from app.domain.exports.gift_text import Answer, excerpt, h, percent, write_question
from app.domain.readings import CATEGORIES
from app.domain.text import Span, sentences, words

KEYED = {"loaded_terms": "phrases", "sourcing": "gaps", "compare": "terms"}
MOST_SHARES = 10  # Moodle's grades include 1/q for q up to 10


@dataclass(frozen=True, slots=True)
class Option:
    """A judged item offered: its units (words, or one sentence), its text, whether the
    key counts it (right) or names it as a control (wrong), and its feedback."""

    units: tuple[int, ...]
    text: str
    right: bool
    feedback: str


def ask(kind: str, question: Mapping[str, Any]) -> str:
    """What the GIFT question asks, in the words of the app's rule for the kind."""
    if kind == "sourcing":
        return ("Which of these sentences of the excerpt make a claim without a named, "
                "checkable source?")
    if question.get("mark") == "stand_ins":
        return "Which of these words and phrases in the excerpt stand in for a named source?"
    about = [CATEGORIES.get(name, name) for name in question.get("about") or []]
    whom = f" {' or '.join(about)}" if about else ""
    return f"Which of these words and phrases in the excerpt judge{whom} instead of describing?"


def _feedback(item: KeyItem, right: bool, sentence: bool) -> str:
    if not right:
        return f"{'Not a sourcing gap' if sentence else 'Not one to mark here'}: {item.why}"
    lead = "A sourcing gap" if sentence else "In the key"
    told = [f"{lead} ({item.category})." if item.category else f"{lead}."]
    if item.neutral:
        told.append(f"Neutral wording: {item.neutral}.")
    told.append(item.why)
    if item.sources:
        told.append("Sources: " + "; ".join(item.sources))
    return " ".join(part for part in told if part)


def _shown(text: str, spans: Sequence[Span], units: tuple[int, ...], item: KeyItem,
           sentence: bool) -> str:
    """A sentence as the excerpt has it; a phrase as the key writes it (the words with
    their punctuation, as the answer key page shows them)."""
    if sentence:
        return " ".join(spans[units[0]].text.split())
    return " ".join((item.text or text[spans[min(units)].start:spans[max(units)].end]).split())


def options(kind: str, holder: Mapping[str, Any], keyed: KeyedExcerpt,
            text: str) -> list[Option]:
    """The key's judged items of one excerpt as options, in text order."""
    sentence = kind == "sourcing"
    spans = sentences(text) if sentence else words(text)

    def units(entry: Mapping[str, Any]) -> tuple[int, ...]:
        return (int(entry["sentence"]),) if sentence else tuple(sorted(entry["words"]))

    free = {unit for entry in [*(holder.get("debatable") or []), *(holder.get("asides") or [])]
            for unit in units(entry)}
    keyed_entries = holder.get(KEYED[kind]) or []
    judged = free | {unit for entry in keyed_entries for unit in units(entry)}
    found: dict[tuple[int, ...], Option] = {}
    for entry, item in zip(keyed_entries, keyed.items.get("keyed") or [], strict=True):
        told = _feedback(item, True, sentence)
        same = found.get(units(entry))  # two key items on one sentence: one option
        found[units(entry)] = Option(units(entry),
                                     _shown(text, spans, units(entry), item, sentence), True,
                                     f"{same.feedback} {told}" if same else told)
    for entry, item in zip(holder.get("controls") or [], keyed.items.get("controls") or [],
                           strict=True):
        if not set(units(entry)) <= judged and units(entry) not in found:
            found[units(entry)] = Option(units(entry),
                                         _shown(text, spans, units(entry), item, sentence),
                                         False, _feedback(item, False, sentence))
    ordered = sorted(found.values(), key=lambda option: option.units)
    return _told_apart(ordered, text, spans, sentence)


def _told_apart(found: list[Option], text: str, spans: Sequence[Span],
                sentence: bool) -> list[Option]:
    """Options whose text repeats (the same word keyed twice) with their place shown."""
    seen: dict[str, int] = {}
    for option in found:
        seen[option.text.casefold()] = seen.get(option.text.casefold(), 0) + 1
    told = []
    for option in found:
        if seen[option.text.casefold()] > 1:
            if sentence:
                where = f"sentence {option.units[0] + 1} of the excerpt"
            else:
                first = spans[max(0, min(option.units) - 3)].start
                last = spans[min(len(spans) - 1, max(option.units) + 3)].end
                where = f"in “…{' '.join(text[first:last].split())}…”"
            option = Option(option.units, f"{option.text} ({where})", option.right,
                            option.feedback)
        told.append(option)
    return told


def split(found: list[Option]) -> list[list[Option]]:
    """The options in text order, cut into as few questions as give each right option an
    equal share Moodle accepts (at most ten right options each)."""
    right = sum(option.right for option in found)
    count = max(1, math.ceil(right / MOST_SHARES))
    quotas = [right // count + (1 if number < right % count else 0) for number in range(count)]
    pieces: list[list[Option]] = [[]]
    taken = 0
    for option in found:
        if option.right and taken == quotas[len(pieces) - 1]:
            pieces.append([])
            taken = 0
        pieces[-1].append(option)
        taken += option.right
    return pieces


def _debatable(keyed: KeyedExcerpt) -> str:
    rows = []
    for item in keyed.items.get("debatable") or []:
        told = [f"A neutral wording: {item.neutral}." if item.neutral else "",
                f"The case for: {item.case_for}" if item.case_for else "",
                f"The case against: {item.case_against}" if item.case_against else ""]
        rows.append(f"<li><strong>“{h(item.text)}”</strong> "
                    f"{h(' '.join(part for part in told if part))}</li>")
    if not rows:
        return ""
    return ("<p>Debatable, so not offered here (in Framing Lab marking it neither earns nor "
            f"costs):</p><ul>{''.join(rows)}</ul>")


def marking_questions(export: LessonExport, name: str, question: Mapping[str, Any],
                      holder: Mapping[str, Any], keyed: KeyedExcerpt,
                      letter: str = "") -> Written:
    """The marking part of a loaded terms or sourcing question, or of excerpt ``letter``
    of a compare question, as multiple-answer question(s) (see the module docstring)."""
    kind = question["kind"]
    ref = holder["excerpt"]
    unit = "sentences" if kind == "sourcing" else "words"
    found = options(kind, holder, keyed, export.texts[ref])
    pieces = split(found)
    written = Written()
    for number, piece in enumerate(pieces, start=1):
        right = sum(option.right for option in piece)
        wrong = len(piece) - right
        label = ", ".join(part for part in (f"excerpt {letter}" if letter else "",
                                            unit if letter else "",
                                            f"part {number} of {len(pieces)}"
                                            if len(pieces) > 1 else "") if part)
        titled = f"{name} ({label})" if label else name
        gain, cost = (percent(1 / right), percent(-1 / min(right, wrong))) if right and wrong \
            else (None, None)
        if gain is None or cost is None:
            written.left_out.append(
                f"{titled}: choosing its {unit} (the key names "
                f"{'no controls' if right else 'no items'} among them, so a list would hold "
                f"only {'right' if right else 'wrong'} answers)")
            continue
        intro = (f"In Framing Lab this question asks: {question['prompt']}" if not letter
                 else f"From the lesson's question: {question['prompt']}")
        stem = (f"<p>{h(intro)}</p>" + excerpt(export, ref, f"Excerpt {letter}" if letter else "")
                + f"<p><strong>{h(ask(kind, question))}</strong> Choose every one that "
                  "does.</p>"
                + f"<p>In Framing Lab you find them in the excerpt yourself; here you choose "
                  f"among {unit} from its key, which is easier, so the scores are not "
                  f"comparable. Each right choice earns {gain} % of the mark; each wrong one "
                  f"costs {cost.lstrip('-')} % (never below 0).</p>")
        if len(pieces) > 1:
            stem += (f"<p>Part {number} of {len(pieces)}: the key's {unit} are shared "
                     f"between {len(pieces)} questions, in the order of the excerpt, because "
                     f"Moodle cannot give more than {MOST_SHARES} answers equal shares.</p>")
        answers = [Answer(option.text, option.feedback,
                          weight=gain if option.right else cost) for option in piece]
        written.questions.append(write_question(titled, stem, answers, _debatable(keyed)))
    return written
