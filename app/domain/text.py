"""Tokens, sentences and verbatim matching over real document text.

Everything here works with Python ``str`` offsets into the text exactly as stored, so a
span found here can be cut from the document (``text[start:end]``) and shown to a student
without drift. Matching is tolerant of typography that authors cannot easily type
(curly quotes, dashes, no-break spaces, line wrapping) but never changes the stored text:
matches are mapped back to offsets in the original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

# A word is a run of letters/digits, joined across apostrophes and hyphens
# ("Kazakhstan’s", "foreign-trained") and across decimal points/commas inside numbers
# ("1.9", "5,500"). Everything else (spaces, punctuation, dashes between words) sits in
# the gaps between words and is never markable on its own.
_WORD = re.compile(r"\w+(?:['’\-‐‑]\w+)*(?:[.,]\d+)*")

# Characters authors type in place of the document's typography.
_EQUIVALENT = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)

_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
     "sep", "sept", "oct", "nov", "dec", "vs", "etc", "inc", "co", "gen", "prof"}
)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of a text, with the text it covers."""

    start: int
    end: int
    text: str


# Excerpts are split again on every submission and feedback page (the form parser, the
# scorers and the feedback all need the spans): the splits of texts up to this many
# characters are kept, a few hundred of them, per process. Spans are immutable; each
# caller gets its own list.
_CACHED_TEXT_LIMIT = 20_000
_CACHED_TEXTS = 512


def words(text: str) -> list[Span]:
    """Split ``text`` into markable words, in order, with their offsets.

    The index of a word in this list is what a student's checkbox submits.
    """
    if len(text) <= _CACHED_TEXT_LIMIT:
        return list(_cached_words(text))
    return _split_words(text)


def sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences (see :func:`_split_sentences`), with their offsets."""
    if len(text) <= _CACHED_TEXT_LIMIT:
        return list(_cached_sentences(text))
    return _split_sentences(text)


def _split_words(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=_CACHED_TEXTS)
def _cached_words(text: str) -> tuple[Span, ...]:
    return tuple(_split_words(text))


@lru_cache(maxsize=_CACHED_TEXTS)
def _cached_sentences(text: str) -> tuple[Span, ...]:
    return tuple(_split_sentences(text))


def _split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences (and semicolon clauses), with their offsets.

    A sentence ends at ``.``, ``!`` or ``?`` (plus any closing quotes or brackets) when
    the next visible character starts a new sentence (a capital letter, digit-free
    opening quote), at a semicolon, or at a line break. Common abbreviations ("Jan.",
    "St.") and initials ("Stephen B. Nix") do not end a sentence. Leading and trailing
    white space is excluded from each span; empty pieces are dropped.
    """
    cuts: list[int] = [0]
    length = len(text)
    i = 0
    while i < length:
        ch = text[i]
        if ch == "\n":
            cuts.append(i + 1)
        elif ch == ";":
            cuts.append(i + 1)
        elif ch in ".!?":
            end = i + 1
            while end < length and text[end] in "\"'’”)]»":
                end += 1
            if _ends_sentence(text, i, end):
                cuts.append(end)
                i = end
                continue
        i += 1
    cuts.append(length)
    spans: list[Span] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        stripped_start = start + (len(piece) - len(piece.lstrip()))
        stripped_end = end - (len(piece) - len(piece.rstrip()))
        if stripped_end > stripped_start and _WORD.search(text, stripped_start, stripped_end):
            spans.append(Span(stripped_start, stripped_end, text[stripped_start:stripped_end]))
    return spans


_LAST_WORD = re.compile(r"(\w+)$")
_VISIBLE = re.compile(r"\S")


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Decide whether the mark at ``stop`` (closing quotes up to ``after``) ends a sentence."""
    if text[stop] == ".":
        before = _LAST_WORD.search(text, max(0, stop - 40), stop)  # bounded: O(1) per stop
        if before:
            word = before.group(1)
            if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                return False
    if after == len(text):
        return True
    if not text[after].isspace():
        return False  # glued to what follows: "1.9", "U.S.A", "!.." or "”said"
    visible = _VISIBLE.search(text, after)  # no copy of the rest: O(1) per stop
    following = visible.group() if visible else ""
    return not following or following.isupper() or following.isdigit() or following in "\"“‘'("


def normalize(text: str) -> tuple[str, list[int]]:
    """Fold typography and white space for matching, keeping a map back to ``text``.

    Returns ``(folded, origin)`` where ``origin[i]`` is the offset in ``text`` of
    ``folded[i]``; ``origin`` has one extra entry, ``len(text)``, so an end offset maps
    too. Runs of white space become one space.
    """
    folded: list[str] = []
    origin: list[int] = []
    translated = text.translate(_EQUIVALENT)
    previous_space = False
    for index, ch in enumerate(translated):
        if ch.isspace():
            if previous_space:
                continue
            folded.append(" ")
            previous_space = True
        else:
            folded.append(ch)
            previous_space = False
        origin.append(index)
    origin.append(len(text))
    return "".join(folded), origin


@dataclass(frozen=True, slots=True)
class Closest:
    """The passage of a text that comes closest to a quote that was not found."""

    passage: str
    similarity: float
    differs_at: str


def find_all(haystack: str, needle: str, *, whole_words: bool = True) -> list[Span]:
    """Find every occurrence of ``needle`` in ``haystack``, tolerant of typography.

    Offsets are into ``haystack`` as given. With ``whole_words`` a match must start and
    end on word boundaries, so "mob" does not match inside "mobile".
    """
    folded_hay, origin = _normalized(haystack)
    folded_needle = normalize(needle)[0].strip()
    if not folded_needle:
        return []
    spans: list[Span] = []
    start = folded_hay.find(folded_needle)
    while start != -1:
        end = start + len(folded_needle)
        if not whole_words or _on_boundaries(folded_hay, start, end):
            real_start, real_end = origin[start], origin[end - 1] + 1
            spans.append(Span(real_start, real_end, haystack[real_start:real_end]))
        start = folded_hay.find(folded_needle, start + 1)
    return spans


def _normalized(text: str) -> tuple[str, Sequence[int]]:
    """:func:`normalize` of a text searched again and again (a document, for each phrase
    of its reading, each excerpt and each key phrase), kept like the splits above."""
    if len(text) <= _CACHED_TEXT_LIMIT:
        return _cached_normalized(text)
    return normalize(text)


@lru_cache(maxsize=_CACHED_TEXTS)
def _cached_normalized(text: str) -> tuple[str, tuple[int, ...]]:
    folded, origin = normalize(text)
    return folded, tuple(origin)


def _on_boundaries(text: str, start: int, end: int) -> bool:
    left_ok = start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())
    right_ok = end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
    return left_ok and right_ok


# The closest-passage search is bounded: difflib compares the whole text with the whole
# quote only while their lengths multiply to at most this (a quote in its excerpt, a short
# quote in a short document); beyond it the search anchors on runs of words the text and
# the quote share, and difflib only ever compares a window with the quote, cut to
# _COMPARED characters. The work grows with the text plus the quote, never their product.
EXACT_WORK = 2_000_000
_COMPARED = 1_000
_RUN = 3  # words in an anchoring run
_COMMON_RUN = 8  # a run found more often than this in the text anchors nothing
_MAX_RUNS = 5_000  # runs of the quote looked up (its first 5,000 words)
_TOKEN = re.compile(r"\w+")


def closest_passage(haystack: str, needle: str) -> Closest:
    """Locate the passage of ``haystack`` most like ``needle`` and say where they differ.

    Used to explain a failed verbatim check: the author sees the document's real wording
    next to the first point where their quote departs from it. The work is bounded (see
    :data:`EXACT_WORK`): when no run of three words is shared, the passage is ``""``.
    """
    folded_hay, origin = _normalized(haystack)
    folded_needle = normalize(needle)[0].strip()
    if not folded_needle or not folded_hay:
        return Closest("", 0.0, "the quote is empty" if not folded_needle else "empty text")
    if len(folded_hay) * len(folded_needle) <= EXACT_WORK:
        matcher = SequenceMatcher(None, folded_hay, folded_needle, autojunk=False)
        block = matcher.find_longest_match(0, len(folded_hay), 0, len(folded_needle))
        start: int | None = max(0, block.a - block.b)
    else:
        start = _anchored_start(folded_hay, folded_needle)
        if start is None:
            return Closest("", 0.0, "no three words in a row of the quote are in the text")
    end = min(len(folded_hay), start + len(folded_needle))
    window = folded_hay[start:end]
    ratio = SequenceMatcher(None, window[:_COMPARED], folded_needle[:_COMPARED],
                            autojunk=False).ratio()
    position = next(
        (i for i, (a, b) in enumerate(zip(window, folded_needle, strict=False)) if a != b),
        min(len(window), len(folded_needle)),
    )
    context = 20
    theirs = window[max(0, position - context): position + context]
    ours = folded_needle[max(0, position - context): position + context]
    differs = f'the document reads "…{theirs}…" where the quote has "…{ours}…"'
    passage = haystack[origin[start]: origin[max(start, end - 1)] + 1]
    return Closest(passage, round(ratio, 3), differs)


def _anchored_start(folded_hay: str, folded_needle: str) -> int | None:
    """Where in ``folded_hay`` the quote most likely starts: each run of three words the
    quote shares with the text (runs common in the text excluded) votes for the offset
    that lines the two up; the offset with most votes wins. None when nothing is shared.
    Linear in both lengths."""
    hay_words = [(m.start(), m.group()) for m in _TOKEN.finditer(folded_hay)]
    runs: dict[tuple[str, ...], list[int]] = {}
    for index in range(len(hay_words) - _RUN + 1):
        key = tuple(word for _, word in hay_words[index:index + _RUN])
        places = runs.setdefault(key, [])
        if len(places) <= _COMMON_RUN:
            places.append(hay_words[index][0])
    needle_words = [(m.start(), m.group()) for m in _TOKEN.finditer(folded_needle)]
    votes: dict[int, int] = {}
    for index in range(min(len(needle_words) - _RUN + 1, _MAX_RUNS)):
        key = tuple(word for _, word in needle_words[index:index + _RUN])
        places = runs.get(key, ())
        if 0 < len(places) <= _COMMON_RUN:
            for place in places:
                offset = place - needle_words[index][0]
                votes[offset] = votes.get(offset, 0) + 1
    if not votes:
        return None
    best = max(votes, key=lambda offset: (votes[offset], -offset))
    return max(0, best)


def words_in(spans: list[Span], start: int, end: int) -> list[int]:
    """Indices of the spans (words or sentences) that overlap ``[start, end)``."""
    return [i for i, span in enumerate(spans) if span.start < end and span.end > start]


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of an excerpt as displayed: a markable unit (``index`` set) or the text between."""

    text: str
    index: int | None = None


def pieces(text: str, unit: str = "word") -> list[Piece]:
    """The whole of ``text`` cut into units (words or sentences) and the gaps between them.

    Joining every piece's text gives back ``text`` exactly, so the quiz shows the
    excerpt character for character.
    """
    spans = words(text) if unit == "word" else sentences(text)
    result: list[Piece] = []
    position = 0
    for index, span in enumerate(spans):
        if span.start > position:
            result.append(Piece(text[position:span.start]))
        result.append(Piece(span.text, index))
        position = span.end
    if position < len(text):
        result.append(Piece(text[position:]))
    return result


def runs_by_state(text: str, states: dict[int, str], unit: str = "word") -> list[tuple[str, str]]:
    """Cut ``text`` into ``(state, text)`` runs for feedback highlighting.

    ``states`` gives a state (e.g. "found", "missed", "wrong") per unit index; units
    without one, and gaps, have state "". A gap between two units of the same state joins
    their run, so a marked phrase reads as one highlight rather than word by word.
    """
    cut = pieces(text, unit)
    state_of = [states.get(piece.index, "") if piece.index is not None else None
                for piece in cut]
    for position, state in enumerate(state_of):
        if state is None:  # a gap joins its neighbours' run when both share a state
            before = state_of[position - 1] if position > 0 else ""
            after = state_of[position + 1] if position + 1 < len(cut) else ""
            state_of[position] = before if before and before == after else ""
    runs: list[tuple[str, str]] = []
    for piece, state in zip(cut, state_of, strict=True):
        if runs and runs[-1][0] == state:
            runs[-1] = (state, runs[-1][1] + piece.text)
        else:
            runs.append((state or "", piece.text))
    return runs
