"""Key phrases from marks: what a teacher ticks on an excerpt, as the phrases a key holds.

* :func:`phrase_for`, :func:`phrases_for` and :func:`sentence_phrase` turn what a teacher
  marked on an excerpt (word or sentence indices, the same ones students submit) into
  key phrases, with the ``occurrence`` that makes a repeated phrase unambiguous;
* :func:`locate` and :func:`entry_units` find a key entry's phrase again, as marks;
* :func:`rekey` replaces a key list by new marks, keeping the explanations written so far;
* :func:`key_lists` says which key lists a question of each kind has, and where they live.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from app.domain.text import Span, find_all, sentences, words, words_in

# A sourcing phrase quotes at least this many words of its sentence (fewer if it is short).
_SENTENCE_PHRASE_WORDS = 6


# --- phrases from marks -----------------------------------------------------------------

def word_runs(indices: Iterable[int]) -> list[list[int]]:
    """Split indices into runs of consecutive numbers: ``[4, 1, 2, 7] -> [[1, 2], [4], [7]]``."""
    ordered = sorted(set(indices))
    return [[index for _, index in run]
            for _, run in groupby(enumerate(ordered), key=lambda pair: pair[1] - pair[0])]


def one_line(text: str) -> str:
    """A line break (and the spaces around it) reads as one space, as the matcher treats it."""
    return re.sub(r"\s*\n\s*", " ", text)


def _unambiguous(text: str, start: int, end: int, *, whole_words: bool) -> tuple[str, int | None]:
    """The text of ``text[start:end]`` and the occurrence number that picks this one."""
    phrase = one_line(text[start:end])
    matches = find_all(text, phrase, whole_words=whole_words)
    if len(matches) == 1:
        return phrase, None
    position = next((number for number, match in enumerate(matches, start=1)
                     if match.start == start and match.end == end), None)
    if position is None:  # cannot happen for spans cut on word boundaries
        raise ValueError(f"cannot find {phrase!r} where it was marked")
    return phrase, position


def phrase_for(excerpt_text: str, word_indices: Iterable[int]) -> tuple[str, int | None]:
    """The phrase covering consecutive marked words, and its occurrence if it repeats.

    ``word_indices`` are indices into :func:`app.domain.text.words` of the excerpt (what
    a checkbox submits). The phrase is the excerpt's own text from the first word to the
    last, a line break read as a space. The occurrence is ``None`` when the phrase occurs
    once in the excerpt, else its number (1 = first) as ``occurrence:`` expects. Raises
    ``ValueError`` for no words, an index outside the excerpt, or a gap in the run.
    """
    indices = sorted(set(word_indices))
    spans = words(excerpt_text)
    if not indices:
        raise ValueError("no word is marked")
    if indices[0] < 0 or indices[-1] >= len(spans):
        raise ValueError("a marked word is not in this excerpt")
    if indices != list(range(indices[0], indices[-1] + 1)):
        raise ValueError("the marked words are not consecutive; use phrases_for")
    return _unambiguous(excerpt_text, spans[indices[0]].start, spans[indices[-1]].end,
                        whole_words=True)


@dataclass(frozen=True, slots=True)
class MarkedPhrase:
    """A key phrase made from marks: its text, occurrence, and the units it covers."""

    phrase: str
    occurrence: int | None
    units: tuple[int, ...]


def phrases_for(excerpt_text: str, word_indices: Iterable[int]) -> list[MarkedPhrase]:
    """One phrase per run of consecutive marked words (see :func:`phrase_for`)."""
    result = []
    for run in word_runs(word_indices):
        phrase, occurrence = phrase_for(excerpt_text, run)
        result.append(MarkedPhrase(phrase, occurrence, tuple(run)))
    return result


def sentence_phrase(excerpt_text: str, sentence_index: int) -> tuple[str, int | None]:
    """A phrase that picks out one sentence of the excerpt, for ``sourcing`` keys.

    The opening words of the sentence (at least six, or all of a shorter sentence), as
    many more as it takes to occur only once in the excerpt; a sentence that repeats in
    full gets its occurrence number. Raises ``ValueError`` for an index outside the
    excerpt's :func:`app.domain.text.sentences`.
    """
    spans = sentences(excerpt_text)
    if not 0 <= sentence_index < len(spans):
        raise ValueError("that sentence is not in this excerpt")
    sentence = spans[sentence_index]
    tokens = words(excerpt_text)
    inside = words_in(tokens, sentence.start, sentence.end)
    first = tokens[inside[0]].start
    for count in range(min(_SENTENCE_PHRASE_WORDS, len(inside)), len(inside) + 1):
        phrase = one_line(excerpt_text[first:tokens[inside[count - 1]].end])
        if len(find_all(excerpt_text, phrase)) == 1:
            return phrase, None
    return _unambiguous(excerpt_text, first, tokens[inside[-1]].end, whole_words=True)


def locate(text: str, phrase: Any, occurrence: Any = None, *,
           whole_words: bool = True) -> Span | None:
    """Where the compiler would find ``phrase`` (and ``occurrence``) in ``text``, or None.

    None when the phrase is missing, ambiguous without an occurrence, or the occurrence
    is out of range: the compiler reports those, the editor just cannot show the phrase.
    """
    if isinstance(phrase, int | float) and not isinstance(phrase, bool):
        phrase = str(phrase)
    if not isinstance(phrase, str) or not phrase.strip():
        return None
    matches = find_all(text, phrase.strip(), whole_words=whole_words)
    if occurrence is None:
        return matches[0] if len(matches) == 1 else None
    if isinstance(occurrence, bool) or not isinstance(occurrence, int):
        return None
    return matches[occurrence - 1] if 1 <= occurrence <= len(matches) else None


def entry_units(entry: Mapping[str, Any], excerpt_text: str, unit: str) -> list[int] | None:
    """The word indices (``unit="word"``) or the one sentence index a key entry points at.

    None when its phrase cannot be found, or a sourcing phrase spans several sentences.
    """
    span = locate(excerpt_text, entry.get("phrase"), entry.get("occurrence"))
    if span is None:
        return None
    if unit == "word":
        return words_in(words(excerpt_text), span.start, span.end) or None
    hits = words_in(sentences(excerpt_text), span.start, span.end)
    return hits if len(hits) == 1 else None


def rekey(entries: Sequence[Mapping[str, Any]], excerpt_text: str, marked: Iterable[int],
          unit: str, fields: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Replace a key list (``phrases``, ``gaps``, ``terms``...) by what is marked now.

    With ``unit="word"`` each run of consecutive marked words becomes one entry; with
    ``unit="sentence"`` each marked sentence does. An entry that covers exactly the same
    words (or sentence) as before keeps its phrase and its ``fields`` (neutral wording,
    reason, why); a new one gets empty fields for the teacher to fill in. Entries are
    ordered as they occur in the excerpt. Returns the new list and the phrases of old
    entries that could not be found in the excerpt any more (dropped, so the teacher can
    be told).
    """
    known: dict[tuple[int, ...], Mapping[str, Any]] = {}
    lost: list[str] = []
    for entry in entries:
        units = entry_units(entry, excerpt_text, unit)
        if units is None:
            lost.append(str(entry.get("phrase", "")))
        else:
            known[tuple(units)] = entry
    if unit == "word":
        marks = [(m.units, m.phrase, m.occurrence) for m in phrases_for(excerpt_text, marked)]
    else:
        marks = [((index,), *sentence_phrase(excerpt_text, index))
                 for index in sorted(set(marked))]
    result = []
    for units, phrase, occurrence in marks:
        old = known.get(tuple(units))
        if old is not None:
            phrase, occurrence = str(old["phrase"]).strip(), old.get("occurrence")
        entry: dict[str, Any] = {"phrase": phrase}
        if occurrence is not None:
            entry["occurrence"] = occurrence
        for name in fields:
            entry[name] = old.get(name, "") if old is not None else ""
        result.append(entry)
    return result, lost


# --- where the keys live in a question ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class KeyList:
    """One list of key phrases in a question, as the editor marks and explains it."""

    name: str            # "phrases", "controls", "signals", "gaps" or "terms-<side>"
    field: str           # the list's field in the question (or side)
    side: int | None     # compare: which side
    unit: str            # "word" or "sentence"
    fields: tuple[str, ...]
    label: str
    required: bool


_KEY_LISTS: dict[str, tuple[tuple[str, str, tuple[str, ...], str, bool], ...]] = {
    "loaded_terms": (
        ("phrases", "word", ("neutral", "why"), "Loaded words and phrases", True),
        ("controls", "word", ("why",), "Neutral controls (optional)", False),
    ),
    "framing": (("signals", "word", ("why",), "Words that signal the frame (optional)", False),),
    "sourcing": (
        ("gaps", "sentence", ("reason", "why"), "Sentences with a sourcing gap", True),
        ("controls", "sentence", ("why",),
         "Sourced or neutral sentences (controls, optional)", False),
    ),
}


def key_lists(question: Mapping[str, Any]) -> list[KeyList]:
    """The key lists a question of this kind has, in the order the editor shows them."""
    kind = question.get("kind")
    if kind == "compare":
        sides = question.get("sides") or []
        return [KeyList(f"terms-{number}", "terms", number, "word", ("neutral", "why"),
                        f"Terms excerpt {chr(ord('A') + number)} uses", True)
                for number in range(len(sides))]
    return [KeyList(name, name, None, unit, fields, label, required)
            for name, unit, fields, label, required in _KEY_LISTS.get(str(kind), ())]


def key_holder(question: dict[str, Any], key_list: KeyList) -> dict[str, Any]:
    """The mapping holding ``key_list``'s entries: the question, or a compare side."""
    if key_list.side is None:
        return question
    return question["sides"][key_list.side]


def key_excerpt(question: Mapping[str, Any], key_list: KeyList) -> Any:
    """The excerpt id a key list is marked on."""
    if key_list.side is None:
        return question.get("excerpt")
    return question["sides"][key_list.side].get("excerpt")
