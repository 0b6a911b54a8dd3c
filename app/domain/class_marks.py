"""What the class marked: the share who found each key item, the neutral words marked most,
and the answers left out of both because they marked (nearly) everything.

An answer that marks more than half of the units the key does not count (words; sentences
for a sourcing question) is not a reading of the text: it scores 0 under the rules, yet it
"found" every key phrase and "wrongly marked" every "of" and "the". Counted with the
others it made the class look better at finding the key and filled the wrong-word list
with function words (walkthrough bug 9). So :func:`marked_everything` names such answers,
per student and per question (or compare side), and :func:`phrase_shares` and
:func:`wrong_words` leave them out; the teacher sees who was left out and why. The rest
of an attempt still counts: marking everything in one question says nothing of the others.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.check_shares import CHECK_KINDS, offered, picked, picked_everything
from app.domain.item_statistics import Submission
from app.domain.text import sentences, words

# More than this share of the units outside the key marked: the answer marked everything.
# A perfect answer marks none of them; marking all of them is what the rule is for; half
# is the point past which most of what a student marked cannot have been a judgement.
MARKED_EVERYTHING_SHARE = 0.5

_KEY_ITEMS = ("found", "partial", "missed", "debatable")


@dataclass(frozen=True, slots=True)
class MarkedEverything:
    """One answer (or compare side) left out of the found shares and the wrong words.

    ``marked`` of the ``outside`` units the key does not count were marked; ``unit`` says
    what they are ("words", or "sentences" for a sourcing question). For a verify or
    omission question (``unit`` "cards" or "facts") every one of the ``outside`` cards or
    facts offered was picked (:func:`app.domain.check_shares.picked_everything`).
    """

    student: Hashable
    question_id: str
    side: int | None
    marked: int
    outside: int
    unit: str = "words"


def _units(verdict: Mapping[str, Any], field: str = "words") -> set[int]:
    if "sentence" in verdict and field == "words":
        return {verdict["sentence"]} if isinstance(verdict["sentence"], int) else set()
    return {i for i in verdict.get(field) or [] if isinstance(i, int)}


def _blanket_parts(submission: Submission) -> dict[tuple[str, int | None], MarkedEverything]:
    """The answers (by question id and compare side) of one submission that marked
    everything, read from their stored verdicts and the excerpt's length."""
    texts = {e["id"]: e["text"] for e in submission.content.get("excerpts", [])}
    found: dict[tuple[str, int | None], MarkedEverything] = {}
    for answer in submission.answers:
        if answer.kind in CHECK_KINDS:
            # Nothing is marked on the text: "everything" is every card or fact offered.
            if picked_everything(answer, submission.content):
                question = next(q for q in submission.content["questions"]
                                if q["id"] == answer.question_id)
                found[(answer.question_id, None)] = MarkedEverything(
                    submission.student, answer.question_id, None, len(picked(answer)),
                    len(offered(question, {})),
                    "cards" if answer.kind == "verify" else "facts")
            continue
        sides: dict[int | None, list[Mapping[str, Any]]] = {}
        for verdict in answer.verdicts:
            if verdict.get("type") != "choice":
                sides.setdefault(verdict.get("side"), []).append(verdict)
        for side, verdicts in sides.items():
            excerpt = excerpt_of(submission.content, answer.question_id, side)
            if excerpt not in texts:
                continue
            split = sentences if answer.kind == "sourcing" else words
            keyed = set().union(*(_units(v) for v in verdicts if v["type"] in _KEY_ITEMS))
            marked = set().union(*(_units(v) for v in verdicts if v["type"] == "wrong"),
                                 *(_units(v, "marked") for v in verdicts
                                   if v["type"] == "aside"))
            outside = len(split(texts[excerpt])) - len(keyed)
            if outside > 0 and len(marked) > MARKED_EVERYTHING_SHARE * outside:
                found[(answer.question_id, side)] = MarkedEverything(
                    submission.student, answer.question_id, side, len(marked), outside,
                    "sentences" if answer.kind == "sourcing" else "words")
    return found


def marked_everything(submissions: Sequence[Submission]) -> list[MarkedEverything]:
    """Every answer that marked everything, in the order of the submissions and answers."""
    return [item for submission in submissions
            for item in _blanket_parts(submission).values()]


def _counted_verdicts(submission: Submission) -> Iterator[tuple[Any, Mapping[str, Any]]]:
    """(answer, verdict) pairs of a submission, without the answers that marked everything."""
    left_out = _blanket_parts(submission)
    for answer in submission.answers:
        for verdict in answer.verdicts:
            if (answer.question_id, verdict.get("side")) not in left_out:
                yield answer, verdict


KEY_VERDICTS = ("found", "partial", "missed")


@dataclass(frozen=True, slots=True)
class PhraseShare:
    """How many of the students who had a key item (phrase, signal, term, gap) found it."""

    question_id: str
    kind: str
    text: str
    side: int | None
    sentence: str
    students: int
    found: int
    partial: int

    @property
    def found_percent(self) -> float:
        """Share of the students who found the whole item, in percent."""
        return 100.0 * self.found / self.students if self.students else 0.0

    @property
    def partial_percent(self) -> float:
        """Share of the students who found part of its words, in percent."""
        return 100.0 * self.partial / self.students if self.students else 0.0

    @property
    def missed(self) -> int:
        """How many students marked none of it."""
        return self.students - self.found - self.partial


def _key_of(question_id: str, verdict: Mapping[str, Any]) -> tuple[Any, ...]:
    units = tuple(verdict["words"]) if "words" in verdict else ("s", verdict.get("sentence"))
    return (question_id, verdict.get("side"), units)


def phrase_shares(submissions: Sequence[Submission]) -> list[PhraseShare]:
    """Per key item, the students who found it fully and partly; most missed first.

    Key items are read from the stored verdicts (``found`` / ``partial`` / ``missed``) of
    every answer but those that marked everything (:func:`marked_everything`):
    loaded-terms phrases, framing signals, compare terms and sourcing gaps. Sorted by the
    share found, then the share partly found (both ascending), then lesson order.
    """
    tally: dict[tuple[Any, ...], dict[str, Any]] = {}
    for submission in submissions:
        for answer, verdict in _counted_verdicts(submission):
            if verdict.get("type") not in KEY_VERDICTS or answer.kind in CHECK_KINDS:
                continue
            key = _key_of(answer.question_id, verdict)
            entry = tally.setdefault(key, {
                "question_id": answer.question_id, "kind": answer.kind,
                "text": verdict.get("phrase") or verdict.get("text", ""),
                "side": verdict.get("side"),
                "sentence": verdict.get("text", "") if "sentence" in verdict else "",
                "students": 0, "found": 0, "partial": 0, "order": len(tally)})
            entry["students"] += 1
            if verdict["type"] in ("found", "partial"):
                entry[verdict["type"]] += 1
    ranked = sorted(tally.values(), key=lambda e: (e["found"] / e["students"],
                                                   e["partial"] / e["students"], e["order"]))
    return [PhraseShare(**{k: v for k, v in entry.items() if k != "order"})
            for entry in ranked]


@dataclass(frozen=True, slots=True)
class WrongWord:
    """A word that is not in the key, as often as students marked it in one excerpt."""

    excerpt: str
    word: str
    marks: int
    students: int


def excerpt_of(content: Mapping[str, Any], question_id: str, side: int | None) -> str | None:
    """The excerpt id a question (or one side of a compare question) is about, if known."""
    for question in content.get("questions", []):
        if question["id"] != question_id:
            continue
        if question["kind"] == "compare":
            sides = question["sides"]
            return sides[side]["excerpt"] if side is not None and side < len(sides) else None
        return question.get("excerpt")
    return None


def wrong_words(submissions: Sequence[Submission]) -> list[WrongWord]:
    """Words marked that are in no key phrase, grouped by text (any case) within an excerpt.

    Read from the stored ``wrong`` verdicts of word questions (sourcing's wrongly chosen
    sentences are not words and are left out), but not from the answers that marked
    everything (:func:`marked_everything`). ``marks`` counts every marked occurrence;
    ``students`` counts each student once. Sorted by students, then marks (most first),
    then the word. The word is shown as first met in the text.
    """
    tally: dict[tuple[str, str], dict[str, Any]] = {}
    for submission in submissions:
        texts = {e["id"]: e["text"] for e in submission.content.get("excerpts", [])}
        spans: dict[str, list[Any]] = {}
        for answer, verdict in _counted_verdicts(submission):
            if verdict.get("type") != "wrong" or "words" not in verdict:
                continue
            excerpt = excerpt_of(submission.content, answer.question_id, verdict.get("side"))
            if excerpt is None or excerpt not in texts:
                continue
            if excerpt not in spans:
                spans[excerpt] = words(texts[excerpt])
            for index in verdict["words"]:
                if not 0 <= index < len(spans[excerpt]):
                    continue
                shown = spans[excerpt][index].text
                entry = tally.setdefault((excerpt, shown.casefold()), {
                    "excerpt": excerpt, "word": shown, "marks": 0, "students": set()})
                entry["marks"] += 1
                entry["students"].add(submission.student)
    ranked = sorted(tally.values(), key=lambda e: (-len(e["students"]), -e["marks"],
                                                   e["word"].casefold(), e["excerpt"]))
    return [WrongWord(e["excerpt"], e["word"], e["marks"], len(e["students"]))
            for e in ranked]
